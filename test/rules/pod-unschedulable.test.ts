import { describe, expect, it } from 'vitest';
import { parseSchedulingMessage, rule } from '../../src/rules/pod-unschedulable.js';
import { blockingTaints, toleratesTaint } from '../../src/rules/util/taints.js';
import type { Node, Pod } from '../../src/schema/generated.js';
import { helmAnnotations, node, pod, unschedulablePod, workload } from '../fixtures/k8s.js';
import {
  CAPI_TAINT, CCM_TAINT, CP_TAINT, KUBECONFIG, WORKLOAD, only, ownedBy, podEvent, run, seedCsiPrecheck, seedNodes, v1PodEvent,
} from './helpers.js';

const NEW_WORDING = '0/4 nodes are available: 4 node(s) had untolerated taint(s). preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.';
const OLD_WORDING = "0/4 nodes are available: 1 node(s) had taint {node-role.kubernetes.io/control-plane: }, that the pod didn't tolerate, 3 node(s) had untolerated taint {node.cloudprovider.kubernetes.io/uninitialized: true}. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.";

function konnectorAgent() {
  const deploy = workload('Deployment', 'konnector-agent', 'kommander', { desired: 1, ready: 0, annotations: helmAnnotations('konnector-agent', 'kommander') });
  const rs = workload('ReplicaSet', 'konnector-agent-5f7d9', 'kommander', { desired: 1, ready: 0, owner: ownedBy(deploy) });
  const p = unschedulablePod('konnector-agent-5f7d9-abcde', 'kommander', NEW_WORDING, { owner: ownedBy(rs) });
  return { deploy, rs, pod: p };
}

