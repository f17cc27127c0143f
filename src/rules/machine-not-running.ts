import type { Machine, Node } from '../schema/generated.js';
import type { ClusterView } from '../snapshot/cluster.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { kubectl } from './kubectl.js';
import type { Evidence, FindingDraft, Remediation, Rule, Severity } from './types.js';
import {
  CONTROL_PLANE_LABEL, CONTROL_PLANE_NAME_LABEL, DEPLOYMENT_NAME_LABEL, capiClusterRef, capiFailure, clusterNameOf, conditionText, failingConditions,
} from './util/capi.js';

/** How a Node was matched to its Machine, and the Node. */
interface NodeMatch {
  node: Node;
  by: string;
}

function addressesOf(machine: Machine, types: string[]): string[] {
  return (machine.status?.addresses ?? []).filter((a) => types.includes(a.type ?? '') && a.address).map((a) => a.address!);
}

/**
 * The Node of a Machine in its workload cluster: by providerID, then by nodeRef, then by the
 * machine's hostname (kubeadm names the Node after it) or its internal IP.
 */
function findNode(workload: ClusterView, machine: Machine): NodeMatch | undefined {
  const nodes = workload.list('Node');
  const providerID = machine.spec?.providerID;
  const byProvider = providerID ? nodes.find((n) => n.spec?.providerID === providerID) : undefined;
  if (byProvider) return { node: byProvider, by: 'providerID' };
  const refName = machine.status?.nodeRef?.name;
  const byRef = refName ? nodes.find((n) => n.metadata.name === refName) : undefined;
  if (byRef) return { node: byRef, by: 'nodeRef' };
  const hostnames = new Set([machine.metadata.name, ...addressesOf(machine, ['Hostname', 'InternalDNS'])]);
  const byName = nodes.find((n) => hostnames.has(n.metadata.name));
  if (byName) return { node: byName, by: 'hostname' };
  const ips = new Set(addressesOf(machine, ['InternalIP', 'ExternalIP']));
  const byIp = ips.size > 0 ? nodes.find((n) => (n.status?.addresses ?? []).some((a) => a.address && ips.has(a.address))) : undefined;
  return byIp ? { node: byIp, by: 'IP address' } : undefined;
}

/** Conditions telling why a Machine is not running (v1beta1 and v1beta2 names). */
const TELLING = ['BootstrapReady', 'BootstrapConfigReady', 'InfrastructureReady', 'NodeHealthy', 'NodeReady', 'HealthCheckSucceeded', 'OwnerRemediated', 'Ready', 'Available'];

