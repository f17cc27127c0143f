import type { Pod } from '../schema/generated.js';
import type { ClusterView } from '../snapshot/cluster.js';
import { kindNameOf } from '../snapshot/cluster.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { kubectl } from './kubectl.js';
import type { Evidence, FindingDraft, Remediation, Rule } from './types.js';
import { tellingLines } from './util/logs.js';
import {
  containerEntries, containerLabel, describeTermination, oneLine, plural, podFacts, statusLine, subjectOf, type ContainerEntry, podsWorthALook,
} from './util/pod-facts.js';

/** What an exit code usually means, for the detail. */
export function exitMeaning(code: number | undefined): string | undefined {
  switch (code) {
    case 1: return 'the process exited with an error';
    case 2: return 'the process exited on a usage error or a Go panic';
    case 126: return 'the command in the image is not executable';
    case 127: return 'the command was not found in the image';
    case 128: return 'the container could not be started';
    case 134: return 'the process aborted (SIGABRT)';
    case 137: return 'the process was killed with SIGKILL (by the kubelet after a failed liveness probe or the grace period, or by the kernel)';
    case 139: return 'the process crashed with a segmentation fault (SIGSEGV)';
    case 143: return 'the process was stopped with SIGTERM (its pod was deleted or evicted, or a liveness probe failed)';
    case 255: return 'the process exited with -1, or the container runtime lost it (node or runtime restart)';
    default: return undefined;
  }
}

/** Terminations CONTAINER_OOMKILLED reports, and those that say nothing about the container itself. */
const NOT_OURS = new Set(['OOMKilled', 'Completed', 'ContainerStatusUnknown']);

/** A main container whose current state is a failed exit (not waiting in CrashLoopBackOff: POD_CRASHLOOP reports those). */
function failedExit(entry: ContainerEntry): boolean {
  const t = entry.status.state?.terminated;
  return !entry.init && !!t && (t.exitCode ?? 0) !== 0 && !NOT_OURS.has(t.reason ?? '');
}

function finishedAt(pod: Pod): string {
  const times = containerEntries(pod).map((e) => e.status.state?.terminated?.finishedAt ?? '').filter(Boolean).sort();
  return times.at(-1) ?? pod.status?.startTime ?? pod.metadata.creationTimestamp ?? '';
}

/** The log lines that explain the exit: the current log of a terminated container is the failed run's. */
function logEvidence(cluster: ClusterView, pod: Pod, entry: ContainerEntry): Evidence | undefined {
  const namespace = pod.metadata.namespace ?? 'default';
  for (const previous of [false, true]) {
    const log = cluster.log(namespace, pod.metadata.name, entry.name, previous);
    if (!log) continue;
    let lines = tellingLines(log);
    if (lines.length === 0) {
      const last = [...log.lines].reverse().find((l) => l.trim());
      lines = last ? [oneLine(last, 400)] : [];
    }
    if (lines.length > 0) return { source: log.source, text: lines.join('\n') };
  }
  return undefined;
}

function terminatedFinding(snapshot: Snapshot, cluster: ClusterView, pod: Pod, failedPods: number): FindingDraft {
  const failed = containerEntries(pod).filter(failedExit);
  const name = pod.metadata.name;
  const namespace = pod.metadata.namespace ?? 'default';
  const facts = podFacts(cluster, pod);
  const owner = facts.workload;
  const restartPolicy = pod.spec.restartPolicy;
  const sentences = failed.map((entry) => {
    const t = entry.status.state!.terminated!;
    const meaning = exitMeaning(t.exitCode);
    return `${containerLabel(entry).replace(/^./, (c) => c.toUpperCase())} terminated: ${describeTermination(t)}${meaning ? ` — ${meaning}` : ''}${t.message ? `. Termination message: ${oneLine(t.message, 300)}` : ''}.`;
  });
  if (pod.status?.phase === 'Failed' || restartPolicy === 'Never') sentences.push(`The pod is ${pod.status?.phase ?? 'not running'}${restartPolicy ? ` (restartPolicy ${restartPolicy})` : ''}: it will not be restarted.`);
  if (owner?.kind === 'Job' && failedPods > 1) sentences.push(`${plural(failedPods, 'pod')} of Job ${owner.name} failed; this is the latest.`);

  const evidence: Evidence[] = failed.map((entry) => ({ source: snapshot.sourceOf(pod), text: statusLine(entry) }));
  for (const entry of failed) {
    const log = logEvidence(cluster, pod, entry);
    if (log) evidence.push(log);
  }
  const remediation: Remediation[] = failed.map((entry) => ({
    text: `Read the log of ${containerLabel(entry)}`,
    command: kubectl(cluster, 'logs', name, '-n', namespace, '-c', entry.name),
  }));
  remediation.push({ text: 'See the container states and events of the pod', command: kubectl(cluster, 'describe', 'pod', name, '-n', namespace) });

  const codes = [...new Set(failed.map((e) => e.status.state!.terminated!.exitCode))];
  return {
    code: rule.meta.code,
    severity: rule.meta.severity,
    cluster: cluster.name,
    subject: subjectOf(pod),
    title: `${name}: ${failed.length === 1 ? `container ${failed[0]!.name}` : `containers ${failed.map((e) => e.name).join(', ')}`} terminated with exit code ${codes.join(', ')}`,
    detail: sentences.join(' '),
    evidence,
    remediation,
    facts: { ...facts, restarts: Math.max(0, ...failed.map((e) => e.status.restartCount ?? 0)) },
  };
}

