import { describe, expect, it } from 'vitest';
import { rule } from '../../src/rules/node-not-ready.js';
import { node } from '../fixtures/k8s.js';
import { CAPI_TAINT, CCM_TAINT, KUBECONFIG, WORKLOAD, only, run } from './helpers.js';

const CNI_MESSAGE = 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';

describe('NODE_NOT_READY', () => {
  it('reports a node whose container network is not ready, with its taints', () => {
    const n = node('worker-1', {
      ready: false, readyMessage: CNI_MESSAGE,
      taints: [CCM_TAINT, CAPI_TAINT, { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }],
    });
    const f = only(run(rule, [n]));
    expect(f.code).toBe('NODE_NOT_READY');
    expect(f.severity).toBe('error');
    expect(f.cluster).toBe(WORKLOAD);
    expect(f.subject).toEqual({ kind: 'Node', name: 'worker-1' });
    expect(f.title).toBe('Node worker-1 is not ready (container network not ready)');
    expect(f.detail).toContain('Node worker-1 is not ready: Ready=False (KubeletNotReady).');
    expect(f.detail).toContain(`Kubelet: ${CNI_MESSAGE}`);
    expect(f.detail).toContain('The container network is not ready on this node');
    expect(f.evidence).toEqual([{ source: 'fixture/clusters/dm-nkp-workload-1/cluster-resources/nodes.json', text: `Ready=False KubeletNotReady: ${CNI_MESSAGE}` }]);
    expect(f.remediation.map((r) => r.command)).toEqual([
      `kubectl describe node worker-1 --kubeconfig=${KUBECONFIG}`,
      `kubectl get pods -A -o wide --field-selector spec.nodeName=worker-1 --kubeconfig=${KUBECONFIG}`,
    ]);
    expect(f.facts).toEqual({ taints: ['node.cloudprovider.kubernetes.io/uninitialized', 'node.cluster.x-k8s.io/uninitialized', 'node.kubernetes.io/not-ready'], networkNotReady: true });
  });

  it('reports a node whose kubelet stopped posting status (Unknown)', () => {
    const n = node('worker-2', { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] });
    n.status.conditions[0] = { ...n.status.conditions[0]!, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' };
    const f = only(run(rule, [n]));
    expect(f.title).toBe('Node worker-2 is not ready');
    expect(f.detail).toContain('its Ready condition is Unknown (NodeStatusUnknown), the kubelet has stopped posting its status.');
    expect(f.detail).not.toContain('container network');
    expect(f.facts.taints).toEqual(['node.kubernetes.io/unreachable']);
  });

  it('says nothing about Ready nodes, even tainted ones', () => {
    expect(run(rule, [node('a'), node('b', { taints: [CCM_TAINT] })])).toEqual([]);
  });
});
