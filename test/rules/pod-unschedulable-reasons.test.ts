import { describe, expect, it } from 'vitest';
import { rule, schedulingReasonKeys } from '../../src/rules/pod-unschedulable.js';
import { node, unschedulablePod } from '../fixtures/k8s.js';
import { only, podEvent, run } from './helpers.js';

describe('POD_UNSCHEDULABLE scheduling reasons as facts', () => {
  it('gives the scheduler\'s non-taint reasons stable keys', () => {
    expect(schedulingReasonKeys([
      '2 Insufficient memory', '1 Insufficient cpu', "1 node(s) didn't match Pod's node affinity/selector", "1 node(s) didn't match pod anti-affinity rules",
      'pod has unbound immediate PersistentVolumeClaims', "1 node(s) didn't have free ports for the requested pod ports", '1 node(s) had volume node affinity conflict',
      "1 node(s) didn't match pod topology spread constraints", '1 node(s) were unschedulable', 'something new',
    ])).toEqual(['insufficient-resources', 'node-affinity', 'pod-affinity', 'unbound-pvc', 'free-ports', 'volume-node-affinity', 'topology-spread', 'node-unschedulable', 'other']);
  });

  it('carries them in its facts, and leaves them out when only taints block the pod', () => {
    const message = '0/3 nodes are available: 1 Insufficient memory, 2 node(s) didn\'t match Pod\'s node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';
    const p = unschedulablePod('big-0', 'apps', message);
    const f = only(run(rule, [node('n1'), node('n2'), node('n3'), p, podEvent(p, 'FailedScheduling', message)]));
    expect(f.facts.schedulingReasons).toEqual(['insufficient-resources', 'node-affinity']);
    const tainted = unschedulablePod('t-0', 'apps', '0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}.');
    expect(only(run(rule, [node('n1', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }), tainted])).facts.schedulingReasons).toBeUndefined();
  });
});
