import { describe, expect, it } from 'vitest';
import { rule } from '../../src/rules/helm-release-stuck.js';
import { event, helmReleaseSecret, hrp, pod } from '../fixtures/k8s.js';
import { snapshotOf } from '../fixtures/snapshot.js';
import { MGMT, MGMT_KUBECONFIG, NS, WL, WL_KUBECONFIG, diagnoseClusters, mgmtCluster, wlCluster } from './chain-helpers.js';

function pendingHrp(status = 'pending-upgrade') {
  return hrp('cni-wl-7-x1', NS, {
    cluster: WL, hcp: 'cni', releaseName: 'cni', releaseNamespace: 'kube-system', helmStatus: status,
    conditions: [
      { type: 'Ready', status: 'False', reason: 'HelmReleasePending', message: `Helm release is in a pending state: ${status}` },
      { type: 'HelmReleaseReady', status: 'False', reason: 'HelmReleasePending', message: `Helm release is in a pending state: ${status}` },
      { type: 'ClusterAvailable', status: 'True' },
    ],
  });
}

const history = () => [
  helmReleaseSecret('cni', 'kube-system', 1, 'superseded'),
  helmReleaseSecret('cni', 'kube-system', 2, 'deployed'),
  helmReleaseSecret('cni', 'kube-system', 3, 'pending-upgrade', '2025-12-27T09:00:00Z'),
];
/** Any event, so that the cluster has a "now" (2025-12-27T10:00:00Z). */
const clock = () => event({ kind: 'Node', name: 'n1' }, 'NodeReady', 'ready', { type: 'Normal' });

