import { describe, expect, it } from 'vitest';
import { rule } from '../../src/rules/control-plane-endpoint-unreachable.js';
import { capiCluster, hrp, pod } from '../fixtures/k8s.js';
import { snapshotOf } from '../fixtures/snapshot.js';
import { MGMT, NS, WL, diagnoseClusters, mgmtCluster, wlCluster } from './chain-helpers.js';

const VIP = '10.0.0.100';
const KUBE_VIP_IMAGE = 'ghcr.io/kube-vip/kube-vip:v0.8.7';
const ADD_IP_FAILED = 'time="2025-12-27T09:59:05Z" level=fatal msg="failed to add IP 10.0.0.100/32 to interface eth1: no such device"';
const REFUSED = `E1227 09:59:30.000000       1 reflector.go:138] failed to list *v1.Node: Get "https://${VIP}:6443/api/v1/nodes": dial tcp ${VIP}:6443: connect: connection refused`;

function kubeVip(opts: { crashing: boolean; restarts?: number }) {
  return pod('kube-vip-cp-1', 'kube-system', {
    node: 'cp-1', hostNetwork: true,
    containers: [{
      name: 'kube-vip', image: KUBE_VIP_IMAGE, env: [{ name: 'address', value: VIP }, { name: 'port', value: '6443' }, { name: 'vip_interface', value: 'eth1' }],
      restartCount: opts.restarts ?? (opts.crashing ? 8 : 0),
      ...(opts.crashing ? { waiting: { reason: 'CrashLoopBackOff' }, lastTerminated: { reason: 'Error', exitCode: 1 } } : { ready: true }),
    }],
  });
}

/** A host-network agent that keeps failing to reach the API through the VIP. */
function agent() {
  return pod('node-agent-x8k2l', 'kube-system', {
    node: 'cp-1', hostNetwork: true,
    containers: [{ name: 'agent', restartCount: 5, waiting: { reason: 'CrashLoopBackOff' }, lastTerminated: { reason: 'Error', exitCode: 1 } }],
  });
}

const logs = [
  { namespace: 'kube-system', pod: 'kube-vip-cp-1', container: 'kube-vip', previous: true, lines: ['time="2025-12-27T09:59:00Z" level=info msg="Starting kube-vip.io [v0.8.7]"', ADD_IP_FAILED] },
  { namespace: 'kube-system', pod: 'node-agent-x8k2l', container: 'agent', previous: true, lines: ['I1227 09:59:00.000000       1 main.go:40] starting', REFUSED] },
];

const unreachableHrp = () => hrp('cni-wl-7-x1', NS, {
  cluster: WL, hcp: 'cni', releaseName: 'cni', releaseNamespace: 'kube-system', helmStatus: 'failed',
  conditions: [{ type: 'Ready', status: 'False', reason: 'HelmInstallOrUpgradeFailed', message: `Kubernetes cluster unreachable: Get "https://${VIP}:6443/version": dial tcp ${VIP}:6443: connect: connection refused` },
    { type: 'HelmReleaseReady', status: 'False', reason: 'HelmInstallOrUpgradeFailed', message: `Kubernetes cluster unreachable: Get "https://${VIP}:6443/version": dial tcp ${VIP}:6443: connect: connection refused` }],
});

