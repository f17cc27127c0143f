import type { Container, ContainerStatus, Event, Pod } from '../../schema/generated.js';
import { eventCount, eventMessage, kindNameOf, type ClusterView } from '../../snapshot/cluster.js';
import { componentInCluster } from '../../snapshot/components.js';
import { releaseOf } from '../../snapshot/helm.js';
import type { AnyObject } from '../../snapshot/kinds.js';
import type { Facts, ObjectRef, ReleaseRef, Subject } from '../types.js';

/** A reference to an object of a cluster, as facts carry it. */
export function objectRef(cluster: ClusterView, obj: AnyObject): ObjectRef {
  return {
    cluster: cluster.name,
    kind: kindNameOf(obj),
    ...(obj.metadata.namespace !== undefined ? { namespace: obj.metadata.namespace } : {}),
    name: obj.metadata.name,
  };
}

/** The subject of a finding about an object. */
export function subjectOf(obj: AnyObject): Subject {
  return {
    kind: kindNameOf(obj),
    ...(obj.metadata.namespace !== undefined ? { namespace: obj.metadata.namespace } : {}),
    name: obj.metadata.name,
  };
}

/** The Helm release the object belongs to in its cluster (hook included when the object or an owner is a Helm hook). */
export function releaseRef(cluster: ClusterView, obj: AnyObject): ReleaseRef | undefined {
  const membership = releaseOf(cluster, obj);
  if (!membership) return undefined;
  const namespace = membership.namespace ?? obj.metadata.namespace;
  return {
    cluster: cluster.name,
    name: membership.release,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(membership.hook ? { hook: membership.hook } : {}),
  };
}

/** Component and release of an object, the facts every pod and workload finding carries. */
function componentAndRelease(cluster: ClusterView, obj: AnyObject): Pick<Facts, 'component' | 'product' | 'release'> {
  const component = componentInCluster(cluster, obj);
  const release = releaseRef(cluster, obj);
  return { ...(component ? { component: component.component, product: component.product } : {}), ...(release ? { release } : {}) };
}

/** Facts about a pod: itself (node, hostNetwork), its outermost owner, its component and its Helm release. */
export function podFacts(cluster: ClusterView, pod: Pod): Facts {
  const owner = cluster.topOwner(pod);
  return {
    pod: {
      ...objectRef(cluster, pod),
      ...(pod.spec.nodeName ? { node: pod.spec.nodeName } : {}),
      hostNetwork: pod.spec.hostNetwork ?? false,
    },
    ...(owner !== pod ? { workload: objectRef(cluster, owner) } : {}),
    ...componentAndRelease(cluster, pod),
  };
}

/** Facts about a workload (Deployment, DaemonSet, StatefulSet, Job): the workload is itself. */
export function workloadFacts(cluster: ClusterView, obj: AnyObject): Facts {
  return { workload: objectRef(cluster, obj), ...componentAndRelease(cluster, obj) };
}

/** A container of a pod with its status and spec. */
export interface ContainerEntry {
  name: string;
  init: boolean;
  status: ContainerStatus;
  spec?: Container;
}

/**
 * The cluster's pods a pod rule may have something to say about: all but those at rest. Most pods of
 * a big cluster are at rest, and a dozen rules each looked at all 150,000 of them.
 */
export function podsWorthALook(cluster: ClusterView): Pod[] {
  return [...cluster.derived('podsWorthALook', () => cluster.list('Pod').filter((pod) => !atRest(cluster, pod)))];
}

/**
 * Nothing any pod rule looks for: running and ready (Ready condition True), or completed, with
 * every container in its final good state, never restarted, no earlier termination, not being
 * deleted or evicted, and no event kept about it (Warning events, and the Normal ones a rule reads).
 * Anything unusual or missing makes a pod worth a look: this errs on the side of looking.
 */
function atRest(cluster: ClusterView, pod: Pod): boolean {
  const status = pod.status;
  if (!status || status.reason || pod.metadata.deletionTimestamp) return false;
  const running = status.phase === 'Running';
  if (!running && status.phase !== 'Succeeded') return false;
  const main = status.containerStatuses ?? [];
  if (main.length === 0) return false;
  const settled = (s: ContainerStatus, finalState: 'running' | 'completed') =>
    (s.restartCount ?? 0) === 0 && !s.lastState?.terminated && !s.state?.waiting &&
    (finalState === 'running' ? s.ready === true && !!s.state?.running && !s.state?.terminated : s.state?.terminated?.exitCode === 0);
  if (!main.every((s) => settled(s, running ? 'running' : 'completed'))) return false;
  if (!(status.initContainerStatuses ?? []).every((s) => settled(s, 'completed'))) return false;
  if (running && status.conditions?.find((c) => c.type === 'Ready')?.status !== 'True') return false;
  return cluster.eventReasonsFor('Pod', pod.metadata.namespace, pod.metadata.name).size === 0;
}

