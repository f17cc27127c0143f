import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import { buildReportModel } from '../../src/report/model.js';
import { RULES } from '../../src/rules/index.js';
import { node } from '../fixtures/k8s.js';
import { snapshotOf } from '../fixtures/snapshot.js';

describe('a workload kubeconfig that came from the CAPI secret', () => {
  const snapshot = snapshotOf(
    { name: 'mgmt', role: 'management', kubeconfig: '/home/op/mgmt.conf', objects: [] },
    {
      name: 'wl-9', role: 'workload', kubeconfig: 'secret:fleet/wl-9-kubeconfig', capiCluster: { namespace: 'fleet', name: 'wl-9' },
      objects: [node('n1', { taints: [{ key: 'node.cluster.x-k8s.io/uninitialized', effect: 'NoSchedule' }] })],
    },
  );
  const model = buildReportModel(snapshot, diagnose(snapshot, RULES), new Date('2026-01-01T00:00:00Z'));

  it('is written to a file first, and the fixes use that file, never a "secret:" path', () => {
    expect(model.setup).toEqual([{
      text: 'Write the kubeconfig of wl-9 from its CAPI secret (the commands below use it)',
      command: "kubectl get secret wl-9-kubeconfig -n fleet -o 'jsonpath={.data.value}' --kubeconfig=/home/op/mgmt.conf | base64 -d > wl-9.kubeconfig",
    }]);
    const commands = model.fixes.flatMap((s) => s.actions.flatMap((a) => a.commands));
    expect(commands.length).toBeGreaterThan(0);
    expect(commands.some((c) => c.includes('--kubeconfig=wl-9.kubeconfig'))).toBe(true);
    expect(commands.every((c) => !c.includes('secret:'))).toBe(true);
  });
});
