import { describe, expect, it } from 'vitest';
import { rule } from '../../src/rules/pvc-pending.js';
import { event, helmAnnotations, hrp, node, pod, pvc, storageClass, unschedulablePod, withClaims, workload } from '../fixtures/k8s.js';
import { snapshotOf } from '../fixtures/snapshot.js';
import { NS, WL, WL_KUBECONFIG, diagnoseClusters, mgmtCluster, wlCluster } from './chain-helpers.js';
import { ownedBy } from './helpers.js';

const UNBOUND = '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';
const WAITING = 'waiting for a volume to be created, either by external provisioner "csi.nutanix.com" or manually created by system administrator';

/** A CSI controller that crash-loops, so the default StorageClass provisions nothing. */
function brokenCsi() {
  const deploy = workload('Deployment', 'nutanix-csi-controller', 'ntnx-system', { desired: 1, ready: 0, images: ['registry.k8s.io/sig-storage/csi-provisioner:v3.6.0'] });
  const rs = workload('ReplicaSet', 'nutanix-csi-controller-7f9c', 'ntnx-system', { desired: 1, ready: 0, owner: ownedBy(deploy), images: ['registry.k8s.io/sig-storage/csi-provisioner:v3.6.0'] });
  const p = pod('nutanix-csi-controller-7f9c-k2l4m', 'ntnx-system', {
    node: 'n1', owner: ownedBy(rs),
    containers: [
      { name: 'csi-provisioner', image: 'registry.k8s.io/sig-storage/csi-provisioner:v3.6.0', ready: true },
      { name: 'driver', image: 'docker.io/nutanix/ntnx-csi:2.6.10', env: [{ name: 'CSI_DRIVER_NAME', value: 'csi.nutanix.com' }], restartCount: 9, waiting: { reason: 'CrashLoopBackOff' }, lastTerminated: { reason: 'Error', exitCode: 1 } },
    ],
  });
  return [storageClass('nutanix-volume', 'csi.nutanix.com', { isDefault: true }), deploy, rs, p];
}

/** Prometheus' StatefulSet, its claim and its Pending pod. */
function prometheus() {
  const sts = workload('StatefulSet', 'prometheus', 'monitoring', { desired: 1, ready: 0, annotations: helmAnnotations('prometheus', 'monitoring') });
  const claim = pvc('data-prometheus-0', 'monitoring', { labels: { 'app.kubernetes.io/instance': 'prometheus' } });
  const p = withClaims(unschedulablePod('prometheus-0', 'monitoring', UNBOUND, { owner: ownedBy(sts) }), 'data-prometheus-0');
  const waiting = event({ kind: 'PersistentVolumeClaim', name: 'data-prometheus-0', namespace: 'monitoring' }, 'ExternalProvisioning', WAITING, { type: 'Normal', count: 40, component: 'persistentvolume-controller' });
  const scheduling = event({ kind: 'Pod', name: 'prometheus-0', namespace: 'monitoring', uid: p.metadata.uid }, 'FailedScheduling', UNBOUND, { component: 'default-scheduler' });
  return [sts, claim, p, waiting, scheduling];
}

const nodes = () => [node('n1'), node('n2'), node('n3')];

