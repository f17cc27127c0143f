import { describe, expect, it } from 'vitest';
import { rule } from '../../src/rules/container-terminated.js';
import { helmAnnotations, hrp, job, pod } from '../fixtures/k8s.js';
import { snapshotOf } from '../fixtures/snapshot.js';
import { MGMT, NS, WL, WL_KUBECONFIG, diagnoseClusters, mgmtCluster, wlCluster } from './chain-helpers.js';
import { ownedBy } from './helpers.js';

const HOOK_ERROR = 'Error: cilium status: unable to reach cilium-health: Get "http://localhost:4240/hello": dial tcp [::1]:4240: connect: connection refused';

/** The post-upgrade hook Job of a release, which failed three times (restartPolicy Never), and its pods. */
function failedHook() {
  const hook = job('cni-post-upgrade', 'kube-system', {
    annotations: { ...helmAnnotations('cni', 'kube-system', 'post-upgrade'), 'helm.sh/hook-delete-policy': 'before-hook-creation' },
    active: 0, failed: 3,
    conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }],
  });
  const pods = ['aaaaa', 'bbbbb', 'ccccc'].map((id, i) => {
    const p = pod(`cni-post-upgrade-${id}`, 'kube-system', {
      node: 'n1', phase: 'Failed', owner: ownedBy(hook, 'batch/v1'), labels: { 'job-name': 'cni-post-upgrade' },
      containers: [{ name: 'check', ready: false, terminated: { reason: 'Error', exitCode: 1 } }],
    });
    (p.status.containerStatuses![0]!.state as { terminated: { finishedAt?: string } }).terminated.finishedAt = `2025-12-27T09:0${i}:00Z`;
    (p.spec as { restartPolicy?: string }).restartPolicy = 'Never';
    return p;
  });
  const log = { namespace: 'kube-system', pod: 'cni-post-upgrade-ccccc', container: 'check', previous: false, lines: ['checking cilium status', HOOK_ERROR] };
  return { hook, pods, log };
}

const hookHrp = () => hrp('cni-wl-7-x1', NS, {
  cluster: WL, hcp: 'cni', releaseName: 'cni', releaseNamespace: 'kube-system', helmStatus: 'failed',
  conditions: [
    { type: 'Ready', status: 'False', reason: 'HelmInstallOrUpgradeFailed', message: 'post-upgrade hooks failed: 1 error occurred:\n\t* job cni-post-upgrade failed: BackoffLimitExceeded' },
    { type: 'HelmReleaseReady', status: 'False', reason: 'HelmInstallOrUpgradeFailed', message: 'post-upgrade hooks failed: 1 error occurred:\n\t* job cni-post-upgrade failed: BackoffLimitExceeded' },
  ],
});

describe('CONTAINER_TERMINATED', () => {
  it('reports the latest failed pod of a Job once, with the exit code and the log line that explains it', () => {
    const { hook, pods, log } = failedHook();
    const [f, ...rest] = rule.check(snapshotOf(wlCluster([hook, ...pods], [log])));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      code: 'CONTAINER_TERMINATED', severity: 'error', cluster: WL, subject: { kind: 'Pod', namespace: 'kube-system', name: 'cni-post-upgrade-ccccc' },
      title: 'cni-post-upgrade-ccccc: container check terminated with exit code 1',
      facts: { workload: { cluster: WL, kind: 'Job', namespace: 'kube-system', name: 'cni-post-upgrade' }, release: { cluster: WL, name: 'cni', namespace: 'kube-system', hook: 'post-upgrade' } },
    });
    expect(f!.detail).toContain('Container check terminated: Error (exit code 1) — the process exited with an error.');
    expect(f!.detail).toContain('The pod is Failed (restartPolicy Never): it will not be restarted.');
    expect(f!.detail).toContain('3 pods of Job cni-post-upgrade failed; this is the latest.');
    expect(f!.evidence).toContainEqual({ source: `fixture/clusters/${WL}/cluster-resources/pods/logs/kube-system/cni-post-upgrade-ccccc/check.log`, text: HOOK_ERROR });
    expect(f!.remediation[0]!.command).toBe(`kubectl logs cni-post-upgrade-ccccc -n kube-system -c check --kubeconfig=${WL_KUBECONFIG}`);
  });

  it('is the root of the chain: pod exit → JOB_FAILED → HRP_FAILED (hook) → HCP_NOT_READY', () => {
    const { hook, pods, log } = failedHook();
    const d = diagnoseClusters(mgmtCluster([hookHrp()]), wlCluster([hook, ...pods], [log]));
    const terminated = d.one('CONTAINER_TERMINATED');
    expect(d.causes(d.one('JOB_FAILED'))).toEqual(['CONTAINER_TERMINATED cni-post-upgrade-ccccc']);
    expect(d.causes(d.one('HRP_FAILED'))).toEqual(['JOB_FAILED cni-post-upgrade']);
    expect(d.one('HRP_FAILED').cluster).toBe(MGMT);
    expect(d.rootCauses).toEqual([terminated]);
  });

  it('leaves crash loops, OOM kills, completed containers and pods being deleted to others', () => {
    const crashing = pod('a', 'default', { node: 'n1', containers: [{ name: 'm', restartCount: 7, waiting: { reason: 'CrashLoopBackOff' }, lastTerminated: { reason: 'Error', exitCode: 1 } }] });
    const oom = pod('b', 'default', { node: 'n1', phase: 'Failed', containers: [{ name: 'm', ready: false, terminated: { reason: 'OOMKilled', exitCode: 137 } }] });
    const done = pod('c', 'default', { node: 'n1', phase: 'Succeeded', containers: [{ name: 'm', ready: false, terminated: { reason: 'Completed', exitCode: 0 } }] });
    const stopping = pod('d', 'default', { node: 'n1', containers: [{ name: 'm', ready: false, terminated: { reason: 'Error', exitCode: 143 } }] });
    (stopping.metadata as { deletionTimestamp?: string }).deletionTimestamp = '2025-12-27T10:00:00Z';
    expect(rule.check(snapshotOf(wlCluster([crashing, oom, done, stopping])))).toEqual([]);
  });

  it('explains signal exits (137 without OOM, 143)', () => {
    const p = pod('web-1', 'apps', { node: 'n1', containers: [{ name: 'web', ready: false, restartCount: 2, terminated: { reason: 'Error', exitCode: 137 } }] });
    const [f] = rule.check(snapshotOf(wlCluster([p])));
    expect(f!.detail).toContain('the process was killed with SIGKILL');
  });
});
