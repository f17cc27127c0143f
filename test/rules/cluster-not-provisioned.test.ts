import { describe, expect, it } from 'vitest';
import { rule } from '../../src/rules/cluster-not-provisioned.js';
import { capiCluster } from '../fixtures/k8s.js';
import { snapshotOf } from '../fixtures/snapshot.js';
import { MGMT, MGMT_KUBECONFIG, NS, WL, mgmtCluster } from './chain-helpers.js';

function failedCluster() {
  const c = capiCluster(WL, NS, { phase: 'Failed' });
  Object.assign(c.status, {
    failureReason: 'InvalidConfiguration', failureMessage: 'failed to reconcile load balancer: subnet not found',
    infrastructureReady: false, controlPlaneReady: false,
    conditions: [
      { type: 'Ready', status: 'False', reason: 'LoadBalancerFailed', severity: 'Error', message: 'failed to reconcile load balancer', lastTransitionTime: '2025-12-27T10:00:00Z' },
      { type: 'InfrastructureReady', status: 'False', reason: 'LoadBalancerFailed', severity: 'Error', message: 'failed to reconcile load balancer', lastTransitionTime: '2025-12-27T10:00:00Z' },
    ],
  });
  return c;
}

describe('CLUSTER_NOT_PROVISIONED', () => {
  it('reports a Cluster that failed to provision, with its failureReason and conditions', () => {
    const [f, ...rest] = rule.check(snapshotOf(mgmtCluster([failedCluster()])));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      code: 'CLUSTER_NOT_PROVISIONED', severity: 'error', cluster: MGMT, subject: { kind: 'Cluster', namespace: NS, name: WL },
      title: `Cluster ${WL} is not provisioned (phase Failed)`,
      facts: { capiCluster: { cluster: MGMT, kind: 'Cluster', namespace: NS, name: WL } },
    });
    expect(f!.detail).toContain(`Cluster ${NS}/${WL} is Failed, not Ready.`);
    expect(f!.detail).toContain('failureReason InvalidConfiguration: failed to reconcile load balancer: subnet not found.');
    expect(f!.detail).toContain('Its infrastructure is not ready');
    expect(f!.evidence[0]!.text).toBe('phase=Failed controlPlaneReady=false infrastructureReady=false');
    expect(f!.remediation.map((r) => r.command)).toEqual([
      `kubectl describe cluster ${WL} -n ${NS} --kubeconfig=${MGMT_KUBECONFIG}`,
      `clusterctl describe cluster ${WL} -n ${NS} --show-conditions=all --kubeconfig=${MGMT_KUBECONFIG}`,
    ]);
  });

  it('warns about a Cluster being deleted and says nothing about a provisioned one', () => {
    const [deleting] = rule.check(snapshotOf(mgmtCluster([capiCluster(WL, NS, { phase: 'Deleting' })])));
    expect(deleting!.severity).toBe('warning');
    expect(rule.check(snapshotOf(mgmtCluster([capiCluster(WL, NS)])))).toEqual([]);
  });
});
