import { describe, expect, it } from 'vitest';
import { rule } from '../../src/rules/node-uninitialized.js';
import { machine, node } from '../fixtures/k8s.js';
import { snapshotOf } from '../fixtures/snapshot.js';
import { CAPI_TAINT, CCM_TAINT, CP_TAINT, KUBECONFIG, WORKLOAD, run, seedCcm, seedNodes, workloadCluster } from './helpers.js';

describe('NODE_UNINITIALIZED', () => {
  it('reports every seed node with the uninitialized taints it carries and who removes them', () => {
    const { deploy, rs, pod } = seedCcm();
    const findings = run(rule, [...seedNodes(), deploy, rs, pod]);
    expect(findings.map((f) => f.subject)).toEqual([
      { kind: 'Node', name: 'cp-1' }, { kind: 'Node', name: 'worker-1' }, { kind: 'Node', name: 'worker-2' }, { kind: 'Node', name: 'worker-3' },
    ]);
    const [cp, worker] = findings;
    expect(cp?.code).toBe('NODE_UNINITIALIZED');
    expect(cp?.severity).toBe('error');
    expect(cp?.cluster).toBe(WORKLOAD);
    expect(cp?.title).toBe('Node cp-1 is not initialized');
    expect(cp?.facts).toEqual({ taints: ['node.cloudprovider.kubernetes.io/uninitialized'] });
    expect(cp?.detail).toContain('node.cloudprovider.kubernetes.io/uninitialized is removed by the cloud controller manager once it has initialized the node');
    expect(cp?.detail).not.toContain('node.cluster.x-k8s.io/uninitialized is removed');
    expect(cp?.remediation).toEqual([
      { text: expect.stringContaining('cloud controller manager'), command: `kubectl get pods -n kube-system -o wide --kubeconfig=${KUBECONFIG}` },
    ]);

    expect(worker?.facts).toEqual({ taints: ['node.cloudprovider.kubernetes.io/uninitialized', 'node.cluster.x-k8s.io/uninitialized'] });
    expect(worker?.detail).toContain('node.cluster.x-k8s.io/uninitialized is removed by Cluster API once it has matched the Node to its Machine by spec.providerID.');
    expect(worker?.detail).toContain('spec.providerID is not set: the cloud controller manager has not initialized the node, so Cluster API cannot match it to its Machine.');
    expect(worker?.evidence).toEqual([
      { source: 'fixture/clusters/dm-nkp-workload-1/cluster-resources/nodes.json', text: 'taints: node.cloudprovider.kubernetes.io/uninitialized=true:NoSchedule, node.cluster.x-k8s.io/uninitialized:NoSchedule' },
      { source: 'fixture/clusters/dm-nkp-workload-1/cluster-resources/nodes.json', text: 'spec.providerID: (not set)' },
    ]);
    const workaround = worker?.remediation.at(-1);
    expect(workaround?.text).toMatch(/^Workaround only/);
    expect(workaround?.command).toBe(`kubectl taint nodes worker-1 node.cluster.x-k8s.io/uninitialized- --kubeconfig=${KUBECONFIG}`);
  });

  it('says when the providerID is set and which Machine has it', () => {
    const providerID = 'nutanix://4b1c7e2a-0000-4000-8000-000000000001';
    const snapshot = snapshotOf(
      { name: 'mgmt', role: 'management', objects: [machine('dm-nkp-workload-1-md-0-abc', 'dm-dev-workspace', WORKLOAD, { providerID, nodeRef: 'worker-1' })] },
      workloadCluster([node('worker-1', { providerID, taints: [CAPI_TAINT] })]),
    );
    const [f] = rule.check(snapshot);
    expect(f?.facts).toEqual({ taints: ['node.cluster.x-k8s.io/uninitialized'] });
    expect(f?.detail).toContain(`spec.providerID is set (${providerID}), and Machine dm-dev-workspace/dm-nkp-workload-1-md-0-abc has the same providerID.`);
    // Without a recognised CCM, the remediation stays generic.
    expect(f?.remediation.map((r) => r.command)).toEqual([`kubectl taint nodes worker-1 node.cluster.x-k8s.io/uninitialized- --kubeconfig=${KUBECONFIG}`]);
  });

  it('looks for the CCM across namespaces when none is recognised', () => {
    const [f] = run(rule, [node('n1', { taints: [CCM_TAINT] })]);
    expect(f?.remediation[0]?.command).toBe(`kubectl get pods -A -o wide --kubeconfig=${KUBECONFIG}`);
  });

  it('says nothing about initialized nodes', () => {
    expect(run(rule, [node('cp', { controlPlane: true, taints: [CP_TAINT], providerID: 'nutanix://x' }), node('w')])).toEqual([]);
  });
});
