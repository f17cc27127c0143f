import type { Container, Event, Pod, Probe } from '../../schema/generated.js';
import type { ClusterView } from '../../snapshot/cluster.js';
import { eventContainer, eventCount, eventMessage, podEvents, times } from './pod-facts.js';

export type ProbeKind = 'startup' | 'liveness' | 'readiness';

const PROBE_MESSAGE = /\b(Startup|Liveness|Readiness) probe (?:failed|errored)\b:?\s*/i;
const URL_IN_MESSAGE = /\bhttps?:\/\/[^\s"'<>]+/;
const DIAL_TCP = /dial tcp \[?([0-9A-Za-z.:-]+?)\]?:(\d+)\b/;

/** Kubelet probe failures of one kind on one pod, summed over its `Unhealthy` events. */
export interface ProbeFailures {
  kind: ProbeKind;
  /** The container probed, when the event or the pod spec says which. */
  container?: string;
  port?: string;
  path?: string;
  /** Total failures: event count (or series count) summed. */
  failures: number;
  /** The latest event, for evidence. */
  latest: Event;
  /** What the latest failure said, without the `Startup probe failed:` prefix. */
  error: string;
}

function probeOf(container: Container | undefined, kind: ProbeKind): Probe | undefined {
  if (!container) return undefined;
  return kind === 'startup' ? container.startupProbe : kind === 'liveness' ? container.livenessProbe : container.readinessProbe;
}

/** Port and path a probe spec targets; a named port is resolved through the container's ports. */
function fromSpec(container: Container | undefined, probe: Probe | undefined): { port?: string; path?: string } {
  if (!probe) return {};
  const raw = probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port;
  let port: string | undefined;
  if (typeof raw === 'number') port = String(raw);
  else if (typeof raw === 'string') {
    const named = container?.ports?.find((p) => p.name === raw)?.containerPort;
    port = named !== undefined ? String(named) : raw;
  }
  return { ...(port ? { port } : {}), ...(probe.httpGet?.path ? { path: probe.httpGet.path } : {}) };
}

/** Port and path the kubelet names in a probe failure message (`Get "http://127.0.0.1:9879/healthz": ...`, `dial tcp 10.0.0.5:8080: ...`). */
function fromMessage(message: string): { port?: string; path?: string } {
  const url = URL_IN_MESSAGE.exec(message)?.[0];
  if (url) {
    try {
      const parsed = new URL(url.replace(/[":,]+$/, ''));
      const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
      return { port, path: parsed.pathname || '/' };
    } catch {
      // not a URL after all; fall through
    }
  }
  const dial = DIAL_TCP.exec(message);
  return dial?.[2] ? { port: dial[2] } : {};
}

/** The kind of probe a kubelet `Unhealthy` event is about, and the error after the prefix. */
export function parseProbeEvent(event: Event): { kind: ProbeKind; error: string } | undefined {
  const message = eventMessage(event);
  const match = PROBE_MESSAGE.exec(message);
  if (!match?.[1]) return undefined;
  return { kind: match[1].toLowerCase() as ProbeKind, error: message.slice(match.index + match[0].length).trim() };
}

/** Probe failures of a pod, one entry per probe kind, from kubelet `Unhealthy` events (core/v1 or events.k8s.io/v1). */
export function probeFailures(cluster: ClusterView, pod: Pod): ProbeFailures[] {
  const byKind = new Map<ProbeKind, ProbeFailures>();
  for (const event of podEvents(cluster, pod, 'Unhealthy')) {
    const parsed = parseProbeEvent(event);
    if (!parsed) continue;
    const named = eventContainer(event);
    const containers = named?.init ? pod.spec.initContainers ?? [] : pod.spec.containers;
    const container = named
      ? containers.find((c) => c.name === named.name)
      : pod.spec.containers.find((c) => probeOf(c, parsed.kind)) ?? (pod.spec.initContainers ?? []).find((c) => probeOf(c, parsed.kind));
    const spec = fromSpec(container, probeOf(container, parsed.kind));
    const message = fromMessage(parsed.error);
    const port = message.port ?? spec.port;
    const path = message.path ?? spec.path;
    const containerName = named?.name ?? container?.name;
    const previous = byKind.get(parsed.kind);
    // Events come oldest first: the latest one sets what is quoted.
    byKind.set(parsed.kind, {
      kind: parsed.kind,
      ...((containerName ?? previous?.container) ? { container: containerName ?? previous?.container } : {}),
      ...((port ?? previous?.port) ? { port: port ?? previous?.port } : {}),
      ...((path ?? previous?.path) ? { path: path ?? previous?.path } : {}),
      failures: (previous?.failures ?? 0) + eventCount(event),
      latest: event,
      error: parsed.error,
    });
  }
  const order: ProbeKind[] = ['startup', 'liveness', 'readiness'];
  return order.flatMap((kind) => byKind.get(kind) ?? []);
}

export function probeKindTitle(kind: ProbeKind): string {
  return kind.charAt(0).toUpperCase() + kind.slice(1);
}

/** `Startup probe failed on port 9879 (/healthz) 38 times`, or `Startup probe of container agent failed ...` with `withContainer`. */
export function describeProbeFailures(p: Pick<ProbeFailures, 'kind' | 'port' | 'path' | 'failures' | 'container'>, withContainer = false): string {
  const where = p.port ? ` on port ${p.port}${p.path ? ` (${p.path})` : ''}` : p.path ? ` (${p.path})` : '';
  const of = withContainer && p.container ? ` of container ${p.container}` : '';
  return `${probeKindTitle(p.kind)} probe${of} failed${where} ${times(p.failures)}`;
}
