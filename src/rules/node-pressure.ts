import type { Node } from '../schema/generated.js';
import type { ClusterView } from '../snapshot/cluster.js';
import { eventMessage, eventTime } from '../snapshot/cluster.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { kubectl } from './kubectl.js';
import type { Evidence, FindingDraft, Remediation, Rule } from './types.js';
import { objectRef, oneLine, plural, subjectOf } from './util/pod-facts.js';
import { nodeTaints } from './util/taints.js';

/** The pressure conditions, the taint the node lifecycle controller sets for each, and what the kubelet reclaims. */
export const PRESSURES: { condition: string; taint: string; resource: string }[] = [
  { condition: 'MemoryPressure', taint: 'node.kubernetes.io/memory-pressure', resource: 'memory' },
  { condition: 'DiskPressure', taint: 'node.kubernetes.io/disk-pressure', resource: 'disk (nodefs / imagefs)' },
  { condition: 'PIDPressure', taint: 'node.kubernetes.io/pid-pressure', resource: 'process IDs' },
];

const ADVICE: Record<string, string> = {
  MemoryPressure: 'Find the pods using the most memory on the node and set memory requests/limits so the scheduler does not overcommit it, or add capacity',
  DiskPressure: 'Free disk space on the node: remove unused images (`crictl rmi --prune`), rotate container logs and clean /var/lib/containerd, or grow the disk',
  PIDPressure: 'Find the process leak (a container forking without reaping) and set a pod PID limit, or raise the node\'s pid_max',
};

function findingFor(snapshot: Snapshot, cluster: ClusterView, node: Node): FindingDraft[] {
  const conditions = (node.status?.conditions ?? []).filter((c) => c.status === 'True' && PRESSURES.some((p) => p.condition === c.type));
  if (conditions.length === 0) return [];
  const name = node.metadata.name;
  const pressures = PRESSURES.filter((p) => conditions.some((c) => c.type === p.condition));
  const carried = nodeTaints(node).map((t) => t.key);
  const evicted = cluster.podsOnNode(name).filter((p) => p.status?.reason === 'Evicted');
  // Node events name no namespace, or `default` when the event's own namespace was used.
  const events = [...cluster.eventsFor('Node', undefined, name), ...cluster.eventsFor('Node', 'default', name)].filter((e) => /EvictionThresholdMet|NodeHas(?:Insufficient|Disk|Memory|PID)|FreeDiskSpaceFailed|ImageGCFailed|SystemOOM/.test(e.reason ?? ''))
    .sort((a, b) => eventTime(a).localeCompare(eventTime(b)));

  const sentences = [`Node ${name} reports ${pressures.map((p) => p.condition).join(' and ')}: the kubelet is short of ${pressures.map((p) => p.resource).join(' and ')}.`];
  sentences.push(`It evicts pods to reclaim it, and the node is tainted ${pressures.map((p) => `${p.taint}:NoSchedule`).join(', ')} so that new pods are not scheduled there.`);
  for (const c of conditions) if (c.message) sentences.push(`Kubelet: ${oneLine(c.message, 300)}`);
  if (evicted.length > 0) sentences.push(`${plural(evicted.length, 'pod')} evicted from it: ${evicted.slice(0, 5).map((p) => `${p.metadata.namespace}/${p.metadata.name}`).join(', ')}${evicted.length > 5 ? ` and ${evicted.length - 5} more` : ''}.`);

  const evidence: Evidence[] = conditions.map((c) => ({ source: snapshot.sourceOf(node), text: `${c.type}=True${c.reason ? ` ${c.reason}` : ''}${c.message ? `: ${oneLine(c.message, 400)}` : ''}` }));
  const latest = events.at(-1);
  if (latest) evidence.push({ source: snapshot.sourceOf(latest), text: `${latest.reason}: ${oneLine(eventMessage(latest), 400)}` });
  const lastEvicted = evicted.at(-1);
  if (lastEvicted?.status?.message) evidence.push({ source: snapshot.sourceOf(lastEvicted), text: `${lastEvicted.metadata.name}: ${oneLine(lastEvicted.status.message, 400)}` });

  const remediation: Remediation[] = [
    { text: 'See the node\'s conditions, allocated resources and eviction events', command: kubectl(cluster, 'describe', 'node', name) },
    ...pressures.map((p) => ({ text: ADVICE[p.condition]! })),
  ];
  if (pressures.some((p) => p.condition === 'MemoryPressure')) {
    remediation.push({ text: 'The pods on the node and what they request', command: kubectl(cluster, 'get', 'pods', '-A', '-o', 'wide', '--field-selector', `spec.nodeName=${name}`) });
  }

  return [{
    code: rule.meta.code,
    severity: rule.meta.severity,
    cluster: cluster.name,
    subject: subjectOf(node),
    title: `Node ${name} is under ${pressures.map((p) => p.condition).join(' and ')}`,
    detail: sentences.join(' '),
    evidence,
    remediation,
    facts: {
      node: objectRef(cluster, node),
      pressure: pressures.map((p) => p.condition),
      // The taints the node lifecycle controller sets for these conditions, whether or not the dump caught them yet.
      taints: [...new Set([...pressures.map((p) => p.taint), ...carried.filter((k) => PRESSURES.some((p) => p.taint === k))])],
    },
  }];
}

function check(snapshot: Snapshot): FindingDraft[] {
  return snapshot.clusters.flatMap((cluster) => cluster.list('Node').flatMap((node) => findingFor(snapshot, cluster, node)));
}

export const rule: Rule = {
  meta: {
    code: 'NODE_PRESSURE',
    severity: 'error',
    title: 'Node under resource pressure',
    docs: 'A node whose MemoryPressure, DiskPressure or PIDPressure condition is True: the kubelet evicts pods and the node is tainted so that nothing new is scheduled there. It explains the evictions from that node and the pods the pressure taints keep Pending.',
    events: { involvedKinds: ['Node'] },
  },
  check,
};
