import type { Condition, DaemonSet, Deployment, Pod, StatefulSet } from '../schema/generated.js';
import type { ClusterView } from '../snapshot/cluster.js';
import { componentInCluster } from '../snapshot/components.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { kubectl } from './kubectl.js';
import type { FindingDraft, Remediation, Rule } from './types.js';
import { containerEntries, oneLine, subjectOf, workloadFacts } from './util/pod-facts.js';

type Workload = DaemonSet | Deployment | StatefulSet;

interface Counts {
  desired: number;
  ready: number;
  available: number;
  /** How the counts read in the object's status, for evidence. */
  text: string;
}

function countsOf(obj: Workload): Counts | undefined {
  const s = obj.status ?? {};
  switch (obj.kind) {
    case 'DaemonSet': {
      const st = s as NonNullable<DaemonSet['status']>;
      if (st.desiredNumberScheduled === undefined) return undefined;
      return {
        desired: st.desiredNumberScheduled, ready: st.numberReady ?? 0, available: st.numberAvailable ?? 0,
        text: `desiredNumberScheduled=${st.desiredNumberScheduled} numberReady=${st.numberReady ?? 0} numberAvailable=${st.numberAvailable ?? 0}` +
          (st.numberUnavailable ? ` numberUnavailable=${st.numberUnavailable}` : ''),
      };
    }
    case 'Deployment': {
      const st = s as NonNullable<Deployment['status']>;
      const desired = obj.spec?.replicas ?? 1;
      return {
        desired, ready: st.readyReplicas ?? 0, available: st.availableReplicas ?? 0,
        text: `spec.replicas=${desired} readyReplicas=${st.readyReplicas ?? 0} availableReplicas=${st.availableReplicas ?? 0}` +
          (st.unavailableReplicas ? ` unavailableReplicas=${st.unavailableReplicas}` : ''),
      };
    }
    case 'StatefulSet': {
      const st = s as NonNullable<StatefulSet['status']>;
      const desired = obj.spec?.replicas ?? 1;
      const ready = st.readyReplicas ?? 0;
      return {
        desired, ready, available: st.availableReplicas ?? ready,
        text: `spec.replicas=${desired} readyReplicas=${ready}${st.availableReplicas !== undefined ? ` availableReplicas=${st.availableReplicas}` : ''}`,
      };
    }
  }
}

/** The pods of a workload: by owner chain, else (owners not collected) by its selector's matchLabels. */
function podsOf(cluster: ClusterView, obj: Workload): Pod[] {
  const owned = cluster.podsOwnedBy(obj).filter((p) => p.metadata.namespace === obj.metadata.namespace);
  if (owned.length > 0) return owned;
  const pods = cluster.list('Pod', obj.metadata.namespace);
  const selector = Object.entries(obj.spec?.selector?.matchLabels ?? {});
  if (selector.length === 0 || (obj.spec?.selector?.matchExpressions ?? []).length > 0) return [];
  return pods.filter((p) => cluster.topOwner(p) === p && selector.every(([k, v]) => p.metadata.labels?.[k] === v));
}

/** Why one pod is not ready, in a word or two. */
function whyNotReady(pod: Pod): string | undefined {
  if (!pod.spec.nodeName) {
    const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    return scheduled?.reason === 'Unschedulable' ? 'Pending, unschedulable' : 'Pending';
  }
  const entries = containerEntries(pod);
  const waiting = entries.find((e) => e.status.state?.waiting?.reason)?.status.state?.waiting?.reason;
  if (waiting) return waiting;
  const terminated = entries.find((e) => !e.init && e.status.state?.terminated)?.status.state?.terminated?.reason;
  if (terminated) return `terminated: ${terminated}`;
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status === 'True') return undefined;
  if (entries.length > 0 && entries.filter((e) => !e.init).every((e) => e.status.ready)) return undefined;
  return pod.status?.phase && pod.status.phase !== 'Running' ? pod.status.phase : 'running, not ready';
}

/** Conditions that say why a rollout is stuck (FailedCreate, ProgressDeadlineExceeded, MinimumReplicasUnavailable). */
function tellingConditions(obj: Workload): Condition[] {
  return (obj.status?.conditions ?? []).filter((c) =>
    (c.type === 'ReplicaFailure' && c.status === 'True') || (c.type === 'Progressing' && c.status === 'False') || (c.type === 'Available' && c.status === 'False'));
}

