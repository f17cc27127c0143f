import { describe, expect, it } from 'vitest';
import { rule } from '../../src/rules/machinedeployment-degraded.js';
import { capiMachine, machineDeployment } from '../fixtures/k8s.js';
import { snapshotOf } from '../fixtures/snapshot.js';
import { MGMT, MGMT_KUBECONFIG, NS, WL, mgmtCluster } from './chain-helpers.js';

const MD = `${WL}-md-0`;

describe('MACHINEDEPLOYMENT_DEGRADED', () => {
  it('reports a MachineDeployment below its replicas, naming its machines that are not running', () => {
    const md = machineDeployment(MD, NS, WL, {
      replicas: 3, ready: 1,
      conditions: [{ type: 'Available', status: 'False', reason: 'WaitingForAvailableMachines', severity: 'Warning', message: 'Minimum availability requires 3 replicas, current 1 available' }],
    });
    const machines = [
      capiMachine(`${MD}-a`, NS, WL, { deployment: MD, nodeRef: 'a' }),
      capiMachine(`${MD}-b`, NS, WL, { deployment: MD, phase: 'Provisioned' }),
      capiMachine(`${MD}-c`, NS, WL, { deployment: MD, phase: 'Pending', bootstrapReady: false }),
    ];
    const [f, ...rest] = rule.check(snapshotOf(mgmtCluster([md, ...machines])));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      code: 'MACHINEDEPLOYMENT_DEGRADED', severity: 'warning', cluster: MGMT, subject: { kind: 'MachineDeployment', namespace: NS, name: MD },
      title: `MachineDeployment ${MD}: 1/3 machines ready`,
      facts: { machineDeployment: { cluster: MGMT, kind: 'MachineDeployment', namespace: NS, name: MD }, ready: 1, desired: 3 },
    });
    expect(f!.detail).toContain(`Machines not running: ${MD}-b (Provisioned, no Node), ${MD}-c (Pending, no Node).`);
    expect(f!.evidence.map((e) => e.text)).toContain('Available=False (WaitingForAvailableMachines): Minimum availability requires 3 replicas, current 1 available');
    expect(f!.remediation.map((r) => r.command)).toEqual([
      `kubectl describe machinedeployment ${MD} -n ${NS} --kubeconfig=${MGMT_KUBECONFIG}`,
      `kubectl get machines -n ${NS} -l cluster.x-k8s.io/deployment-name=${MD} -o wide --kubeconfig=${MGMT_KUBECONFIG}`,
    ]);
  });

  it('is an error when no machine is available', () => {
    const [f] = rule.check(snapshotOf(mgmtCluster([machineDeployment(MD, NS, WL, { replicas: 2, ready: 0 })])));
    expect(f!.severity).toBe('error');
  });

  it('trusts its Machines over a status written before they came up, and says nothing about a full one', () => {
    const stale = machineDeployment(MD, NS, WL, { replicas: 2, ready: 0 });
    const running = [capiMachine(`${MD}-a`, NS, WL, { deployment: MD, nodeRef: 'a' }), capiMachine(`${MD}-b`, NS, WL, { deployment: MD, nodeRef: 'b' })];
    expect(rule.check(snapshotOf(mgmtCluster([stale, ...running])))).toEqual([]);
    expect(rule.check(snapshotOf(mgmtCluster([machineDeployment(MD, NS, WL, { replicas: 2 })])))).toEqual([]);
  });
});
