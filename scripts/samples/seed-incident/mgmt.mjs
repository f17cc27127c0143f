// The management cluster dm-nkp-mgmt-1 at 2025-12-27T10:04:11Z: healthy itself; its
// dm-dev-workspace namespace holds the CAPI and CAAPH objects of dm-nkp-workload-1.

import { ClusterData } from '../lib/bundle.mjs';
import { TAINT, node, uidOf } from '../lib/k8s.mjs';
import { controllerEvent } from '../lib/events.mjs';
import { klog, logr, reconcileKV } from '../lib/logs.mjs';
import {
  API,
  cluster,
  helmChartProxy,
  helmReleaseProxy,
  kubeadmControlPlane,
  machine,
  machineDeployment,
  machineHealthCheck,
  machineSet,
  nutanixCluster,
  nutanixMachine,
  v1b1,
} from '../lib/capi.mjs';
import { mgmtPlatform } from '../lib/mgmt-platform.mjs';
import { plus, uuid } from '../lib/util.mjs';
import {
  API_PORT,
  CILIUM_VERSION,
  CLUSTER_UUID,
  HCP,
  HOOK_TIMEOUT_POST,
  HOOK_TIMEOUT_PRE,
  HRP,
  KCP,
  K8S_VERSION,
  MD,
  MGMT,
  MS,
  NOW,
  POD_CIDR,
  PRISM_CENTRAL,
  SERVICE_CIDR,
  T,
  VIP,
  WL,
  WL_NODES,
  WS,
} from './common.mjs';

const MGMT_KCP = `${MGMT}-r4b6k`;
const MGMT_MS = `${MGMT}-md-0-vl6c2-fq8kx`;
export const MGMT_NODES = [
  { name: `${MGMT_KCP}-d6nq8`, ip: '10.23.130.21', controlPlane: true, registered: '2025-11-18T14:06:12Z', podNet: '192.168.0', vm: '9e3b6f21-4a7c-4d0e-8b15-c2f9a6d8e371' },
  { name: `${MGMT_KCP}-hx2kp`, ip: '10.23.130.22', controlPlane: true, registered: '2025-11-18T14:12:40Z', podNet: '192.168.3', vm: '1a7d4c93-6e2b-4f85-a0c9-5b8e3d7f1264' },
  { name: `${MGMT_KCP}-sw9lf`, ip: '10.23.130.23', controlPlane: true, registered: '2025-11-18T14:17:55Z', podNet: '192.168.4', vm: '6c0e8a57-3d9f-4b21-9e64-8f2a1c5b7d90' },
  { name: `${MGMT_MS}-2jvzc`, ip: '10.23.130.24', controlPlane: false, registered: '2025-11-18T14:09:31Z', podNet: '192.168.1', vm: 'b4f2d6e8-0a1c-4e37-8d59-3c7b9a2f6e14' },
  { name: `${MGMT_MS}-8trxn`, ip: '10.23.130.25', controlPlane: false, registered: '2025-11-18T14:09:44Z', podNet: '192.168.2', vm: '5d9a1e3f-7b2c-4c68-a4e0-9f1b6d8c2a57' },
  { name: `${MGMT_MS}-qm5wd`, ip: '10.23.130.26', controlPlane: false, registered: '2025-11-18T14:10:02Z', podNet: '192.168.5', vm: 'e7c3b5a9-2f4d-4a16-b8e2-0d6f9c1a4b83' },
];

