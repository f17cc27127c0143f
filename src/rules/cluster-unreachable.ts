import type { HelmReleaseProxy } from '../schema/generated.js';
import type { ClusterView } from '../snapshot/cluster.js';
import { condition } from '../snapshot/conditions.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { kubectl } from './kubectl.js';
import type { Evidence, FindingDraft, ReleaseRef, Remediation, Rule } from './types.js';
import { capiClusterRef, collected, conditionText, hrpClusterRef, managedReleaseOf, targetNameOf } from './util/capi.js';
import { clusterctl } from './util/commands.js';
import { failedConnection, hrpFailure, type HelmFailure } from './util/helm-errors.js';

interface Blocked {
  hrp: HelmReleaseProxy;
  failure: HelmFailure;
}

const MAX_HRPS_QUOTED = 4;

/** Why CAAPH cannot reach the cluster, in a sentence, from the reasons and messages of its HRPs. */
function why(failures: HelmFailure[], kubeconfigSecret: string, secretMissing: boolean | undefined, endpoint: string | undefined): string[] {
  const text = failures.map((f) => `${f.condition.reason ?? ''} ${f.message}`).join('\n');
  const out: string[] = [];
  if (/GetClusterFailed|failed to get cluster/i.test(text)) {
    out.push(/not found/i.test(text)
      ? 'CAAPH cannot find the CAPI Cluster its HelmReleaseProxies point at (spec.clusterRef): the Cluster was deleted or renamed.'
      : 'CAAPH cannot read the CAPI Cluster its HelmReleaseProxies point at.');
  }
  if (/GetKubeconfigFailed|kubeconfig/i.test(text) || secretMissing) {
    out.push(secretMissing
      ? `The kubeconfig Secret ${kubeconfigSecret} is not in the management cluster: CAPI writes it once the control plane is initialized, so the control plane never came up or the Secret was deleted.`
      : `CAAPH cannot read the kubeconfig Secret ${kubeconfigSecret} that CAPI writes for the cluster.`);
  }
  if (/ControlPlane|control plane/i.test(text)) out.push('The cluster\'s control plane is not initialized (or not available): CAAPH waits for it before installing anything.');
  const connection = failures.map((f) => failedConnection(f.message)).find(Boolean);
  if (connection) {
    const error = /(i\/o timeout|connection refused|no route to host|network is unreachable|connection reset by peer|TLS handshake timeout|context deadline exceeded)/.exec(text)?.[1] ?? 'failed';
    out.push(`CAAPH cannot connect to the API server at ${connection.host}:${connection.port} (${error})${connection.host === endpoint ? ', the cluster\'s controlPlaneEndpoint' : ''}.`);
  } else if (/Kubernetes cluster unreachable/i.test(text)) {
    out.push('Helm reports the Kubernetes cluster as unreachable with the kubeconfig CAPI wrote for it.');
  }
  if (/x509|certificate/i.test(text)) out.push('The API server\'s certificate does not match the kubeconfig (a rotated CA or a different endpoint behind the same address).');
  return out.length > 0 ? out : ['CAAPH reports the workload cluster as unavailable.'];
}

