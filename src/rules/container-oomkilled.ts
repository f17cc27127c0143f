import type { Pod } from '../schema/generated.js';
import type { ClusterView } from '../snapshot/cluster.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { kubectl } from './kubectl.js';
import type { FindingDraft, Remediation, Rule } from './types.js';
import { containerEntries, containerLabel, podFacts, statusLine, subjectOf, type ContainerEntry, podsWorthALook } from './util/pod-facts.js';

/** The OOMKilled termination of a container: its current state, else its last one. */
function oomKill(entry: ContainerEntry) {
  const current = entry.status.state?.terminated;
  if (current?.reason === 'OOMKilled') return current;
  const last = entry.status.lastState?.terminated;
  return last?.reason === 'OOMKilled' ? last : undefined;
}

function memoryLimit(entry: ContainerEntry): string | undefined {
  const limit = entry.spec?.resources?.limits?.['memory'];
  return limit === undefined ? undefined : String(limit);
}

function findingFor(snapshot: Snapshot, cluster: ClusterView, pod: Pod): FindingDraft[] {
  const killed = containerEntries(pod).filter((e) => oomKill(e));
  if (killed.length === 0) return [];
  const name = pod.metadata.name;
  const namespace = pod.metadata.namespace ?? 'default';
  const sentences = killed.map((entry) => {
    const kill = oomKill(entry);
    const limit = memoryLimit(entry);
    const how = limit
      ? `was killed for using more than its memory limit of ${limit}`
      : 'was killed by the out-of-memory killer; it has no memory limit, so the node itself ran short of memory';
    const restarts = entry.status.restartCount ?? 0;
    const exit = kill?.exitCode !== undefined ? ` (exit code ${kill.exitCode})` : '';
    return `${containerLabel(entry).replace(/^./, (c) => c.toUpperCase())} ${how}${exit}; ${restarts} restart${restarts === 1 ? '' : 's'} so far.`;
  });
  const remediation: Remediation[] = [
    { text: 'See the container states and resource limits of the pod', command: kubectl(cluster, 'describe', 'pod', name, '-n', namespace) },
    { text: 'Raise the container\'s memory limit (resources.limits.memory in the chart values) or reduce what it holds in memory' },
  ];
  return [{
    code: rule.meta.code,
    severity: rule.meta.severity,
    cluster: cluster.name,
    subject: subjectOf(pod),
    title: `${name}: ${killed.length === 1 ? 'container' : 'containers'} ${killed.map((e) => e.name).join(', ')} ${killed.length === 1 ? 'was' : 'were'} OOMKilled`,
    detail: sentences.join(' '),
    evidence: killed.map((entry) => ({
      source: snapshot.sourceOf(pod),
      text: `${statusLine(entry)}${memoryLimit(entry) ? `, limits.memory=${memoryLimit(entry)}` : ', no memory limit'}`,
    })),
    remediation,
    facts: { ...podFacts(cluster, pod), restarts: Math.max(...killed.map((e) => e.status.restartCount ?? 0)) },
  }];
}

function check(snapshot: Snapshot): FindingDraft[] {
  return snapshot.clusters.flatMap((cluster) => podsWorthALook(cluster).flatMap((pod) => findingFor(snapshot, cluster, pod)));
}

export const rule: Rule = {
  meta: {
    code: 'CONTAINER_OOMKILLED',
    severity: 'error',
    title: 'Container killed for running out of memory',
    docs: 'A container whose last (or current) termination reason is OOMKilled: it used more memory than its limit, or the node ran out of memory. The finding names the memory limit.',
  },
  check,
};
