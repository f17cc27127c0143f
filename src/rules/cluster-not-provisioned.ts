import type { CapiCluster } from '../schema/generated.js';
import type { ClusterView } from '../snapshot/cluster.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { kubectl } from './kubectl.js';
import type { Evidence, FindingDraft, Rule } from './types.js';
import { capiClusterRef, capiFailure, conditionText, failingConditions } from './util/capi.js';
import { clusterctl } from './util/commands.js';

/**
 * Conditions about the Cluster itself being provisioned. Worker availability (v1beta2
 * WorkersAvailable, Available) is MACHINEDEPLOYMENT_DEGRADED's business.
 */
const TELLING = ['Ready', 'ControlPlaneInitialized', 'ControlPlaneReady', 'ControlPlaneAvailable', 'InfrastructureReady', 'RemoteConnectionProbe', 'TopologyReconciled'];

function findingFor(snapshot: Snapshot, mgmt: ClusterView, capi: CapiCluster): FindingDraft[] {
  const phase = capi.status?.phase;
  const failure = capiFailure(capi);
  const conditions = failingConditions(capi).filter((c) => TELLING.includes(c.type));
  const readyFalse = conditions.some((c) => c.type === 'Ready' && c.status === 'False');
  const notProvisioned = (phase !== undefined && phase !== 'Provisioned') || readyFalse || !!failure || conditions.some((c) => c.status === 'False' && c.type !== 'TopologyReconciled');
  if (!notProvisioned) return [];

  const namespace = capi.metadata.namespace ?? 'default';
  const name = capi.metadata.name;
  const workload = snapshot.workloadFor(capi.metadata.namespace, name);
  const deleting = phase === 'Deleting' || !!capi.metadata.deletionTimestamp;
  const sentences = [`Cluster ${namespace}/${name} is ${phase ?? 'in no phase'}${readyFalse ? ', not Ready' : ''}.`];
  if (failure) sentences.push(`failureReason ${failure.reason ?? '?'}${failure.message ? `: ${failure.message}` : ''}.`);
  if (capi.status?.infrastructureReady === false) sentences.push(`Its infrastructure${capi.spec?.infrastructureRef?.kind ? ` (${capi.spec.infrastructureRef.kind} ${capi.spec.infrastructureRef.name ?? ''})` : ''} is not ready: load balancer, network or VIP not provisioned.`);
  if (capi.status?.controlPlaneReady === false) sentences.push('Its control plane is not ready.');
  if (conditions.length > 0) sentences.push(`Conditions: ${conditions.slice(0, 4).map((c) => conditionText(c, 200)).join('; ')}.`);
  if (!deleting) sentences.push('Add-ons cannot be installed into it until it is provisioned and its control plane answers.');

  const evidence: Evidence[] = [
    { source: snapshot.sourceOf(capi), text: `phase=${phase ?? '(none)'}${capi.status?.controlPlaneReady !== undefined ? ` controlPlaneReady=${capi.status.controlPlaneReady}` : ''}${capi.status?.infrastructureReady !== undefined ? ` infrastructureReady=${capi.status.infrastructureReady}` : ''}` },
    ...conditions.slice(0, 3).map((c) => ({ source: snapshot.sourceOf(capi), text: conditionText(c, 600) })),
  ];
  return [{
    code: rule.meta.code,
    severity: deleting ? 'warning' : 'error',
    cluster: mgmt.name,
    ...(workload ? { targetCluster: workload.name } : {}),
    subject: { kind: 'Cluster', namespace, name },
    title: `Cluster ${name} is not provisioned${phase ? ` (phase ${phase})` : ''}`,
    detail: sentences.join(' '),
    evidence,
    remediation: [
      { text: 'See the Cluster\'s conditions and events', command: kubectl(mgmt, 'describe', 'cluster', name, '-n', namespace) },
      { text: 'See the whole tree of the Cluster\'s objects and their conditions', command: clusterctl(mgmt, 'describe', 'cluster', name, '-n', namespace, '--show-conditions=all') },
    ],
    facts: {
      capiCluster: capiClusterRef(mgmt, capi.metadata.namespace, name),
      ...(workload ? { workloadCluster: workload.name } : {}),
    },
  }];
}

function check(snapshot: Snapshot): FindingDraft[] {
  return snapshot.clusters.flatMap((cluster) => cluster.list('Cluster').flatMap((c) => findingFor(snapshot, cluster, c)));
}

export const rule: Rule = {
  meta: {
    code: 'CLUSTER_NOT_PROVISIONED',
    severity: 'error',
    title: 'Cluster not provisioned',
    docs: 'A Cluster API Cluster whose phase is not Provisioned, whose Ready condition (or control-plane / infrastructure conditions) is False, or that carries a failureReason. CAAPH cannot install add-ons into it; CONTROL_PLANE_NOT_READY explains it when the control plane is the reason.',
  },
  check,
};
