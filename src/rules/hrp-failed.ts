import type { HelmReleaseProxy } from '../schema/generated.js';
import type { ClusterView } from '../snapshot/cluster.js';
import { condition, oneLine } from '../snapshot/conditions.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { kubectl } from './kubectl.js';
import type { FindingDraft, Rule } from './types.js';

const HELM_FAILED_STATUSES = new Set(['failed', 'pending-install', 'pending-upgrade', 'pending-rollback', 'uninstalling']);
const HOOK_FAILURE = /\b((?:pre|post)-(?:install|upgrade|rollback|delete)) hooks? failed/;
/** Helm gave up waiting for resources: the cause is in the workload cluster, not in Helm. */
const WAIT_TIMEOUT = /timed out waiting for (?:the )?condition|context deadline exceeded|resource not ready|timed out waiting/i;

export const HRP_CHART_PROXY_LABEL = 'helmreleaseproxy.addons.cluster.x-k8s.io/helmchartproxy-name';

/** The Helm error of an HRP: the HelmReleaseReady message is Helm's own; Ready may only aggregate it. */
export function helmError(hrp: HelmReleaseProxy): string {
  const release = condition(hrp, 'HelmReleaseReady');
  const ready = condition(hrp, 'Ready');
  const message = (release?.status !== 'True' && release?.message) || ready?.message || '';
  return oneLine(message);
}

export function chartProxyOf(hrp: HelmReleaseProxy): string | undefined {
  return hrp.metadata.labels?.[HRP_CHART_PROXY_LABEL] ?? hrp.metadata.ownerReferences?.find((o) => o.kind === 'HelmChartProxy')?.name;
}

function check(snapshot: Snapshot): FindingDraft[] {
  return snapshot.clusters.flatMap((cluster) => cluster.list('HelmReleaseProxy').flatMap((hrp) => findingFor(snapshot, cluster, hrp)));
}

function findingFor(snapshot: Snapshot, cluster: ClusterView, hrp: HelmReleaseProxy): FindingDraft[] {
  const ready = condition(hrp, 'Ready');
  const helmStatus = hrp.status?.status ?? '';
  const failedByStatus = HELM_FAILED_STATUSES.has(helmStatus);
  if (ready?.status !== 'False' && !failedByStatus) return [];

  const error = helmError(hrp);
  const hookPhase = HOOK_FAILURE.exec(error)?.[1];
  const waited = WAIT_TIMEOUT.test(error) || helmStatus.startsWith('pending-');
  const namespace = hrp.metadata.namespace;
  const targetName = snapshot.targetOf(hrp)?.name ?? hrp.spec?.clusterRef?.name ?? hrp.metadata.labels?.['cluster.x-k8s.io/cluster-name'];
  const releaseName = hrp.spec?.releaseName ?? '';
  const releaseNamespace = hrp.spec?.namespace || 'default';
  const hcpName = chartProxyOf(hrp);
  const reason = ready?.reason ?? condition(hrp, 'HelmReleaseReady')?.reason;
  // A Ready=False that CAPI marks as Info (e.g. installing for the first time) is progress, not failure.
  const transient = !failedByStatus && ready?.severity === 'Info' && !error;

  const what = hookPhase ? `${hookPhase} hooks ${waited ? 'timed out' : 'failed'}` : waited ? 'timed out waiting for resources' : helmStatus ? `Helm status ${helmStatus}` : `${reason ?? 'not ready'}`;
  const detailParts = [
    `Helm release ${releaseNamespace}/${releaseName || '?'} in cluster ${targetName ?? '?'}` +
      (helmStatus ? ` is \`${helmStatus}\`${hrp.status?.revision ? ` (revision ${hrp.status.revision})` : ''}` : ' is not ready') +
      (reason ? `, reason ${reason}` : '') + '.',
  ];
  if (error) detailParts.push(`Helm: ${error}`);
  if (hookPhase && waited) {
    detailParts.push(`The ${hookPhase} hook waited for resources in the workload cluster that never became ready; the cause is there, not in Helm.`);
  }

  const remediation = [];
  if (hcpName) {
    remediation.push({
      text: 'Delete the failed HelmReleaseProxies: their HelmChartProxy recreates them and CAAPH retries the Helm release',
      command: kubectl(cluster, 'delete', 'helmreleaseproxy', hrp.metadata.name, '-n', namespace ?? 'default'),
    });
  }
  if (targetName) {
    remediation.push({
      text: 'Wait for the recreated HelmReleaseProxies to become Ready',
      command: kubectl(cluster, 'wait', '--for=condition=Ready', 'helmreleaseproxy', '-l', `cluster.x-k8s.io/cluster-name=${targetName}`, '-n', namespace ?? 'default', '--timeout=10m'),
    });
  }

  return [{
    code: rule.meta.code,
    severity: transient ? 'warning' : 'error',
    cluster: cluster.name,
    ...(targetName ? { targetCluster: targetName } : {}),
    subject: { kind: 'HelmReleaseProxy', namespace, name: hrp.metadata.name },
    title: `HelmReleaseProxy ${hrp.metadata.name} failed: ${what}`,
    detail: detailParts.join(' '),
    evidence: [{
      source: snapshot.sourceOf(hrp),
      text: `status.status=${helmStatus || '(none)'}; Ready=${ready?.status ?? '(none)'}${reason ? ` ${reason}` : ''}${error ? `: ${error}` : ''}`,
    }],
    remediation,
    facts: {
      ...(targetName && releaseName ? { managedRelease: { cluster: targetName, name: releaseName, namespace: releaseNamespace } } : {}),
      ...(hookPhase ? { hookPhase } : {}),
      waitedForResources: waited,
      ...(hcpName ? { helmChartProxy: { cluster: cluster.name, kind: 'HelmChartProxy', namespace, name: hcpName } } : {}),
    },
  }];
}

export const rule: Rule = {
  meta: {
    code: 'HRP_FAILED',
    severity: 'error',
    title: 'HelmReleaseProxy failed',
    docs: 'A HelmReleaseProxy whose Ready condition is False or whose Helm release is failed or stuck pending. The detail quotes the Helm error and names the hook phase of a hook failure; a hook or wait timeout means the cause is in the workload cluster.',
  },
  check,
};