describe('HELM_RELEASE_STUCK', () => {
  it('reports the HRP of a release stuck in pending-upgrade, with rollback to the last deployed revision, as the root of HRP_FAILED', () => {
    const clusters = [mgmtCluster([pendingHrp()]), wlCluster([...history(), clock()])];
    const [f, ...rest] = rule.check(snapshotOf(...clusters));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      code: 'HELM_RELEASE_STUCK', severity: 'error', cluster: MGMT, targetCluster: WL,
      subject: { kind: 'HelmReleaseProxy', namespace: NS, name: 'cni-wl-7-x1' },
      title: `Helm release kube-system/cni in ${WL} is stuck in pending-upgrade`,
      facts: { managedRelease: { cluster: WL, name: 'cni', namespace: 'kube-system' } },
    });
    expect(f!.detail).toContain(`Helm release kube-system/cni in cluster ${WL} is stuck in \`pending-upgrade\` (revision 3).`);
    expect(f!.detail).toContain('another operation (install/upgrade/rollback) is in progress');
    expect(f!.detail).toContain('The last deployed revision is 2.');
    expect(f!.evidence.map((e) => e.text)).toEqual([
      'status.status=pending-upgrade revision 2; HelmReleaseReady=False: Helm release is in a pending state: pending-upgrade',
      'Secret sh.helm.release.v1.cni.v3: owner=helm status=pending-upgrade version=3',
    ]);
    expect(f!.remediation.map((r) => r.command)).toEqual([
      `helm history cni -n kube-system --kubeconfig=${WL_KUBECONFIG}`,
      `helm rollback cni 2 -n kube-system --kubeconfig=${WL_KUBECONFIG}`,
      `kubectl delete secret sh.helm.release.v1.cni.v3 -n kube-system --kubeconfig=${WL_KUBECONFIG}`,
    ]);
    expect(f!.remediation[2]!.text).toMatch(/^Last resort.*Warning: Helm forgets that revision/);

    const d = diagnoseClusters(...clusters);
    expect(d.causes(d.one('HRP_FAILED'))).toEqual(['HELM_RELEASE_STUCK cni-wl-7-x1']);
    expect(d.rootCauses.map((r) => r.code)).toEqual(['HELM_RELEASE_STUCK']);
  });

  it('reads "another operation is in progress" and, without the workload bundle, fetches its kubeconfig first', () => {
    const message = 'UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress';
    const obj = hrp('cni-wl-7-x1', NS, {
      cluster: WL, releaseName: 'cni', releaseNamespace: 'kube-system', helmStatus: 'failed',
      conditions: [{ type: 'Ready', status: 'False', reason: 'HelmInstallOrUpgradeFailed', message }, { type: 'HelmReleaseReady', status: 'False', reason: 'HelmInstallOrUpgradeFailed', message }],
    });
    const [f] = rule.check(snapshotOf(mgmtCluster([obj])));
    expect(f!.title).toBe(`Helm release kube-system/cni in ${WL} is stuck in pending`);
    expect(f!.remediation.map((r) => r.command)).toEqual([
      `clusterctl get kubeconfig ${WL} -n ${NS} --kubeconfig=${MGMT_KUBECONFIG} > ${WL}.kubeconfig`,
      `helm history cni -n kube-system --kubeconfig=${WL}.kubeconfig`,
      `helm rollback cni -n kube-system --kubeconfig=${WL}.kubeconfig`,
      `kubectl delete secret 'sh.helm.release.v1.cni.v<pending-revision>' -n kube-system --kubeconfig=${WL}.kubeconfig`,
    ]);
  });

  it('links a restarting CAAPH controller to the stuck release it interrupted', () => {
    const controller = pod('caaph-controller-manager-7d9f-abcde', 'caaph-system', {
      node: 'm1', containers: [{ name: 'manager', image: 'registry.k8s.io/cluster-api-helm/cluster-api-helm-controller:v0.3.1', restartCount: 4, waiting: { reason: 'CrashLoopBackOff' }, lastTerminated: { reason: 'OOMKilled', exitCode: 137 } }],
    });
    const d = diagnoseClusters(mgmtCluster([pendingHrp(), controller]), wlCluster([...history(), clock()]));
    expect(d.causes(d.one('HELM_RELEASE_STUCK'))).toEqual(['POD_CRASHLOOP caaph-controller-manager-7d9f-abcde']);
    expect(d.causes(d.one('POD_CRASHLOOP'))).toEqual(['CONTAINER_OOMKILLED caaph-controller-manager-7d9f-abcde']);
    expect(d.rootCauses.map((r) => r.code)).toEqual(['CONTAINER_OOMKILLED']);
  });

  it('warns about a release Secret pending for longer than a Helm operation runs, and not about one in flight', () => {
    const old = [helmReleaseSecret('metrics', 'monitoring', 1, 'pending-install', '2025-12-27T08:00:00Z')];
    const [f, ...rest] = rule.check(snapshotOf(wlCluster([...old, clock()])));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      severity: 'warning', cluster: WL, subject: { kind: 'Secret', namespace: 'monitoring', name: 'sh.helm.release.v1.metrics.v1' },
      title: 'Helm release monitoring/metrics is stuck in pending-install', facts: { release: { cluster: WL, name: 'metrics', namespace: 'monitoring' } },
    });
    expect(f!.detail).toContain('written 120 minutes before the newest event of the cluster');
    // A first install has nothing to roll back to.
    expect(f!.remediation.map((r) => r.command)).toContain(`helm uninstall metrics -n monitoring --kubeconfig=${WL_KUBECONFIG}`);

    const inFlight = [helmReleaseSecret('metrics', 'monitoring', 1, 'pending-install', '2025-12-27T09:52:00Z')];
    expect(rule.check(snapshotOf(wlCluster([...inFlight, clock()])))).toEqual([]);
    const settled = [helmReleaseSecret('metrics', 'monitoring', 1, 'pending-install'), helmReleaseSecret('metrics', 'monitoring', 2, 'deployed')];
    expect(rule.check(snapshotOf(wlCluster([...settled, clock()])))).toEqual([]);
  });

  it('says nothing about deployed releases', () => {
    const ok = hrp('ok', NS, { cluster: WL, releaseName: 'ok' });
    expect(rule.check(snapshotOf(mgmtCluster([ok]), wlCluster([helmReleaseSecret('ok', 'default', 1, 'deployed'), clock()])))).toEqual([]);
  });
});
