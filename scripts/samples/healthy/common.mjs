// Sample 2: a healthy NKP-style setup with entirely different names.
// acme-mgmt manages acme-prod-eu-1 (namespace acme-platform); all add-ons deployed and Ready.
// CAAPH is a newer release that writes metav1.Condition-style conditions.

export const NOW = '2025-12-15T14:22:37Z';
export const ROOT = 'hrp-doctor-acme-prod-eu-1-20251215T142237Z';

export const MGMT = 'acme-mgmt';
export const WL = 'acme-prod-eu-1';
export const WS = 'acme-platform';
export const CLUSTER_UUID = '0198a7c2-5d3e-7f41-8b26-c94e1d7a3f58';

export const VIP = '192.168.40.10';
export const API_PORT = 6443;
export const K8S_VERSION = 'v1.32.3';
export const CILIUM_VERSION = 'v1.16.6';
export const POD_CIDR = '10.244.0.0/16';
export const SERVICE_CIDR = '10.96.0.0/12';
export const PRISM_CENTRAL = '192.168.8.20';

export const KCP = `${WL}-tw7qm`;
export const MD = `${WL}-md-0-5hbzk`;
export const MS = `${MD}-rv9pd`;

export const CREATED = '2025-08-14T08:46:29Z';

export const WL_NODES = [
  { name: `${KCP}-8fzcl`, ip: '192.168.40.21', controlPlane: true, registered: '2025-08-14T08:51:02Z', podNet: '10.244.0', vm: '3b1e7d42-9c05-4f6a-8e21-7d4c0a9b5f16' },
  { name: `${KCP}-kp4vx`, ip: '192.168.40.22', controlPlane: true, registered: '2025-08-14T08:57:48Z', podNet: '10.244.3', vm: '7e5a2c18-4d93-4b07-a6f2-1c8e9d3b4a65' },
  { name: `${KCP}-zq6mh`, ip: '192.168.40.23', controlPlane: true, registered: '2025-08-14T09:04:11Z', podNet: '10.244.4', vm: 'c92f0b6d-1e48-4a3c-b5d7-8f6a2e0c9d31' },
  { name: `${MS}-bw2tn`, ip: '192.168.40.31', controlPlane: false, registered: '2025-08-14T08:54:19Z', podNet: '10.244.1', vm: '0d4b8e71-6a2f-4c95-9b3e-5f1d7c8a2e40' },
  { name: `${MS}-jx5gc`, ip: '192.168.40.32', controlPlane: false, registered: '2025-08-14T08:54:33Z', podNet: '10.244.2', vm: 'a6c3f9e2-8b14-4d70-bc59-2e7a1d0f6b83' },
];

export const HCP = {
  cilium: `cilium-${CLUSTER_UUID}`,
  ccm: `nutanix-ccm-${CLUSTER_UUID}`,
  csi: `nutanix-csi-${CLUSTER_UUID}`,
  konnector: `konnector-agent-${CLUSTER_UUID}`,
  metrics: `metrics-server-${CLUSTER_UUID}`,
};

export const HRP = {
  cilium: `cilium-${WL}-q2d7n`,
  ccm: `nutanix-cloud-provider-${WL}-m5xht`,
  csi: `nutanix-csi-storage-${WL}-h9wzr`,
  konnector: `konnector-agent-${WL}-lc8fj`,
  metrics: `metrics-server-${WL}-t4bvp`,
};
