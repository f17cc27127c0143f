import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import type { FindingDraft, Rule } from '../../src/rules/types.js';
import { snapshotOf } from '../fixtures/snapshot.js';

const W = 'wl';
const draft = (code: string, name: string, facts: FindingDraft['facts'], severity: FindingDraft['severity'] = 'error', cluster = W): FindingDraft => ({
  code, severity, cluster, subject: { kind: 'X', namespace: 'ns', name }, title: `${code} ${name}`, detail: '', evidence: [], remediation: [], facts,
});
const pod = (name: string) => ({ cluster: W, kind: 'Pod', namespace: 'kube-system', name });
const ds = { cluster: W, kind: 'DaemonSet', namespace: 'kube-system', name: 'agent' };
const rulesOf = (drafts: FindingDraft[]): Rule[] => [{ meta: { code: 'ANY', severity: 'error', title: '', docs: '' }, check: () => drafts }];
const empty = snapshotOf({ name: W, role: 'workload', objects: [] });

/** The seed incident's shape, with neutral names. */
function seedShape(): FindingDraft[] {
  return [
    draft('PROBE_FAILING', 'agent-1', { pod: pod('agent-1'), workload: ds, component: 'cni' }, 'warning'),
    draft('POD_CRASHLOOP', 'agent-1', { pod: pod('agent-1'), workload: ds, component: 'cni' }),
    draft('CNI_NOT_READY', 'agent', { workload: ds, component: 'cni', release: { cluster: W, name: 'net', namespace: 'kube-system' } }),
    draft('API_SERVER_UNREACHABLE', 'ccm-1', { pod: pod('ccm-1'), component: 'ccm', apiAddress: '10.96.0.1', apiViaClusterIp: true }),
    draft('POD_CRASHLOOP', 'ccm-1', { pod: pod('ccm-1'), component: 'ccm' }),
    draft('NODE_UNINITIALIZED', 'worker-1', { taints: ['node.cloudprovider.kubernetes.io/uninitialized', 'node.cluster.x-k8s.io/uninitialized'] }),
    draft('POD_UNSCHEDULABLE', 'operator-2', { pod: pod('operator-2'), component: 'cni-operator', taints: ['node.cluster.x-k8s.io/uninitialized'] }),
    draft('POD_UNSCHEDULABLE', 'hook-1', { pod: pod('hook-1'), release: { cluster: W, name: 'storage', namespace: 'storage', hook: 'pre-upgrade' }, taints: ['node.cluster.x-k8s.io/uninitialized'] }),
    draft('HRP_FAILED', 'storage-hrp', { managedRelease: { cluster: W, name: 'storage', namespace: 'storage' }, hookPhase: 'pre-upgrade', waitedForResources: true, helmChartProxy: { cluster: 'm', kind: 'HelmChartProxy', namespace: 'ws', name: 'storage-hcp' } }, 'error', 'm'),
    draft('HRP_FAILED', 'net-hrp', { managedRelease: { cluster: W, name: 'net', namespace: 'kube-system' }, hookPhase: 'post-upgrade', waitedForResources: true }, 'error', 'm'),
    draft('HCP_NOT_READY', 'storage-hcp', { helmChartProxy: { cluster: 'm', kind: 'HelmChartProxy', namespace: 'ws', name: 'storage-hcp' } }, 'error', 'm'),
  ];
}

const byTitle = (d: ReturnType<typeof diagnose>) => new Map(d.findings.map((f) => [f.title, f]));

