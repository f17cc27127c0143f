import type { MachineDeployment } from '../schema/generated.js';
import type { ClusterView } from '../snapshot/cluster.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { kubectl } from './kubectl.js';
import type { FindingDraft, Rule } from './types.js';
import { DEPLOYMENT_NAME_LABEL, capiClusterRef, clusterNameOf, conditionText, failingConditions } from './util/capi.js';

const TELLING = ['Ready', 'Available', 'MachineSetReady', 'MachinesReady'];

function findingFor(snapshot: Snapshot, mgmt: ClusterView, md: MachineDeployment): FindingDraft[] {
  const desired = md.spec?.replicas ?? md.status?.replicas ?? 1;
  const s = md.status ?? {};
  const ready = s.readyReplicas ?? s.v1beta2?.readyReplicas ?? s.deprecated?.v1beta1?.readyReplicas ?? 0;
  const available = s.availableReplicas ?? s.v1beta2?.availableReplicas ?? s.deprecated?.v1beta1?.availableReplicas ?? ready;
  if (desired <= 0 || ready >= desired) return [];

  const namespace = md.metadata.namespace ?? 'default';
  const name = md.metadata.name;
  const clusterName = clusterNameOf(md);
  const workload = clusterName ? snapshot.workloadFor(md.metadata.namespace, clusterName) : undefined;
  const machines = mgmt.list('Machine', md.metadata.namespace).filter((m) => m.metadata.labels?.[DEPLOYMENT_NAME_LABEL] === name);
  const notRunning = machines.filter((m) => m.status?.phase !== 'Running' || !m.status.nodeRef);
  // A status written before its Machines came up: the Machines themselves say they run.
  if (machines.length >= desired && notRunning.length === 0) return [];
  const conditions = failingConditions(md).filter((c) => TELLING.includes(c.type));

  const sentences = [`MachineDeployment ${namespace}/${name}${clusterName ? ` (cluster ${clusterName})` : ''}: ${ready} of ${desired} machines ready, ${available} available${s.phase ? `, phase ${s.phase}` : ''}.`];
  if (notRunning.length > 0) sentences.push(`Machines not running: ${notRunning.slice(0, 6).map((m) => `${m.metadata.name} (${m.status?.phase ?? 'no phase'}${m.status?.nodeRef ? '' : ', no Node'})`).join(', ')}${notRunning.length > 6 ? ` and ${notRunning.length - 6} more` : ''}.`);
  if (conditions.length > 0) sentences.push(`Conditions: ${conditions.slice(0, 3).map((c) => conditionText(c, 200)).join('; ')}.`);
  sentences.push('Pods that need these workers stay Pending, and add-ons that wait for them time out.');

  return [{
    code: rule.meta.code,
    severity: available === 0 ? 'error' : 'warning',
    cluster: mgmt.name,
    ...(workload ? { targetCluster: workload.name } : clusterName ? { targetCluster: clusterName } : {}),
    subject: { kind: 'MachineDeployment', namespace, name },
    title: `MachineDeployment ${name}: ${ready}/${desired} machines ready`,
    detail: sentences.join(' '),
    evidence: [
      { source: snapshot.sourceOf(md), text: `spec.replicas=${desired} readyReplicas=${ready} availableReplicas=${available}${s.unavailableReplicas !== undefined ? ` unavailableReplicas=${s.unavailableReplicas}` : ''}${s.phase ? ` phase=${s.phase}` : ''}` },
      ...conditions.slice(0, 2).map((c) => ({ source: snapshot.sourceOf(md), text: conditionText(c, 600) })),
    ],
    remediation: [
      { text: 'See the MachineDeployment\'s conditions and events', command: kubectl(mgmt, 'describe', 'machinedeployment', name, '-n', namespace) },
      { text: 'List its Machines and their phases', command: kubectl(mgmt, 'get', 'machines', '-n', namespace, '-l', `${DEPLOYMENT_NAME_LABEL}=${name}`, '-o', 'wide') },
    ],
    facts: {
      ...(clusterName ? { capiCluster: capiClusterRef(mgmt, md.metadata.namespace, clusterName) } : {}),
      ...(workload ? { workloadCluster: workload.name } : {}),
      machineDeployment: { cluster: mgmt.name, kind: 'MachineDeployment', namespace: md.metadata.namespace, name },
      ready,
      desired,
    },
  }];
}

function check(snapshot: Snapshot): FindingDraft[] {
  return snapshot.clusters.flatMap((cluster) => cluster.list('MachineDeployment').flatMap((md) => findingFor(snapshot, cluster, md)));
}

export const rule: Rule = {
  meta: {
    code: 'MACHINEDEPLOYMENT_DEGRADED',
    severity: 'error',
    title: 'MachineDeployment below its replicas',
    docs: 'A Cluster API MachineDeployment with fewer ready machines than spec.replicas, naming the machines that are not running. An error when none is available, a warning while some are; its Machines\' MACHINE_NOT_RUNNING findings explain it.',
  },
  check,
};
