// Names, addresses and the timeline of the seed incident (dm-nkp-workload-1, 2025-12-27).
//
// Story (all times UTC, 2025-12-27):
//  08:29:51  Cluster dm-nkp-workload-1 created from ClusterClass; CAREN creates the addon
//            HelmChartProxies (named after the cluster's caren.nutanix.com/cluster-uuid) and
//            CAAPH creates one HelmReleaseProxy per chart.
//  08:33:21  control plane node registers; 08:34 CAAPH installs cilium, nutanix-ccm,
//            konnector-agent, nutanix-csi-storage, metrics-server (revision 1 each).
//  08:36-37  the three workers register. The cloud controller manager never initializes any
//            node: its pod cannot reach the kubernetes Service VIP (10.96.0.1, served by
//            Cilium's kube-proxy replacement) and crash-loops, so every node keeps
//            node.cloudprovider.kubernetes.io/uninitialized, workers never get a providerID,
//            CAPI never matches their Machines and node.cluster.x-k8s.io/uninitialized stays.
//            cilium-operator's second replica cannot be scheduled anywhere; the agents wait
//            for pod CIDRs, fail their startup probe on :9879 and restart.
//  08:45, 08:52, 09:18  cilium values re-rendered -> revisions 2..4 (no hooks yet).
//  09:40:55  CAREN (restarted with a new version at 09:40) updates the cilium, konnector-agent
//            and nutanix-csi HelmChartProxies -> CAAPH upgrades at 09:41: cilium rev 5 (adds the
//            hubble-generate-certs post-upgrade hook), konnector-agent rev 2 (post-upgrade
//            hook job), nutanix-csi-storage rev 2 (pre-upgrade hook nutanix-csi-precheck-job).
//            None of the hook pods can be scheduled on the tainted nodes.
//  09:46:30  the cilium HelmChartProxy is edited again (hubble cert validity) while its upgrade
//            is still waiting: the cilium HRP's generation (6) runs ahead of its
//            observedGeneration (5), so the HCP reports HelmReleaseProxySpecsUpdating.
//  09:51     konnector-agent and nutanix-csi-storage upgrades time out (10m): HRPs failed.
//  09:56:03  cilium's upgrade times out (15m): HRP failed, revision 5. CAAPH immediately
//            starts revision 6 for the edited spec (pending-upgrade, its hook pod Pending too).
//  10:04:11  support bundle collected.

export const NOW = '2025-12-27T10:04:11Z';
export const ROOT = 'hrp-doctor-dm-nkp-workload-1-20251227T100411Z';

export const MGMT = 'dm-nkp-mgmt-1';
export const WL = 'dm-nkp-workload-1';
export const WS = 'dm-dev-workspace';
export const CLUSTER_UUID = '019afb99-7556-7c79-b02b-f66b91c8f57a';

export const VIP = '10.23.130.62';
export const API_PORT = 6443;
export const K8S_VERSION = 'v1.31.4';
export const SERVICE_CIDR = '10.96.0.0/12';
export const POD_CIDR = '192.168.0.0/16';
export const KUBERNETES_SVC_IP = '10.96.0.1';
export const CLUSTER_DNS = '10.96.0.10';
export const PRISM_CENTRAL = '10.23.128.50';

export const CILIUM_VERSION = 'v1.17.4';

export const KCP = `${WL}-2h7dk`;
export const MD = `${WL}-md-0-7xkq2`;
export const MS = `${MD}-pbnfm`;

/** Workload nodes (= Machine names). podNet: the /24 of the cluster pool the node would get. */
export const WL_NODES = [
  { name: `${KCP}-q9vzl`, ip: '10.23.130.71', controlPlane: true, registered: '2025-12-27T08:33:21Z', ready: '2025-12-27T08:34:40Z', podNet: '192.168.0', vm: '4f1c8a62-93d7-4b8e-a1d5-7c2e9b0f6a31' },
  { name: `${MS}-4x9qd`, ip: '10.23.130.73', controlPlane: false, registered: '2025-12-27T08:36:44Z', ready: '2025-12-27T08:37:19Z', podNet: '192.168.1', vm: '8b27d3e0-5c4a-4f19-9e62-1d8a7f3b2c05' },
  { name: `${MS}-7kw2m`, ip: '10.23.130.74', controlPlane: false, registered: '2025-12-27T08:36:58Z', ready: '2025-12-27T08:37:31Z', podNet: '192.168.2', vm: 'c5e90f14-2b6d-4a83-b7c1-6f0d3e8a9b47' },
  { name: `${MS}-tz6hp`, ip: '10.23.130.76', controlPlane: false, registered: '2025-12-27T08:37:12Z', ready: '2025-12-27T08:37:46Z', podNet: '192.168.3', vm: '2d8f6b1a-7e3c-4c52-8f90-b4a1c6e7d218' },
];

export const T = {
  clusterCreated: '2025-12-27T08:29:51Z',
  hcpCreated: '2025-12-27T08:29:52Z',
  hrpCreated: '2025-12-27T08:29:53Z',
  cpInitialized: '2025-12-27T08:34:02Z',
  install: {
    cilium: '2025-12-27T08:34:12Z',
    ccm: '2025-12-27T08:34:15Z',
    konnector: '2025-12-27T08:34:18Z',
    csi: '2025-12-27T08:34:22Z',
    metrics: '2025-12-27T08:34:25Z',
  },
  ciliumUpgrades: ['2025-12-27T08:45:12Z', '2025-12-27T08:52:40Z', '2025-12-27T09:18:35Z'],
  carenRestart: '2025-12-27T09:40:21Z',
  hcpUpdate: '2025-12-27T09:40:55Z',
  upgradeStart: { cilium: '2025-12-27T09:41:02Z', konnector: '2025-12-27T09:41:04Z', csi: '2025-12-27T09:41:05Z' },
  ciliumHcpEdit: '2025-12-27T09:46:30Z',
  upgradeFailed: { cilium: '2025-12-27T09:56:03Z', konnector: '2025-12-27T09:51:05Z', csi: '2025-12-27T09:51:06Z' },
  ciliumRetry: '2025-12-27T09:56:04Z',
};

export const HRP = {
  cilium: 'cilium-dm-nkp-workload-1-kbx8x',
  konnector: 'konnector-agent-dm-nkp-workload-1-6jdqc',
  csi: 'nutanix-csi-storage-dm-nkp-workload-1-kxh46',
  ccm: 'nutanix-cloud-provider-dm-nkp-workload-1-w4vtl',
  metrics: 'metrics-server-dm-nkp-workload-1-d8n2c',
};

export const HCP = {
  cilium: `cilium-${CLUSTER_UUID}`,
  konnector: `konnector-agent-${CLUSTER_UUID}`,
  csi: `nutanix-csi-${CLUSTER_UUID}`,
  ccm: `nutanix-ccm-${CLUSTER_UUID}`,
  metrics: `metrics-server-${CLUSTER_UUID}`,
};

export const HOOK_TIMEOUT_POST = 'post-upgrade hooks failed: timed out waiting for condition';
export const HOOK_TIMEOUT_PRE = 'pre-upgrade hooks failed: timed out waiting for condition';
