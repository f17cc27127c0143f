import type { Pod } from '../schema/generated.js';
import type { ClusterView } from '../snapshot/cluster.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { exitMeaning } from './container-terminated.js';
import { kubectl } from './kubectl.js';
import type { Evidence, FindingDraft, Rule, Severity } from './types.js';
import { latestEventTime } from './util/capi.js';
import { tellingLines } from './util/logs.js';
import { containerEntries, describeTermination, oneLine, podFacts, statusLine, subjectOf, type ContainerEntry, podsWorthALook } from './util/pod-facts.js';

/** An init container still running this long before the newest event of the cluster is stuck, not starting. */
export const STUCK_AFTER_MS = 10 * 60 * 1000;

interface Failing {
  entry: ContainerEntry;
  how: 'error' | 'stuck';
}

function failing(pod: Pod, now: number | undefined): Failing | undefined {
  // Init containers run one at a time: the first that has not completed is the one holding the pod.
  for (const entry of containerEntries(pod).filter((e) => e.init)) {
    const state = entry.status.state;
    const t = state?.terminated;
    if (t && (t.exitCode ?? 0) === 0) continue;
    if (t && t.reason !== 'OOMKilled') return { entry, how: 'error' };
    const started = state?.running?.startedAt ? Date.parse(state.running.startedAt) : NaN;
    if (state?.running && now !== undefined && !Number.isNaN(started) && now - started > STUCK_AFTER_MS) return { entry, how: 'stuck' };
    // Waiting (CrashLoopBackOff is POD_CRASHLOOP's, image pulls IMAGE_PULL_FAILED's) or just started.
    return undefined;
  }
  return undefined;
}

function findingFor(snapshot: Snapshot, cluster: ClusterView, pod: Pod, now: number | undefined): FindingDraft[] {
  if (pod.status?.phase === 'Succeeded' || pod.metadata.deletionTimestamp) return [];
  const found = failing(pod, now);
  if (!found) return [];
  const { entry, how } = found;
  const name = pod.metadata.name;
  const namespace = pod.metadata.namespace ?? 'default';
  const waitingMain = containerEntries(pod).filter((e) => !e.init).length;
  const sentences: string[] = [];
  let severity: Severity = 'error';
  if (how === 'error') {
    const t = entry.status.state!.terminated!;
    const meaning = exitMeaning(t.exitCode);
    sentences.push(`Init container ${entry.name} failed: ${describeTermination(t)}${meaning ? ` — ${meaning}` : ''} (Init:Error)${t.message ? `. Termination message: ${oneLine(t.message, 300)}` : ''}.`);
  } else {
    severity = 'warning';
    const minutes = Math.round((now! - Date.parse(entry.status.state!.running!.startedAt!)) / 60000);
    sentences.push(`Init container ${entry.name} has been running for ${minutes} minutes without completing: it is waiting for something (a service, a file, a migration) that does not come.`);
  }
  sentences.push(`The pod's ${waitingMain === 1 ? 'container does' : `${waitingMain} containers do`} not start until it completes.`);

  const evidence: Evidence[] = [{ source: snapshot.sourceOf(pod), text: statusLine(entry) }];
  for (const previous of how === 'error' ? [false, true] : [false]) {
    const log = cluster.log(namespace, name, entry.name, previous);
    if (!log) continue;
    let lines = tellingLines(log);
    if (lines.length === 0) lines = log.lines.filter((l) => l.trim()).slice(-2).map((l) => oneLine(l, 400));
    if (lines.length > 0) {
      evidence.push({ source: log.source, text: lines.join('\n') });
      break;
    }
  }

  return [{
    code: rule.meta.code,
    severity,
    cluster: cluster.name,
    subject: subjectOf(pod),
    title: how === 'error' ? `${name}: init container ${entry.name} failed (Init:Error)` : `${name}: init container ${entry.name} does not complete`,
    detail: sentences.join(' '),
    evidence,
    remediation: [
      { text: `Read the log of init container ${entry.name}`, command: kubectl(cluster, 'logs', name, '-n', namespace, '-c', entry.name) },
      { text: 'See the init container\'s command and the pod\'s events', command: kubectl(cluster, 'describe', 'pod', name, '-n', namespace) },
    ],
    facts: { ...podFacts(cluster, pod), restarts: entry.status.restartCount ?? 0 },
  }];
}

function check(snapshot: Snapshot): FindingDraft[] {
  return snapshot.clusters.flatMap((cluster) => {
    const now = latestEventTime(cluster);
    return podsWorthALook(cluster).flatMap((pod) => findingFor(snapshot, cluster, pod, now));
  });
}

export const rule: Rule = {
  meta: {
    code: 'INIT_CONTAINER_FAILING',
    severity: 'error',
    title: 'Init container failing',
    docs: 'An init container that exited with an error (Init:Error) or that has been running for more than 10 minutes without completing (a warning), so the pod\'s containers never start; with its exit code and log lines. Init containers in CrashLoopBackOff (Init:CrashLoopBackOff) are reported by POD_CRASHLOOP.',
  },
  check,
};
