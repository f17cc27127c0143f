// Sample 1: the seed incident (/work/shared/seed/000_feaaccaf9fa90492.txt) as a native bundle.

import { nativeBundle } from '../lib/bundle.mjs';
import { buildMgmt } from './mgmt.mjs';
import { buildWorkload } from './workload.mjs';
import { MGMT, NOW, ROOT, WL, WS } from './common.mjs';

export function build() {
  // The workload cluster first: the management data refers to its nodes.
  const workload = buildWorkload();
  const mgmt = buildMgmt();
  return [{ name: 'seed-incident', dir: 'samples/seed-incident', tgz: 'samples/seed-incident.tgz', files: bundleFiles(mgmt, workload, { root: ROOT, createdAt: NOW }) }];
}

/** The seed incident's bundle files from its two clusters' data (the "fixed" sample reuses it). */
export function bundleFiles(mgmt, workload, { root, createdAt }) {
  return nativeBundle({
    root,
    createdAt,
    clusters: [
      {
        data: mgmt,
        role: 'management',
        kubeconfig: '/Users/someone/ws/nkp/dm-nkp-mgmt-1.conf',
        context: 'dm-nkp-mgmt-1-admin@dm-nkp-mgmt-1',
        layout: {
          version: versionInfo(),
          custom: [
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
          ].map((resource) => ({ resource, namespaces: [WS] })),
        },
      },
      {
        data: workload,
        role: 'workload',
        kubeconfig: '/Users/someone/ws/nkp/dm-nkp-workload-1.kubeconfig',
        capiCluster: { namespace: WS, name: WL },
        layout: { version: versionInfo() },
      },
    ],
  });
}

function versionInfo() {
  return {
    major: '1',
    minor: '31',
    gitVersion: 'v1.31.4',
    gitCommit: 'a78aa47129b8539636eb86a9d00e31b2720fe06b',
    gitTreeState: 'clean',
    buildDate: '2024-12-10T18:44:58Z',
    goVersion: 'go1.22.9',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

