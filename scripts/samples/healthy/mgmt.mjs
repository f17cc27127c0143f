// acme-mgmt: the management cluster; acme-platform holds acme-prod-eu-1's CAPI and CAAPH objects.

import { ClusterData } from '../lib/bundle.mjs';
import { TAINT, node, uidOf } from '../lib/k8s.mjs';
import { logr, reconcileKV } from '../lib/logs.mjs';
import { API, cluster, helmChartProxy, helmReleaseProxy, kubeadmControlPlane, machine, machineDeployment, machineHealthCheck, machineSet, mv1, nutanixCluster, nutanixMachine, v1b1 } from '../lib/capi.mjs';
import { mgmtPlatform } from '../lib/mgmt-platform.mjs';
import { plus, uuid } from '../lib/util.mjs';
import { API_PORT, CILIUM_VERSION, CLUSTER_UUID, CREATED, HCP, HRP, K8S_VERSION, KCP, MD, MGMT, MS, NOW, POD_CIDR, PRISM_CENTRAL, SERVICE_CIDR, VIP, WL, WL_NODES, WS } from './common.mjs';
import { INSTALL } from './workload.mjs';

const MGMT_KCP = `${MGMT}-x8r2d`;
const MGMT_MS = `${MGMT}-md-0-c7fkw-9lmzt`;
const MGMT_NODES = [
  { name: `${MGMT_KCP}-4mbtq`, ip: '192.168.30.21', controlPlane: true, registered: '2025-06-02T10:14:55Z', podNet: '10.244.0', vm: '5a8e2f4c-1b7d-4e93-8c60-d2f9b3a7e145' },
  { name: `${MGMT_KCP}-hv9wk`, ip: '192.168.30.22', controlPlane: true, registered: '2025-06-02T10:21:37Z', podNet: '10.244.4', vm: 'e1d7c3b9-5f2a-4086-9e4b-7a0c6d8f2b51' },
  { name: `${MGMT_KCP}-sd5np`, ip: '192.168.30.23', controlPlane: true, registered: '2025-06-02T10:28:12Z', podNet: '10.244.5', vm: '8c4f1a6e-3d9b-4b27-a5e8-0f2d7c1b9a36' },
  { name: `${MGMT_MS}-7jq4z`, ip: '192.168.30.31', controlPlane: false, registered: '2025-06-02T10:18:03Z', podNet: '10.244.1', vm: '2f9b5d3a-7e1c-4f68-b0a4-9c3e6d2f8b17' },
  { name: `${MGMT_MS}-fx2cr`, ip: '192.168.30.32', controlPlane: false, registered: '2025-06-02T10:18:19Z', podNet: '10.244.2', vm: 'b7e3a1c5-9d4f-4a02-8e6b-3f1c7d5a9e28' },
  { name: `${MGMT_MS}-wg8lt`, ip: '192.168.30.33', controlPlane: false, registered: '2025-06-02T10:18:40Z', podNet: '10.244.3', vm: '4d2c8f6b-0a5e-4c91-b7d3-6e9f1a4c2b70' },
];

