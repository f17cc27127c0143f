import { describe, expect, it } from 'vitest';
import { rule } from '../../src/rules/job-failed.js';
import { helmAnnotations, job, pod } from '../fixtures/k8s.js';
import { snapshotOf } from '../fixtures/snapshot.js';
import { WL, WL_KUBECONFIG, wlCluster } from './chain-helpers.js';
import { ownedBy } from './helpers.js';

describe('JOB_FAILED', () => {
  it('reports a hook Job that exceeded its deadline, with how its last pod ended and its release', () => {
    const hook = job('csi-precheck', 'ntnx-system', {
      annotations: helmAnnotations('csi', 'ntnx-system', 'pre-upgrade'), active: 0, failed: 1,
      conditions: [{ type: 'Failed', status: 'True', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' }],
    });
    const p = pod('csi-precheck-x1', 'ntnx-system', { node: 'n1', phase: 'Failed', owner: ownedBy(hook, 'batch/v1'), containers: [{ name: 'precheck', ready: false, terminated: { reason: 'Error', exitCode: 143 } }] });
    const [f, ...rest] = rule.check(snapshotOf(wlCluster([hook, p])));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      code: 'JOB_FAILED', severity: 'error', cluster: WL, subject: { kind: 'Job', namespace: 'ntnx-system', name: 'csi-precheck' },
      title: 'Job csi-precheck failed: DeadlineExceeded (pre-upgrade hook)',
      facts: { workload: { cluster: WL, kind: 'Job', namespace: 'ntnx-system', name: 'csi-precheck' }, release: { cluster: WL, name: 'csi', namespace: 'ntnx-system', hook: 'pre-upgrade' } },
    });
    expect(f!.detail).toContain('Job ntnx-system/csi-precheck failed (DeadlineExceeded): it ran longer than spec.activeDeadlineSeconds (1 failed pod, backoffLimit 6).');
    expect(f!.detail).toContain('Its latest pod csi-precheck-x1 ended with Error (exit code 143) in container precheck.');
    expect(f!.detail).toContain('It is the pre-upgrade hook of Helm release csi');
    expect(f!.remediation.map((r) => r.command)).toEqual([
      `kubectl logs job/csi-precheck -n ntnx-system --all-containers --kubeconfig=${WL_KUBECONFIG}`,
      `kubectl describe job csi-precheck -n ntnx-system --kubeconfig=${WL_KUBECONFIG}`,
      `kubectl delete job csi-precheck -n ntnx-system --kubeconfig=${WL_KUBECONFIG}`,
    ]);
  });

  it('warns about a Job a CronJob started, and says nothing about running or completed Jobs', () => {
    const cron = job('backup-2912', 'ops', { active: 0, failed: 7, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] });
    (cron.metadata as { ownerReferences?: object[] }).ownerReferences = [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'backup', controller: true }];
    const running = job('migrate', 'ops', { active: 1 });
    const done = job('init', 'ops', { active: 0, conditions: [{ type: 'Complete', status: 'True' }] });
    const findings = rule.check(snapshotOf(wlCluster([cron, running, done])));
    expect(findings.map((f) => [f.subject.name, f.severity])).toEqual([['backup-2912', 'warning']]);
  });
});
