import { describe, expect, it } from 'vitest';
import { rule } from '../../src/rules/workload-unavailable.js';
import { helmAnnotations, pod, unschedulablePod, workload } from '../fixtures/k8s.js';
import { KUBECONFIG, WORKLOAD, only, ownedBy, run, seedCcm, seedCilium } from './helpers.js';

describe('WORKLOAD_UNAVAILABLE', () => {
  it('reports the seed CCM Deployment with none available as an error, naming its crashing pod', () => {
    const { deploy, rs, pod: p } = seedCcm();
    const f = only(run(rule, [deploy, rs, p]));
    expect(f.code).toBe('WORKLOAD_UNAVAILABLE');
    expect(f.severity).toBe('error');
    expect(f.cluster).toBe(WORKLOAD);
    expect(f.subject).toEqual({ kind: 'Deployment', namespace: 'kube-system', name: 'nutanix-cloud-controller-manager' });
    expect(f.title).toBe('Deployment kube-system/nutanix-cloud-controller-manager: 0/1 ready');
    expect(f.detail).toBe('0 of 1 replicas ready, 0 available. Pods not ready: nutanix-cloud-controller-manager-6d9f7c8b5-x2x4z (CrashLoopBackOff).');
    expect(f.evidence).toEqual([{
      source: 'fixture/clusters/dm-nkp-workload-1/cluster-resources/deployments.json',
      text: 'spec.replicas=1 readyReplicas=0 availableReplicas=0 unavailableReplicas=1',
    }]);
    expect(f.remediation.map((r) => r.command)).toEqual([
      `kubectl describe deployment nutanix-cloud-controller-manager -n kube-system --kubeconfig=${KUBECONFIG}`,
      `kubectl rollout restart deployment/nutanix-cloud-controller-manager -n kube-system --kubeconfig=${KUBECONFIG}`,
      `kubectl get pods -n kube-system -l app=nutanix-cloud-controller-manager -o wide --kubeconfig=${KUBECONFIG}`,
    ]);
    expect(f.remediation[1]!.text).toBe('Once its cause is fixed, restart the Deployment instead of waiting for the crash-loop back-off');
    expect(f.facts).toEqual({
      workload: { cluster: WORKLOAD, kind: 'Deployment', namespace: 'kube-system', name: 'nutanix-cloud-controller-manager' },
      component: 'ccm',
      product: 'cloud controller manager',
      release: { cluster: WORKLOAD, name: 'nutanix-ccm', namespace: 'kube-system' },
      ready: 0,
      desired: 1,
    });
  });

  it('leaves the CNI agent DaemonSet to CNI_NOT_READY', () => {
    const { ds, pod: p } = seedCilium();
    expect(run(rule, [ds, p])).toEqual([]);
  });

  it('warns while some replicas are available, and names the unschedulable one', () => {
    const deploy = workload('Deployment', 'cilium-operator', 'kube-system', {
      desired: 2, ready: 1, images: ['quay.io/cilium/operator-generic:v1.16.5'], annotations: helmAnnotations('cilium', 'kube-system'),
    });
    const rs = workload('ReplicaSet', 'cilium-operator-7d8f6', 'kube-system', { desired: 2, ready: 1, owner: ownedBy(deploy) });
    const running = pod('cilium-operator-7d8f6-aaaaa', 'kube-system', { node: 'cp-1', owner: ownedBy(rs) });
    const pending = unschedulablePod('cilium-operator-7d8f6-zz9kq', 'kube-system', '0/4 nodes are available', { owner: ownedBy(rs) });
    const f = only(run(rule, [deploy, rs, running, pending]));
    expect(f.severity).toBe('warning');
    expect(f.title).toBe('Deployment kube-system/cilium-operator: 1/2 ready');
    expect(f.detail).toBe('1 of 2 replicas ready, 1 available. Pods not ready: cilium-operator-7d8f6-zz9kq (Pending, unschedulable).');
    expect(f.facts).toMatchObject({ component: 'cni-operator', release: { name: 'cilium' }, ready: 1, desired: 2 });
  });

  it('reports DaemonSets and StatefulSets, with stuck-rollout conditions', () => {
    const ds = workload('DaemonSet', 'nutanix-csi-node', 'ntnx-system', { desired: 4, ready: 2, images: ['docker.io/nutanix/ntnx-csi:3.3.0'] });
    const sts = workload('StatefulSet', 'etcd', 'db', { desired: 3, ready: 0 });
    const deploy = workload('Deployment', 'quota-bound', 'team-a', { desired: 2, ready: 0 });
    (deploy.status as { conditions?: object[] }).conditions = [
      { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "quota-bound-5d9c-" is forbidden: exceeded quota: compute, requested: cpu=2, used: cpu=8, limited: cpu=8' },
    ];
    const findings = run(rule, [ds, sts, deploy]);
    expect(findings.map((f) => [f.title, f.severity])).toEqual([
      ['DaemonSet ntnx-system/nutanix-csi-node: 2/4 ready', 'warning'],
      ['Deployment team-a/quota-bound: 0/2 ready', 'error'],
      ['StatefulSet db/etcd: 0/3 ready', 'error'],
    ]);
    expect(findings[0]?.detail).toContain('2 of 4 scheduled pods ready, 2 available.');
    expect(findings[0]?.facts.component).toBe('csi');
    expect(findings[0]?.evidence[0]?.text).toBe('desiredNumberScheduled=4 numberReady=2 numberAvailable=2 numberUnavailable=2');
    expect(findings[1]?.detail).toContain('ReplicaFailure=True (FailedCreate): pods "quota-bound-5d9c-" is forbidden: exceeded quota: compute');
    expect(findings[2]?.facts).toMatchObject({ workload: { kind: 'StatefulSet', namespace: 'db', name: 'etcd' }, ready: 0, desired: 3 });
  });

  it('finds the pods by selector when their ReplicaSet was not collected', () => {
    const deploy = workload('Deployment', 'web', 'apps', { desired: 1, ready: 0 });
    const p = pod('web-5d9c-abcde', 'apps', { node: 'n1', labels: { app: 'web' }, containers: [{ name: 'web', waiting: { reason: 'ImagePullBackOff' } }] });
    expect(only(run(rule, [deploy, p])).detail).toContain('Pods not ready: web-5d9c-abcde (ImagePullBackOff).');
  });

  it('says nothing about healthy workloads or ones scaled to 0', () => {
    const healthy = [
      workload('Deployment', 'ok', 'default', { desired: 3, ready: 3 }),
      workload('DaemonSet', 'ok-ds', 'default', { desired: 4, ready: 4 }),
      workload('StatefulSet', 'ok-sts', 'default', { desired: 1, ready: 1 }),
      workload('Deployment', 'scaled-down', 'default', { desired: 0, ready: 0 }),
      workload('DaemonSet', 'no-nodes', 'default', { desired: 0, ready: 0 }),
    ];
    expect(run(rule, healthy)).toEqual([]);
  });
});
