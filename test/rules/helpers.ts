/**
 * Test helpers for the rules in test/rules: a workload cluster around a list of objects, running a
 * rule, events in the events.k8s.io/v1 shape, and the pieces of the 2025-12-27 incident (seed 000).
 */
import type { FindingDraft, Rule } from '../../src/rules/types.js';
import type { Snapshot } from '../../src/snapshot/snapshot.js';
import { snapshotOf, type FixtureCluster } from '../fixtures/snapshot.js';
import { event, helmAnnotations, job, node, pod, unschedulablePod, workload, type ContainerOpts, type Taint } from '../fixtures/k8s.js';

export const WORKLOAD = 'dm-nkp-workload-1';
export const KUBECONFIG = '/home/user/ws/dm-nkp-workload-1.kubeconfig';

export type Obj = { kind: string; metadata: { name: string; namespace?: string; uid?: string } };

/** A workload cluster with the manifest's kubeconfig, holding the given objects and logs. */
export function workloadCluster(objects: object[], logs: FixtureCluster['logs'] = []): FixtureCluster {
  return { name: WORKLOAD, role: 'workload', kubeconfig: KUBECONFIG, objects, logs };
}

export function snapshotWith(objects: object[], logs: FixtureCluster['logs'] = []): Snapshot {
  return snapshotOf(workloadCluster(objects, logs));
}

export function run(rule: Rule, objects: object[], logs: FixtureCluster['logs'] = []): FindingDraft[] {
  return rule.check(snapshotWith(objects, logs));
}

/** The single finding a rule returns, failing loudly otherwise. */
export function only(findings: FindingDraft[]): FindingDraft {
  if (findings.length !== 1) throw new Error(`expected one finding, got ${findings.length}: ${findings.map((f) => f.title).join(' | ')}`);
  return findings[0]!;
}

/** The owner field of the pod/workload factories, pointing at an object made by them. */
export function ownedBy(owner: Obj, apiVersion = 'apps/v1') {
  return { kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, apiVersion };
}

/** An event about a pod, in core/v1 shape, optionally naming the container (fieldPath). */
export function podEvent(p: Obj, reason: string, message: string, opts: { count?: number; last?: string; container?: string; type?: string; component?: string } = {}) {
  const e = event({ kind: 'Pod', name: p.metadata.name, namespace: p.metadata.namespace, uid: p.metadata.uid }, reason, message, opts);
  if (opts.container) (e.involvedObject as { fieldPath?: string }).fieldPath = `spec.containers{${opts.container}}`;
  return e;
}

/** The same event as events.k8s.io/v1 writes it: regarding, note, series, deprecated* fields. */
export function v1PodEvent(p: Obj, reason: string, note: string, opts: { seriesCount?: number; last?: string; container?: string } = {}) {
  return {
    apiVersion: 'events.k8s.io/v1', kind: 'Event',
    metadata: { name: `${p.metadata.name}.v1.${Math.random().toString(16).slice(2, 10)}`, namespace: p.metadata.namespace, uid: `v1-${Math.random().toString(16).slice(2)}` },
    regarding: { kind: 'Pod', name: p.metadata.name, namespace: p.metadata.namespace, uid: p.metadata.uid, ...(opts.container ? { fieldPath: `spec.containers{${opts.container}}` } : {}) },
    reason, note, type: 'Warning',
    eventTime: null,
    deprecatedFirstTimestamp: '2025-12-27T09:00:00Z',
    deprecatedLastTimestamp: opts.last ?? '2025-12-27T10:00:00Z',
    ...(opts.seriesCount ? { series: { count: opts.seriesCount, lastObservedTime: opts.last ?? '2025-12-27T10:00:00Z' } } : { deprecatedCount: 1 }),
    reportingController: 'kubelet',
  };
}

// --- The seed incident -------------------------------------------------------------------------

export const CCM_TAINT: Taint = { key: 'node.cloudprovider.kubernetes.io/uninitialized', value: 'true', effect: 'NoSchedule' };
export const CAPI_TAINT: Taint = { key: 'node.cluster.x-k8s.io/uninitialized', effect: 'NoSchedule' };
export const CP_TAINT: Taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

/** One control-plane node (CCM taint) and three workers (CCM and CAPI taints), all Ready. */
export function seedNodes() {
  return [
    node('cp-1', { controlPlane: true, taints: [CP_TAINT, CCM_TAINT] }),
    node('worker-1', { taints: [CCM_TAINT, CAPI_TAINT] }),
    node('worker-2', { taints: [CCM_TAINT, CAPI_TAINT] }),
    node('worker-3', { taints: [CCM_TAINT, CAPI_TAINT] }),
  ];
}

export const CILIUM_IMAGE = 'quay.io/cilium/cilium:v1.16.5';
export const CILIUM_STARTUP_PROBE = { httpGet: { host: '127.0.0.1', path: '/healthz', port: 9879, scheme: 'HTTP' }, failureThreshold: 105, periodSeconds: 2 };
export const CILIUM_PROBE_MESSAGE = 'Startup probe failed: Get "http://127.0.0.1:9879/healthz": dial tcp 127.0.0.1:9879: connect: connection refused';

