import { describe, expect, it } from 'vitest';
import { rule } from '../../src/rules/api-server-unreachable.js';
import { capiCluster, pod, service } from '../fixtures/k8s.js';
import { snapshotOf, type FixtureCluster } from '../fixtures/snapshot.js';

const crashing = (name: string, image = 'registry.example/cloud-provider-acme:v1') =>
  pod(name, 'kube-system', {
    node: 'cp-1',
    containers: [{ name: 'ccm', image, ready: false, restartCount: 12, waiting: { reason: 'CrashLoopBackOff' }, lastTerminated: { reason: 'Error', exitCode: 255 } }],
  });

const TIMEOUT_LINE = 'E1227 10:01:52.118204       1 leaderelection.go:336] error initially creating leader election record: Post "https://10.96.0.1:443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases": dial tcp 10.96.0.1:443: i/o timeout';

function workload(objects: object[], lines: string[], extra: Partial<FixtureCluster> = {}) {
  return snapshotOf(
    { name: 'mgmt', role: 'management', objects: [capiCluster('wl-3', 'ns1', { host: '172.16.0.10', serviceCidr: '10.96.0.0/12' })] },
    {
      name: 'wl-3', role: 'workload', capiCluster: { namespace: 'ns1', name: 'wl-3' }, objects,
      logs: [{ namespace: 'kube-system', pod: 'ccm-abc', container: 'ccm', previous: true, lines }],
      ...extra,
    },
  );
}

describe('API_SERVER_UNREACHABLE', () => {
  it('finds a crashing pod that times out dialing the API ClusterIP and says it depends on the CNI', () => {
    const snapshot = workload([crashing('ccm-abc'), service('kubernetes', 'default', '10.96.0.1')], ['I1227 starting', TIMEOUT_LINE, 'F1227 exiting']);
    const [finding, ...rest] = rule.check(snapshot);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      code: 'API_SERVER_UNREACHABLE', severity: 'error', cluster: 'wl-3',
      subject: { kind: 'Pod', namespace: 'kube-system', name: 'ccm-abc' },
      title: 'ccm-abc cannot reach the Kubernetes API (dial tcp 10.96.0.1:443: i/o timeout)',
      facts: { apiAddress: '10.96.0.1', apiViaClusterIp: true, component: 'ccm' },
    });
    expect(finding!.detail).toContain('10.96.0.1 is the ClusterIP of the API server, reachable only through the cluster network');
    expect(finding!.evidence).toEqual([{ source: 'fixture/clusters/wl-3/cluster-resources/pods/logs/kube-system/ccm-abc/ccm-previous.log', text: TIMEOUT_LINE }]);
  });

  it('derives the ClusterIP from the CAPI service CIDR when the kubernetes Service is not in the bundle', () => {
    // Outside the default service CIDR and without an API path, 10.128.0.1:443 is just some service.
    const snapshot = workload([crashing('ccm-abc')], ['dial tcp 10.128.0.1:443: connect: connection refused']);
    const withCidr = snapshotOf(
      { name: 'mgmt', role: 'management', objects: [capiCluster('wl-3', 'ns1', { serviceCidr: '10.128.0.0/16' })] },
      { name: 'wl-3', role: 'workload', capiCluster: { namespace: 'ns1', name: 'wl-3' }, objects: [crashing('ccm-abc')], logs: [{ namespace: 'kube-system', pod: 'ccm-abc', container: 'ccm', previous: false, lines: ['Get "https://10.128.0.1:443/api/v1/nodes": dial tcp 10.128.0.1:443: connect: connection refused'] }] },
    );
    expect(rule.check(snapshot)).toEqual([]);
    const [finding] = rule.check(withCidr);
    expect(finding!.facts).toMatchObject({ apiAddress: '10.128.0.1', apiViaClusterIp: true });
    expect(finding!.title).toContain('connection refused');
  });

  it('tells the control-plane endpoint apart from a ClusterIP', () => {
    const snapshot = workload([crashing('ccm-abc')], ['Get "https://172.16.0.10:6443/api?timeout=32s": dial tcp 172.16.0.10:6443: i/o timeout']);
    const [finding] = rule.check(snapshot);
    expect(finding!.facts).toMatchObject({ apiAddress: '172.16.0.10', apiViaClusterIp: false });
    expect(finding!.detail).toContain('172.16.0.10 is the control-plane endpoint');
  });

  it('ignores failed connections to other services and pods that are healthy and never restarted', () => {
    const otherService = workload([crashing('ccm-abc')], ['dial tcp 10.0.5.7:5432: i/o timeout (database)']);
    expect(rule.check(otherService)).toEqual([]);
    const healthy = pod('ccm-abc', 'kube-system', { node: 'cp-1', containers: [{ name: 'ccm', ready: true }] });
    expect(rule.check(workload([healthy], [TIMEOUT_LINE]))).toEqual([]);
  });

  it('downgrades to a warning when the pod has recovered', () => {
    const recovered = pod('ccm-abc', 'kube-system', { node: 'cp-1', containers: [{ name: 'ccm', ready: true, restartCount: 3 }] });
    const [finding] = rule.check(workload([recovered], [TIMEOUT_LINE]));
    expect(finding!.severity).toBe('warning');
    expect(finding!.detail).toContain('The pod is ready now: it has recovered.');
  });
});
