import type { Job, Pod } from '../schema/generated.js';
import type { ClusterView } from '../snapshot/cluster.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { kubectl } from './kubectl.js';
import type { Evidence, FindingDraft, Remediation, Rule } from './types.js';
import { containerEntries, describeTermination, lastTermination, oneLine, statusLine, subjectOf, workloadFacts } from './util/pod-facts.js';

const REASON_TEXT: Record<string, string> = {
  BackoffLimitExceeded: 'its pods failed more often than spec.backoffLimit allows',
  DeadlineExceeded: 'it ran longer than spec.activeDeadlineSeconds',
  PodFailurePolicy: 'a pod failure matched its podFailurePolicy',
  MaxFailedIndexesExceeded: 'too many indexes failed',
};

function failedCondition(job: Job) {
  return (job.status?.conditions ?? []).find((c) => c.type === 'Failed' && c.status === 'True');
}

/** The Job's pods, newest last. */
function podsOf(cluster: ClusterView, job: Job): Pod[] {
  return cluster.list('Pod', job.metadata.namespace)
    .filter((p) => cluster.owner(p) === job || p.metadata.labels?.['job-name'] === job.metadata.name)
    .sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
}

function findingFor(snapshot: Snapshot, cluster: ClusterView, job: Job): FindingDraft[] {
  const failed = failedCondition(job);
  if (!failed) return [];
  const name = job.metadata.name;
  const namespace = job.metadata.namespace ?? 'default';
  const facts = workloadFacts(cluster, job);
  const hook = facts.release?.hook;
  const cron = job.metadata.ownerReferences?.find((o) => o.kind === 'CronJob');
  const reason = failed.reason ?? 'Failed';
  const pods = podsOf(cluster, job);
  const last = pods.at(-1);

  const sentences = [
    `Job ${namespace}/${name} failed (${reason}): ${REASON_TEXT[reason] ?? 'it gave up'}${job.status?.failed !== undefined ? ` (${job.status.failed} failed pod${job.status.failed === 1 ? '' : 's'}${job.spec?.backoffLimit !== undefined ? `, backoffLimit ${job.spec.backoffLimit}` : ''})` : ''}.`,
  ];
  if (failed.message) sentences.push(`${oneLine(failed.message, 300)}${/[.!?]$/.test(failed.message.trim()) ? '' : '.'}`);
  const evidence: Evidence[] = [{ source: snapshot.sourceOf(job), text: `Failed=True ${reason}${failed.message ? `: ${oneLine(failed.message, 400)}` : ''}; failed=${job.status?.failed ?? 0} succeeded=${job.status?.succeeded ?? 0} active=${job.status?.active ?? 0}` }];
  if (last) {
    const entry = containerEntries(last).find((e) => !e.init && lastTermination(e.status)) ?? containerEntries(last).find((e) => lastTermination(e.status));
    const t = entry ? lastTermination(entry.status) : undefined;
    if (entry && t) {
      sentences.push(`Its latest pod ${last.metadata.name} ended with ${describeTermination(t)} in container ${entry.name}.`);
      evidence.push({ source: snapshot.sourceOf(last), text: `${last.metadata.name}: ${statusLine(entry)}` });
    }
  }
  if (hook) sentences.push(`It is the ${hook} hook of Helm release ${facts.release?.name}: Helm marks the hook, and the release, as failed.`);
  else if (facts.release) sentences.push(`It belongs to Helm release ${facts.release.name}.`);
  if (cron) sentences.push(`It was started by CronJob ${cron.name}; the next run may succeed.`);

  const remediation: Remediation[] = [
    { text: 'Read the log of the Job\'s last pod', command: kubectl(cluster, 'logs', `job/${name}`, '-n', namespace, '--all-containers') },
    { text: 'See the Job\'s pods and events', command: kubectl(cluster, 'describe', 'job', name, '-n', namespace) },
  ];
  if (hook) {
    remediation.push({ text: 'Once the cause is fixed, delete the failed hook Job so that Helm can create it again on the next attempt', command: kubectl(cluster, 'delete', 'job', name, '-n', namespace) });
  }

  return [{
    code: rule.meta.code,
    severity: cron ? 'warning' : 'error',
    cluster: cluster.name,
    subject: subjectOf(job),
    title: `Job ${name} failed: ${reason}${hook ? ` (${hook} hook)` : ''}`,
    detail: sentences.join(' '),
    evidence,
    remediation,
    facts,
  }];
}

function check(snapshot: Snapshot): FindingDraft[] {
  return snapshot.clusters.flatMap((cluster) => cluster.list('Job').flatMap((job) => findingFor(snapshot, cluster, job)));
}

export const rule: Rule = {
  meta: {
    code: 'JOB_FAILED',
    severity: 'error',
    title: 'Job failed',
    docs: 'A Job that gave up: condition Failed with reason BackoffLimitExceeded or DeadlineExceeded, with how its last pod ended. A Helm hook Job makes its release fail (linked to the HRP_FAILED that manages the release); a Job started by a CronJob is a warning.',
  },
  check,
};
