import { describe, expect, it } from 'vitest';
import { rule } from '../../src/rules/cni-not-ready.js';
import { capiCluster, configMap, helmAnnotations, pod, workload } from '../fixtures/k8s.js';
import { snapshotOf } from '../fixtures/snapshot.js';

function cluster(ready: number, image = 'quay.io/cilium/cilium:v1.16.5@sha256:abc') {
  const ds = workload('DaemonSet', 'net-agent', 'net', { desired: 3, ready, images: [image], annotations: helmAnnotations('net', 'net'), podLabels: { 'app.kubernetes.io/name': 'net-agent' } });
  const owner = { kind: 'DaemonSet', name: 'net-agent', uid: (ds.metadata as { uid: string }).uid };
  const pods = [
    pod('net-agent-a', 'net', { node: 'n1', owner, containers: [{ name: 'agent', image, ready: false, waiting: { reason: 'CrashLoopBackOff' }, restartCount: 9 }] }),
    pod('net-agent-b', 'net', { node: 'n2', owner, containers: [{ name: 'agent', image, ready: false }] }),
    pod('net-agent-c', 'net', { node: 'n3', owner, containers: [{ name: 'agent', image, ready: true }] }),
  ];
  return snapshotOf(
    { name: 'm', role: 'management', objects: [capiCluster('edge', 'ns', { host: '192.0.2.10' })] },
    { name: 'edge', role: 'workload', kubeconfig: '/tmp/edge.kubeconfig', capiCluster: { namespace: 'ns', name: 'edge' }, objects: [ds, ...pods, configMap('agent-config', 'net', { 'k8s-service-host': '192.0.2.10', 'kube-proxy-replacement': 'true' })] },
  );
}

describe('CNI_NOT_READY', () => {
  it('recognises Cilium by its image, whatever the DaemonSet is called, and summarises its pods', () => {
    const [finding, ...rest] = rule.check(cluster(1));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      code: 'CNI_NOT_READY', severity: 'error', cluster: 'edge',
      subject: { kind: 'DaemonSet', namespace: 'net', name: 'net-agent' },
      title: 'Cilium is not ready on 2 of 3 nodes (DaemonSet net/net-agent: 1/3 ready)',
      facts: { component: 'cni', product: 'Cilium', ready: 1, desired: 3, release: { cluster: 'edge', name: 'net', namespace: 'net' } },
    });
    expect(finding!.detail).toContain('1 CrashLoopBackOff (net-agent-a), 1 Running but not ready (net-agent-b)');
    expect(finding!.remediation.map((r) => r.command)).toEqual([
      'kubectl get configmap agent-config -n net -o yaml --kubeconfig=/tmp/edge.kubeconfig',
      'kubectl rollout restart daemonset/net-agent -n net --kubeconfig=/tmp/edge.kubeconfig',
      'kubectl wait --for=condition=ready pod -l app=net-agent -n net --timeout=5m --kubeconfig=/tmp/edge.kubeconfig',
    ]);
    expect(finding!.remediation[0]!.text).toContain('k8s-service-host must be the control-plane endpoint 192.0.2.10');
  });

  it('recognises Calico and says nothing when every agent is ready', () => {
    expect(rule.check(cluster(1, 'docker.io/calico/node:v3.28.0'))[0]!.title).toMatch(/^Calico is not ready/);
    expect(rule.check(cluster(3))).toEqual([]);
  });

  it('ignores DaemonSets that are not a CNI', () => {
    expect(rule.check(cluster(0, 'example.com/log-shipper:2.0'))).toEqual([]);
  });
});
