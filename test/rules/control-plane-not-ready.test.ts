import { describe, expect, it } from 'vitest';
import { rule } from '../../src/rules/control-plane-not-ready.js';
import { capiMachine, kcp } from '../fixtures/k8s.js';
import { snapshotOf } from '../fixtures/snapshot.js';
import { MGMT, MGMT_KUBECONFIG, NS, WL, diagnoseClusters, mgmtCluster } from './chain-helpers.js';

describe('CONTROL_PLANE_NOT_READY', () => {
  it('warns about a control plane with some machines ready, naming the one that is not and the failing conditions', () => {
    const controlPlane = kcp(`${WL}-cp`, NS, WL, {
      replicas: 3, ready: 2,
      conditions: [
        { type: 'Ready', status: 'False', reason: 'MachinesNotReady', severity: 'Warning', message: '1 of 3 machines is not ready' },
        { type: 'EtcdClusterHealthy', status: 'False', reason: 'EtcdClusterUnhealthy', severity: 'Warning', message: 'Following machines are reporting etcd member errors: wl-7-cp-c' },
      ],
    });
    const machines = [
      capiMachine(`${WL}-cp-a`, NS, WL, { controlPlane: `${WL}-cp`, nodeRef: 'cp-a' }),
      capiMachine(`${WL}-cp-b`, NS, WL, { controlPlane: `${WL}-cp`, nodeRef: 'cp-b' }),
      capiMachine(`${WL}-cp-c`, NS, WL, { controlPlane: `${WL}-cp`, phase: 'Provisioning', infrastructureReady: false }),
    ];
    const [f, ...rest] = rule.check(snapshotOf(mgmtCluster([controlPlane, ...machines])));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      code: 'CONTROL_PLANE_NOT_READY', severity: 'warning', cluster: MGMT, subject: { kind: 'KubeadmControlPlane', namespace: NS, name: `${WL}-cp` },
      title: `Control plane ${WL}-cp is not ready: 2/3 machines ready`,
      facts: { capiCluster: { cluster: MGMT, kind: 'Cluster', namespace: NS, name: WL }, controlPlane: { cluster: MGMT, kind: 'KubeadmControlPlane', namespace: NS, name: `${WL}-cp` }, ready: 2, desired: 3 },
    });
    expect(f!.detail).toContain(`Machines not running: ${WL}-cp-c (Provisioning, no Node).`);
    expect(f!.detail).toContain('EtcdClusterHealthy=False (EtcdClusterUnhealthy): Following machines are reporting etcd member errors');
    expect(f!.evidence[0]!.text).toBe('spec.replicas=3 readyReplicas=2 updatedReplicas=3 unavailableReplicas=1 initialized=true');
    expect(f!.remediation.map((r) => r.command)).toEqual([
      `kubectl describe kubeadmcontrolplane ${WL}-cp -n ${NS} --kubeconfig=${MGMT_KUBECONFIG}`,
      `kubectl get machines -n ${NS} -l cluster.x-k8s.io/control-plane-name=${WL}-cp -o wide --kubeconfig=${MGMT_KUBECONFIG}`,
    ]);

    const d = diagnoseClusters(mgmtCluster([controlPlane, ...machines]));
    expect(d.causes(d.one('CONTROL_PLANE_NOT_READY'))).toEqual([`MACHINE_NOT_RUNNING ${WL}-cp-c`]);
  });

  it('is an error while the control plane is not initialized', () => {
    const [f] = rule.check(snapshotOf(mgmtCluster([kcp(`${WL}-cp`, NS, WL, { replicas: 1, ready: 0, initialized: false })])));
    expect(f!.severity).toBe('error');
    expect(f!.detail).toContain('control plane not initialized');
    expect(f!.detail).toContain('CAPI writes no kubeconfig');
  });

  it('says nothing about a ready control plane', () => {
    expect(rule.check(snapshotOf(mgmtCluster([kcp(`${WL}-cp`, NS, WL, { replicas: 3 })])))).toEqual([]);
  });
});
