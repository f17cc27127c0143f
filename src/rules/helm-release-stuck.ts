import type { HelmReleaseProxy, SecretMetadata } from '../schema/generated.js';
import type { ClusterView } from '../snapshot/cluster.js';
import { condition } from '../snapshot/conditions.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import type { Evidence, FindingDraft, ReleaseRef, Remediation, Rule } from './types.js';
import { hrpClusterRef, latestEventTime, managedReleaseOf, targetNameOf } from './util/capi.js';
import { helm, kubectlWith, workloadAccess, type WorkloadAccess } from './util/commands.js';
import { hrpFailure } from './util/helm-errors.js';

/** One revision of a Helm release, from its storage Secret's labels (owner=helm, name, status, version). */
interface Revision {
  secret: SecretMetadata;
  name: string;
  namespace: string;
  status: string;
  version: number;
}

function revisionOf(secret: SecretMetadata): Revision | undefined {
  const labels = secret.metadata.labels ?? {};
  if (labels['owner'] !== 'helm' || !labels['name'] || !labels['status']) return undefined;
  const version = Number(labels['version']);
  if (!Number.isInteger(version)) return undefined;
  return { secret, name: labels['name'], namespace: secret.metadata.namespace ?? 'default', status: labels['status'], version };
}

/** Every release's revisions in a cluster, newest last. */
function releases(cluster: ClusterView): Map<string, Revision[]> {
  const byRelease = new Map<string, Revision[]>();
  for (const secret of cluster.list('Secret')) {
    const revision = revisionOf(secret);
    if (!revision) continue;
    const key = `${revision.namespace}/${revision.name}`;
    byRelease.set(key, [...(byRelease.get(key) ?? []), revision]);
  }
  for (const list of byRelease.values()) list.sort((a, b) => a.version - b.version);
  return byRelease;
}

const isPending = (status: string) => status.startsWith('pending-');

/**
 * A pending revision younger than this (at the newest event of the cluster) may be an operation in
 * flight: CAAPH's default Helm timeout is 10 minutes, and hooks before and after may each take that.
 */
export const IN_FLIGHT_MS = 30 * 60 * 1000;

/** When a revision was last written: Helm's modifiedAt label (seconds), else the Secret's creation. */
function writtenAt(revision: Revision): number | undefined {
  const modified = Number(revision.secret.metadata.labels?.['modifiedAt']);
  if (Number.isFinite(modified) && modified > 0) return modified * 1000;
  const created = Date.parse(revision.secret.metadata.creationTimestamp ?? '');
  return Number.isNaN(created) ? undefined : created;
}

/** The last revision that was deployed (or superseded by a later deploy) before the pending one: what to roll back to. */
function lastGood(revisions: Revision[], pending: Revision): Revision | undefined {
  return [...revisions].reverse().find((r) => r.version < pending.version && (r.status === 'deployed' || r.status === 'superseded'));
}

function remediationFor(access: WorkloadAccess, release: { name: string; namespace: string }, status: string, pending?: Revision, good?: Revision): Remediation[] {
  const out: Remediation[] = [];
  if (access.fetch) out.push(access.fetch);
  out.push({ text: `See the release history: the last revision is ${status}`, command: helm(access, 'history', release.name, '-n', release.namespace) });
  if (status === 'pending-install' && !good) {
    out.push({ text: 'A first install that never finished has nothing to roll back to: uninstall it, and CAAPH installs it again on its next reconcile', command: helm(access, 'uninstall', release.name, '-n', release.namespace) });
  } else {
    out.push({
      text: `Roll back to the last deployed revision${good ? ` (${good.version})` : ''}: Helm leaves the pending state and CAAPH upgrades again on its next reconcile`,
      command: helm(access, 'rollback', release.name, ...(good ? [String(good.version)] : []), '-n', release.namespace),
    });
  }
  const secret = pending?.secret.metadata.name ?? `sh.helm.release.v1.${release.name}.v<pending-revision>`;
  out.push({
    text: 'Last resort, only when no Helm operation is running (CAAPH controller idle) and rollback fails: delete the pending revision\'s record. Warning: Helm forgets that revision; resources it already changed stay as they are until the next upgrade',
    command: kubectlWith(access, 'delete', 'secret', secret, '-n', release.namespace),
  });
  return out;
}