describe('diagnosis', () => {
  it('links the seed chain: CNI down → API unreachable → CCM crash → nodes uninitialized → pods unschedulable → hook timeout → HRP → HCP', () => {
    const d = diagnose(empty, rulesOf(seedShape()));
    const f = byTitle(d);
    const idOf = (title: string) => f.get(title)!.id;
    expect(f.get('API_SERVER_UNREACHABLE ccm-1')!.causedBy).toEqual([idOf('CNI_NOT_READY agent')]);
    expect(f.get('POD_CRASHLOOP ccm-1')!.causedBy).toEqual([idOf('API_SERVER_UNREACHABLE ccm-1')]);
    expect(f.get('NODE_UNINITIALIZED worker-1')!.causedBy).toEqual([idOf('POD_CRASHLOOP ccm-1')]);
    expect(f.get('POD_UNSCHEDULABLE hook-1')!.causedBy).toEqual([idOf('NODE_UNINITIALIZED worker-1')]);
    expect(f.get('HRP_FAILED storage-hrp')!.causedBy).toEqual([idOf('POD_UNSCHEDULABLE hook-1')]);
    expect(f.get('HCP_NOT_READY storage-hcp')!.causedBy).toEqual([idOf('HRP_FAILED storage-hrp')]);
    // The CNI's own HRP is explained by the CNI, and the shortcut from its crashing pod is dropped.
    expect(f.get('HRP_FAILED net-hrp')!.causedBy).toEqual([idOf('CNI_NOT_READY agent')]);
    expect(f.get('CNI_NOT_READY agent')!.causedBy.sort()).toEqual([idOf('POD_CRASHLOOP agent-1'), idOf('POD_UNSCHEDULABLE operator-2')].sort());
  });

  it('names the deadlock, says where to break it, and makes the CNI agent failure the root cause', () => {
    const d = diagnose(empty, rulesOf(seedShape()));
    const f = byTitle(d);
    expect(d.rootCauses).toEqual([f.get('PROBE_FAILING agent-1')!.id]);
    expect(d.cycles).toHaveLength(1);
    const members = d.cycles[0]!.members.map((id) => d.findings.find((x) => x.id === id)!.title).sort();
    expect(members).toEqual(['API_SERVER_UNREACHABLE ccm-1', 'CNI_NOT_READY agent', 'NODE_UNINITIALIZED worker-1', 'POD_CRASHLOOP ccm-1', 'POD_UNSCHEDULABLE operator-2']);
    expect(d.cycles[0]!.breaks).toEqual([{ cause: f.get('NODE_UNINITIALIZED worker-1')!.id, effect: f.get('POD_UNSCHEDULABLE operator-2')!.id, how: expect.stringContaining('Remove the CAPI taint node.cluster.x-k8s.io/uninitialized') }]);
  });

  it('counts the members of a closed loop that nothing outside explains as root causes', () => {
    const drafts = seedShape().filter((d) => !d.subject.name.startsWith('agent-'));
    const d = diagnose(empty, rulesOf(drafts));
    const roots = d.rootCauses.map((id) => d.findings.find((x) => x.id === id)!.code).sort();
    expect(roots).toEqual(['API_SERVER_UNREACHABLE', 'CNI_NOT_READY', 'NODE_UNINITIALIZED', 'POD_CRASHLOOP', 'POD_UNSCHEDULABLE']);
  });

  it('does not link an HRP that failed for a reason other than waiting, nor findings across clusters', () => {
    const drafts = [
      draft('POD_UNSCHEDULABLE', 'hook-1', { pod: pod('hook-1'), release: { cluster: W, name: 'storage', namespace: 'storage' } }),
      draft('HRP_FAILED', 'storage-hrp', { managedRelease: { cluster: W, name: 'storage', namespace: 'storage' }, waitedForResources: false }, 'error', 'm'),
      draft('HRP_FAILED', 'other-hrp', { managedRelease: { cluster: 'other', name: 'storage', namespace: 'storage' }, waitedForResources: true }, 'error', 'm'),
    ];
    const d = diagnose(empty, rulesOf(drafts));
    expect(d.findings.every((f) => f.causedBy.length === 0)).toBe(true);
    expect(d.rootCauses).toHaveLength(3);
  });

  it('keeps info findings out of the root causes and turns a throwing rule into a rule error', () => {
    const throwing: Rule = { meta: { code: 'BROKEN', severity: 'error', title: '', docs: '' }, check: () => { throw new Error('boom'); } };
    const d = diagnose(empty, [...rulesOf([draft('COLLECTION_INCOMPLETE', 'b', {}, 'info')]), throwing]);
    expect(d.rootCauses).toEqual([]);
    expect(d.ruleErrors).toEqual([{ code: 'BROKEN', message: 'boom' }]);
  });
});