describe('PVC_PENDING', () => {
  it('reports a claim the CSI driver does not provision, naming the provisioner\'s failing pods and the pods that wait', () => {
    const [f, ...rest] = rule.check(snapshotOf(wlCluster([...nodes(), ...brokenCsi(), ...prometheus()])));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      code: 'PVC_PENDING', severity: 'error', cluster: WL, subject: { kind: 'PersistentVolumeClaim', namespace: 'monitoring', name: 'data-prometheus-0' },
      title: 'PersistentVolumeClaim data-prometheus-0 is Pending: provisioner csi.nutanix.com is not ready',
      facts: {
        release: { cluster: WL, name: 'prometheus', namespace: 'monitoring' },
        consumers: [{ cluster: WL, kind: 'Pod', namespace: 'monitoring', name: 'prometheus-0' }],
      },
    });
    expect(f!.facts.dependsOn).toEqual(expect.arrayContaining([
      { cluster: WL, kind: 'Pod', namespace: 'ntnx-system', name: 'nutanix-csi-controller-7f9c-k2l4m' },
      { cluster: WL, kind: 'Deployment', namespace: 'ntnx-system', name: 'nutanix-csi-controller' },
    ]));
    expect(f!.detail).toContain('StorageClass nutanix-volume (provisioner csi.nutanix.com, Immediate) has not provisioned a volume for it.');
    expect(f!.detail).toContain('The provisioner\'s pods are not all ready: nutanix-csi-controller-7f9c-k2l4m (CrashLoopBackOff).');
    expect(f!.detail).toContain('1 pod waits for it: prometheus-0.');
    expect(f!.evidence).toEqual([
      { source: `fixture/clusters/${WL}/cluster-resources/persistentvolumeclaims.json`, text: 'phase=Pending storageClassName=(unset) requests.storage=10Gi' },
      { source: `fixture/clusters/${WL}/cluster-resources/events.json`, text: `ExternalProvisioning: ${WAITING}` },
    ]);
    expect(f!.remediation.map((r) => r.command)).toEqual([
      `kubectl describe pvc data-prometheus-0 -n monitoring --kubeconfig=${WL_KUBECONFIG}`,
      `kubectl get pods -n ntnx-system -o wide --kubeconfig=${WL_KUBECONFIG}`,
    ]);
  });

  it('chains CSI down → PVC_PENDING → unschedulable pod (unbound PVC) → StatefulSet → HRP_FAILED', () => {
    const waited = hrp('prometheus-wl-7-p1', NS, {
      cluster: WL, hcp: 'prometheus', releaseName: 'prometheus', releaseNamespace: 'monitoring', helmStatus: 'failed',
      conditions: [{ type: 'Ready', status: 'False', reason: 'HelmInstallOrUpgradeFailed', message: 'context deadline exceeded' }, { type: 'HelmReleaseReady', status: 'False', reason: 'HelmInstallOrUpgradeFailed', message: 'context deadline exceeded' }],
    });
    const d = diagnoseClusters(mgmtCluster([waited]), wlCluster([...nodes(), ...brokenCsi(), ...prometheus()]));
    const unschedulable = d.one('POD_UNSCHEDULABLE', 'prometheus-0');
    expect(unschedulable.facts.schedulingReasons).toEqual(['unbound-pvc']);
    expect(d.causes(d.one('PVC_PENDING'))).toEqual(['WORKLOAD_UNAVAILABLE nutanix-csi-controller']);
    expect(d.causes(unschedulable)).toEqual(['PVC_PENDING data-prometheus-0']);
    expect(d.causes(d.one('WORKLOAD_UNAVAILABLE', 'prometheus'))).toEqual(['POD_UNSCHEDULABLE prometheus-0']);
    expect(d.causes(d.one('HRP_FAILED'))).toEqual(['WORKLOAD_UNAVAILABLE prometheus']);
    expect(d.rootCauses.map((r) => `${r.code} ${r.subject.name}`)).toEqual(['POD_CRASHLOOP nutanix-csi-controller-7f9c-k2l4m']);
  });

  it('says when there is no default StorageClass, and offers to mark one', () => {
    const claim = pvc('data', 'apps');
    const [f] = rule.check(snapshotOf(wlCluster([claim, storageClass('local-path', 'rancher.io/local-path')])));
    expect(f!.title).toBe('PersistentVolumeClaim data is Pending: no default StorageClass');
    expect(f!.remediation[1]!.command).toBe(`kubectl patch storageclass local-path -p '{"metadata":{"annotations":{"storageclass.kubernetes.io/is-default-class":"true"}}}' --kubeconfig=${WL_KUBECONFIG}`);
  });

  it('says when the StorageClass asked for does not exist', () => {
    const [f] = rule.check(snapshotOf(wlCluster([pvc('data', 'apps', { storageClassName: 'fast-ssd' }), storageClass('standard', 'csi.example.com', { isDefault: true })])));
    expect(f!.title).toBe('PersistentVolumeClaim data is Pending: StorageClass fast-ssd does not exist');
    expect(f!.detail).toContain('(there are: standard)');
  });

  it('leaves bound claims and WaitForFirstConsumer claims no pod uses alone', () => {
    const sc = storageClass('wffc', 'csi.example.com', { isDefault: true, bindingMode: 'WaitForFirstConsumer' });
    expect(rule.check(snapshotOf(wlCluster([sc, pvc('bound', 'apps', { phase: 'Bound' }), pvc('unused', 'apps')])))).toEqual([]);
  });
});
