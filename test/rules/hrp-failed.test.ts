import { describe, expect, it } from 'vitest';
import { rule } from '../../src/rules/hrp-failed.js';
import { hrp } from '../fixtures/k8s.js';
import { snapshotOf } from '../fixtures/snapshot.js';

const mgmt = (...objects: object[]) =>
  snapshotOf({ name: 'mgmt-a', role: 'management', kubeconfig: '/home/op/mgmt.conf', objects });

const failed = (message: string, extra: Partial<Parameters<typeof hrp>[2]> = {}) =>
  hrp('cni-wl-7-x1', 'fleet', {
    cluster: 'wl-7', hcp: 'cni-proxy', releaseName: 'cni', releaseNamespace: 'kube-system', helmStatus: 'failed',
    conditions: [
      { type: 'Ready', status: 'False', reason: 'HelmInstallOrUpgradeFailed', severity: 'Error', message },
      { type: 'HelmReleaseReady', status: 'False', reason: 'HelmInstallOrUpgradeFailed', severity: 'Error', message },
      { type: 'ClusterAvailable', status: 'True' },
    ],
    ...extra,
  });

describe('HRP_FAILED', () => {
  it('names the hook phase of a one-line Helm hook timeout and the release it manages', () => {
    const [finding, ...rest] = rule.check(mgmt(failed('post-upgrade hooks failed: timed out waiting for condition')));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      code: 'HRP_FAILED', severity: 'error', cluster: 'mgmt-a', targetCluster: 'wl-7',
      subject: { kind: 'HelmReleaseProxy', namespace: 'fleet', name: 'cni-wl-7-x1' },
      title: 'HelmReleaseProxy cni-wl-7-x1 failed: post-upgrade hooks timed out',
      facts: {
        hookPhase: 'post-upgrade', waitedForResources: true,
        managedRelease: { cluster: 'wl-7', name: 'cni', namespace: 'kube-system' },
        helmChartProxy: { cluster: 'mgmt-a', kind: 'HelmChartProxy', namespace: 'fleet', name: 'cni-proxy' },
      },
    });
    expect(finding!.detail).toContain('Helm release kube-system/cni in cluster wl-7 is `failed` (revision 2), reason HelmInstallOrUpgradeFailed.');
    expect(finding!.detail).toContain('Helm: post-upgrade hooks failed: timed out waiting for condition');
    expect(finding!.evidence[0]!.text).toBe('status.status=failed; Ready=False HelmInstallOrUpgradeFailed: post-upgrade hooks failed: timed out waiting for condition');
    expect(finding!.remediation.map((r) => r.text)).toEqual([
      'Delete the failed HelmReleaseProxies: their HelmChartProxy recreates them and CAAPH retries the Helm release',
      'Wait for the recreated HelmReleaseProxies to become Ready',
    ]);
    expect(finding!.remediation.map((r) => r.command)).toEqual([
      'kubectl delete helmreleaseproxy cni-wl-7-x1 -n fleet --kubeconfig=/home/op/mgmt.conf',
      'kubectl wait --for=condition=Ready helmreleaseproxy -l cluster.x-k8s.io/cluster-name=wl-7 -n fleet --timeout=10m --kubeconfig=/home/op/mgmt.conf',
    ]);
  });

  it("reads Helm ≥ 3.12's multi-error form the same way", () => {
    const [finding] = rule.check(mgmt(failed('pre-install hooks failed: 1 error occurred:\n\t* timed out waiting for the condition\n\n')));
    expect(finding!.facts.hookPhase).toBe('pre-install');
    expect(finding!.facts.waitedForResources).toBe(true);
    expect(finding!.detail).toContain('Helm: pre-install hooks failed: timed out waiting for the condition');
  });

  it('reads metav1 conditions with an aggregate Ready reason (CAAPH ≥ v0.5)', () => {
    const obj = hrp('ms-edge-1', 'fleet', {
      cluster: 'edge-1', releaseName: 'metrics-server', releaseNamespace: 'kube-system', helmStatus: 'failed',
      conditions: [
        { type: 'Ready', status: 'False', reason: 'IssuesReported', message: '* HelmReleaseReady: post-install hooks failed: 1 error occurred:\n\t* timed out waiting for the condition' },
        { type: 'HelmReleaseReady', status: 'False', reason: 'HelmInstallOrUpgradeFailed', message: 'post-install hooks failed: 1 error occurred:\n\t* timed out waiting for the condition' },
      ],
    });
    const [finding] = rule.check(mgmt(obj));
    expect(finding!.facts.hookPhase).toBe('post-install');
    expect(finding!.detail).toContain('reason IssuesReported');
  });

  it('flags a release stuck in pending-upgrade even while Ready is not False', () => {
    const obj = hrp('x-wl-1', 'fleet', { cluster: 'wl-1', releaseName: 'x', helmStatus: 'pending-upgrade', conditions: [{ type: 'Ready', status: 'Unknown' }] });
    const [finding] = rule.check(mgmt(obj));
    expect(finding!.title).toBe('HelmReleaseProxy x-wl-1 failed: timed out waiting for resources');
    expect(finding!.detail).toContain('is `pending-upgrade`');
  });

  it('does not treat a chart that cannot be found as a wait for resources', () => {
    const [finding] = rule.check(mgmt(failed('failed to download "oci://registry.example/charts/cni" at version "1.2.3"')));
    expect(finding!.facts.waitedForResources).toBe(false);
    expect(finding!.facts.hookPhase).toBeUndefined();
  });

  it('says nothing about deployed, ready HRPs', () => {
    const healthy = hrp('ok-wl-1', 'fleet', { cluster: 'wl-1', releaseName: 'ok', helmStatus: 'deployed' });
    expect(rule.check(mgmt(healthy))).toEqual([]);
  });
});
