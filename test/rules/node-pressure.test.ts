import { describe, expect, it } from 'vitest';
import { rule } from '../../src/rules/node-pressure.js';
import { event, node, pod, unschedulablePod, workload } from '../fixtures/k8s.js';
import { snapshotOf } from '../fixtures/snapshot.js';
import { WL, WL_KUBECONFIG, diagnoseClusters, wlCluster } from './chain-helpers.js';
import { ownedBy, podEvent } from './helpers.js';

const EVICTED = 'The node was low on resource: ephemeral-storage. Threshold quantity: 10%, available: 4%. Container fluent-bit was using 9Gi, request is 0, has larger consumption of ephemeral-storage.';
const TAINTED = '0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.';

function diskFull() {
  return node('n1', {
    taints: [{ key: 'node.kubernetes.io/disk-pressure', effect: 'NoSchedule' }],
    conditions: [{ type: 'DiskPressure', status: 'True', reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure' }],
  });
}

function evictedLogShipper() {
  const ds = workload('DaemonSet', 'fluent-bit', 'logging', { desired: 1, ready: 1 });
  return [ds, ...['a1', 'b2'].map((id) => {
    const p = pod(`fluent-bit-${id}`, 'logging', { node: 'n1', phase: 'Failed', owner: ownedBy(ds), containers: [{ name: 'fluent-bit', ready: false, terminated: { reason: 'ContainerStatusUnknown', exitCode: 137 } }] });
    Object.assign(p.status, { reason: 'Evicted', message: EVICTED });
    return p;
  })];
}

function pendingWeb() {
  const p = unschedulablePod('web-0', 'apps', TAINTED);
  return [p, podEvent(p, 'FailedScheduling', TAINTED, { component: 'default-scheduler' })];
}

describe('NODE_PRESSURE', () => {
  it('reports a node under DiskPressure with the pods it evicted', () => {
    const threshold = event({ kind: 'Node', name: 'n1' }, 'EvictionThresholdMet', 'Attempting to reclaim ephemeral-storage');
    const [f, ...rest] = rule.check(snapshotOf(wlCluster([diskFull(), ...evictedLogShipper(), threshold])));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      code: 'NODE_PRESSURE', severity: 'error', cluster: WL, subject: { kind: 'Node', name: 'n1' },
      title: 'Node n1 is under DiskPressure',
      facts: { node: { cluster: WL, kind: 'Node', name: 'n1' }, pressure: ['DiskPressure'], taints: ['node.kubernetes.io/disk-pressure'] },
    });
    expect(f!.detail).toContain('Node n1 reports DiskPressure: the kubelet is short of disk (nodefs / imagefs).');
    expect(f!.detail).toContain('2 pods evicted from it: logging/fluent-bit-a1, logging/fluent-bit-b2.');
    expect(f!.evidence.map((e) => e.text)).toEqual([
      'DiskPressure=True KubeletHasDiskPressure: kubelet has disk pressure',
      'EvictionThresholdMet: Attempting to reclaim ephemeral-storage',
      `fluent-bit-b2: ${EVICTED}`,
    ]);
    expect(f!.remediation[0]!.command).toBe(`kubectl describe node n1 --kubeconfig=${WL_KUBECONFIG}`);
  });

  it('explains the evictions (one warning per owner) and the pods its taint keeps Pending', () => {
    const d = diagnoseClusters(wlCluster([diskFull(), ...evictedLogShipper(), ...pendingWeb()]));
    const pressure = d.one('NODE_PRESSURE');
    const evicted = d.one('CONTAINER_TERMINATED');
    expect(evicted.severity).toBe('warning');
    expect(evicted.title).toBe('2 pods of DaemonSet logging/fluent-bit were evicted from n1');
    expect(evicted.facts.evicted).toBe(true);
    expect(d.causes(evicted)).toEqual(['NODE_PRESSURE n1']);
    expect(d.causes(d.one('POD_UNSCHEDULABLE'))).toEqual(['NODE_PRESSURE n1']);
    expect(d.rootCauses).toEqual([pressure]);
  });

  it('says nothing about nodes without pressure', () => {
    const fine = node('n2', { conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'DiskPressure', status: 'False' }, { type: 'PIDPressure', status: 'False' }] });
    expect(rule.check(snapshotOf(wlCluster([fine])))).toEqual([]);
  });
});
