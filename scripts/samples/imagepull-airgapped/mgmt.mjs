// prod-mgmt at 2025-11-03T08:12:47Z: vSphere management cluster; fleet-a holds edge-17.

import { ClusterData } from '../lib/bundle.mjs';
import { TAINT, node, uidOf } from '../lib/k8s.mjs';
import { logr, reconcileKV } from '../lib/logs.mjs';
import { API, cluster, helmChartProxy, helmReleaseProxy, kubeadmControlPlane, machine, machineDeployment, machineSet, mv1, v1b1, vsphereCluster, vsphereMachine } from '../lib/capi.mjs';
import { mgmtPlatform } from '../lib/mgmt-platform.mjs';
import { plus, uuid } from '../lib/util.mjs';
import { HOOK_ERROR, HRP_CALICO, HRP_METRICS, K8S_VERSION, MGMT, MGMT_NOW, MS_IMAGE, NS, POD_CIDR, REGISTRY, SERVICE_CIDR, T, WL, WL_CREATED, WL_NODES, WL_VIP } from './common.mjs';

const MGMT_NODES = [
  { name: 'prod-mgmt-control-plane-5vq8r', ip: '10.0.10.11', controlPlane: true, registered: '2025-09-15T09:04:21Z', podNet: '192.168.12', vm: '42182f6a-9d1c-4e3b-b7a5-0c6e8d2f1a94' },
  { name: 'prod-mgmt-control-plane-bk7tz', ip: '10.0.10.12', controlPlane: true, registered: '2025-09-15T09:10:58Z', podNet: '192.168.201', vm: '4218d3e7-2a5b-4c81-9f06-7b3d1e8a5c22' },
  { name: 'prod-mgmt-control-plane-xj2wn', ip: '10.0.10.13', controlPlane: true, registered: '2025-09-15T09:17:33Z', podNet: '192.168.77', vm: '42189c41-6f7e-4d2a-8c3b-5a0f9e1d7b68' },
  { name: 'prod-mgmt-md-0-r8h5d-2lzqx', ip: '10.0.10.21', controlPlane: false, registered: '2025-09-15T09:07:46Z', podNet: '192.168.5', vm: '42186e08-b1d4-4a97-a3c2-9e5f7d0b3c16' },
  { name: 'prod-mgmt-md-0-r8h5d-gm6vk', ip: '10.0.10.22', controlPlane: false, registered: '2025-09-15T09:08:02Z', podNet: '192.168.148', vm: '4218b7c5-3e9a-4f60-8d1b-2c7a6e4f9d03' },
];