const entriesOf = new WeakMap<Pod, ContainerEntry[]>();

/** Every container status of a pod (init containers first), with its spec. Computed once per pod: treat as read-only. */
export function containerEntries(pod: Pod): readonly ContainerEntry[] {
  let entries = entriesOf.get(pod);
  if (!entries) entriesOf.set(pod, (entries = entriesNow(pod)));
  return entries;
}

function entriesNow(pod: Pod): ContainerEntry[] {
  const specOf = (name: string, init: boolean) => (init ? pod.spec.initContainers ?? [] : pod.spec.containers).find((c) => c.name === name);
  return [
    ...(pod.status?.initContainerStatuses ?? []).map((status) => ({ name: status.name, init: true, status, spec: specOf(status.name, true) })),
    ...(pod.status?.containerStatuses ?? []).map((status) => ({ name: status.name, init: false, status, spec: specOf(status.name, false) })),
  ];
}

/** `init container x` or `container x`. */
export function containerLabel(entry: Pick<ContainerEntry, 'name' | 'init'>): string {
  return `${entry.init ? 'init container' : 'container'} ${entry.name}`;
}

/** The last termination of a container: its current terminated state, else its last state. */
export function lastTermination(status: ContainerStatus): { reason?: string; exitCode?: number; message?: string; signal?: number } | undefined {
  return status.state?.terminated ?? status.lastState?.terminated;
}

/** `Error (exit code 1)`, `OOMKilled (exit code 137)`. */
export function describeTermination(t: { reason?: string; exitCode?: number; signal?: number }): string {
  const parts = [t.exitCode !== undefined ? `exit code ${t.exitCode}` : '', t.signal ? `signal ${t.signal}` : ''].filter(Boolean);
  return `${t.reason ?? 'terminated'}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/** One line describing a container status, as `kubectl describe pod` would summarise it. */
export function statusLine(entry: ContainerEntry): string {
  const s = entry.status;
  const state = s.state?.waiting
    ? `waiting: ${s.state.waiting.reason ?? 'unknown'}${s.state.waiting.message ? ` (${oneLine(s.state.waiting.message, 300)})` : ''}`
    : s.state?.terminated
      ? `terminated: ${describeTermination(s.state.terminated)}`
      : s.state?.running
        ? 'running'
        : 'state unknown';
  const last = s.lastState?.terminated ? `, last terminated: ${describeTermination(s.lastState.terminated)}` : '';
  return `${containerLabel(entry)}: ${state}, ready=${s.ready ?? false}, restartCount=${s.restartCount ?? 0}${last}`;
}

/** Collapses whitespace and caps the length of a message quoted in a finding. */
export function oneLine(text: string, max = 500): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Events about a pod, oldest first, leaving out those about an earlier pod of the same name (different uid). */
export function podEvents(cluster: ClusterView, pod: Pod, reason?: string): Event[] {
  // Most pods of a big cluster have no event of the reason asked for: say so without sorting their events.
  if (reason !== undefined && !cluster.eventReasonsFor('Pod', pod.metadata.namespace, pod.metadata.name).has(reason)) return [];
  const uid = pod.metadata.uid;
  return cluster.eventsFor('Pod', pod.metadata.namespace, pod.metadata.name).filter((event) => {
    const involvedUid = (event.involvedObject ?? event.regarding)?.uid;
    if (uid && involvedUid && involvedUid !== uid) return false;
    return reason === undefined || event.reason === reason;
  });
}

/** The container an event is about, from its fieldPath (`spec.containers{name}`). */
export function eventContainer(event: Event): { name: string; init: boolean } | undefined {
  const fieldPath = (event.involvedObject ?? event.regarding)?.fieldPath ?? '';
  const match = /spec\.(initContainers|containers|ephemeralContainers)\{([^}]+)\}/.exec(fieldPath);
  return match?.[2] ? { name: match[2], init: match[1] === 'initContainers' } : undefined;
}

export { eventCount, eventMessage };

/** `1 time`, `38 times`. */
export function times(n: number): string {
  return `${n} ${n === 1 ? 'time' : 'times'}`;
}

/** `1 node`, `4 nodes`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