export function buildMgmt() {
  const c = new ClusterData({ name: MGMT, epoch: '2025-11-18T14:00:00Z', now: NOW, rvBase: 420, rvPerSecond: 2.7 });
  for (const n of MGMT_NODES) {
    n.obj = node(c, {
      name: n.name,
      created: n.registered,
      ip: n.ip,
      controlPlane: n.controlPlane,
      kubeletVersion: K8S_VERSION,
      cpu: n.controlPlane ? 4 : 8,
      memoryKi: n.controlPlane ? 16122780 : 32617380,
      providerID: `nutanix://${n.vm}`,
      taints: n.controlPlane ? [TAINT.controlPlane] : undefined,
      labels: { 'node.kubernetes.io/instance-type': 'ahv-vm', 'topology.kubernetes.io/region': 'pc-dm-lab', 'topology.kubernetes.io/zone': 'pe-dm-lab-01' },
      annotations: {
        'alpha.kubernetes.io/provided-node-ip': n.ip,
        'cluster.x-k8s.io/annotations-from-machine': '',
        'cluster.x-k8s.io/cluster-name': MGMT,
        'cluster.x-k8s.io/cluster-namespace': 'default',
        'cluster.x-k8s.io/labels-from-machine': '',
        'cluster.x-k8s.io/machine': n.name,
        'cluster.x-k8s.io/owner-kind': n.controlPlane ? 'KubeadmControlPlane' : 'MachineSet',
        'cluster.x-k8s.io/owner-name': n.controlPlane ? MGMT_KCP : MGMT_MS,
        'csi.volume.kubernetes.io/nodeid': JSON.stringify({ 'csi.nutanix.com': n.name }),
        'network.cilium.io/ipv4-cilium-host': `${n.podNet}.1`,
        'network.cilium.io/ipv4-health-ip': `${n.podNet}.12`,
        'network.cilium.io/ipv4-pod-cidr': `${n.podNet}.0/24`,
      },
      heartbeat: plus(NOW, -((n.ip.charCodeAt(n.ip.length - 1) * 7) % 240 + 10)),
      readySince: plus(n.registered, 41),
      networkUnavailable: { status: 'False', reason: 'CiliumIsUp', message: 'Cilium is running on this node', since: plus(n.registered, 38), heartbeat: plus(n.registered, 38) },
      images: [`quay.io/cilium/cilium:${CILIUM_VERSION}`, 'registry.k8s.io/pause:3.10'],
      systemUUID: n.vm,
    });
    c.add(n.obj);
  }
  const platform = mgmtPlatform(c, { nodes: MGMT_NODES, now: NOW, vip: '10.23.130.20', clusterName: MGMT, version: K8S_VERSION, podCIDR: POD_CIDR, serviceCIDR: SERVICE_CIDR, extraNamespaces: [{ name: WS, created: '2025-12-02T09:15:37Z', labels: { 'kommander.d2iq.io/workspace': 'true' } }], carenRestart: T.carenRestart });
  c.add(platform.all);

  // ------------------------------------------------------------------ CAPI objects of the workload cluster
  const cl = cluster(c, {
    name: WL,
    namespace: WS,
    created: T.clusterCreated,
    generation: 2,
    labels: {
      'cluster.x-k8s.io/cluster-name': WL,
      'cluster.x-k8s.io/provider': 'nutanix',
      'konvoy.d2iq.io/cluster-name': WL,
      'konvoy.d2iq.io/provider': 'nutanix',
      'kommander.d2iq.io/workspace': WS,
      'topology.cluster.x-k8s.io/owned': '',
    },
    annotations: {
      'caren.nutanix.com/cluster-uuid': CLUSTER_UUID,
      'preflight.cluster.caren.nutanix.com/skip': '',
    },
    endpoint: { host: VIP, port: API_PORT },
    podCIDR: POD_CIDR,
    serviceCIDR: SERVICE_CIDR,
    infra: { kind: 'NutanixCluster', name: `${WL}-nh8fw` },
    cp: { kind: 'KubeadmControlPlane', name: KCP },
    topology: {
      class: 'nkp-nutanix-v2.16.0',
      controlPlane: { metadata: {}, replicas: 1 },
      variables: [{
        name: 'clusterConfig',
        value: {
          addons: {
            ccm: { credentials: { secretRef: { name: `${WL}-pc-credentials-for-ccm` } }, strategy: 'HelmAddon' },
            clusterAutoscaler: { strategy: 'HelmAddon' },
            cni: { provider: 'Cilium', strategy: 'HelmAddon' },
            csi: { defaultStorage: { provider: 'nutanix', storageClassConfig: 'volume' }, providers: { nutanix: { credentials: { secretRef: { name: `${WL}-pc-credentials-for-csi` } }, strategy: 'HelmAddon' } } },
            konnectorAgent: { credentials: { secretRef: { name: `${WL}-pc-credentials-for-konnector-agent` } }, strategy: 'HelmAddon' },
          },
          controlPlane: { nutanix: { machineDetails: { bootType: 'legacy', cluster: { name: 'pe-dm-lab-01', type: 'name' }, imageLookup: { baseOS: 'rocky-9.5', format: 'nkp-{{.BaseOS}}-release-cis-{{.K8sVersion}}-*' }, memorySize: '16Gi', subnets: [{ name: 'vlan130', type: 'name' }], systemDiskSize: '80Gi', vcpuSockets: 2, vcpusPerSocket: 2 } } },
          encryptionAtRest: { providers: [{ aescbc: {} }] },
          nutanix: {
            controlPlaneEndpoint: { host: VIP, port: API_PORT, virtualIP: { configuration: { address: VIP } } },
            prismCentralEndpoint: { credentials: { secretRef: { name: `${WL}-pc-credentials` } }, url: `https://${PRISM_CENTRAL}:9440` },
          },
        },
      }],
      version: K8S_VERSION,
      workers: { machineDeployments: [{ class: 'default-worker', metadata: {}, name: 'md-0', replicas: 3 }] },
    },
    conditions: [
      v1b1('Ready', 'True', '2025-12-27T08:34:02Z'),
      v1b1('ControlPlaneInitialized', 'True', T.cpInitialized),
      v1b1('ControlPlaneReady', 'True', '2025-12-27T08:34:02Z'),
      v1b1('InfrastructureReady', 'True', '2025-12-27T08:30:07Z'),
      v1b1('TopologyReconciled', 'True', '2025-12-27T08:29:58Z'),
    ],
  });
  c.add(cl);
  const [cpN, ...workers] = WL_NODES;
  const kcp = kubeadmControlPlane(c, {
    name: KCP,
    namespace: WS,
    cluster: cl,
    created: '2025-12-27T08:29:52Z',
    labels: { 'cluster.x-k8s.io/cluster-name': WL, 'topology.cluster.x-k8s.io/owned': '' },
    annotations: { 'cluster.x-k8s.io/cloned-from-groupkind': 'KubeadmControlPlaneTemplate.controlplane.cluster.x-k8s.io', 'cluster.x-k8s.io/cloned-from-name': 'nkp-nutanix-v2.16.0-kcp' },
    replicas: 1,
    version: K8S_VERSION,
    infraTemplateKind: 'NutanixMachineTemplate',
    infraTemplateName: `${WL}-control-plane-k9t5s`,
    machineLabels: { 'cluster.x-k8s.io/cluster-name': WL, 'topology.cluster.x-k8s.io/owned': '' },
    kubeadmConfigSpec: {
      clusterConfiguration: {
        apiServer: { certSANs: ['localhost', '127.0.0.1', '0.0.0.0', VIP], extraArgs: { 'audit-log-maxage': '30', 'audit-log-maxbackup': '10', 'audit-log-maxsize': '100', 'audit-log-path': '/var/log/audit/kube-apiserver-audit.log', 'audit-policy-file': '/etc/kubernetes/audit-policy/apiserver-audit-policy.yaml', 'cloud-provider': 'external', profiling: 'false' } },
        controllerManager: { extraArgs: { 'cloud-provider': 'external', profiling: 'false' } },
        dns: {},
        etcd: { local: { imageTag: '3.5.16-0' } },
        networking: {},
        scheduler: { extraArgs: { profiling: 'false' } },
      },
      format: 'cloud-config',
      initConfiguration: { localAPIEndpoint: {}, nodeRegistration: { kubeletExtraArgs: { 'cloud-provider': 'external', 'eviction-hard': 'nodefs.available<10%,nodefs.inodesFree<5%,imagefs.available<15%,memory.available<100Mi', 'provider-id': 'nutanix://{{ ds.meta_data.uuid }}', 'tls-cipher-suites': 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' }, name: '{{ ds.meta_data.hostname }}' } },
      joinConfiguration: { discovery: {}, nodeRegistration: { kubeletExtraArgs: { 'cloud-provider': 'external' }, name: '{{ ds.meta_data.hostname }}' } },
      postKubeadmCommands: ['echo export KUBECONFIG=/etc/kubernetes/admin.conf >> /root/.bashrc', 'echo "after kubeadm call" > /var/log/postkubeadm.log'],
      preKubeadmCommands: ['echo "before kubeadm call" > /var/log/prekubeadm.log', 'hostnamectl set-hostname "{{ ds.meta_data.hostname }}"'],
      users: [{ lockPassword: false, name: 'konvoy', sshAuthorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK3dm0Xexample0nly0public0key0for0samples0xx someone@laptop'], sudo: 'ALL=(ALL) NOPASSWD:ALL' }],
    },
    conditions: [
      v1b1('Ready', 'True', '2025-12-27T08:34:02Z'),
      v1b1('Available', 'True', '2025-12-27T08:34:02Z'),
      v1b1('CertificatesAvailable', 'True', '2025-12-27T08:29:53Z'),
      v1b1('ControlPlaneComponentsHealthy', 'True', '2025-12-27T08:35:10Z'),
      v1b1('EtcdClusterHealthy', 'True', '2025-12-27T08:35:10Z'),
      v1b1('MachinesCreated', 'True', '2025-12-27T08:29:56Z'),
      v1b1('MachinesReady', 'True', '2025-12-27T08:34:12Z'),
      v1b1('Resized', 'True', '2025-12-27T08:29:56Z'),
    ],
  });
  const md = machineDeployment(c, {
    name: MD,
    namespace: WS,
    cluster: cl,
    created: '2025-12-27T08:29:53Z',
    topologyName: 'md-0',
    labels: { 'cluster.x-k8s.io/cluster-name': WL },
    replicas: 3,
    version: K8S_VERSION,
    infraTemplateKind: 'NutanixMachineTemplate',
    phase: 'ScalingUp',
    ready: undefined,
    available: undefined,
    conditions: [
      v1b1('Ready', 'False', '2025-12-27T08:29:54Z', { reason: 'WaitingForAvailableMachines', severity: 'Warning', message: 'Minimum availability requires 3 replicas, current 0 available' }),
      v1b1('Available', 'False', '2025-12-27T08:29:54Z', { reason: 'WaitingForAvailableMachines', severity: 'Warning', message: 'Minimum availability requires 3 replicas, current 0 available' }),
      v1b1('MachineSetReady', 'True', '2025-12-27T08:33:02Z'),
    ],
  });
  const ms = machineSet(c, {
    name: MS,
    md,
    hash: '2193571580',
    created: '2025-12-27T08:29:54Z',
    conditions: [v1b1('Ready', 'True', '2025-12-27T08:33:02Z'), v1b1('MachinesCreated', 'True', '2025-12-27T08:29:55Z'), v1b1('MachinesReady', 'True', '2025-12-27T08:33:02Z'), v1b1('Resized', 'True', '2025-12-27T08:29:55Z')],
  });
  const mhc = machineHealthCheck(c, {
    name: MD,
    namespace: WS,
    cluster: cl,
    owner: md,
    created: '2025-12-27T08:29:54Z',
    selector: md.spec.selector.matchLabels,
    expected: 3,
    currentHealthy: 0,
    remediationsAllowed: 0,
    targets: workers.map((w) => w.name),
    conditions: [v1b1('RemediationAllowed', 'False', '2025-12-27T08:52:58Z', { reason: 'TooManyUnhealthy', severity: 'Warning', message: 'Remediation is not allowed, the number of not started or unhealthy machines exceeds maxUnhealthy (total: 3, unhealthy: 3, maxUnhealthy: 40%)' })],
  });
  c.add(kcp, md, ms, mhc);
  const nc = nutanixCluster(c, { name: `${WL}-nh8fw`, namespace: WS, cluster: cl, created: '2025-12-27T08:29:52Z', endpoint: { host: VIP, port: API_PORT }, pcAddress: PRISM_CENTRAL, readyAt: '2025-12-27T08:30:07Z' });
  c.add(nc);

  // Machines: the control plane one was matched to its Node; the workers' Nodes never got a providerID
  const machines = [];
  for (const n of WL_NODES) {
    const isCp = n.controlPlane;
    const labels = isCp
      ? { 'cluster.x-k8s.io/cluster-name': WL, 'cluster.x-k8s.io/control-plane': '', 'cluster.x-k8s.io/control-plane-name': KCP, 'topology.cluster.x-k8s.io/owned': '' }
      : { ...md.spec.selector.matchLabels, 'cluster.x-k8s.io/deployment-name': MD, 'cluster.x-k8s.io/set-name': MS, 'machine-template-hash': '2193571580' };
    const created = isCp ? '2025-12-27T08:29:56Z' : '2025-12-27T08:29:55Z';
    const infraReady = isCp ? '2025-12-27T08:31:38Z' : plus(n.registered, -232);
    const nodeUid = uidOf({ name: WL }, 'Node', undefined, n.name);
    const m = machine(c, {
      name: n.name,
      namespace: WS,
      cluster: WL,
      created,
      labels,
      annotations: isCp ? { 'controlplane.cluster.x-k8s.io/kubeadm-cluster-configuration': '{"etcd":{"local":{"imageTag":"3.5.16-0"}},"networking":{},"apiServer":{"extraArgs":{"cloud-provider":"external","profiling":"false"}},"controllerManager":{"extraArgs":{"cloud-provider":"external","profiling":"false"}},"scheduler":{"extraArgs":{"profiling":"false"}},"dns":{}}' } : undefined,
      owner: isCp ? kcp : ms,
      version: K8S_VERSION,
      providerID: `nutanix://${n.vm}`,
      addresses: [{ address: n.ip, type: 'InternalIP' }, { address: n.name, type: 'Hostname' }],
      infra: { kind: 'NutanixMachine' },
      infraUid: uidOf(c, 'NutanixMachine', WS, n.name),
      bootstrapUid: uuid(MGMT, 'KubeadmConfig', WS, n.name),
      node: isCp ? { name: n.name, uid: nodeUid, nodeInfo: n.obj.status.nodeInfo } : null,
      phase: isCp ? 'Running' : 'Provisioned',
      lastUpdated: isCp ? '2025-12-27T08:34:10Z' : infraReady,
      conditions: isCp
        ? [
            v1b1('Ready', 'True', '2025-12-27T08:31:38Z'),
            v1b1('APIServerPodHealthy', 'True', '2025-12-27T08:35:10Z'),
            v1b1('BootstrapReady', 'True', '2025-12-27T08:29:58Z'),
            v1b1('ControllerManagerPodHealthy', 'True', '2025-12-27T08:35:10Z'),
            v1b1('EtcdMemberHealthy', 'True', '2025-12-27T08:35:10Z'),
            v1b1('EtcdPodHealthy', 'True', '2025-12-27T08:35:10Z'),
            v1b1('InfrastructureReady', 'True', '2025-12-27T08:31:38Z'),
            v1b1('NodeHealthy', 'True', '2025-12-27T08:34:41Z'),
            v1b1('SchedulerPodHealthy', 'True', '2025-12-27T08:35:10Z'),
          ]
        : [
            v1b1('Ready', 'True', infraReady),
            v1b1('BootstrapReady', 'True', '2025-12-27T08:29:59Z'),
            v1b1('HealthCheckSucceeded', 'False', plus(infraReady, 1201), { reason: 'NodeStartupTimeout', severity: 'Warning', message: 'Node failed to report startup in 20m0s' }),
            v1b1('InfrastructureReady', 'True', infraReady),
            v1b1('NodeHealthy', 'False', '2025-12-27T08:29:55Z', { reason: 'WaitingForNodeRef', severity: 'Info' }),
          ],
    });
    machines.push(m);
    const nm = nutanixMachine(c, {
      name: n.name,
      namespace: WS,
      machine: m,
      created: plus(created, 1),
      labels: { 'cluster.x-k8s.io/cluster-name': WL, ...(isCp ? { 'cluster.x-k8s.io/control-plane': '', 'cluster.x-k8s.io/control-plane-name': KCP } : { 'cluster.x-k8s.io/deployment-name': MD, 'cluster.x-k8s.io/set-name': MS }) },
      template: isCp ? `${WL}-control-plane-k9t5s` : `${MD}-infra`,
      peCluster: 'pe-dm-lab-01',
      image: `nkp-rocky-9.5-release-cis-${K8S_VERSION.slice(1)}-20251201`,
      memory: isCp ? '16Gi' : '32Gi',
      vcpusPerSocket: isCp ? 2 : 4,
      subnet: 'vlan130',
      providerID: `nutanix://${n.vm}`,
      vmUUID: n.vm,
      addresses: [{ address: n.ip, type: 'InternalIP' }, { address: n.name, type: 'Hostname' }],
      nodeRef: isCp ? { apiVersion: 'v1', kind: 'Node', name: n.name, uid: nodeUid } : undefined,
      readyAt: infraReady,
    });
    c.add(m, nm);
  }
  c.add(controllerEvent(c, mhc, 'machinehealthcheck-controller', {
    reason: 'RemediationRestricted',
    type: 'Warning',
    message: 'Remediation restricted due to exceeded number of unhealthy machines (total: 3, unhealthy: 3, maxUnhealthy: 40%)',
    first: '2025-12-27T08:52:58Z',
    last: '2025-12-27T10:03:02Z',
    count: 139,
  }));

  // ------------------------------------------------------------------ CAAPH: HelmChartProxies and HelmReleaseProxies
  const addons = caaphObjects(c, cl);
  c.add(addons);

  // CAAPH controller log (controller-runtime, klogr "msg"= style)
  c.log('caaph-system', platform.caaphPod.metadata.name, 'manager', caaphLog());
  return c;
}

// ---------------------------------------------------------------------------- CAAPH objects

const CILIUM_VALUES_TEMPLATE = (host, port, certDays) => `cni:
  chainingMode: portmap
  exclusive: false
hubble:
  enabled: true
  tls:
    auto:
      enabled: true
      method: cronJob
      certValidityDuration: ${certDays}
      schedule: "0 0 1 */4 *"
ipam:
  mode: cluster-pool
  operator:
    clusterPoolIPv4PodCIDRList:
    - ${POD_CIDR}
    clusterPoolIPv4MaskSize: 24
kubeProxyReplacement: true
k8sServiceHost: ${host}
k8sServicePort: ${port}
operator:
  replicas: 2
  tolerations:
  - key: node-role.kubernetes.io/control-plane
    operator: Exists
    effect: NoSchedule
  - key: node.cloudprovider.kubernetes.io/uninitialized
    operator: Exists
    effect: NoSchedule
  - key: CriticalAddonsOnly
    operator: Exists
routingMode: tunnel
tunnelProtocol: vxlan
socketLB:
  hostNamespaceOnly: true
envoy:
  enabled: false
image:
  useDigest: false
`;

const KONNECTOR_VALUES = (name) => `agentName: konnector-agent
k8sClusterName: ${name}
pc:
  endpoint: "${PRISM_CENTRAL}"
  port: 9440
  insecure: false
  username: "nkp-konnector"
  password: "***HIDDEN***"
categoryMappings: ""
hooks:
  postUpgrade:
    enabled: true
`;

const CSI_VALUES = `createPrismCentralSecret: true
createSecret: false
defaultStorageClass: volume
pcSecretName: nutanix-csi-credentials
prismEndPoint: ${PRISM_CENTRAL}
kubeletDir: /var/lib/kubelet
precheck:
  enabled: true
volumeClass: true
volumeClassName: nutanix-volume
storageContainer: default-container-8216385403201
tolerations:
- operator: Exists
`;

const CCM_VALUES = `prismCentralEndPoint: ${PRISM_CENTRAL}
prismCentralPort: 9440
prismCentralInsecure: false
createSecret: false
secretName: nutanix-ccm-credentials
nodeSelector:
  node-role.kubernetes.io/control-plane: ""
`;

const METRICS_VALUES = `args:
- --kubelet-insecure-tls
tolerations:
- key: node-role.kubernetes.io/control-plane
  operator: Exists
  effect: NoSchedule
- key: node.cloudprovider.kubernetes.io/uninitialized
  operator: Exists
  effect: NoSchedule
priorityClassName: system-cluster-critical
`;

function caaphObjects(c, cl) {
  const selector = { matchLabels: { 'cluster.x-k8s.io/cluster-name': WL } };
  const labels = { 'cluster.x-k8s.io/cluster-name': WL, 'clusterctl.cluster.x-k8s.io/move': '' };
  const owners = [{ apiVersion: API.cluster, kind: 'Cluster', name: WL, uid: cl.metadata.uid }];
  const opts = (timeout) => ({ install: { createNamespace: true, includeCRDs: true }, timeout, uninstall: {}, upgrade: { maxHistory: 10 }, wait: false, waitForJobs: false });
  const readyAll = (at) => [v1b1('Ready', 'True', at), v1b1('HelmReleaseProxiesReady', 'True', at), v1b1('HelmReleaseProxySpecsUpToDate', 'True', T.hrpCreated)];
  const hrpReady = (installedAt) => [v1b1('Ready', 'True', installedAt), v1b1('ClusterAvailable', 'True', T.cpInitialized), v1b1('HelmReleaseReady', 'True', installedAt)];
  const hrpFailed = (msg, at) => [
    v1b1('Ready', 'False', at, { reason: 'HelmInstallOrUpgradeFailed', severity: 'Error', message: msg }),
    v1b1('ClusterAvailable', 'True', T.cpInitialized),
    v1b1('HelmReleaseReady', 'False', at, { reason: 'HelmInstallOrUpgradeFailed', severity: 'Error', message: msg }),
  ];
  const out = [];
  const hcpCilium = helmChartProxy(c, {
    name: HCP.cilium, namespace: WS, created: T.hcpCreated, labels, owners,
    chartName: 'cilium', repoURL: 'https://helm.cilium.io/', version: CILIUM_VERSION.slice(1), releaseName: 'cilium', releaseNamespace: 'kube-system',
    valuesTemplate: CILIUM_VALUES_TEMPLATE('"{{ .Cluster.spec.controlPlaneEndpoint.host }}"', '{{ .Cluster.spec.controlPlaneEndpoint.port }}', 365),
    options: opts('15m0s'),
    clusterSelector: selector,
    generation: 6,
    matchingClusters: [cl],
    conditions: [
      v1b1('Ready', 'False', T.hcpUpdate, { reason: 'HelmReleaseProxySpecsUpdating', severity: 'Info', message: `Helm release proxy '${HRP.cilium}' is not updated yet` }),
      v1b1('HelmReleaseProxiesReady', 'True', '2025-12-27T08:34:14Z'),
      v1b1('HelmReleaseProxySpecsUpToDate', 'False', T.hcpUpdate, { reason: 'HelmReleaseProxySpecsUpdating', severity: 'Info', message: `Helm release proxy '${HRP.cilium}' is not updated yet` }),
    ],
  });
  const hcpKonnector = helmChartProxy(c, {
    name: HCP.konnector, namespace: WS, created: T.hcpCreated, labels, owners,
    chartName: 'konnector-agent', repoURL: 'https://nutanix.github.io/helm-releases/', version: '1.3.1', releaseName: 'konnector-agent', releaseNamespace: 'ntnx-system',
    valuesTemplate: KONNECTOR_VALUES('{{ .Cluster.metadata.name }}'),
    options: opts('10m0s'),
    clusterSelector: selector,
    generation: 2,
    matchingClusters: [cl],
    conditions: [
      v1b1('Ready', 'False', T.hcpUpdate, { reason: 'HelmInstallOrUpgradeFailed', severity: 'Error', message: HOOK_TIMEOUT_POST }),
      v1b1('HelmReleaseProxiesReady', 'False', T.upgradeFailed.konnector, { reason: 'HelmInstallOrUpgradeFailed', severity: 'Error', message: HOOK_TIMEOUT_POST }),
      v1b1('HelmReleaseProxySpecsUpToDate', 'True', T.upgradeFailed.konnector),
    ],
  });
  const hcpCsi = helmChartProxy(c, {
    name: HCP.csi, namespace: WS, created: T.hcpCreated, labels, owners,
    chartName: 'nutanix-csi-storage', repoURL: 'https://nutanix.github.io/helm/', version: '3.3.5', releaseName: 'nutanix-csi-storage', releaseNamespace: 'ntnx-system',
    valuesTemplate: CSI_VALUES,
    options: opts('10m0s'),
    clusterSelector: selector,
    generation: 2,
    matchingClusters: [cl],
    conditions: [
      v1b1('Ready', 'False', T.hcpUpdate, { reason: 'HelmInstallOrUpgradeFailed', severity: 'Error', message: HOOK_TIMEOUT_PRE }),
      v1b1('HelmReleaseProxiesReady', 'False', T.upgradeFailed.csi, { reason: 'HelmInstallOrUpgradeFailed', severity: 'Error', message: HOOK_TIMEOUT_PRE }),
      v1b1('HelmReleaseProxySpecsUpToDate', 'True', T.upgradeFailed.csi),
    ],
  });
  const hcpCcm = helmChartProxy(c, {
    name: HCP.ccm, namespace: WS, created: T.hcpCreated, labels, owners,
    chartName: 'nutanix-cloud-provider', repoURL: 'https://nutanix.github.io/helm/', version: '0.5.2', releaseName: 'nutanix-ccm', releaseNamespace: 'kube-system',
    valuesTemplate: CCM_VALUES,
    options: opts('10m0s'),
    clusterSelector: selector,
    matchingClusters: [cl],
    conditions: readyAll('2025-12-27T08:34:17Z'),
  });
  const hcpMetrics = helmChartProxy(c, {
    name: HCP.metrics, namespace: WS, created: T.hcpCreated, labels, owners,
    chartName: 'metrics-server', repoURL: 'https://kubernetes-sigs.github.io/metrics-server/', version: '3.12.2', releaseName: 'metrics-server', releaseNamespace: 'kube-system',
    valuesTemplate: METRICS_VALUES,
    options: opts('10m0s'),
    clusterSelector: selector,
    matchingClusters: [cl],
    conditions: readyAll('2025-12-27T08:34:27Z'),
  });
  out.push(hcpCilium, hcpKonnector, hcpCsi, hcpCcm, hcpMetrics);

  out.push(
    helmReleaseProxy(c, {
      name: HRP.cilium, hcp: hcpCilium, cluster: cl, created: T.hrpCreated,
      values: CILIUM_VALUES_TEMPLATE(`"${VIP}"`, String(API_PORT), 365),
      generation: 6, observedGeneration: 5, status: 'failed', revision: 5,
      conditions: hrpFailed(HOOK_TIMEOUT_POST, T.upgradeFailed.cilium),
    }),
    helmReleaseProxy(c, {
      name: HRP.konnector, hcp: hcpKonnector, cluster: cl, created: T.hrpCreated,
      values: KONNECTOR_VALUES(WL),
      generation: 2, status: 'failed', revision: 2,
      conditions: hrpFailed(HOOK_TIMEOUT_POST, T.upgradeFailed.konnector),
    }),
    helmReleaseProxy(c, {
      name: HRP.csi, hcp: hcpCsi, cluster: cl, created: T.hrpCreated,
      values: CSI_VALUES,
      generation: 2, status: 'failed', revision: 2,
      conditions: hrpFailed(HOOK_TIMEOUT_PRE, T.upgradeFailed.csi),
    }),
    helmReleaseProxy(c, {
      name: HRP.ccm, hcp: hcpCcm, cluster: cl, created: T.hrpCreated,
      values: CCM_VALUES, status: 'deployed', revision: 1,
      conditions: hrpReady('2025-12-27T08:34:17Z'),
    }),
    helmReleaseProxy(c, {
      name: HRP.metrics, hcp: hcpMetrics, cluster: cl, created: T.hrpCreated,
      values: METRICS_VALUES, status: 'deployed', revision: 1,
      conditions: hrpReady('2025-12-27T08:34:27Z'),
    }),
  );
  return out;
}

// ---------------------------------------------------------------------------- CAAPH log

function caaphLog() {
  const L = [];
  const rid = (...p) => uuid('reconcile', ...p);
  const hrpKV = (name, n) => reconcileKV('HelmReleaseProxy', 'addons.cluster.x-k8s.io', WS, name, rid(name, n));
  const hcpKV = (name, n) => reconcileKV('HelmChartProxy', 'addons.cluster.x-k8s.io', WS, name, rid(name, n));
  // manager start (pod started 2025-11-18)
  L.push(logr('I', '2025-11-18T14:31:07Z', 201455, 'main.go:226', 'starting manager', [['logger', 'setup'], ['version', 'v0.3.1']]));
  L.push(logr('I', '2025-11-18T14:31:07Z', 203871, 'server.go:208', 'Starting metrics server', [['logger', 'controller-runtime.metrics']]));
  L.push(logr('I', '2025-11-18T14:31:07Z', 204112, 'server.go:247', 'Serving metrics server', [['logger', 'controller-runtime.metrics'], ['bindAddress', ':8443'], ['secure', true]]));
  L.push(logr('I', '2025-11-18T14:31:07Z', 204560, 'server.go:191', 'Starting webhook server', [['logger', 'controller-runtime.webhook']]));
  L.push(klog('I', '2025-11-18T14:31:07Z', 205004, 'leaderelection.go:257', 'attempting to acquire leader lease caaph-system/5a2dee3e.cluster.x-k8s.io...'));
  L.push(klog('I', '2025-11-18T14:31:24Z', 981233, 'leaderelection.go:271', 'successfully acquired lease caaph-system/5a2dee3e.cluster.x-k8s.io'));
  L.push(logr('I', '2025-11-18T14:31:25Z', 82119, 'controller.go:198', 'Starting Controller', [['controller', 'helmchartproxy'], ['controllerGroup', 'addons.cluster.x-k8s.io'], ['controllerKind', 'HelmChartProxy']]));
  L.push(logr('I', '2025-11-18T14:31:25Z', 82551, 'controller.go:198', 'Starting Controller', [['controller', 'helmreleaseproxy'], ['controllerGroup', 'addons.cluster.x-k8s.io'], ['controllerKind', 'HelmReleaseProxy']]));
  L.push(logr('I', '2025-11-18T14:31:25Z', 190772, 'controller.go:232', 'Starting workers', [['controller', 'helmchartproxy'], ['controllerGroup', 'addons.cluster.x-k8s.io'], ['controllerKind', 'HelmChartProxy'], ['worker count', 10]]));
  L.push(logr('I', '2025-11-18T14:31:25Z', 190901, 'controller.go:232', 'Starting workers', [['controller', 'helmreleaseproxy'], ['controllerGroup', 'addons.cluster.x-k8s.io'], ['controllerKind', 'HelmReleaseProxy'], ['worker count', 10]]));
  // the workload cluster is created
  const releases = [
    ['cilium', HRP.cilium, HCP.cilium, 'kube-system', T.install.cilium],
    ['nutanix-ccm', HRP.ccm, HCP.ccm, 'kube-system', T.install.ccm],
    ['konnector-agent', HRP.konnector, HCP.konnector, 'ntnx-system', T.install.konnector],
    ['nutanix-csi-storage', HRP.csi, HCP.csi, 'ntnx-system', T.install.csi],
    ['metrics-server', HRP.metrics, HCP.metrics, 'kube-system', T.install.metrics],
  ];
  releases.forEach(([rel, hrp, hcp], i) => {
    L.push(logr('I', T.hrpCreated, 310000 + i * 1733, 'helmchartproxy_controller_phases.go:144', 'Creating HelmReleaseProxy', [...hcpKV(hcp, 0), ['cluster', WL], ['releaseName', rel]]));
  });
  releases.forEach(([, hrp], i) => {
    L.push(logr('I', T.hrpCreated, 512000 + i * 911, 'helmreleaseproxy_controller.go:178', 'Waiting for the control plane to be initialized', hrpKV(hrp, 0)));
  });
  releases.forEach(([rel, hrp, , ns, at], i) => {
    L.push(logr('I', at, 104500 + i * 37, 'helm_operations.go:166', 'Installing release', [...hrpKV(hrp, 1), ['release', rel], ['namespace', ns]]));
    L.push(logr('I', plus(at, 2), 442100 + i * 53, 'helmreleaseproxy_controller.go:274', `Release '${rel}' successfully installed on cluster ${WL}, revision = 1`, hrpKV(hrp, 1)));
  });
  T.ciliumUpgrades.forEach((at, i) => {
    L.push(logr('I', at, 230411 + i, 'helm_operations.go:214', 'Upgrading release', [...hrpKV(HRP.cilium, 2 + i), ['release', 'cilium'], ['namespace', 'kube-system'], ['version', CILIUM_VERSION.slice(1)]]));
    L.push(logr('I', plus(at, 4), 671902 + i, 'helmreleaseproxy_controller.go:274', `Release 'cilium' successfully installed on cluster ${WL}, revision = ${2 + i}`, hrpKV(HRP.cilium, 2 + i)));
  });
  L.push(logr('I', T.upgradeStart.cilium, 517349, 'helm_operations.go:214', 'Upgrading release', [...hrpKV(HRP.cilium, 5), ['release', 'cilium'], ['namespace', 'kube-system'], ['version', CILIUM_VERSION.slice(1)]]));
  L.push(logr('I', T.upgradeStart.konnector, 118092, 'helm_operations.go:214', 'Upgrading release', [...hrpKV(HRP.konnector, 2), ['release', 'konnector-agent'], ['namespace', 'ntnx-system'], ['version', '1.3.1']]));
  L.push(logr('I', T.upgradeStart.csi, 660317, 'helm_operations.go:214', 'Upgrading release', [...hrpKV(HRP.csi, 2), ['release', 'nutanix-csi-storage'], ['namespace', 'ntnx-system'], ['version', '3.3.5']]));
  L.push(logr('I', '2025-12-27T09:46:31Z', 20544, 'helmchartproxy_controller_phases.go:173', 'Updating HelmReleaseProxy', [...hcpKV(HCP.cilium, 6), ['helmReleaseProxy', HRP.cilium], ['cluster', WL]]));
  const fail = (at, micro, rel, hrp, n, msg) => {
    L.push(logr('E', at, micro, 'helmreleaseproxy_controller.go:256', `Failed to install or upgrade release '${rel}' on cluster ${WL}`, [['error', msg], ...hrpKV(hrp, n)]));
    L.push(logr('E', at, micro + 1533, 'controller.go:316', 'Reconciler error', [['error', msg], ...hrpKV(hrp, n)]));
  };
  fail(T.upgradeFailed.konnector, 402813, 'konnector-agent', HRP.konnector, 2, HOOK_TIMEOUT_POST);
  fail(T.upgradeFailed.csi, 97410, 'nutanix-csi-storage', HRP.csi, 2, HOOK_TIMEOUT_PRE);
  fail(T.upgradeFailed.cilium, 881267, 'cilium', HRP.cilium, 5, HOOK_TIMEOUT_POST);
  L.push(logr('I', T.ciliumRetry, 12690, 'helm_operations.go:214', 'Upgrading release', [...hrpKV(HRP.cilium, 6), ['release', 'cilium'], ['namespace', 'kube-system'], ['version', CILIUM_VERSION.slice(1)]]));
  L.sort((a, b) => klogKey(a).localeCompare(klogKey(b)));
  return L;
}

/** Sort key of a klog line: MMDD hh:mm:ss.uuuuuu, with the year implied by the month (Nov before Dec). */
function klogKey(line) {
  return line.slice(1, 21);
}