describe('POD_UNSCHEDULABLE', () => {
  it('works out the taints from the nodes when the scheduler no longer names them (new wording)', () => {
    const { deploy, rs, pod: p } = konnectorAgent();
    const failed = podEvent(p, 'FailedScheduling', NEW_WORDING, { count: 61, component: 'default-scheduler' });
    const f = only(run(rule, [...seedNodes(), deploy, rs, p, failed]));
    expect(f.code).toBe('POD_UNSCHEDULABLE');
    expect(f.severity).toBe('error');
    expect(f.cluster).toBe(WORKLOAD);
    expect(f.subject).toEqual({ kind: 'Pod', namespace: 'kommander', name: 'konnector-agent-5f7d9-abcde' });
    expect(f.title).toBe('konnector-agent-5f7d9-abcde cannot be scheduled');
    expect(f.detail).toContain('Pending: 0/4 nodes are available.');
    expect(f.detail).toContain(
      'Untolerated taints: node.cloudprovider.kubernetes.io/uninitialized=true:NoSchedule on 4 nodes, node.cluster.x-k8s.io/uninitialized:NoSchedule on 3 nodes, node-role.kubernetes.io/control-plane:NoSchedule on 1 node.',
    );
    expect(f.evidence).toEqual([{ source: 'fixture/clusters/dm-nkp-workload-1/cluster-resources/events.json', text: NEW_WORDING }]);
    expect(f.remediation.map((r) => r.command)).toEqual([
      `kubectl describe pod konnector-agent-5f7d9-abcde -n kommander --kubeconfig=${KUBECONFIG}`,
      `kubectl get nodes -o custom-columns=NAME:.metadata.name,TAINTS:.spec.taints --kubeconfig=${KUBECONFIG}`,
    ]);
    expect(f.facts).toEqual({
      pod: { cluster: WORKLOAD, kind: 'Pod', namespace: 'kommander', name: 'konnector-agent-5f7d9-abcde', hostNetwork: false },
      workload: { cluster: WORKLOAD, kind: 'Deployment', namespace: 'kommander', name: 'konnector-agent' },
      release: { cluster: WORKLOAD, name: 'konnector-agent', namespace: 'kommander' },
      taints: ['node.cloudprovider.kubernetes.io/uninitialized', 'node.cluster.x-k8s.io/uninitialized', 'node-role.kubernetes.io/control-plane'],
    });
  });

  it('ties a hook Job\'s pod to its release and hook (old wording, taints read from the nodes)', () => {
    const { job, pod: p } = seedCsiPrecheck(OLD_WORDING);
    const f = only(run(rule, [...seedNodes(), job, p]));
    expect(f.subject).toEqual({ kind: 'Pod', namespace: 'ntnx-system', name: 'nutanix-csi-precheck-job-7xk2q' });
    // No event: the PodScheduled condition's message is the evidence.
    expect(f.evidence).toEqual([{ source: 'fixture/clusters/dm-nkp-workload-1/cluster-resources/pods.json', text: OLD_WORDING }]);
    expect(f.detail).toContain('node.cloudprovider.kubernetes.io/uninitialized=true:NoSchedule on 4 nodes');
    expect(f.detail).toContain('It runs the pre-upgrade hook of Helm release nutanix-csi-storage');
    expect(f.facts.workload).toEqual({ cluster: WORKLOAD, kind: 'Job', namespace: 'ntnx-system', name: 'nutanix-csi-precheck-job' });
    expect(f.facts.release).toEqual({ cluster: WORKLOAD, name: 'nutanix-csi-storage', namespace: 'ntnx-system', hook: 'pre-upgrade' });
    expect(f.facts.component).toBe('csi');
    expect(f.facts.taints).toEqual(['node.cloudprovider.kubernetes.io/uninitialized', 'node.cluster.x-k8s.io/uninitialized', 'node-role.kubernetes.io/control-plane']);
  });

  it('falls back to the taints the old wording names when the nodes were not collected', () => {
    const { job, pod: p } = seedCsiPrecheck(OLD_WORDING);
    const f = only(run(rule, [job, p]));
    expect(f.facts.taints).toEqual(['node-role.kubernetes.io/control-plane', 'node.cloudprovider.kubernetes.io/uninitialized']);
    expect(f.detail).toContain('node.cloudprovider.kubernetes.io/uninitialized=true on 3 nodes (named by the scheduler)');
  });

  it('names other reasons (free ports) next to the taints, for the cilium operator', () => {
    const message = "0/4 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, 3 node(s) had untolerated taint(s). preemption: 0/4 nodes are available: 1 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.";
    const deploy = workload('Deployment', 'cilium-operator', 'kube-system', { desired: 2, ready: 1, images: ['quay.io/cilium/operator-generic:v1.16.5'], annotations: helmAnnotations('cilium', 'kube-system') });
    const p = unschedulablePod('cilium-operator-7d8f6-zz9kq', 'kube-system', message, {
      owner: ownedBy(deploy), hostNetwork: true,
      containers: [{ name: 'cilium-operator', image: 'quay.io/cilium/operator-generic:v1.16.5' }],
      tolerations: [
        { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' },
        { key: 'node.cloudprovider.kubernetes.io/uninitialized', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists' },
      ],
    });
    const f = only(run(rule, [...seedNodes(), deploy, p, podEvent(p, 'FailedScheduling', message)]));
    expect(f.detail).toContain('Untolerated taints: node.cluster.x-k8s.io/uninitialized:NoSchedule on 3 nodes.');
    expect(f.detail).toContain("Also: 1 node(s) didn't have free ports for the requested pod ports.");
    expect(f.facts.taints).toEqual(['node.cluster.x-k8s.io/uninitialized']);
    expect(f.facts.component).toBe('cni-operator');
    expect(f.facts.pod).toMatchObject({ hostNetwork: true });
  });

  it('reads an events.k8s.io/v1 FailedScheduling event (regarding, note) the same, latest event first', () => {
    const { deploy, rs, pod: p } = konnectorAgent();
    const older = podEvent(p, 'FailedScheduling', '0/4 nodes are available: 4 Insufficient memory.', { last: '2025-12-27T08:00:00Z' });
    const v1 = v1PodEvent(p, 'FailedScheduling', NEW_WORDING, { seriesCount: 30, last: '2025-12-27T10:00:00Z' });
    const f = only(run(rule, [...seedNodes(), deploy, rs, p, older, v1]));
    expect(f.evidence[0]?.text).toBe(NEW_WORDING);
    expect(f.facts.taints).toContain('node.cluster.x-k8s.io/uninitialized');
  });

  it('does not blame taints when the scheduler names only resources', () => {
    const message = '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';
    const p = unschedulablePod('big-0', 'apps', message);
    const nodes = [node('n1', { taints: [CP_TAINT] }), node('n2'), node('n3')];
    const f = only(run(rule, [...nodes, p]));
    expect(f.detail).toBe('Pending: 0/3 nodes are available. Reasons: 3 Insufficient cpu.');
    expect(f.facts.taints).toBeUndefined();
  });

  it('says nothing about running or bound pods, or pods without scheduling trouble', () => {
    const running = pod('ok', 'default', { node: 'n1' });
    const creating = pod('creating', 'default', { node: 'n1', phase: 'Pending', containers: [{ name: 'main', waiting: { reason: 'ContainerCreating' } }] });
    const gated = pod('gated', 'default', { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] });
    expect(run(rule, [...seedNodes(), running, creating, gated])).toEqual([]);
  });
});

describe('taint toleration (Kubernetes semantics)', () => {
  const t = (key: string, effect: string, value?: string) => ({ key, effect, ...(value !== undefined ? { value } : {}) });

  it('matches Exists, Equal, empty key and empty effect', () => {
    expect(toleratesTaint({ operator: 'Exists' }, t('anything', 'NoSchedule'))).toBe(true);
    expect(toleratesTaint({ key: 'a', operator: 'Exists' }, t('a', 'NoExecute', 'x'))).toBe(true);
    expect(toleratesTaint({ key: 'a', operator: 'Exists', effect: 'NoSchedule' }, t('a', 'NoExecute'))).toBe(false);
    expect(toleratesTaint({ key: 'a', operator: 'Equal', value: 'true' }, t('a', 'NoSchedule', 'true'))).toBe(true);
    expect(toleratesTaint({ key: 'a', value: 'true' }, t('a', 'NoSchedule', 'true'))).toBe(true);
    expect(toleratesTaint({ key: 'a', operator: 'Equal', value: 'false' }, t('a', 'NoSchedule', 'true'))).toBe(false);
    expect(toleratesTaint({ key: 'a', operator: 'Equal' }, t('a', 'NoSchedule'))).toBe(true);
    expect(toleratesTaint({ key: 'b', operator: 'Exists' }, t('a', 'NoSchedule'))).toBe(false);
  });

  it('blocks only on NoSchedule/NoExecute taints the pod does not tolerate, on nodes its nodeSelector allows', () => {
    const p = pod('p', 'default', { tolerations: [{ key: CCM_TAINT.key, operator: 'Exists' }] }) as unknown as Pod;
    (p.spec as { nodeSelector?: Record<string, string> }).nodeSelector = { 'kubernetes.io/hostname': 'w1' };
    const nodes = [
      node('w1', { taints: [CCM_TAINT, CAPI_TAINT, { key: 'soft', effect: 'PreferNoSchedule' }] }),
      node('w2', { taints: [CAPI_TAINT] }),
    ] as unknown as Node[];
    expect(blockingTaints(p, nodes).map((b) => ({ key: b.taint.key, nodes: b.nodes }))).toEqual([{ key: CAPI_TAINT.key, nodes: ['w1'] }]);
  });

  it('counts only the nodes a DaemonSet pod\'s required node affinity allows', () => {
    const p = pod('p', 'default', { tolerations: [] }) as unknown as Pod;
    p.spec.affinity = {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['w2'] }] }] } },
    };
    const nodes = [node('w1', { taints: [CCM_TAINT] }), node('w2', { taints: [CAPI_TAINT] })] as unknown as Node[];
    expect(blockingTaints(p, nodes).map((b) => ({ key: b.taint.key, nodes: b.nodes }))).toEqual([{ key: CAPI_TAINT.key, nodes: ['w2'] }]);
  });

  it('parses both wordings of the scheduler message', () => {
    expect(parseSchedulingMessage(NEW_WORDING)).toEqual({ available: '0/4', otherReasons: [], namedTaints: [], taintsMatter: true });
    expect(parseSchedulingMessage(OLD_WORDING)).toEqual({
      available: '0/4', otherReasons: [], taintsMatter: true,
      namedTaints: [{ key: 'node-role.kubernetes.io/control-plane', value: '', nodes: 1 }, { key: 'node.cloudprovider.kubernetes.io/uninitialized', value: 'true', nodes: 3 }],
    });
    expect(parseSchedulingMessage("0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.").otherReasons).toEqual(["2 node(s) didn't match Pod's node affinity/selector"]);
  });
});