/** The cilium DaemonSet of the seed, Helm-managed, and one of its pods crash-looping on its startup probe. */
export function seedCilium() {
  const ds = workload('DaemonSet', 'cilium', 'kube-system', {
    desired: 4, ready: 0, images: [CILIUM_IMAGE], labels: { 'k8s-app': 'cilium' }, annotations: helmAnnotations('cilium', 'kube-system'),
  });
  const agent: ContainerOpts = {
    name: 'cilium-agent', image: CILIUM_IMAGE, restartCount: 14,
    waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container=cilium-agent pod=cilium-4xk2p_kube-system(0d1f)' },
    lastTerminated: { reason: 'Error', exitCode: 137 },
    startupProbe: CILIUM_STARTUP_PROBE,
  };
  const p = pod('cilium-4xk2p', 'kube-system', {
    node: 'worker-1', hostNetwork: true, owner: ownedBy(ds), labels: { 'k8s-app': 'cilium' }, containers: [agent],
  });
  const unhealthy = podEvent(p, 'Unhealthy', CILIUM_PROBE_MESSAGE, { count: 38, container: 'cilium-agent' });
  return { ds, pod: p, unhealthy };
}

export const CCM_IMAGE = 'ghcr.io/nutanix-cloud-native/cloud-provider-nutanix/controller:v0.4.1';
export const CCM_PREVIOUS_LOG = [
  'I1227 09:58:01.000000       1 serving.go:348] Generated self-signed cert in-memory',
  'W1227 09:58:01.100000       1 client_config.go:618] Neither --kubeconfig nor --master was specified. Using the inClusterConfig.',
  'I1227 09:58:01.200000       1 leaderelection.go:254] attempting to acquire leader lease kube-system/cloud-controller-manager...',
  'E1227 09:58:31.123456       1 leaderelection.go:436] error retrieving resource lock kube-system/cloud-controller-manager: Get "https://10.96.0.1:443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/cloud-controller-manager?timeout=5s": dial tcp 10.96.0.1:443: i/o timeout',
  'I1227 09:58:31.200000       1 leaderelection.go:257] failed to acquire lease, retrying',
  'E1227 09:59:01.123456       1 leaderelection.go:436] error retrieving resource lock kube-system/cloud-controller-manager: Get "https://10.96.0.1:443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/cloud-controller-manager?timeout=5s": dial tcp 10.96.0.1:443: i/o timeout',
  'E1227 09:59:31.123456       1 leaderelection.go:436] error retrieving resource lock kube-system/cloud-controller-manager: Get "https://10.96.0.1:443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/cloud-controller-manager?timeout=5s": dial tcp 10.96.0.1:443: i/o timeout',
  'F1227 09:59:41.000000       1 main.go:96] error running controller manager: failed to get API group resources: Get "https://10.96.0.1:443/api": dial tcp 10.96.0.1:443: i/o timeout',
];

/** The Nutanix CCM of the seed: Deployment → ReplicaSet → pod, crash-looping because it cannot reach 10.96.0.1:443. */
export function seedCcm() {
  const deploy = workload('Deployment', 'nutanix-cloud-controller-manager', 'kube-system', {
    desired: 1, ready: 0, images: [CCM_IMAGE], annotations: helmAnnotations('nutanix-ccm', 'kube-system'),
  });
  const rs = workload('ReplicaSet', 'nutanix-cloud-controller-manager-6d9f7c8b5', 'kube-system', { desired: 1, ready: 0, images: [CCM_IMAGE], owner: ownedBy(deploy) });
  const p = pod('nutanix-cloud-controller-manager-6d9f7c8b5-x2x4z', 'kube-system', {
    node: 'cp-1', hostNetwork: true, owner: ownedBy(rs),
    containers: [{
      name: 'nutanix-cloud-controller-manager', image: CCM_IMAGE, restartCount: 9,
      waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container' },
      lastTerminated: { reason: 'Error', exitCode: 255 },
    }],
    tolerations: [{ key: 'node.cloudprovider.kubernetes.io/uninitialized', operator: 'Exists', effect: 'NoSchedule' }, { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }],
  });
  const log = { namespace: 'kube-system', pod: p.metadata.name, container: 'nutanix-cloud-controller-manager', previous: true, lines: CCM_PREVIOUS_LOG };
  return { deploy, rs, pod: p, log };
}

/** The nutanix-csi pre-upgrade hook Job of the seed and its Pending pod. */
export function seedCsiPrecheck(message: string) {
  const hook = job('nutanix-csi-precheck-job', 'ntnx-system', { annotations: { 'helm.sh/hook': 'pre-upgrade', 'helm.sh/hook-delete-policy': 'before-hook-creation' }, labels: { 'app.kubernetes.io/instance': 'nutanix-csi-storage', 'app.kubernetes.io/managed-by': 'Helm' } });
  const p = unschedulablePod('nutanix-csi-precheck-job-7xk2q', 'ntnx-system', message, {
    owner: ownedBy(hook, 'batch/v1'),
    labels: { 'job-name': 'nutanix-csi-precheck-job' },
    containers: [{ name: 'precheck', image: 'docker.io/nutanix/ntnx-csi-precheck:3.3.0' }],
  });
  return { job: hook, pod: p };
}
