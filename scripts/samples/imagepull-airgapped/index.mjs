// Sample 3: two separate bundles — a native bundle of the management cluster and a Replicated
// troubleshoot support bundle of the workload cluster.

import { nativeBundle, troubleshootBundle } from '../lib/bundle.mjs';
import { buildMgmt } from './mgmt.mjs';
import { buildWorkload } from './workload.mjs';
import { MGMT_NOW, MGMT_ROOT, NS, WL_ROOT } from './common.mjs';

const CAPI_RESOURCES = [
  'clusters.cluster.x-k8s.io',
  'machines.cluster.x-k8s.io',
  'machinesets.cluster.x-k8s.io',
  'machinedeployments.cluster.x-k8s.io',
  'kubeadmcontrolplanes.controlplane.cluster.x-k8s.io',
  'vsphereclusters.infrastructure.cluster.x-k8s.io',
  'vspheremachines.infrastructure.cluster.x-k8s.io',
  'helmchartproxies.addons.cluster.x-k8s.io',
  'helmreleaseproxies.addons.cluster.x-k8s.io',
];

const VERSION = { major: '1', minor: '30', gitVersion: 'v1.30.6', gitCommit: '00f20d443ba0cd4d6b7d8a1a4c3b2d1e0f9a8b7c', gitTreeState: 'clean', buildDate: '2024-10-22T20:28:16Z', goVersion: 'go1.22.8', compiler: 'gc', platform: 'linux/amd64' };

export function build() {
  const mgmt = buildMgmt();
  const workload = buildWorkload();
  const mgmtFiles = nativeBundle({
    root: MGMT_ROOT,
    createdAt: MGMT_NOW,
    clusters: [{
      data: mgmt,
      role: 'management',
      kubeconfig: '/home/sre/.kube/prod-mgmt.yaml',
      context: 'prod-mgmt-admin@prod-mgmt',
      layout: { version: VERSION, custom: CAPI_RESOURCES.map((resource) => ({ resource, namespaces: [NS] })) },
    }],
  });
  const wlFiles = troubleshootBundle(workload, {
    root: WL_ROOT,
    version: VERSION,
    versionNumber: 'v0.107.3',
    listRv: '2189544',
    nsResources: ['pods', 'events', 'services', 'deployments', 'replicasets', 'daemonsets', 'statefulsets', 'jobs', 'endpoints', 'configmaps'],
    errors: {
      'cluster-resources/storage-classes-errors.json': ['storageclasses.storage.k8s.io is forbidden: User "system:serviceaccount:edge-support:bundle-collector" cannot list resource "storageclasses" in API group "storage.k8s.io" at the cluster scope'],
      'cluster-resources/pod-disruption-budgets-errors.json': {
        'calico-system': 'poddisruptionbudgets.policy is forbidden: User "system:serviceaccount:edge-support:bundle-collector" cannot list resource "poddisruptionbudgets" in API group "policy" in the namespace "calico-system"',
        'kube-system': 'poddisruptionbudgets.policy is forbidden: User "system:serviceaccount:edge-support:bundle-collector" cannot list resource "poddisruptionbudgets" in API group "policy" in the namespace "kube-system"',
      },
    },
  });
  return [
    { name: 'imagepull-airgapped/mgmt', dir: 'samples/imagepull-airgapped/mgmt', tgz: 'samples/imagepull-airgapped/mgmt.tgz', files: mgmtFiles },
    { name: 'imagepull-airgapped/workload-troubleshoot', dir: 'samples/imagepull-airgapped/workload-troubleshoot', tgz: 'samples/imagepull-airgapped/workload-troubleshoot.tgz', files: wlFiles },
  ];
}