function findingFor(snapshot: Snapshot, mgmt: ClusterView, capiNamespace: string | undefined, capiName: string, blocked: Blocked[]): FindingDraft {
  const capi = mgmt.get('Cluster', capiNamespace, capiName);
  const endpoint = capi?.spec?.controlPlaneEndpoint;
  const first = blocked[0]!.hrp;
  const target = targetNameOf(snapshot, first) ?? capiName;
  const kubeconfigSecret = `${capiName}-kubeconfig`;
  const secretsCollected = collected(mgmt, 'Secret', 'secrets') && mgmt.list('Secret', capiNamespace).length > 0;
  const secretMissing = secretsCollected ? !mgmt.get('Secret', capiNamespace, kubeconfigSecret) : undefined;
  const failures = blocked.map((b) => b.failure);
  const namespace = capiNamespace ?? 'default';

  const evidence: Evidence[] = blocked.slice(0, MAX_HRPS_QUOTED).map(({ hrp, failure }) => ({
    source: snapshot.sourceOf(hrp),
    text: `HelmReleaseProxy ${hrp.metadata.name}: ${failure.condition.type}=${failure.condition.status}${failure.condition.reason ? ` ${failure.condition.reason}` : ''}${failure.message ? `: ${failure.message}` : ''}`,
  }));
  if (capi) {
    const notes = [
      capi.status?.phase ? `phase=${capi.status.phase}` : '',
      ...['ControlPlaneInitialized', 'ControlPlaneReady', 'ControlPlaneAvailable', 'RemoteConnectionProbe', 'Ready'].map((t) => condition(capi, t)).filter((c) => c && c.status !== 'True').map((c) => conditionText(c!, 300)),
    ].filter(Boolean);
    if (notes.length > 0) evidence.push({ source: snapshot.sourceOf(capi), text: `Cluster ${namespace}/${capiName}: ${notes.join('; ')}` });
  }
  if (secretMissing) evidence.push({ source: mgmt.identity.input, text: `no Secret ${namespace}/${kubeconfigSecret} among the ${mgmt.list('Secret', capiNamespace).length} Secrets collected in ${namespace}` });

  const remediation: Remediation[] = [
    { text: 'See the Cluster\'s conditions (control plane initialized and available, infrastructure ready)', command: kubectl(mgmt, 'describe', 'cluster', capiName, '-n', namespace) },
    { text: 'Check the kubeconfig Secret CAPI writes for the cluster', command: kubectl(mgmt, 'get', 'secret', kubeconfigSecret, '-n', namespace) },
    {
      text: `Check that the API server answers at ${endpoint?.host ? `${endpoint.host}:${endpoint.port ?? 6443}` : 'the endpoint'} with that kubeconfig, from where CAAPH runs`,
      command: `${clusterctl(mgmt, 'get', 'kubeconfig', capiName, '-n', namespace)} > ${capiName}.kubeconfig && kubectl --kubeconfig=${capiName}.kubeconfig get --raw=/readyz`,
    },
  ];

  const blockedReleases = blocked.map((b) => managedReleaseOf(snapshot, b.hrp)).filter((r): r is ReleaseRef => !!r);
  const connection = failures.map((f) => failedConnection(f.message)).find(Boolean);
  return {
    code: rule.meta.code,
    severity: rule.meta.severity,
    cluster: mgmt.name,
    targetCluster: target,
    subject: { kind: 'Cluster', namespace, name: capiName },
    title: `CAAPH cannot reach workload cluster ${capiName}: ${blocked.length} HelmReleaseProx${blocked.length === 1 ? 'y' : 'ies'} blocked`,
    detail: [
      ...why(failures, kubeconfigSecret, secretMissing, endpoint?.host),
      `No add-on can be installed or upgraded there until it can: ${blocked.slice(0, 6).map((b) => b.hrp.metadata.name).join(', ')}${blocked.length > 6 ? ` and ${blocked.length - 6} more` : ''}.`,
    ].join(' '),
    evidence,
    remediation,
    facts: {
      capiCluster: capiClusterRef(mgmt, capiNamespace, capiName),
      workloadCluster: target,
      blockedReleases,
      ...(connection ? { apiAddress: connection.host, apiViaClusterIp: false } : {}),
    },
  };
}

function check(snapshot: Snapshot): FindingDraft[] {
  return snapshot.clusters.flatMap((mgmt) => {
    const byCluster = new Map<string, { namespace?: string; name: string; blocked: Blocked[] }>();
    for (const hrp of mgmt.list('HelmReleaseProxy')) {
      const ref = hrpClusterRef(hrp);
      if (!ref) continue;
      const endpoint = mgmt.get('Cluster', ref.namespace, ref.name)?.spec?.controlPlaneEndpoint?.host;
      const failure = hrpFailure(hrp, endpoint);
      if (failure?.kind !== 'cluster-unreachable') continue;
      const key = `${ref.namespace ?? ''}/${ref.name}`;
      const entry = byCluster.get(key) ?? { ...ref, blocked: [] };
      entry.blocked.push({ hrp, failure });
      byCluster.set(key, entry);
    }
    return [...byCluster.values()].map((e) => findingFor(snapshot, mgmt, e.namespace, e.name, e.blocked));
  });
}

export const rule: Rule = {
  meta: {
    code: 'CLUSTER_UNREACHABLE',
    severity: 'error',
    title: 'CAAPH cannot reach the workload cluster',
    docs: 'HelmReleaseProxies whose ClusterAvailable condition is False (GetKubeconfigFailed, GetClusterFailed, control plane not initialized) or whose Helm error says the cluster is unreachable (`Kubernetes cluster unreachable`, `connection refused` / `i/o timeout` to the API endpoint, kubeconfig Secret not found), one finding per CAPI Cluster. It is the root cause of those HRP_FAILED findings, unless the control plane or its endpoint explains it.',
  },
  check,
};