export function buildMgmt() {
  const c = new ClusterData({ name: MGMT, epoch: '2025-09-15T09:00:00Z', now: MGMT_NOW, rvBase: 330, rvPerSecond: 1.6 });
  for (const n of MGMT_NODES) {
    n.obj = node(c, {
      name: n.name,
      created: n.registered,
      ip: n.ip,
      controlPlane: n.controlPlane,
      kubeletVersion: K8S_VERSION,
      cpu: n.controlPlane ? 4 : 8,
      memoryKi: n.controlPlane ? 16253916 : 32768716,
      providerID: `vsphere://${n.vm}`,
      taints: n.controlPlane ? [TAINT.controlPlane] : undefined,
      labels: { 'node.kubernetes.io/instance-type': 'vsphere-vm.cpu-8.mem-32gb.os-ubuntu', 'topology.kubernetes.io/region': 'dc-core', 'topology.kubernetes.io/zone': 'dc-core-a' },
      annotations: { 'network.cilium.io/ipv4-cilium-host': `${n.podNet}.1`, 'network.cilium.io/ipv4-pod-cidr': `${n.podNet}.0/24` },
      addresses: [{ address: n.ip, type: 'InternalIP' }, { address: n.ip, type: 'ExternalIP' }, { address: n.name, type: 'Hostname' }],
      heartbeat: plus(MGMT_NOW, -((n.ip.charCodeAt(n.ip.length - 1) * 13) % 240 + 12)),
      readySince: plus(n.registered, 37),
      networkUnavailable: { status: 'False', reason: 'CiliumIsUp', message: 'Cilium is running on this node', since: plus(n.registered, 35), heartbeat: plus(n.registered, 35) },
      osImage: 'Ubuntu 22.04.5 LTS',
      kernel: '5.15.0-124-generic',
      runtime: 'containerd://1.7.22',
      images: ['quay.io/cilium/cilium:v1.16.6', 'registry.k8s.io/pause:3.9'],
      systemUUID: n.vm,
    });
    c.add(n.obj);
  }
  const platform = mgmtPlatform(c, {
    nodes: MGMT_NODES,
    now: MGMT_NOW,
    vip: '10.0.10.10',
    clusterName: MGMT,
    version: K8S_VERSION,
    podCIDR: POD_CIDR,
    serviceCIDR: SERVICE_CIDR,
    infra: 'vsphere',
    ccm: 'vsphere',
    vcenter: 'vcenter.internal.example',
    datacenter: 'DC-CORE',
    ciliumVersion: 'v1.16.6',
    capiVersion: 'v1.9.6',
    caaphVersion: 'v0.5.0',
    caaphImage: `${REGISTRY}/cluster-api-helm/cluster-api-helm-controller:v0.5.0`,
    caaphStart: '2025-10-20T12:31:09Z',
    extraNamespaces: [{ name: NS, created: '2025-10-01T07:45:12Z', labels: { 'fleet.example.com/name': 'fleet-a' } }],
  });
  c.add(platform.all);

  // ------------------------------------------------------------------ CAPI objects of edge-17 (no ClusterClass)
  const cl = cluster(c, {
    name: WL,
    namespace: NS,
    created: WL_CREATED,
    generation: 2,
    labels: { cni: 'calico', fleet: 'fleet-a', metricsServer: 'enabled', site: 'edge-17' },
    endpoint: { host: WL_VIP, port: 6443 },
    podCIDR: POD_CIDR,
    serviceCIDR: SERVICE_CIDR,
    infra: { apiVersion: API.vsphere, kind: 'VSphereCluster', name: WL },
    cp: { kind: 'KubeadmControlPlane', name: 'edge-17-control-plane' },
    conditions: [
      v1b1('Ready', 'True', '2025-10-22T06:15:02Z'),
      v1b1('ControlPlaneInitialized', 'True', '2025-10-22T06:15:02Z'),
      v1b1('ControlPlaneReady', 'True', '2025-10-22T06:15:02Z'),
      v1b1('InfrastructureReady', 'True', '2025-10-22T06:10:14Z'),
    ],
  });
  const [cpN, ...workers] = WL_NODES;
  const kcp = kubeadmControlPlane(c, {
    name: 'edge-17-control-plane',
    namespace: NS,
    cluster: cl,
    created: plus(WL_CREATED, 1),
    labels: { 'cluster.x-k8s.io/cluster-name': WL },
    replicas: 1,
    version: K8S_VERSION,
    infraApi: API.vsphere,
    infraTemplateKind: 'VSphereMachineTemplate',
    infraTemplateName: 'edge-17-control-plane-v1306',
    kubeadmConfigSpec: {
      clusterConfiguration: { apiServer: { extraArgs: { 'cloud-provider': 'external' } }, controllerManager: { extraArgs: { 'cloud-provider': 'external' } }, imageRepository: REGISTRY },
      files: [{ content: `[plugins."io.containerd.grpc.v1.cri".registry.mirrors."docker.io"]\n  endpoint = ["https://${REGISTRY}"]\n`, owner: 'root:root', path: '/etc/containerd/conf.d/mirror.toml', permissions: '0644' }],
      initConfiguration: { nodeRegistration: { criSocket: '/var/run/containerd/containerd.sock', kubeletExtraArgs: { 'cloud-provider': 'external' }, name: '{{ local_hostname }}' } },
      joinConfiguration: { nodeRegistration: { criSocket: '/var/run/containerd/containerd.sock', kubeletExtraArgs: { 'cloud-provider': 'external' }, name: '{{ local_hostname }}' } },
      preKubeadmCommands: ['hostnamectl set-hostname "{{ ds.meta_data.hostname }}"', 'echo "127.0.0.1   {{ ds.meta_data.hostname }}" >>/etc/hosts'],
    },
    conditions: ['Ready', 'Available', 'CertificatesAvailable', 'ControlPlaneComponentsHealthy', 'EtcdClusterHealthy', 'MachinesCreated', 'MachinesReady', 'Resized'].map((t) => v1b1(t, 'True', '2025-10-22T06:16:30Z')),
  });
  const md = machineDeployment(c, {
    name: 'edge-17-md-0',
    namespace: NS,
    cluster: cl,
    created: plus(WL_CREATED, 1),
    replicas: 2,
    ready: 2,
    available: 2,
    version: K8S_VERSION,
    infraApi: API.vsphere,
    infraTemplateKind: 'VSphereMachineTemplate',
    infraTemplate: 'edge-17-md-0-v1306',
    bootstrapTemplate: 'edge-17-md-0',
    phase: 'Running',
    conditions: [v1b1('Ready', 'True', '2025-10-22T06:19:03Z'), v1b1('Available', 'True', '2025-10-22T06:19:03Z'), v1b1('MachineSetReady', 'True', '2025-10-22T06:19:03Z')],
  });
  const ms = machineSet(c, { name: 'edge-17-md-0-wq5mt', md, hash: '1294376559', created: plus(WL_CREATED, 2), ready: 2, available: 2, conditions: [v1b1('Ready', 'True', '2025-10-22T06:19:03Z'), v1b1('MachinesCreated', 'True', plus(WL_CREATED, 3)), v1b1('MachinesReady', 'True', '2025-10-22T06:19:03Z'), v1b1('Resized', 'True', plus(WL_CREATED, 3))] });
  c.add(cl, kcp, md, ms, vsphereCluster(c, { name: WL, namespace: NS, cluster: cl, created: plus(WL_CREATED, 1), endpoint: { host: WL_VIP, port: 6443 }, server: 'vcenter.internal.example', thumbprint: '5E:8A:21:0C:77:B3:41:9F:D2:6C:0E:95:1A:4B:83:F7:2D:C8:60:19', readyAt: '2025-10-22T06:10:14Z' }));
  for (const n of WL_NODES) {
    const isCp = n.controlPlane;
    const labels = isCp
      ? { 'cluster.x-k8s.io/cluster-name': WL, 'cluster.x-k8s.io/control-plane': '', 'cluster.x-k8s.io/control-plane-name': 'edge-17-control-plane' }
      : { ...md.spec.selector.matchLabels, 'cluster.x-k8s.io/set-name': ms.metadata.name, 'machine-template-hash': '1294376559' };
    const created = plus(n.registered, -260);
    const infraReady = plus(n.registered, -95);
    const nodeUid = uidOf({ name: WL }, 'Node', undefined, n.name);
    const m = machine(c, {
      name: n.name,
      namespace: NS,
      cluster: WL,
      created,
      labels,
      owner: isCp ? kcp : ms,
      version: K8S_VERSION,
      providerID: `vsphere://${n.vm}`,
      addresses: [{ address: n.ip, type: 'InternalIP' }, { address: n.name, type: 'Hostname' }],
      infra: { apiVersion: API.vsphere, kind: 'VSphereMachine' },
      infraUid: uidOf(c, 'VSphereMachine', NS, n.name),
      bootstrapUid: uuid(MGMT, 'KubeadmConfig', NS, n.name),
      node: { name: n.name, uid: nodeUid, nodeInfo: { architecture: 'amd64', bootID: uuid(WL, 'boot', n.name), containerRuntimeVersion: 'containerd://1.7.22', kernelVersion: '5.15.0-124-generic', kubeProxyVersion: K8S_VERSION, kubeletVersion: K8S_VERSION, machineID: uuid(WL, 'mid', n.name).replace(/-/g, ''), operatingSystem: 'linux', osImage: 'Ubuntu 22.04.5 LTS', systemUUID: n.vm } },
      phase: 'Running',
      lastUpdated: plus(n.registered, 28),
      conditions: isCp
        ? ['Ready', 'APIServerPodHealthy', 'BootstrapReady', 'ControllerManagerPodHealthy', 'EtcdMemberHealthy', 'EtcdPodHealthy', 'InfrastructureReady', 'NodeHealthy', 'SchedulerPodHealthy'].map((t) => v1b1(t, 'True', plus(n.registered, 60)))
        : [v1b1('Ready', 'True', infraReady), v1b1('BootstrapReady', 'True', plus(created, 3)), v1b1('InfrastructureReady', 'True', infraReady), v1b1('NodeHealthy', 'True', plus(n.registered, 55))],
    });
    c.add(m, vsphereMachine(c, {
      name: n.name,
      namespace: NS,
      machine: m,
      created: plus(created, 1),
      labels,
      template: isCp ? 'edge-17-control-plane-v1306' : 'edge-17-md-0-v1306',
      datacenter: 'EDGE-EU',
      datastore: 'edge17-ds01',
      folder: 'edge/edge-17',
      resourcePool: 'edge-17',
      server: 'vcenter.internal.example',
      vmTemplate: 'ubuntu-2204-kube-v1.30.6-airgap',
      memoryMiB: isCp ? 8192 : 16384,
      cpus: isCp ? 2 : 4,
      ip: n.ip,
      gateway: '10.0.12.1',
      nameservers: ['10.0.0.10'],
      networkName: 'edge-17-vlan12',
      providerID: `vsphere://${n.vm}`,
      readyAt: infraReady,
    }));
  }

  // ------------------------------------------------------------------ CAAPH (metav1.Condition style)
  const hcpCalico = helmChartProxy(c, {
    name: 'calico-cni',
    namespace: NS,
    created: '2025-10-01T08:02:30Z',
    chartName: 'tigera-operator',
    repoURL: `oci://${REGISTRY}/charts`,
    version: 'v3.29.1',
    releaseName: 'calico',
    releaseNamespace: 'tigera-operator',
    valuesTemplate: `installation:\n  cni:\n    type: Calico\n  registry: ${REGISTRY}/\n  calicoNetwork:\n    bgp: Enabled\n    ipPools:{{range $i, $cidr := .Cluster.spec.clusterNetwork.pods.cidrBlocks }}\n    - cidr: {{ $cidr }}\n      encapsulation: VXLANCrossSubnet{{end}}\ntigeraOperator:\n  registry: ${REGISTRY}\n`,
    clusterSelector: { matchLabels: { cni: 'calico' } },
    generation: 1,
    matchingClusters: [cl],
    conditions: [
      mv1('Ready', 'True', '2025-10-22T06:15:40Z', 'InfoReported', '', 1),
      mv1('HelmReleaseProxiesReady', 'True', '2025-10-22T06:15:40Z', 'InfoReported', '', 1),
      mv1('HelmReleaseProxySpecsUpToDate', 'True', '2025-10-22T06:10:02Z', 'UpToDate', '', 1),
    ],
  });
  const hcpMetrics = helmChartProxy(c, {
    name: 'metrics-server',
    namespace: NS,
    created: T.hcpCreated,
    chartName: 'metrics-server',
    repoURL: `oci://${REGISTRY}/charts`,
    version: '3.12.2',
    releaseName: 'metrics-server',
    releaseNamespace: 'kube-system',
    valuesTemplate: `image:\n  repository: ${REGISTRY}/metrics-server/metrics-server\n  tag: v0.7.2\nargs:\n- --kubelet-insecure-tls\npostInstallCheck:\n  enabled: true\n`,
    clusterSelector: { matchLabels: { metricsServer: 'enabled' } },
    generation: 1,
    matchingClusters: [cl],
    conditions: [
      mv1('Ready', 'False', T.failed, 'HelmInstallOrUpgradeFailed', `* HelmReleaseProxiesReady:\n  * HelmReleaseProxy ${HRP_METRICS}:\n    * post-install hooks failed: 1 error occurred:\n      * timed out waiting for the condition`, 1),
      mv1('HelmReleaseProxiesReady', 'False', T.failed, 'HelmInstallOrUpgradeFailed', `* HelmReleaseProxy ${HRP_METRICS}:\n  * post-install hooks failed: 1 error occurred:\n    * timed out waiting for the condition`, 1),
      mv1('HelmReleaseProxySpecsUpToDate', 'True', plus(T.hcpCreated, 1), 'UpToDate', '', 1),
    ],
  });
  c.add(hcpCalico, hcpMetrics);
  c.add(
    helmReleaseProxy(c, {
      name: HRP_CALICO, hcp: hcpCalico, cluster: cl, created: plus(WL_CREATED, 2),
      values: `installation:\n  cni:\n    type: Calico\n  registry: ${REGISTRY}/\n  calicoNetwork:\n    bgp: Enabled\n    ipPools:\n    - cidr: ${POD_CIDR}\n      encapsulation: VXLANCrossSubnet\ntigeraOperator:\n  registry: ${REGISTRY}\n`,
      status: 'deployed', revision: 1,
      annotations: { 'helmreleaseproxy.addons.cluster.x-k8s.io/release-successfully-installed': 'true' },
      conditions: [
        mv1('Ready', 'True', '2025-10-22T06:15:40Z', 'InfoReported', '', 1),
        mv1('ClusterAvailable', 'True', '2025-10-22T06:15:02Z', 'Available', '', 1),
        mv1('HelmReleaseReady', 'True', '2025-10-22T06:15:40Z', 'Ready', '', 1),
      ],
    }),
    helmReleaseProxy(c, {
      name: HRP_METRICS, hcp: hcpMetrics, cluster: cl, created: T.hrpCreated,
      values: `image:\n  repository: ${REGISTRY}/metrics-server/metrics-server\n  tag: v0.7.2\nargs:\n- --kubelet-insecure-tls\npostInstallCheck:\n  enabled: true\n`,
      status: 'failed', revision: 1,
      conditions: [
        mv1('Ready', 'False', T.failed, 'IssuesReported', '* HelmReleaseReady:\n  * post-install hooks failed: 1 error occurred:\n    * timed out waiting for the condition', 1),
        mv1('ClusterAvailable', 'True', plus(T.hrpCreated, 1), 'Available', '', 1),
        mv1('HelmReleaseReady', 'False', T.failed, 'HelmInstallOrUpgradeFailed', HOOK_ERROR, 1),
      ],
    }),
  );

  // CAAPH log
  const kv = (name, n) => reconcileKV('HelmReleaseProxy', 'addons.cluster.x-k8s.io', NS, name, uuid('reconcile', name, n));
  const L = [
    logr('I', '2025-10-20T12:31:10Z', 40117, 'main.go:251', 'starting manager', [['logger', 'setup'], ['version', 'v0.5.0']]),
    logr('I', '2025-10-20T12:31:27Z', 603518, 'controller.go:232', 'Starting workers', [['controller', 'helmchartproxy'], ['controllerGroup', 'addons.cluster.x-k8s.io'], ['controllerKind', 'HelmChartProxy'], ['worker count', 10]]),
    logr('I', '2025-10-20T12:31:27Z', 603902, 'controller.go:232', 'Starting workers', [['controller', 'helmreleaseproxy'], ['controllerGroup', 'addons.cluster.x-k8s.io'], ['controllerKind', 'HelmReleaseProxy'], ['worker count', 10]]),
    logr('I', '2025-10-22T06:10:03Z', 77401, 'helmreleaseproxy_controller.go:208', 'Waiting for the control plane to be initialized', kv(HRP_CALICO, 0)),
    logr('I', '2025-10-22T06:15:03Z', 480233, 'helm_operations.go:180', 'Installing release', [...kv(HRP_CALICO, 1), ['release', 'calico'], ['namespace', 'tigera-operator']]),
    logr('I', T.install, 118925, 'helm_operations.go:180', 'Installing release', [...kv(HRP_METRICS, 1), ['release', 'metrics-server'], ['namespace', 'kube-system']]),
    logr('E', T.failed, 270446, 'helmreleaseproxy_controller.go:298', `Failed to install or upgrade release 'metrics-server' on cluster ${WL}`, [['error', HOOK_ERROR], ...kv(HRP_METRICS, 1)]),
    logr('E', T.failed, 272019, 'controller.go:347', 'Reconciler error', [['error', HOOK_ERROR], ...kv(HRP_METRICS, 1)]),
  ];
  c.log('caaph-system', platform.caaphPod.metadata.name, 'manager', L);
  return c;
}