function hrpFinding(snapshot: Snapshot, cluster: ClusterView, hrp: HelmReleaseProxy, revisions: Map<string, Revision[]> | undefined): FindingDraft | undefined {
  const helmStatus = hrp.status?.status ?? '';
  const failure = hrpFailure(hrp);
  const byStatus = isPending(helmStatus);
  if (!byStatus && failure?.kind !== 'release-stuck') return undefined;
  const managedRelease = managedReleaseOf(snapshot, hrp);
  const release = { name: hrp.spec?.releaseName ?? managedRelease?.name ?? '?', namespace: hrp.spec?.namespace || 'default' };
  const list = revisions?.get(`${release.namespace}/${release.name}`) ?? [];
  const latest = list.at(-1);
  const pending = latest && isPending(latest.status) ? latest : undefined;
  const good = pending ? lastGood(list, pending) : undefined;
  const status = pending?.status ?? (byStatus ? helmStatus : 'pending');
  const target = targetNameOf(snapshot, hrp);
  const ref = hrpClusterRef(hrp);
  const access = workloadAccess(snapshot.targetOf(hrp), cluster, ref ?? { name: target ?? '?' });
  const ready = condition(hrp, 'Ready');

  const evidence: Evidence[] = [{
    source: snapshot.sourceOf(hrp),
    text: `status.status=${helmStatus || '(none)'}${hrp.status?.revision ? ` revision ${hrp.status.revision}` : ''}${failure ? `; ${failure.condition.type}=${failure.condition.status}: ${failure.message}` : ready?.message ? `; Ready=${ready.status}: ${ready.message}` : ''}`,
  }];
  if (pending) evidence.push({ source: snapshot.sourceOf(pending.secret), text: `Secret ${pending.secret.metadata.name}: owner=helm status=${pending.status} version=${pending.version}` });

  return {
    code: rule.meta.code,
    severity: rule.meta.severity,
    cluster: cluster.name,
    ...(target ? { targetCluster: target } : {}),
    subject: { kind: 'HelmReleaseProxy', ...(hrp.metadata.namespace !== undefined ? { namespace: hrp.metadata.namespace } : {}), name: hrp.metadata.name },
    title: `Helm release ${release.namespace}/${release.name} in ${target ?? 'its cluster'} is stuck in ${status}`,
    detail: [
      `Helm release ${release.namespace}/${release.name} in cluster ${target ?? '?'} is stuck in \`${status}\`${pending ? ` (revision ${pending.version})` : hrp.status?.revision ? ` (revision ${hrp.status.revision})` : ''}.`,
      'A Helm operation was interrupted (the CAAPH controller restarted, or its context was cancelled) and left the release locked: Helm refuses every further install, upgrade or rollback with "another operation (install/upgrade/rollback) is in progress", so CAAPH cannot make progress by itself.',
      good ? `The last deployed revision is ${good.version}.` : '',
      failure ? `Helm: ${failure.message}` : '',
    ].filter(Boolean).join(' '),
    evidence,
    remediation: remediationFor(access, release, status, pending, good),
    facts: { ...(managedRelease ? { managedRelease } : {}) },
  };
}

/** A release in a workload cluster whose newest revision is pending, when no HRP finding already covers it. */
function secretFindings(snapshot: Snapshot, cluster: ClusterView, covered: Set<string>): FindingDraft[] {
  const out: FindingDraft[] = [];
  const now = latestEventTime(cluster);
  for (const [key, list] of releases(cluster)) {
    const latest = list.at(-1);
    if (!latest || !isPending(latest.status) || covered.has(`${cluster.name}/${key}`)) continue;
    const written = writtenAt(latest);
    const age = now !== undefined && written !== undefined ? now - written : undefined;
    if (age !== undefined && age < IN_FLIGHT_MS) continue;
    const good = lastGood(list, latest);
    const release: ReleaseRef = { cluster: cluster.name, name: latest.name, namespace: latest.namespace };
    const access = { kubeconfig: cluster.identity.kubeconfig ?? '<kubeconfig>', ...(cluster.identity.context ? { context: cluster.identity.context } : {}) };
    out.push({
      code: rule.meta.code,
      // Without an HRP saying so, the operation may still be running when the bundle was taken.
      severity: 'warning',
      cluster: cluster.name,
      subject: { kind: 'Secret', namespace: latest.namespace, name: latest.secret.metadata.name },
      title: `Helm release ${latest.namespace}/${latest.name} is stuck in ${latest.status}`,
      detail: [
        `The newest revision (${latest.version}) of Helm release ${latest.namespace}/${latest.name} is \`${latest.status}\`${age !== undefined ? `, written ${Math.round(age / 60000)} minutes before the newest event of the cluster` : ''}.`,
        `${age !== undefined ? 'That is longer than a Helm operation runs: it' : 'Unless a Helm operation was running when the bundle was collected, it'} was interrupted and the release is locked: further installs, upgrades and rollbacks fail with "another operation (install/upgrade/rollback) is in progress".`,
        good ? `The last deployed revision is ${good.version}.` : '',
      ].filter(Boolean).join(' '),
      evidence: list.slice(-3).map((r) => ({ source: snapshot.sourceOf(r.secret), text: `Secret ${r.secret.metadata.name}: status=${r.status} version=${r.version}` })),
      remediation: remediationFor(access, { name: latest.name, namespace: latest.namespace }, latest.status, latest, good),
      facts: { release },
    });
  }
  return out;
}

function check(snapshot: Snapshot): FindingDraft[] {
  const findings: FindingDraft[] = [];
  const covered = new Set<string>();
  const cache = new Map<ClusterView, Map<string, Revision[]>>();
  const releasesOf = (target: ClusterView) => {
    let found = cache.get(target);
    if (!found) cache.set(target, (found = releases(target)));
    return found;
  };
  for (const cluster of snapshot.clusters) {
    for (const hrp of cluster.list('HelmReleaseProxy')) {
      const target = snapshot.targetOf(hrp);
      const finding = hrpFinding(snapshot, cluster, hrp, target ? releasesOf(target) : undefined);
      if (!finding) continue;
      findings.push(finding);
      const managed = finding.facts.managedRelease;
      if (managed) covered.add(`${managed.cluster}/${managed.namespace ?? 'default'}/${managed.name}`);
    }
  }
  for (const cluster of snapshot.clusters) findings.push(...secretFindings(snapshot, cluster, covered));
  return findings;
}

export const rule: Rule = {
  meta: {
    code: 'HELM_RELEASE_STUCK',
    severity: 'error',
    title: 'Helm release stuck in a pending state',
    docs: 'A Helm release left in pending-install, pending-upgrade or pending-rollback (HelmReleaseProxy status.status, `another operation (install/upgrade/rollback) is in progress`, or the newest Helm release Secret labelled status=pending-*): Helm refuses every further operation, so CAAPH cannot recover by itself. The remediation gives the `helm history` / `helm rollback` commands and, as a last resort, deleting the pending release Secret. A release Secret alone (no HRP) is a warning.',
  },
  check,
};
