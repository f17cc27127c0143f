import { describe, expect, it } from 'vitest';
import { rule } from '../../src/rules/init-container-failing.js';
import { event, pod, workload, type ContainerOpts } from '../fixtures/k8s.js';
import { snapshotOf } from '../fixtures/snapshot.js';
import { WL, WL_KUBECONFIG, diagnoseClusters, wlCluster } from './chain-helpers.js';
import { ownedBy } from './helpers.js';

function webWithInit(init: ContainerOpts[]) {
  const deploy = workload('Deployment', 'web', 'apps', { desired: 1, ready: 0 });
  const rs = workload('ReplicaSet', 'web-6d9f', 'apps', { desired: 1, ready: 0, owner: ownedBy(deploy) });
  const p = pod('web-6d9f-x2x4z', 'apps', {
    node: 'n1', owner: ownedBy(rs), initContainers: init,
    containers: [{ name: 'web', ready: false, waiting: { reason: 'PodInitializing' } }],
  });
  return { deploy, rs, pod: p };
}

describe('INIT_CONTAINER_FAILING', () => {
  it('reports an init container that exited with an error (Init:Error), with its log, as the cause of the unavailable Deployment', () => {
    const { deploy, rs, pod: p } = webWithInit([{ name: 'wait-for-db', ready: false, terminated: { reason: 'Error', exitCode: 1 } }]);
    const log = { namespace: 'apps', pod: p.metadata.name, container: 'wait-for-db', previous: false, lines: ['waiting for postgres', 'Error: could not connect to postgres.db.svc:5432: connection refused'] };
    const [f, ...rest] = rule.check(snapshotOf(wlCluster([deploy, rs, p], [log])));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      code: 'INIT_CONTAINER_FAILING', severity: 'error', cluster: WL, subject: { kind: 'Pod', namespace: 'apps', name: 'web-6d9f-x2x4z' },
      title: 'web-6d9f-x2x4z: init container wait-for-db failed (Init:Error)',
      facts: { workload: { cluster: WL, kind: 'Deployment', namespace: 'apps', name: 'web' } },
    });
    expect(f!.detail).toContain('Init container wait-for-db failed: Error (exit code 1) — the process exited with an error (Init:Error).');
    expect(f!.detail).toContain('The pod\'s container does not start until it completes.');
    expect(f!.evidence.map((e) => e.text)).toContain('Error: could not connect to postgres.db.svc:5432: connection refused');
    expect(f!.remediation[0]!.command).toBe(`kubectl logs web-6d9f-x2x4z -n apps -c wait-for-db --kubeconfig=${WL_KUBECONFIG}`);

    const d = diagnoseClusters(wlCluster([deploy, rs, p], [log]));
    expect(d.causes(d.one('WORKLOAD_UNAVAILABLE'))).toEqual(['INIT_CONTAINER_FAILING web-6d9f-x2x4z']);
  });

  it('warns about an init container that has been running for long without completing', () => {
    const { deploy, rs, pod: p } = webWithInit([{ name: 'wait-for-db', ready: false }]);
    const clock = event({ kind: 'Node', name: 'n1' }, 'NodeReady', 'ready', { type: 'Normal', last: '2025-12-27T10:30:00Z' });
    const [f] = rule.check(snapshotOf(wlCluster([deploy, rs, p, clock])));
    expect(f!.severity).toBe('warning');
    expect(f!.title).toBe('web-6d9f-x2x4z: init container wait-for-db does not complete');
    expect(f!.detail).toContain('has been running for 30 minutes without completing');
  });

  it('leaves Init:CrashLoopBackOff to POD_CRASHLOOP, and says nothing about completed or just-started init containers', () => {
    const looping = webWithInit([{ name: 'a', restartCount: 6, waiting: { reason: 'CrashLoopBackOff' }, lastTerminated: { reason: 'Error', exitCode: 2 } }]);
    const done = webWithInit([{ name: 'a', ready: false, terminated: { reason: 'Completed', exitCode: 0 } }]);
    const starting = webWithInit([{ name: 'a', ready: false }]);
    expect(rule.check(snapshotOf(wlCluster([looping.pod])))).toEqual([]);
    expect(rule.check(snapshotOf(wlCluster([done.pod])))).toEqual([]);
    expect(rule.check(snapshotOf(wlCluster([starting.pod, event({ kind: 'Node', name: 'n1' }, 'NodeReady', 'ready', { type: 'Normal', last: '2025-12-27T10:02:00Z' })])))).toEqual([]);
  });
});