function evictionFinding(snapshot: Snapshot, cluster: ClusterView, pods: Pod[]): FindingDraft {
  const latest = pods[pods.length - 1]!;
  const facts = podFacts(cluster, latest);
  const owner = facts.workload;
  const nodes = [...new Set(pods.map((p) => p.spec.nodeName).filter(Boolean))];
  const namespace = latest.metadata.namespace ?? 'default';
  const what = owner ? `${plural(pods.length, 'pod')} of ${owner.kind} ${owner.namespace ? `${owner.namespace}/` : ''}${owner.name}` : `Pod ${namespace}/${latest.metadata.name}`;
  return {
    code: rule.meta.code,
    severity: 'warning',
    cluster: cluster.name,
    subject: subjectOf(latest),
    title: `${what} ${pods.length === 1 ? 'was' : 'were'} evicted${nodes.length > 0 ? ` from ${nodes.join(', ')}` : ''}`,
    detail: [
      `The kubelet evicted ${what}${nodes.length > 0 ? ` from node${nodes.length === 1 ? '' : 's'} ${nodes.join(', ')}` : ''} to reclaim resources.`,
      latest.status?.message ? `Kubelet: ${oneLine(latest.status.message, 400)}` : '',
      owner && owner.kind !== 'Job' ? 'Its controller replaces evicted pods; they only stay as records until deleted.' : '',
    ].filter(Boolean).join(' '),
    evidence: pods.slice(-3).map((p) => ({ source: snapshot.sourceOf(p), text: `${p.metadata.name}: phase=${p.status?.phase ?? '?'} reason=${p.status?.reason ?? '?'}${p.status?.message ? `: ${oneLine(p.status.message, 300)}` : ''}` })),
    remediation: [
      { text: 'See the node\'s conditions (MemoryPressure, DiskPressure, PIDPressure) and eviction events', command: kubectl(cluster, 'describe', 'node', latest.spec.nodeName ?? '<node>') },
      { text: 'Delete the records of evicted pods once the node is healthy', command: kubectl(cluster, 'delete', 'pods', '-n', namespace, '--field-selector=status.phase=Failed') },
    ],
    facts: { ...facts, evicted: true },
  };
}

function check(snapshot: Snapshot): FindingDraft[] {
  return snapshot.clusters.flatMap((cluster) => {
    const findings: FindingDraft[] = [];
    const byJob = new Map<string, Pod[]>();
    const evicted = new Map<string, Pod[]>();
    for (const pod of podsWorthALook(cluster)) {
      if (pod.status?.phase === 'Succeeded') continue;
      const isEvicted = pod.status?.reason === 'Evicted';
      const failed = isEvicted ? [] : containerEntries(pod).filter(failedExit);
      if (!isEvicted && failed.length === 0) continue;
      const owner = cluster.topOwner(pod);
      const ownerKey = `${kindNameOf(owner)}/${owner.metadata.namespace ?? ''}/${owner.metadata.name}`;
      if (isEvicted) {
        evicted.set(ownerKey, [...(evicted.get(ownerKey) ?? []), pod]);
        continue;
      }
      // A pod being shut down exits with SIGTERM/SIGKILL by design.
      if (pod.metadata.deletionTimestamp && failed.every((e) => [137, 143].includes(e.status.state?.terminated?.exitCode ?? 0))) continue;
      if (kindNameOf(owner) === 'Job') byJob.set(ownerKey, [...(byJob.get(ownerKey) ?? []), pod]);
      else findings.push(terminatedFinding(snapshot, cluster, pod, 1));
    }
    // A Job's retries are one story: the latest failed pod tells it.
    for (const pods of byJob.values()) {
      const sorted = [...pods].sort((a, b) => finishedAt(a).localeCompare(finishedAt(b)));
      findings.push(terminatedFinding(snapshot, cluster, sorted.at(-1)!, pods.length));
    }
    for (const pods of evicted.values()) {
      findings.push(evictionFinding(snapshot, cluster, [...pods].sort((a, b) => finishedAt(a).localeCompare(finishedAt(b)))));
    }
    return findings;
  });
}

export const rule: Rule = {
  meta: {
    code: 'CONTAINER_TERMINATED',
    severity: 'error',
    title: 'Container terminated with an error',
    docs: 'A container whose current state is a failed exit (Error with exit code 1, 2, 126/127, 137, 139, 143, ...) and that is not waiting in CrashLoopBackOff (POD_CRASHLOOP) nor OOMKilled (CONTAINER_OOMKILLED), with what the exit code means and the telling lines of its log; the pods of one Job are reported once. Pods evicted by the kubelet are a warning, one per owner.',
  },
  check,
};