describe('CONTROL_PLANE_ENDPOINT_UNREACHABLE', () => {
  it('reports the CAPI endpoint kube-vip does not serve, quoting its failed-to-add-IP line and the pods that cannot connect', () => {
    const snapshot = snapshotOf(mgmtCluster([capiCluster(WL, NS, { host: VIP })]), wlCluster([kubeVip({ crashing: true }), agent()], logs));
    const [f, ...rest] = rule.check(snapshot);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      code: 'CONTROL_PLANE_ENDPOINT_UNREACHABLE', severity: 'error', cluster: WL, subject: { kind: 'Pod', namespace: 'kube-system', name: 'kube-vip-cp-1' },
      title: `Control-plane endpoint ${VIP}:6443 is not served (kube-vip)`,
      facts: { apiAddress: VIP, apiViaClusterIp: false, component: 'kube-vip', capiCluster: { cluster: MGMT, kind: 'Cluster', namespace: NS, name: WL }, workloadCluster: WL },
    });
    expect(f!.detail).toContain(`The control-plane endpoint ${VIP}:6443 (spec.controlPlaneEndpoint of CAPI Cluster ${NS}/${WL}) is not served.`);
    expect(f!.detail).toContain('kube-vip, which should hold this virtual IP on a control-plane node, is not running: kube-vip-cp-1 (CrashLoopBackOff, 8 restarts).');
    expect(f!.detail).toContain(`1 pod cannot connect to ${VIP}:6443: node-agent-x8k2l (connection refused).`);
    expect(f!.evidence.map((e) => e.text)).toEqual([ADD_IP_FAILED, REFUSED]);
  });

  it('explains the API_SERVER_UNREACHABLE findings that name the endpoint and CAAPH\'s CLUSTER_UNREACHABLE, and is explained by kube-vip crashing', () => {
    const d = diagnoseClusters(mgmtCluster([capiCluster(WL, NS, { host: VIP }), unreachableHrp()]), wlCluster([kubeVip({ crashing: true }), agent()], logs));
    const endpoint = d.one('CONTROL_PLANE_ENDPOINT_UNREACHABLE');
    expect(d.causes(d.one('API_SERVER_UNREACHABLE', 'node-agent-x8k2l'))).toEqual(['CONTROL_PLANE_ENDPOINT_UNREACHABLE kube-vip-cp-1']);
    expect(d.causes(d.one('CLUSTER_UNREACHABLE'))).toEqual(['CONTROL_PLANE_ENDPOINT_UNREACHABLE kube-vip-cp-1']);
    expect(d.causes(d.one('HRP_FAILED'))).toEqual([`CLUSTER_UNREACHABLE ${WL}`]);
    expect(d.causes(endpoint)).toEqual(['POD_CRASHLOOP kube-vip-cp-1']);
    expect(d.rootCauses.map((r) => `${r.code} ${r.subject.name}`)).toEqual(['POD_CRASHLOOP kube-vip-cp-1']);
  });

  it('names the deadlock when kube-vip needs its own VIP to win its lease', () => {
    const selfLocked = [{
      namespace: 'kube-system', pod: 'kube-vip-cp-1', container: 'kube-vip', previous: true,
      lines: [`E1227 09:59:05.000000       1 leaderelection.go:332] error retrieving resource lock kube-system/plndr-cp-lock: Get "https://${VIP}:6443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/plndr-cp-lock": dial tcp ${VIP}:6443: connect: connection refused`],
    }];
    const d = diagnoseClusters(mgmtCluster([capiCluster(WL, NS, { host: VIP })]), wlCluster([kubeVip({ crashing: true })], selfLocked));
    expect(d.cycles).toHaveLength(1);
    expect(d.cycles[0]!.map((f) => f.code).sort()).toEqual(['API_SERVER_UNREACHABLE', 'CONTROL_PLANE_ENDPOINT_UNREACHABLE', 'POD_CRASHLOOP']);
  });

  it('says nothing about a healthy kube-vip, nor without an endpoint', () => {
    const recovered = [{ namespace: 'kube-system', pod: 'kube-vip-cp-1', container: 'kube-vip', previous: true, lines: ['E1227 08:00:00.000000 1 leaderelection.go:332] error retrieving resource lock kube-system/plndr-cp-lock: context deadline exceeded'] }];
    expect(rule.check(snapshotOf(mgmtCluster([capiCluster(WL, NS, { host: VIP })]), wlCluster([kubeVip({ crashing: false, restarts: 1 })], recovered)))).toEqual([]);
    expect(rule.check(snapshotOf(wlCluster([agent()], logs.slice(1))))).toEqual([]);
  });
});
