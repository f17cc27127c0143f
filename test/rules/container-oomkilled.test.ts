import { describe, expect, it } from 'vitest';
import { rule } from '../../src/rules/container-oomkilled.js';
import { pod, workload } from '../fixtures/k8s.js';
import { KUBECONFIG, WORKLOAD, only, ownedBy, run } from './helpers.js';

function withMemoryLimit<T extends { spec: { containers: object[] } }>(p: T, limit: string): T {
  Object.assign(p.spec.containers[0]!, { resources: { limits: { memory: limit }, requests: { memory: '128Mi' } } });
  return p;
}

describe('CONTAINER_OOMKILLED', () => {
  it('names the memory limit of a container whose last termination was OOMKilled', () => {
    const sts = workload('StatefulSet', 'prometheus', 'monitoring', { desired: 1, ready: 0 });
    const p = withMemoryLimit(pod('prometheus-0', 'monitoring', {
      node: 'worker-2', owner: ownedBy(sts),
      containers: [{ name: 'prometheus', restartCount: 4, waiting: { reason: 'CrashLoopBackOff' }, lastTerminated: { reason: 'OOMKilled', exitCode: 137 } }],
    }), '512Mi');
    const f = only(run(rule, [sts, p]));
    expect(f.code).toBe('CONTAINER_OOMKILLED');
    expect(f.severity).toBe('error');
    expect(f.subject).toEqual({ kind: 'Pod', namespace: 'monitoring', name: 'prometheus-0' });
    expect(f.title).toBe('prometheus-0: container prometheus was OOMKilled');
    expect(f.detail).toBe('Container prometheus was killed for using more than its memory limit of 512Mi (exit code 137); 4 restarts so far.');
    expect(f.evidence).toEqual([{
      source: 'fixture/clusters/dm-nkp-workload-1/cluster-resources/pods.json',
      text: 'container prometheus: waiting: CrashLoopBackOff, ready=false, restartCount=4, last terminated: OOMKilled (exit code 137), limits.memory=512Mi',
    }]);
    expect(f.remediation[0]?.command).toBe(`kubectl describe pod prometheus-0 -n monitoring --kubeconfig=${KUBECONFIG}`);
    expect(f.facts).toEqual({
      pod: { cluster: WORKLOAD, kind: 'Pod', namespace: 'monitoring', name: 'prometheus-0', node: 'worker-2', hostNetwork: false },
      workload: { cluster: WORKLOAD, kind: 'StatefulSet', namespace: 'monitoring', name: 'prometheus' },
      restarts: 4,
    });
  });

  it('reports a current OOMKilled termination of a container without a limit', () => {
    const p = pod('batch-x', 'jobs', { node: 'n1', phase: 'Failed', containers: [{ name: 'work', terminated: { reason: 'OOMKilled', exitCode: 137 } }] });
    const f = only(run(rule, [p]));
    expect(f.detail).toContain('it has no memory limit, so the node itself ran short of memory');
    expect(f.evidence[0]?.text).toContain(', no memory limit');
  });

  it('says nothing about other terminations', () => {
    const errored = pod('e', 'default', { node: 'n1', containers: [{ name: 'main', ready: true, restartCount: 1, lastTerminated: { reason: 'Error', exitCode: 1 } }] });
    const healthy = pod('ok', 'default', { node: 'n1' });
    expect(run(rule, [errored, healthy])).toEqual([]);
  });
});
