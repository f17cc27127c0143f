import { describe, expect, it } from 'vitest';
import { rule } from '../../src/rules/cluster-unreachable.js';
import { capiCluster, capiMachine, hcp, hrp, kcp, secret, type ConditionOpts } from '../fixtures/k8s.js';
import { snapshotOf } from '../fixtures/snapshot.js';
import { MGMT, MGMT_KUBECONFIG, NS, WL, diagnoseClusters, mgmtCluster } from './chain-helpers.js';

const NO_KUBECONFIG = `failed to get kubeconfig for cluster: failed to retrieve kubeconfig secret for Cluster ${NS}/${WL}: Secret "${WL}-kubeconfig" not found`;

function blocked(name: string, release: string, available: ConditionOpts) {
  return hrp(name, NS, {
    cluster: WL, hcp: release, releaseName: release, releaseNamespace: 'kube-system', helmStatus: '',
    conditions: [{ type: 'Ready', status: 'False', reason: available.reason, severity: 'Error', message: available.message }, available],
  });
}

const kubeconfigMissing = (name: string, release: string) => blocked(name, release, { type: 'ClusterAvailable', status: 'False', reason: 'GetKubeconfigFailed', message: NO_KUBECONFIG });

/** A Cluster whose control plane never came up: phase Provisioning, KCP 0/3 not initialized, its first Machine without infrastructure. */
function provisioning() {
  const cluster = capiCluster(WL, NS, { phase: 'Provisioning' });
  Object.assign(cluster.status, {
    conditions: [
      { type: 'Ready', status: 'False', reason: 'WaitingForControlPlane', lastTransitionTime: '2025-12-27T10:00:00Z' },
      { type: 'ControlPlaneInitialized', status: 'False', reason: 'WaitingForControlPlaneProviderInitialized', lastTransitionTime: '2025-12-27T10:00:00Z' },
    ],
  });
  const controlPlane = kcp(`${WL}-cp`, NS, WL, { replicas: 3, ready: 0, initialized: false, conditions: [{ type: 'Ready', status: 'False', reason: 'WaitingForKubeadmInit', severity: 'Info' }] });
  const m = capiMachine(`${WL}-cp-abcde`, NS, WL, {
    controlPlane: `${WL}-cp`, phase: 'Provisioning', infrastructureReady: false,
    conditions: [{ type: 'InfrastructureReady', status: 'False', reason: 'VMProvisionFailed', severity: 'Error', message: 'failed to create VM: insufficient memory on host pool' }],
  });
  return [cluster, controlPlane, m];
}

