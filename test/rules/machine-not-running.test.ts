import { describe, expect, it } from 'vitest';
import { rule } from '../../src/rules/machine-not-running.js';
import { capiMachine, machineDeployment, node } from '../fixtures/k8s.js';
import { snapshotOf } from '../fixtures/snapshot.js';
import { MGMT, MGMT_KUBECONFIG, NS, WL, diagnoseClusters, mgmtCluster, wlCluster } from './chain-helpers.js';
import { CAPI_TAINT, CCM_TAINT, seedCcm } from './helpers.js';

/** Two workers that joined the cluster but that the (crashing) CCM never initialized. */
function uninitializedWorkers() {
  return [node('worker-1', { taints: [CCM_TAINT, CAPI_TAINT] }), node('worker-2', { taints: [CCM_TAINT, CAPI_TAINT] })];
}

function workerMachines() {
  return ['worker-1', 'worker-2'].map((name, i) => capiMachine(name, NS, WL, {
    deployment: `${WL}-md-0`, providerID: `nutanix://0000-${i}`,
    conditions: [{ type: 'NodeHealthy', status: 'False', reason: 'WaitingForNodeRef', severity: 'Info' }],
  }));
}

describe('MACHINE_NOT_RUNNING', () => {
  it('finds worker Machines whose Node joined without a providerID, and links them to the crashing CCM and their MachineDeployment', () => {
    const { deploy, rs, pod: ccm, log } = seedCcm();
    const mgmt = mgmtCluster([...workerMachines(), machineDeployment(`${WL}-md-0`, NS, WL, { replicas: 2, ready: 0 })]);
    const wl = wlCluster([...uninitializedWorkers(), deploy, rs, ccm], [log]);
    const findings = rule.check(snapshotOf(mgmt, wl));
    expect(findings.map((f) => f.subject.name)).toEqual(['worker-1', 'worker-2']);
    const [f] = findings;
    expect(f).toMatchObject({
      code: 'MACHINE_NOT_RUNNING', severity: 'error', cluster: MGMT, targetCluster: WL,
      subject: { kind: 'Machine', namespace: NS, name: 'worker-1' },
      title: 'Machine worker-1 is Provisioned without a Node',
      facts: {
        capiCluster: { cluster: MGMT, kind: 'Cluster', namespace: NS, name: WL },
        workloadCluster: WL,
        machineDeployment: { cluster: MGMT, kind: 'MachineDeployment', namespace: NS, name: `${WL}-md-0` },
        node: { cluster: WL, kind: 'Node', name: 'worker-1' },
        nodeLacksProviderId: true,
      },
    });
    expect(f!.detail).toContain(`Machine ${NS}/worker-1 (worker of MachineDeployment ${WL}-md-0) is Provisioned without a Node (no status.nodeRef).`);
    expect(f!.detail).toContain(`Node worker-1 (matched by hostname) has joined cluster ${WL} but has no spec.providerID: the cloud controller manager has not initialized it`);
    expect(f!.evidence.map((e) => e.text)).toContain('Node worker-1: spec.providerID=(not set)');
    // Deleting the Machine would not help: only diagnostic commands and the pointer to the CCM.
    expect(f!.remediation.map((r) => r.command)).toEqual([`kubectl describe machine worker-1 -n ${NS} --kubeconfig=${MGMT_KUBECONFIG}`, undefined]);

    const d = diagnoseClusters(mgmt, wl);
    for (const m of d.all('MACHINE_NOT_RUNNING')) expect(d.causes(m)).toEqual(['WORKLOAD_UNAVAILABLE nutanix-cloud-controller-manager']);
    expect(d.causes(d.one('MACHINEDEPLOYMENT_DEGRADED'))).toEqual(['MACHINE_NOT_RUNNING worker-1', 'MACHINE_NOT_RUNNING worker-2']);
    expect(d.rootCauses.map((r) => r.code)).not.toContain('MACHINE_NOT_RUNNING');
  });

  it('matches a Node by IP address when its name differs from the Machine\'s', () => {
    const n = node('ip-10-0-0-77', { taints: [CCM_TAINT] });
    n.status.addresses = [{ type: 'InternalIP', address: '10.0.0.77' }];
    const m = capiMachine(`${WL}-md-0-xyz`, NS, WL, { internalIP: '10.0.0.77' });
    const [f] = rule.check(snapshotOf(mgmtCluster([m]), wlCluster([n])));
    expect(f!.facts.node).toEqual({ cluster: WL, kind: 'Node', name: 'ip-10-0-0-77' });
    expect(f!.detail).toContain('(matched by IP address)');
  });

  it('reports a failed Machine with its failureReason, and offers to let CAPI replace it', () => {
    const m = capiMachine(`${WL}-md-0-bad`, NS, WL, {
      deployment: `${WL}-md-0`, phase: 'Failed', failureReason: 'CreateError', failureMessage: 'VM creation failed: image nkp-rocky-9.5 not found', infrastructureReady: false,
    });
    const [f] = rule.check(snapshotOf(mgmtCluster([m])));
    expect(f!.severity).toBe('error');
    expect(f!.title).toBe(`Machine ${WL}-md-0-bad is Failed without a Node (CreateError)`);
    expect(f!.detail).toContain('failureReason CreateError: VM creation failed: image nkp-rocky-9.5 not found.');
    expect(f!.detail).toContain('Its infrastructure machine (NutanixMachine');
    expect(f!.remediation.map((r) => r.command)).toEqual([
      `kubectl describe machine ${WL}-md-0-bad -n ${NS} --kubeconfig=${MGMT_KUBECONFIG}`,
      `kubectl describe nutanixmachine ${WL}-md-0-bad -n ${NS} --kubeconfig=${MGMT_KUBECONFIG}`,
      `kubectl delete machine ${WL}-md-0-bad -n ${NS} --kubeconfig=${MGMT_KUBECONFIG}`,
    ]);
  });

  it('notes a Machine being deleted, warns about one still provisioning, and says nothing about running ones', () => {
    const findings = rule.check(snapshotOf(mgmtCluster([
      capiMachine('going', NS, WL, { phase: 'Deleting', nodeRef: 'n1', deleting: true }),
      capiMachine('starting', NS, WL, { phase: 'Provisioning' }),
      capiMachine('fine', NS, WL, { nodeRef: 'n2', providerID: 'p://2' }),
    ])));
    expect(findings.map((f) => [f.subject.name, f.severity])).toEqual([['going', 'info'], ['starting', 'warning']]);
  });
});