export function buildMgmt() {
  const c = new ClusterData({ name: MGMT, epoch: '2025-06-02T10:10:00Z', now: NOW, rvBase: 610, rvPerSecond: 2.2 });
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
      labels: { 'node.kubernetes.io/instance-type': 'ahv-vm', 'topology.kubernetes.io/region': 'pc-acme-eu', 'topology.kubernetes.io/zone': 'pe-acme-ams-01' },
      annotations: {
        'alpha.kubernetes.io/provided-node-ip': n.ip,
        'cluster.x-k8s.io/cluster-name': MGMT,
        'cluster.x-k8s.io/cluster-namespace': 'default',
        'cluster.x-k8s.io/machine': n.name,
        'cluster.x-k8s.io/owner-kind': n.controlPlane ? 'KubeadmControlPlane' : 'MachineSet',
        'cluster.x-k8s.io/owner-name': n.controlPlane ? MGMT_KCP : MGMT_MS,
        'network.cilium.io/ipv4-cilium-host': `${n.podNet}.1`,
        'network.cilium.io/ipv4-pod-cidr': `${n.podNet}.0/24`,
      },
      heartbeat: plus(NOW, -((n.ip.charCodeAt(n.ip.length - 1) * 11) % 250 + 8)),
      readySince: plus(n.registered, 39),
      networkUnavailable: { status: 'False', reason: 'CiliumIsUp', message: 'Cilium is running on this node', since: plus(n.registered, 36), heartbeat: plus(n.registered, 36) },
      images: [`quay.io/cilium/cilium:${CILIUM_VERSION}`, 'registry.k8s.io/pause:3.10'],
      systemUUID: n.vm,
    });
    c.add(n.obj);
  }
  const platform = mgmtPlatform(c, {
    nodes: MGMT_NODES,
    now: NOW,
    vip: '192.168.30.10',
    clusterName: MGMT,
    version: K8S_VERSION,
    podCIDR: POD_CIDR,
    serviceCIDR: SERVICE_CIDR,
    ciliumVersion: CILIUM_VERSION,
    capiVersion: 'v1.10.3',
    caaphVersion: 'v0.5.0',
    caaphStart: '2025-11-04T16:40:12Z',
    extraNamespaces: [{ name: WS, created: '2025-06-09T08:02:44Z', labels: { 'kommander.d2iq.io/workspace': 'true' } }],
    carenRestart: '2025-11-04T16:37:50Z',
  });
  c.add(platform.all);

  // ------------------------------------------------------------------ CAPI
  const cl = cluster(c, {
    name: WL,
    namespace: WS,
    created: CREATED,
    generation: 4,
    labels: { 'cluster.x-k8s.io/cluster-name': WL, 'cluster.x-k8s.io/provider': 'nutanix', 'konvoy.d2iq.io/cluster-name': WL, 'konvoy.d2iq.io/provider': 'nutanix', 'kommander.d2iq.io/workspace': WS, 'acme.example/environment': 'production', 'topology.cluster.x-k8s.io/owned': '' },
    annotations: { 'caren.nutanix.com/cluster-uuid': CLUSTER_UUID },
    endpoint: { host: VIP, port: API_PORT },
    podCIDR: POD_CIDR,
    serviceCIDR: SERVICE_CIDR,
    infra: { kind: 'NutanixCluster', name: `${WL}-f4j9c` },
    cp: { kind: 'KubeadmControlPlane', name: KCP },
    topology: {
      class: 'nkp-nutanix-v2.16.0',
      controlPlane: { metadata: {}, replicas: 3 },
      variables: [{ name: 'clusterConfig', value: { addons: { ccm: { strategy: 'HelmAddon' }, cni: { provider: 'Cilium', strategy: 'HelmAddon' }, csi: { providers: { nutanix: { strategy: 'HelmAddon' } } }, konnectorAgent: { strategy: 'HelmAddon' } }, nutanix: { controlPlaneEndpoint: { host: VIP, port: API_PORT, virtualIP: { configuration: { address: VIP } } }, prismCentralEndpoint: { credentials: { secretRef: { name: `${WL}-pc-credentials` } }, url: `https://${PRISM_CENTRAL}:9440` } } } }],
      version: K8S_VERSION,
      workers: { machineDeployments: [{ class: 'default-worker', metadata: {}, name: 'md-0', replicas: 2 }] },
    },
    conditions: [
      v1b1('Ready', 'True', '2025-08-14T08:51:25Z'),
      v1b1('ControlPlaneInitialized', 'True', '2025-08-14T08:51:25Z'),
      v1b1('ControlPlaneReady', 'True', '2025-08-14T09:04:52Z'),
      v1b1('InfrastructureReady', 'True', '2025-08-14T08:46:44Z'),
      v1b1('TopologyReconciled', 'True', '2025-11-12T07:44:58Z'),
    ],
  });
  const kcp = kubeadmControlPlane(c, {
    name: KCP,
    namespace: WS,
    cluster: cl,
    created: plus(CREATED, 1),
    labels: { 'cluster.x-k8s.io/cluster-name': WL, 'topology.cluster.x-k8s.io/owned': '' },
    replicas: 3,
    version: K8S_VERSION,
    infraTemplateKind: 'NutanixMachineTemplate',
    infraTemplateName: `${WL}-control-plane-8wqrx`,
    kubeadmConfigSpec: {
      clusterConfiguration: { apiServer: { certSANs: ['localhost', '127.0.0.1', '0.0.0.0', VIP], extraArgs: { 'cloud-provider': 'external', profiling: 'false' } }, controllerManager: { extraArgs: { 'cloud-provider': 'external', profiling: 'false' } }, dns: {}, etcd: { local: { imageTag: '3.5.16-0' } }, networking: {}, scheduler: { extraArgs: { profiling: 'false' } } },
      format: 'cloud-config',
      initConfiguration: { localAPIEndpoint: {}, nodeRegistration: { kubeletExtraArgs: { 'cloud-provider': 'external' }, name: '{{ ds.meta_data.hostname }}' } },
      joinConfiguration: { discovery: {}, nodeRegistration: { kubeletExtraArgs: { 'cloud-provider': 'external' }, name: '{{ ds.meta_data.hostname }}' } },
    },
    conditions: ['Ready', 'Available', 'CertificatesAvailable', 'ControlPlaneComponentsHealthy', 'EtcdClusterHealthy', 'MachinesCreated', 'MachinesReady', 'Resized'].map((t) => v1b1(t, 'True', '2025-08-14T09:05:40Z')),
  });
  const md = machineDeployment(c, {
    name: MD,
    namespace: WS,
    cluster: cl,
    created: plus(CREATED, 2),
    topologyName: 'md-0',
    replicas: 2,
    ready: 2,
    available: 2,
    version: K8S_VERSION,
    infraTemplateKind: 'NutanixMachineTemplate',
    phase: 'Running',
    conditions: [v1b1('Ready', 'True', '2025-08-14T08:55:02Z'), v1b1('Available', 'True', '2025-08-14T08:55:02Z'), v1b1('MachineSetReady', 'True', '2025-08-14T08:55:02Z')],
  });
  const ms = machineSet(c, { name: MS, md, hash: '3805117642', created: plus(CREATED, 3), ready: 2, available: 2, conditions: [v1b1('Ready', 'True', '2025-08-14T08:55:02Z'), v1b1('MachinesCreated', 'True', plus(CREATED, 4)), v1b1('MachinesReady', 'True', '2025-08-14T08:55:02Z'), v1b1('Resized', 'True', plus(CREATED, 4))] });
  const mhc = machineHealthCheck(c, { name: MD, namespace: WS, cluster: cl, owner: md, created: plus(CREATED, 3), selector: md.spec.selector.matchLabels, maxUnhealthy: '100%', expected: 2, currentHealthy: 2, remediationsAllowed: 2, targets: WL_NODES.filter((n) => !n.controlPlane).map((n) => n.name), conditions: [v1b1('RemediationAllowed', 'True', '2025-08-14T08:55:02Z')] });
  const nc = nutanixCluster(c, { name: `${WL}-f4j9c`, namespace: WS, cluster: cl, created: plus(CREATED, 1), endpoint: { host: VIP, port: API_PORT }, pcAddress: PRISM_CENTRAL, readyAt: '2025-08-14T08:46:44Z' });
  c.add(cl, kcp, md, ms, mhc, nc);
  for (const n of WL_NODES) {
    const isCp = n.controlPlane;
    const labels = isCp
      ? { 'cluster.x-k8s.io/cluster-name': WL, 'cluster.x-k8s.io/control-plane': '', 'cluster.x-k8s.io/control-plane-name': KCP, 'topology.cluster.x-k8s.io/owned': '' }
      : { ...md.spec.selector.matchLabels, 'cluster.x-k8s.io/deployment-name': MD, 'cluster.x-k8s.io/set-name': MS, 'machine-template-hash': '3805117642' };
    const created = plus(n.registered, -290);
    const infraReady = plus(n.registered, -140);
    const nodeUid = uidOf({ name: WL }, 'Node', undefined, n.name);
    const m = machine(c, {
      name: n.name,
      namespace: WS,
      cluster: WL,
      created,
      labels,
      owner: isCp ? kcp : ms,
      version: K8S_VERSION,
      providerID: `nutanix://${n.vm}`,
      addresses: [{ address: n.ip, type: 'InternalIP' }, { address: n.name, type: 'Hostname' }],
      infra: { kind: 'NutanixMachine' },
      infraUid: uidOf(c, 'NutanixMachine', WS, n.name),
      bootstrapUid: uuid(MGMT, 'KubeadmConfig', WS, n.name),
      node: { name: n.name, uid: nodeUid, nodeInfo: n.obj.status.nodeInfo },
      phase: 'Running',
      lastUpdated: plus(n.registered, 30),
      conditions: isCp
        ? ['Ready', 'APIServerPodHealthy', 'BootstrapReady', 'ControllerManagerPodHealthy', 'EtcdMemberHealthy', 'EtcdPodHealthy', 'InfrastructureReady', 'NodeHealthy', 'SchedulerPodHealthy'].map((t) => v1b1(t, 'True', plus(n.registered, 50)))
        : [v1b1('Ready', 'True', infraReady), v1b1('BootstrapReady', 'True', plus(created, 4)), v1b1('HealthCheckSucceeded', 'True', plus(n.registered, 45)), v1b1('InfrastructureReady', 'True', infraReady), v1b1('NodeHealthy', 'True', plus(n.registered, 45))],
    });
    c.add(m, nutanixMachine(c, {
      name: n.name,
      namespace: WS,
      machine: m,
      created: plus(created, 1),
      labels: { 'cluster.x-k8s.io/cluster-name': WL },
      template: isCp ? `${WL}-control-plane-8wqrx` : `${MD}-infra`,
      peCluster: 'pe-acme-ams-02',
      image: `nkp-rocky-9.5-release-cis-${K8S_VERSION.slice(1)}-20250801`,
      memory: isCp ? '16Gi' : '64Gi',
      vcpusPerSocket: isCp ? 2 : 8,
      subnet: 'acme-prod-vlan40',
      providerID: `nutanix://${n.vm}`,
      vmUUID: n.vm,
      addresses: [{ address: n.ip, type: 'InternalIP' }, { address: n.name, type: 'Hostname' }],
      nodeRef: { apiVersion: 'v1', kind: 'Node', name: n.name, uid: nodeUid },
      readyAt: infraReady,
    }));
  }

  // ------------------------------------------------------------------ CAAPH (metav1.Condition style)
  const selector = { matchLabels: { 'cluster.x-k8s.io/cluster-name': WL } };
  const labels = { 'cluster.x-k8s.io/cluster-name': WL, 'clusterctl.cluster.x-k8s.io/move': '' };
  const owners = [{ apiVersion: API.cluster, kind: 'Cluster', name: WL, uid: cl.metadata.uid }];
  const opts = { install: { createNamespace: true, includeCRDs: true }, timeout: '10m0s', uninstall: {}, upgrade: { maxHistory: 10 }, wait: false, waitForJobs: false };
  const addons = [
    { key: 'cilium', chart: 'cilium', repo: 'https://helm.cilium.io/', version: CILIUM_VERSION.slice(1), release: 'cilium', ns: 'kube-system', values: `cni:\n  chainingMode: portmap\n  exclusive: false\nhubble:\n  enabled: true\n  tls:\n    auto:\n      enabled: true\n      method: cronJob\nipam:\n  mode: cluster-pool\n  operator:\n    clusterPoolIPv4PodCIDRList:\n    - ${POD_CIDR}\nkubeProxyReplacement: true\nk8sServiceHost: {{HOST}}\nk8sServicePort: {{PORT}}\noperator:\n  replicas: 2\n  tolerations:\n  - operator: Exists\n`, gen: 3, installed: INSTALL.cilium, last: INSTALL.ciliumUpgrades[1], revision: 3 },
    { key: 'ccm', chart: 'nutanix-cloud-provider', repo: 'https://nutanix.github.io/helm/', version: '0.5.2', release: 'nutanix-ccm', ns: 'kube-system', values: `prismCentralEndPoint: ${PRISM_CENTRAL}\nprismCentralPort: 9440\ncreateSecret: false\nsecretName: nutanix-ccm-credentials\n`, gen: 1, installed: INSTALL.ccm, last: INSTALL.ccm, revision: 1 },
    { key: 'csi', chart: 'nutanix-csi-storage', repo: 'https://nutanix.github.io/helm/', version: '3.3.5', release: 'nutanix-csi-storage', ns: 'ntnx-system', values: `createPrismCentralSecret: true\npcSecretName: nutanix-csi-credentials\nprismEndPoint: ${PRISM_CENTRAL}\nvolumeClass: true\nvolumeClassName: nutanix-volume\nprecheck:\n  enabled: true\ntolerations:\n- operator: Exists\n`, gen: 2, installed: INSTALL.csi, last: INSTALL.csiUpgrade, revision: 2 },
    { key: 'konnector', chart: 'konnector-agent', repo: 'https://nutanix.github.io/helm-releases/', version: '1.3.1', release: 'konnector-agent', ns: 'ntnx-system', values: `agentName: konnector-agent\nk8sClusterName: {{NAME}}\npc:\n  endpoint: "${PRISM_CENTRAL}"\n  port: 9440\n  insecure: false\n  username: "acme-konnector"\n  password: "***HIDDEN***"\n`, gen: 2, installed: INSTALL.konnector, last: INSTALL.konnectorUpgrade, revision: 2 },
    { key: 'metrics', chart: 'metrics-server', repo: 'https://kubernetes-sigs.github.io/metrics-server/', version: '3.12.2', release: 'metrics-server', ns: 'kube-system', values: 'args:\n- --kubelet-insecure-tls\n', gen: 1, installed: INSTALL.metrics, last: INSTALL.metrics, revision: 1 },
  ];
  for (const a of addons) {
    const tmpl = a.values.replace('{{HOST}}', '"{{ .Cluster.spec.controlPlaneEndpoint.host }}"').replace('{{PORT}}', '{{ .Cluster.spec.controlPlaneEndpoint.port }}').replace('{{NAME}}', '{{ .Cluster.metadata.name }}');
    const rendered = a.values.replace('{{HOST}}', `"${VIP}"`).replace('{{PORT}}', String(API_PORT)).replace('{{NAME}}', WL);
    const done = plus(a.last, 3);
    const hcp = helmChartProxy(c, {
      name: HCP[a.key], namespace: WS, created: plus(CREATED, 1), labels, owners,
      chartName: a.chart, repoURL: a.repo, version: a.version, releaseName: a.release, releaseNamespace: a.ns,
      valuesTemplate: tmpl, options: opts, clusterSelector: selector, generation: a.gen, matchingClusters: [cl],
      conditions: [
        mv1('Ready', 'True', done, 'InfoReported', '', a.gen),
        mv1('HelmReleaseProxiesReady', 'True', done, 'InfoReported', '', a.gen),
        mv1('HelmReleaseProxySpecsUpToDate', 'True', done, 'UpToDate', '', a.gen),
      ],
    });
    const hrp = helmReleaseProxy(c, {
      name: HRP[a.key], hcp, cluster: cl, created: plus(CREATED, 2),
      values: rendered, generation: a.gen, status: 'deployed', revision: a.revision,
      annotations: { 'helmreleaseproxy.addons.cluster.x-k8s.io/release-successfully-installed': 'true' },
      conditions: [
        mv1('Ready', 'True', done, 'InfoReported', '', a.gen),
        mv1('ClusterAvailable', 'True', '2025-08-14T08:51:25Z', 'Available', '', a.gen),
        mv1('HelmReleaseReady', 'True', done, 'Ready', '', a.gen),
      ],
    });
    c.add(hcp, hrp);
  }

  // CAAPH log: quiet, as a healthy controller at default verbosity is
  const L = [];
  const kv = (name) => reconcileKV('HelmReleaseProxy', 'addons.cluster.x-k8s.io', WS, name, uuid('reconcile', name, 'last'));
  L.push(logr('I', '2025-11-04T16:40:13Z', 118402, 'main.go:251', 'starting manager', [['logger', 'setup'], ['version', 'v0.5.0']]));
  L.push(logr('I', '2025-11-04T16:40:31Z', 502277, 'controller.go:232', 'Starting workers', [['controller', 'helmchartproxy'], ['controllerGroup', 'addons.cluster.x-k8s.io'], ['controllerKind', 'HelmChartProxy'], ['worker count', 10]]));
  L.push(logr('I', '2025-11-04T16:40:31Z', 502809, 'controller.go:232', 'Starting workers', [['controller', 'helmreleaseproxy'], ['controllerGroup', 'addons.cluster.x-k8s.io'], ['controllerKind', 'HelmReleaseProxy'], ['worker count', 10]]));
  L.push(logr('I', INSTALL.ciliumUpgrades[1], 330125, 'helm_operations.go:231', 'Upgrading release', [...kv(HRP.cilium), ['release', 'cilium'], ['namespace', 'kube-system'], ['version', CILIUM_VERSION.slice(1)]]));
  L.push(logr('I', INSTALL.konnectorUpgrade, 92714, 'helm_operations.go:231', 'Upgrading release', [...kv(HRP.konnector), ['release', 'konnector-agent'], ['namespace', 'ntnx-system'], ['version', '1.3.1']]));
  c.log('caaph-system', platform.caaphPod.metadata.name, 'manager', L);
  return c;
}