describe('CLUSTER_UNREACHABLE', () => {
  it('reports one finding per Cluster for HRPs whose kubeconfig Secret is missing, and explains every blocked HRP_FAILED', () => {
    const objects = [capiCluster(WL, NS), secret('other-secret', NS), kubeconfigMissing('cni-wl-7-a', 'cni'), kubeconfigMissing('csi-wl-7-b', 'csi')];
    const [f, ...rest] = rule.check(snapshotOf(mgmtCluster(objects)));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      code: 'CLUSTER_UNREACHABLE', severity: 'error', cluster: MGMT, targetCluster: WL,
      subject: { kind: 'Cluster', namespace: NS, name: WL },
      title: `CAAPH cannot reach workload cluster ${WL}: 2 HelmReleaseProxies blocked`,
      facts: {
        capiCluster: { cluster: MGMT, kind: 'Cluster', namespace: NS, name: WL },
        blockedReleases: [{ cluster: WL, name: 'cni', namespace: 'kube-system' }, { cluster: WL, name: 'csi', namespace: 'kube-system' }],
      },
    });
    expect(f!.detail).toContain(`The kubeconfig Secret ${WL}-kubeconfig is not in the management cluster: CAPI writes it once the control plane is initialized`);
    expect(f!.evidence.map((e) => e.text)).toContain(`HelmReleaseProxy cni-wl-7-a: ClusterAvailable=False GetKubeconfigFailed: ${NO_KUBECONFIG}`);
    expect(f!.evidence.map((e) => e.text)).toContain(`no Secret ${NS}/${WL}-kubeconfig among the 1 Secrets collected in ${NS}`);
    expect(f!.remediation.map((r) => r.command)).toEqual([
      `kubectl describe cluster ${WL} -n ${NS} --kubeconfig=${MGMT_KUBECONFIG}`,
      `kubectl get secret ${WL}-kubeconfig -n ${NS} --kubeconfig=${MGMT_KUBECONFIG}`,
      `clusterctl get kubeconfig ${WL} -n ${NS} --kubeconfig=${MGMT_KUBECONFIG} > ${WL}.kubeconfig && kubectl --kubeconfig=${WL}.kubeconfig get --raw=/readyz`,
    ]);

    const d = diagnoseClusters(mgmtCluster(objects));
    for (const h of d.all('HRP_FAILED')) expect(d.causes(h)).toEqual([`CLUSTER_UNREACHABLE ${WL}`]);
    expect(d.rootCauses.map((r) => r.code)).toEqual(['CLUSTER_UNREACHABLE']);
  });

  it('traces it to a control plane that never came up: Machine → KubeadmControlPlane → Cluster → unreachable → HRP → HCP', () => {
    const notAvailable = blocked('cni-wl-7-a', 'cni', { type: 'ClusterAvailable', status: 'False', reason: 'ControlPlaneNotAvailable', message: '' });
    const d = diagnoseClusters(mgmtCluster([...provisioning(), notAvailable, hcp('cni', NS, { conditions: [{ type: 'Ready', status: 'False', reason: 'HelmReleaseProxiesNotReady' }] })]));
    const unreachable = d.one('CLUSTER_UNREACHABLE');
    expect(unreachable.detail).toContain('The cluster\'s control plane is not initialized (or not available)');
    const machine = d.one('MACHINE_NOT_RUNNING');
    expect(d.causes(d.one('CONTROL_PLANE_NOT_READY'))).toEqual([`MACHINE_NOT_RUNNING ${WL}-cp-abcde`]);
    expect(d.causes(d.one('CLUSTER_NOT_PROVISIONED'))).toEqual([`CONTROL_PLANE_NOT_READY ${WL}-cp`]);
    expect(d.causes(unreachable)).toEqual([`CLUSTER_NOT_PROVISIONED ${WL}`]);
    expect(d.causes(d.one('HRP_FAILED'))).toEqual([`CLUSTER_UNREACHABLE ${WL}`]);
    expect(d.causes(d.one('HCP_NOT_READY'))).toEqual(['HRP_FAILED cni-wl-7-a']);
    expect(d.rootCauses).toEqual([machine]);
  });

  it('names the endpoint a refused connection was to', () => {
    const message = 'Kubernetes cluster unreachable: Get "https://10.0.0.100:6443/version": dial tcp 10.0.0.100:6443: connect: connection refused';
    const obj = blocked('cni-wl-7-a', 'cni', { type: 'HelmReleaseReady', status: 'False', reason: 'HelmInstallOrUpgradeFailed', message });
    const [f] = rule.check(snapshotOf(mgmtCluster([capiCluster(WL, NS, { host: '10.0.0.100' }), obj])));
    expect(f!.detail).toContain('CAAPH cannot connect to the API server at 10.0.0.100:6443 (connection refused), the cluster\'s controlPlaneEndpoint.');
    expect(f!.facts).toMatchObject({ apiAddress: '10.0.0.100', apiViaClusterIp: false });
  });

  it('says nothing while CAAPH reaches the cluster', () => {
    const fine = hrp('x', NS, { cluster: WL, releaseName: 'x', conditions: [{ type: 'Ready', status: 'False', message: 'post-install hooks failed: timed out waiting for the condition' }, { type: 'ClusterAvailable', status: 'True' }] });
    expect(rule.check(snapshotOf(mgmtCluster([capiCluster(WL, NS), fine])))).toEqual([]);
  });
});
