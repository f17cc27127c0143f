import type { KubeadmControlPlane } from '../schema/generated.js';
import type { ClusterView } from '../snapshot/cluster.js';
import { condition } from '../snapshot/conditions.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { kubectl } from './kubectl.js';
import type { FindingDraft, Rule } from './types.js';
import { CONTROL_PLANE_NAME_LABEL, capiClusterRef, capiFailure, clusterNameOf, conditionText, failingConditions } from './util/capi.js';

interface Counts {
  desired: number;
  ready: number;
  initialized?: boolean;
}

function countsOf(kcp: KubeadmControlPlane): Counts {
  const s = kcp.status ?? {};
  const initialized = s.initialized ?? s.initialization?.controlPlaneInitialized;
  return {
    desired: kcp.spec?.replicas ?? s.replicas ?? 1,
    ready: s.readyReplicas ?? s.v1beta2?.readyReplicas ?? s.deprecated?.v1beta1?.readyReplicas ?? 0,
    ...(initialized !== undefined ? { initialized } : {}),
  };
}

/** Conditions that say why a control plane is not ready (v1beta1 and v1beta2 names). */
const TELLING = ['Ready', 'Available', 'Initialized', 'MachinesReady', 'ControlPlaneComponentsHealthy', 'EtcdClusterHealthy', 'EtcdClusterAvailable', 'CertificatesAvailable', 'MachinesCreated', 'Resized'];

function findingFor(snapshot: Snapshot, mgmt: ClusterView, kcp: KubeadmControlPlane): FindingDraft[] {
  const counts = countsOf(kcp);
  const failure = capiFailure(kcp);
  const readyCondition = condition(kcp, 'Ready') ?? condition(kcp, 'Available');
  const notReady = counts.initialized === false || counts.ready < counts.desired || readyCondition?.status === 'False' || !!failure;
  if (!notReady || counts.desired === 0) return [];

  const namespace = kcp.metadata.namespace ?? 'default';
  const name = kcp.metadata.name;
  const clusterName = clusterNameOf(kcp);
  const workload = clusterName ? snapshot.workloadFor(kcp.metadata.namespace, clusterName) : undefined;
  const conditions = failingConditions(kcp).filter((c) => TELLING.includes(c.type));
  const machines = mgmt.list('Machine', kcp.metadata.namespace).filter((m) => m.metadata.labels?.[CONTROL_PLANE_NAME_LABEL] === name || m.metadata.ownerReferences?.some((o) => o.kind === 'KubeadmControlPlane' && o.name === name));
  const notRunning = machines.filter((m) => m.status?.phase !== 'Running' || !m.status.nodeRef);

  const sentences = [`KubeadmControlPlane ${namespace}/${name}${clusterName ? ` (cluster ${clusterName})` : ''}: ${counts.ready} of ${counts.desired} control-plane machines ready${counts.initialized === false ? ', control plane not initialized' : ''}.`];
  if (counts.initialized === false) sentences.push('Until the first control-plane machine is up, CAPI writes no kubeconfig and nothing (CAAPH included) can reach the cluster.');
  if (failure) sentences.push(`failureReason ${failure.reason ?? '?'}${failure.message ? `: ${failure.message}` : ''}.`);
  if (notRunning.length > 0) sentences.push(`Machines not running: ${notRunning.slice(0, 5).map((m) => `${m.metadata.name} (${m.status?.phase ?? 'no phase'}${m.status?.nodeRef ? '' : ', no Node'})`).join(', ')}.`);
  if (conditions.length > 0) sentences.push(`Conditions: ${conditions.slice(0, 4).map((c) => conditionText(c, 200)).join('; ')}.`);

  const status = kcp.status ?? {};
  return [{
    code: rule.meta.code,
    severity: counts.ready === 0 || counts.initialized === false ? 'error' : 'warning',
    cluster: mgmt.name,
    ...(workload ? { targetCluster: workload.name } : clusterName ? { targetCluster: clusterName } : {}),
    subject: { kind: 'KubeadmControlPlane', namespace, name },
    title: `Control plane ${name} is not ready: ${counts.ready}/${counts.desired} machines ready`,
    detail: sentences.join(' '),
    evidence: [
      { source: snapshot.sourceOf(kcp), text: `spec.replicas=${counts.desired} readyReplicas=${counts.ready}${status.updatedReplicas !== undefined ? ` updatedReplicas=${status.updatedReplicas}` : ''}${status.unavailableReplicas !== undefined ? ` unavailableReplicas=${status.unavailableReplicas}` : ''}${counts.initialized !== undefined ? ` initialized=${counts.initialized}` : ''}` },
      ...conditions.slice(0, 3).map((c) => ({ source: snapshot.sourceOf(kcp), text: conditionText(c, 600) })),
    ],
    remediation: [
      { text: 'See the control plane\'s conditions and events', command: kubectl(mgmt, 'describe', 'kubeadmcontrolplane', name, '-n', namespace) },
      { text: 'List its Machines and their phases', command: kubectl(mgmt, 'get', 'machines', '-n', namespace, '-l', `${CONTROL_PLANE_NAME_LABEL}=${name}`, '-o', 'wide') },
    ],
    facts: {
      ...(clusterName ? { capiCluster: capiClusterRef(mgmt, kcp.metadata.namespace, clusterName) } : {}),
      ...(workload ? { workloadCluster: workload.name } : {}),
      controlPlane: { cluster: mgmt.name, kind: 'KubeadmControlPlane', namespace: kcp.metadata.namespace, name },
      ready: counts.ready,
      desired: counts.desired,
    },
  }];
}

function check(snapshot: Snapshot): FindingDraft[] {
  return snapshot.clusters.flatMap((cluster) => cluster.list('KubeadmControlPlane').flatMap((kcp) => findingFor(snapshot, cluster, kcp)));
}

export const rule: Rule = {
  meta: {
    code: 'CONTROL_PLANE_NOT_READY',
    severity: 'error',
    title: 'Control plane not ready',
    docs: 'A KubeadmControlPlane with fewer ready machines than desired, not initialized, or with Ready/Available False, naming its machines that are not running and its failing conditions (etcd, control-plane components). An error while no machine is ready, a warning while some are.',
  },
  check,
};