const MAX_PODS_NAMED = 6;

function findingFor(snapshot: Snapshot, cluster: ClusterView, obj: Workload): FindingDraft[] {
  const counts = countsOf(obj);
  if (!counts || counts.desired <= 0 || counts.ready >= counts.desired) return [];
  // The CNI agent DaemonSet is CNI_NOT_READY's subject.
  if (obj.kind === 'DaemonSet' && componentInCluster(cluster, obj)?.component === 'cni') return [];

  const namespace = obj.metadata.namespace ?? 'default';
  const name = obj.metadata.name;
  const id = `${obj.kind} ${namespace}/${name}`;
  const sentences = [`${counts.ready} of ${counts.desired} ${obj.kind === 'DaemonSet' ? 'scheduled pods' : 'replicas'} ready, ${counts.available} available.`];

  const pods = podsOf(cluster, obj);
  const notReady = pods.flatMap((pod) => {
    const why = whyNotReady(pod);
    return why ? [`${pod.metadata.name} (${why})`] : [];
  });
  if (notReady.length > 0) {
    const named = notReady.slice(0, MAX_PODS_NAMED).join(', ');
    sentences.push(`Pods not ready: ${named}${notReady.length > MAX_PODS_NAMED ? ` and ${notReady.length - MAX_PODS_NAMED} more` : ''}.`);
  }
  const conditions = tellingConditions(obj);
  for (const c of conditions) {
    if (c.message) sentences.push(`${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}: ${oneLine(c.message, 400)}${/[.!?]$/.test(c.message.trim()) ? '' : '.'}`);
  }

  const resource = obj.kind.toLowerCase();
  const remediation: Remediation[] = [
    { text: `See the ${obj.kind}'s status and events`, command: kubectl(cluster, 'describe', resource, name, '-n', namespace) },
  ];
  const crashLooping = pods.some((pod) => (pod.status?.containerStatuses ?? []).some((s) => s.state?.waiting?.reason === 'CrashLoopBackOff'));
  if (crashLooping) {
    // After the cause is fixed, a pod in CrashLoopBackOff may wait minutes for its next try.
    remediation.push({ text: `Once its cause is fixed, restart the ${obj.kind} instead of waiting for the crash-loop back-off`, command: kubectl(cluster, 'rollout', 'restart', `${resource}/${name}`, '-n', namespace) });
  }
  const selector = Object.entries(obj.spec?.selector?.matchLabels ?? {});
  if (selector.length > 0) {
    remediation.push({
      text: 'List its pods and where they run',
      command: kubectl(cluster, 'get', 'pods', '-n', namespace, '-l', selector.map(([k, v]) => `${k}=${v}`).join(','), '-o', 'wide'),
    });
  }

  return [{
    code: rule.meta.code,
    severity: counts.available === 0 ? 'error' : 'warning',
    cluster: cluster.name,
    subject: subjectOf(obj),
    title: `${id}: ${counts.ready}/${counts.desired} ready`,
    detail: sentences.join(' '),
    evidence: [
      { source: snapshot.sourceOf(obj), text: counts.text },
      ...conditions.filter((c) => c.message).map((c) => ({ source: snapshot.sourceOf(obj), text: `${c.type}=${c.status} ${c.reason ?? ''}: ${oneLine(c.message ?? '', 600)}` })),
    ],
    remediation,
    facts: { ...workloadFacts(cluster, obj), ready: counts.ready, desired: counts.desired },
  }];
}

function check(snapshot: Snapshot): FindingDraft[] {
  return snapshot.clusters.flatMap((cluster) => [
    ...cluster.list('DaemonSet'), ...cluster.list('Deployment'), ...cluster.list('StatefulSet'),
  ].flatMap((obj) => findingFor(snapshot, cluster, obj)));
}

export const rule: Rule = {
  meta: {
    code: 'WORKLOAD_UNAVAILABLE',
    severity: 'error',
    title: 'Workload has fewer ready replicas than desired',
    docs: 'A DaemonSet, Deployment or StatefulSet with fewer ready pods than desired, naming the pods that are not ready and why. An error when none is available, a warning while some are. The CNI agent DaemonSet is reported as CNI_NOT_READY instead.',
  },
  check,
};
