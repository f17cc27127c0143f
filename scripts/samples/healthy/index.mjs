// Sample 2: everything healthy, different names everywhere.

import { nativeBundle } from '../lib/bundle.mjs';
import { buildMgmt } from './mgmt.mjs';
import { buildWorkload } from './workload.mjs';
import { NOW, ROOT, WL, WS } from './common.mjs';

const CAPI_RESOURCES = [
  'clusters.cluster.x-k8s.io',
  'machines.cluster.x-k8s.io',
  'machinesets.cluster.x-k8s.io',
  'machinedeployments.cluster.x-k8s.io',
  'machinehealthchecks.cluster.x-k8s.io',
  'kubeadmcontrolplanes.controlplane.cluster.x-k8s.io',
  'nutanixclusters.infrastructure.cluster.x-k8s.io',
  'nutanixmachines.infrastructure.cluster.x-k8s.io',
  'helmchartproxies.addons.cluster.x-k8s.io',
  'helmreleaseproxies.addons.cluster.x-k8s.io',
];

export function build() {
  const workload = buildWorkload();
  const mgmt = buildMgmt();
  const version = { major: '1', minor: '32', gitVersion: 'v1.32.3', gitCommit: '32cc146f75aad04beaaa245a7157eb35063a9f99', gitTreeState: 'clean', buildDate: '2025-03-11T19:52:21Z', goVersion: 'go1.23.6', compiler: 'gc', platform: 'linux/amd64' };
  const files = nativeBundle({
    root: ROOT,
    createdAt: NOW,
    clusters: [
      { data: mgmt, role: 'management', kubeconfig: '/home/ops/.kube/acme-mgmt.kubeconfig', context: 'acme-mgmt-admin@acme-mgmt', layout: { version, custom: CAPI_RESOURCES.map((resource) => ({ resource, namespaces: [WS] })) } },
      { data: workload, role: 'workload', kubeconfig: '/home/ops/.kube/acme-prod-eu-1.kubeconfig', context: 'acme-prod-eu-1-admin@acme-prod-eu-1', capiCluster: { namespace: WS, name: WL }, layout: { version } },
    ],
  });
  return [{ name: 'healthy', dir: 'samples/healthy', tgz: 'samples/healthy.tgz', files }];
}
