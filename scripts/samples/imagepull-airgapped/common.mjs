// Sample 3: an air-gapped edge site. The management cluster prod-mgmt (namespace fleet-a) installs
// metrics-server into the workload cluster edge-17 from the internal registry; edge-17's nodes
// resolve names through 10.0.0.10, which does not know registry.internal.example, so the new image
// (not preloaded on the nodes, unlike everything else) cannot be pulled: the post-install hook
// never runs and the HelmReleaseProxy fails.
//
// Two separate bundles: a native hrp-doctor bundle of prod-mgmt only, and a Replicated
// troubleshoot support bundle of edge-17 (no manifest, no cluster name; linkable through the
// kubeadm-config clusterName, the node names = Machine names, the API endpoint, and because
// edge-17 is the only workload Cluster on the management side).

export const MGMT = 'prod-mgmt';
export const NS = 'fleet-a';
export const WL = 'edge-17';

export const MGMT_NOW = '2025-11-03T08:12:47Z';
export const MGMT_ROOT = 'hrp-doctor-prod-mgmt-20251103T081247Z';
export const WL_NOW = '2025-11-03T08:15:00Z';
export const WL_ROOT = 'support-bundle-2025-11-03T08_15_00';

export const REGISTRY = 'registry.internal.example:5000';
export const NODE_DNS = '10.0.0.10';
export const MS_IMAGE = `${REGISTRY}/metrics-server/metrics-server:v0.7.2`;

export const K8S_VERSION = 'v1.30.6';
export const POD_CIDR = '192.168.0.0/16';
export const SERVICE_CIDR = '10.96.0.0/12';

export const WL_VIP = '10.0.12.20';
export const WL_CREATED = '2025-10-22T06:10:00Z';
export const WL_NODES = [
  { name: 'edge-17-control-plane-h7p2x', ip: '10.0.12.21', controlPlane: true, registered: '2025-10-22T06:14:37Z', podNet: '192.168.91', vm: '4218c1e5-7a3d-9f02-6b4e-1c8d5a2f7e90' },
  { name: 'edge-17-md-0-wq5mt-4kz9d', ip: '10.0.12.31', controlPlane: false, registered: '2025-10-22T06:17:52Z', podNet: '192.168.140', vm: '4218a7d2-3c9e-51b8-0f6a-8e2d4c7b1a35' },
  { name: 'edge-17-md-0-wq5mt-vc2lx', ip: '10.0.12.32', controlPlane: false, registered: '2025-10-22T06:18:06Z', podNet: '192.168.27', vm: '42185b9f-e041-2d7c-93a6-5b1f0e8c4d72' },
];

export const HRP_METRICS = 'metrics-server-edge-17-abcde';
export const HRP_CALICO = 'tigera-operator-edge-17-p8xkz';

export const HOOK_ERROR = 'post-install hooks failed: 1 error occurred:\n\t* timed out waiting for the condition';

export const T = {
  hcpCreated: '2025-11-03T07:58:00Z',
  hrpCreated: '2025-11-03T07:58:01Z',
  install: '2025-11-03T07:58:03Z',
  podsCreated: '2025-11-03T07:58:04Z',
  hookCreated: '2025-11-03T07:58:05Z',
  failed: '2025-11-03T08:08:05Z',
};

export const PULL_ERROR = `failed to pull and unpack image "${MS_IMAGE}": failed to resolve reference "${MS_IMAGE}": failed to do request: Head "https://${REGISTRY}/v2/metrics-server/metrics-server/manifests/v0.7.2": dial tcp: lookup registry.internal.example on ${NODE_DNS}:53: no such host`;