function findingFor(snapshot: Snapshot, mgmt: ClusterView, machine: Machine): FindingDraft[] {
  const phase = machine.status?.phase ?? '';
  const nodeRef = machine.status?.nodeRef?.name;
  const failure = capiFailure(machine);
  const running = phase === 'Running' && !!nodeRef;
  if (running && !failure) return [];
  // A Machine being deleted is part of a rollout or a scale-down; it is noted, not blamed.
  const deleting = phase === 'Deleting' || !!machine.metadata.deletionTimestamp;

  const namespace = machine.metadata.namespace ?? 'default';
  const clusterName = clusterNameOf(machine);
  const workload = clusterName ? snapshot.workloadFor(machine.metadata.namespace, clusterName) : undefined;
  const labels = machine.metadata.labels ?? {};
  const kcpName = labels[CONTROL_PLANE_NAME_LABEL] ?? machine.metadata.ownerReferences?.find((o) => o.kind === 'KubeadmControlPlane')?.name;
  const isControlPlane = CONTROL_PLANE_LABEL in labels || !!kcpName;
  const mdName = labels[DEPLOYMENT_NAME_LABEL];
  const conditions = failingConditions(machine).filter((c) => TELLING.includes(c.type));
  const match = workload ? findNode(workload, machine) : undefined;
  const providerID = machine.spec?.providerID;
  const nodeLacksProviderId = !!match && !match.node.spec?.providerID && !nodeRef;

  const role = isControlPlane ? `control plane${kcpName ? ` of KubeadmControlPlane ${kcpName}` : ''}` : `worker${mdName ? ` of MachineDeployment ${mdName}` : ''}`;
  const sentences = [`Machine ${namespace}/${machine.metadata.name} (${role}) is ${phase || 'in no phase'}${nodeRef ? `, Node ${nodeRef}` : ' without a Node (no status.nodeRef)'}.`];
  if (failure) sentences.push(`failureReason ${failure.reason ?? '?'}${failure.message ? `: ${failure.message}` : ''}.`);
  if (machine.status?.bootstrapReady === false) sentences.push('Its bootstrap data (the KubeadmConfig\'s cloud-init) is not ready yet.');
  if (machine.status?.infrastructureReady === false) {
    sentences.push(`Its infrastructure machine${machine.spec?.infrastructureRef?.kind ? ` (${machine.spec.infrastructureRef.kind} ${machine.spec.infrastructureRef.name ?? ''})` : ''} is not ready: the VM was not created or has no address yet.`);
  }
  if (workload) {
    if (nodeLacksProviderId) {
      sentences.push(`Node ${match!.node.metadata.name} (matched by ${match!.by}) has joined cluster ${workload.name} but has no spec.providerID: the cloud controller manager has not initialized it, so Cluster API cannot match it to this Machine${providerID ? ` (providerID ${providerID})` : ''} and never sets the nodeRef.`);
    } else if (match && !nodeRef && providerID && match.node.spec?.providerID && match.node.spec.providerID !== providerID) {
      sentences.push(`Node ${match.node.metadata.name} (matched by ${match.by}) has providerID ${match.node.spec.providerID}, but the Machine expects ${providerID}.`);
    } else if (!match && !nodeRef && machine.status?.infrastructureReady !== false && workload.count('Node') > 0) {
      sentences.push(`No Node of cluster ${workload.name} matches it: the machine's kubelet never registered (check cloud-init and kubeadm join on the VM).`);
    }
  }
  if (conditions.length > 0) sentences.push(`Conditions: ${conditions.slice(0, 4).map((c) => conditionText(c, 200)).join('; ')}.`);

  const severity: Severity = deleting && !failure ? 'info'
    : failure || phase === 'Failed' || nodeLacksProviderId || phase === 'Provisioned' || conditions.some((c) => c.severity === 'Error' || c.type === 'HealthCheckSucceeded') ? 'error'
      : 'warning';

  const evidence: Evidence[] = [{
    source: snapshot.sourceOf(machine),
    text: `phase=${phase || '(none)'} nodeRef=${nodeRef ?? '(none)'} providerID=${providerID ?? '(none)'}${machine.status?.bootstrapReady !== undefined ? ` bootstrapReady=${machine.status.bootstrapReady}` : ''}${machine.status?.infrastructureReady !== undefined ? ` infrastructureReady=${machine.status.infrastructureReady}` : ''}`,
  }];
  for (const c of conditions.slice(0, 3)) evidence.push({ source: snapshot.sourceOf(machine), text: conditionText(c, 600) });
  if (match && workload) evidence.push({ source: snapshot.sourceOf(match.node), text: `Node ${match.node.metadata.name}: spec.providerID=${match.node.spec?.providerID ?? '(not set)'}` });

  const remediation: Remediation[] = [{ text: 'See the Machine\'s conditions and events', command: kubectl(mgmt, 'describe', 'machine', machine.metadata.name, '-n', namespace) }];
  const infra = machine.spec?.infrastructureRef;
  if (machine.status?.infrastructureReady === false && infra?.kind && infra.name) {
    remediation.push({ text: `See why the ${infra.kind} is not ready`, command: kubectl(mgmt, 'describe', infra.kind.toLowerCase(), infra.name, '-n', infra.namespace ?? namespace) });
  }
  if (nodeLacksProviderId) {
    remediation.push({ text: `Fix the cloud controller manager of ${workload!.name}: once it sets spec.providerID on Node ${match!.node.metadata.name}, Cluster API sets the nodeRef and the Machine becomes Running` });
  } else if (severity === 'error' && !deleting && !match) {
    remediation.push({
      text: 'If the VM is broken and the Machine belongs to a MachineDeployment or KubeadmControlPlane, delete the Machine so that Cluster API replaces it',
      command: kubectl(mgmt, 'delete', 'machine', machine.metadata.name, '-n', namespace),
    });
  }

  return [{
    code: rule.meta.code,
    severity,
    cluster: mgmt.name,
    ...(workload ? { targetCluster: workload.name } : clusterName ? { targetCluster: clusterName } : {}),
    subject: { kind: 'Machine', namespace, name: machine.metadata.name },
    title: `Machine ${machine.metadata.name} is ${phase || 'not running'}${nodeRef ? '' : ' without a Node'}${failure?.reason ? ` (${failure.reason})` : ''}`,
    detail: sentences.join(' '),
    evidence,
    remediation,
    facts: {
      ...(clusterName ? { capiCluster: capiClusterRef(mgmt, machine.metadata.namespace, clusterName) } : {}),
      ...(workload ? { workloadCluster: workload.name } : {}),
      ...(kcpName ? { controlPlane: { cluster: mgmt.name, kind: 'KubeadmControlPlane', namespace: machine.metadata.namespace, name: kcpName } } : {}),
      ...(mdName ? { machineDeployment: { cluster: mgmt.name, kind: 'MachineDeployment', namespace: machine.metadata.namespace, name: mdName } } : {}),
      ...(match && workload ? { node: { cluster: workload.name, kind: 'Node', name: match.node.metadata.name } } : {}),
      ...(nodeLacksProviderId ? { nodeLacksProviderId: true } : {}),
    },
  }];
}

function check(snapshot: Snapshot): FindingDraft[] {
  return snapshot.clusters.flatMap((cluster) => cluster.list('Machine').flatMap((m) => findingFor(snapshot, cluster, m)));
}

export const rule: Rule = {
  meta: {
    code: 'MACHINE_NOT_RUNNING',
    severity: 'error',
    title: 'Machine not running',
    docs: 'A Cluster API Machine that is not Running with a nodeRef, or that carries failureReason/failureMessage: bootstrap or infrastructure not ready, or a VM whose Node never registered or was never matched. A Node that joined but has no providerID means the cloud controller manager has not initialized it (the usual cause, linked from the CCM\'s failures). Machines being deleted are info.',
  },
  check,
};
