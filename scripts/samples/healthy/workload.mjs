// acme-prod-eu-1: 3 control plane + 2 worker nodes, every node initialized by the CCM,
// every add-on deployed and running.

import { ClusterData } from '../lib/bundle.mjs';
import { TAINT, node } from '../lib/k8s.mjs';
import {
  csiControllerTemplate,
  csiMeta,
  csiNodeTemplate,
  konnectorConfig,
  konnectorMeta,
  konnectorTemplate,
  metricsServerMeta,
  metricsServerTemplate,
  nutanixCCMConfig,
  nutanixCCMMeta,
  nutanixCCMTemplate,
} from '../lib/addons.mjs';
import {
  allUp,
  cilium,
  coreDNS,
  daemonSetStack,
  deploymentStack,
  helmHistory,
  initsDone,
  kubeadmConfigMaps,
  kubernetesService,
  namespaces,
  serviceFor,
  staticControlPlane,
} from '../lib/platform.mjs';
import { TOLERATE } from '../lib/k8s.mjs';
import { fakeCertificate, int, plus, suffix } from '../lib/util.mjs';
import { API_PORT, CILIUM_VERSION, CREATED, K8S_VERSION, KCP, MS, NOW, POD_CIDR, PRISM_CENTRAL, SERVICE_CIDR, VIP, WL, WL_NODES, WS } from './common.mjs';

// When the add-ons were installed / last upgraded
export const INSTALL = {
  cilium: '2025-08-14T08:51:40Z',
  ccm: '2025-08-14T08:51:43Z',
  csi: '2025-08-14T08:51:47Z',
  konnector: '2025-08-14T08:51:49Z',
  metrics: '2025-08-14T08:51:52Z',
  ciliumUpgrades: ['2025-09-30T11:02:17Z', '2025-11-12T07:45:03Z'],
  csiUpgrade: '2025-10-21T13:18:40Z',
  konnectorUpgrade: '2025-11-12T07:45:09Z',
};

export function buildWorkload() {
  const c = new ClusterData({ name: WL, epoch: '2025-08-14T08:50:00Z', now: NOW, rvBase: 240, rvPerSecond: 1.9 });
  const cps = WL_NODES.filter((n) => n.controlPlane);
  const workers = WL_NODES.filter((n) => !n.controlPlane);
  for (const n of WL_NODES) {
    n.obj = node(c, {
      name: n.name,
      created: n.registered,
      ip: n.ip,
      controlPlane: n.controlPlane,
      kubeletVersion: K8S_VERSION,
      cpu: n.controlPlane ? 4 : 16,
      memoryKi: n.controlPlane ? 16122780 : 65699732,
      providerID: `nutanix://${n.vm}`,
      taints: n.controlPlane ? [TAINT.controlPlane] : undefined,
      labels: { 'node.kubernetes.io/instance-type': 'ahv-vm', 'topology.kubernetes.io/region': 'pc-acme-eu', 'topology.kubernetes.io/zone': 'pe-acme-ams-02' },
      annotations: {
        'alpha.kubernetes.io/provided-node-ip': n.ip,
        'cluster.x-k8s.io/annotations-from-machine': '',
        'cluster.x-k8s.io/cluster-name': WL,
        'cluster.x-k8s.io/cluster-namespace': WS,
        'cluster.x-k8s.io/labels-from-machine': '',
        'cluster.x-k8s.io/machine': n.name,
        'cluster.x-k8s.io/owner-kind': n.controlPlane ? 'KubeadmControlPlane' : 'MachineSet',
        'cluster.x-k8s.io/owner-name': n.controlPlane ? KCP : MS,
        'csi.volume.kubernetes.io/nodeid': JSON.stringify({ 'csi.nutanix.com': n.name }),
        'network.cilium.io/ipv4-cilium-host': `${n.podNet}.1`,
        'network.cilium.io/ipv4-health-ip': `${n.podNet}.97`,
        'network.cilium.io/ipv4-pod-cidr': `${n.podNet}.0/24`,
      },
      heartbeat: plus(NOW, -int(12, 270, 'hb', n.name)),
      readySince: plus(n.registered, 44),
      networkUnavailable: { status: 'False', reason: 'CiliumIsUp', message: 'Cilium is running on this node', since: plus(n.registered, 41), heartbeat: plus(n.registered, 41) },
      images: [`quay.io/cilium/cilium:${CILIUM_VERSION}`, 'registry.k8s.io/pause:3.10', 'docker.io/nutanix/ntnx-csi:3.3.5'],
      systemUUID: n.vm,
    });
    c.add(n.obj);
  }
  c.add(namespaces(c, [
    { name: 'default', created: plus(CREATED, 250) },
    { name: 'kube-node-lease', created: plus(CREATED, 250) },
    { name: 'kube-public', created: plus(CREATED, 250) },
    { name: 'kube-system', created: plus(CREATED, 250) },
    { name: 'ntnx-system', created: INSTALL.csi },
  ]));

  // ------------------------------------------------------------------ control plane
  cps.forEach((n, i) => {
    const s = plus(n.registered, -21);
    c.add(staticControlPlane(c, {
      node: n,
      version: K8S_VERSION,
      etcdVersion: '3.5.16-0',
      podCIDR: POD_CIDR,
      serviceCIDR: SERVICE_CIDR,
      clusterName: WL,
      vip: VIP,
      startedAt: { etcd: s, 'kube-apiserver': plus(s, 1), 'kube-controller-manager': plus(s, 1), 'kube-scheduler': plus(s, 1), 'kube-vip': plus(s, -1) },
      restarts: i === 0 ? { 'kube-controller-manager': 2, 'kube-scheduler': 1 } : {},
    }));
  });
  c.add(kubernetesService(c, { created: plus(CREATED, 251), clusterIP: '10.96.0.1', apiServers: cps.map((n) => n.ip) }));
  c.add(kubeadmConfigMaps(c, { created: plus(CREATED, 253), clusterName: WL, endpointHost: VIP, endpointPort: API_PORT, version: K8S_VERSION, podCIDR: POD_CIDR, serviceCIDR: SERVICE_CIDR, clusterDNS: '10.96.0.10', caPem: fakeCertificate(WL, 'root-ca') }));

  // ------------------------------------------------------------------ CoreDNS
  c.add(coreDNS(c, {
    created: plus(CREATED, 254),
    version: 'v1.11.3',
    clusterDNS: '10.96.0.10',
    hash: '668d6bf9bc',
    availableSince: '2025-08-14T08:55:31Z',
    pods: workers.map((n, i) => ({ suffix: suffix(5, WL, 'coredns', i), node: n, created: plus(CREATED, 255), scheduledAt: plus(n.registered, 40), startedAt: plus(n.registered, 41), readyAt: plus(n.registered, 58 + i), containers: { coredns: { state: 'running', since: plus(n.registered, 45), ready: true, started: true } } })),
  }).all);

  // ------------------------------------------------------------------ Cilium
  const agentInit = { initContainers: ['config', 'mount-cgroup', 'apply-sysctl-overwrites', 'mount-bpf-fs', 'clean-cilium-state', 'install-cni-binaries'].map((name) => ({ name })) };
  const dsRollout = INSTALL.ciliumUpgrades[1]; // the last upgrade rolled the agents
  const agents = WL_NODES.map((n, i) => {
    const created = plus(dsRollout, 8 + i * 41);
    return {
      suffix: suffix(5, WL, 'cilium', i),
      node: n,
      created,
      startedAt: plus(created, 1),
      initializedAt: plus(created, 13),
      readyAt: plus(created, 36),
      initContainers: initsDone(agentInit, plus(created, 13)),
      containers: { 'cilium-agent': { state: 'running', since: plus(created, 15), ready: true, started: true, restartCount: 0 } },
    };
  });
  c.add(cilium(c, {
    created: INSTALL.cilium,
    version: CILIUM_VERSION,
    k8sServiceHost: VIP,
    k8sServicePort: API_PORT,
    kubeProxyReplacement: true,
    clusterPoolCIDR: POD_CIDR,
    hubblePeerIP: '10.108.61.144',
    dsHash: '78c5b4d96f',
    dsGeneration: 3,
    agents,
    operator: {
      replicas: 2,
      hash: '59f4d7c86b',
      revision: 3,
      tolerations: [TOLERATE.all],
      availableSince: plus(dsRollout, 31),
      pods: cps.slice(0, 2).map((n, i) => ({ suffix: suffix(5, WL, 'op', i), node: n, created: plus(dsRollout, 3), startedAt: plus(dsRollout, 4), readyAt: plus(dsRollout, 30 + i), containers: { 'cilium-operator': { state: 'running', since: plus(dsRollout, 6), ready: true, started: true } } })),
    },
  }).all);
  c.add(helmHistory(c, 'cilium', 'kube-system', [
    { version: 1, status: 'superseded', at: INSTALL.cilium, modified: INSTALL.ciliumUpgrades[0] },
    { version: 2, status: 'superseded', at: INSTALL.ciliumUpgrades[0], modified: INSTALL.ciliumUpgrades[1] },
    { version: 3, status: 'deployed', at: INSTALL.ciliumUpgrades[1], modified: plus(INSTALL.ciliumUpgrades[1], 48) },
  ]));

  // ------------------------------------------------------------------ CCM
  const ccmMeta = nutanixCCMMeta('0.5.2');
  const ccmT = nutanixCCMTemplate('v0.5.2');
  c.add(deploymentStack(c, {
    name: 'nutanix-cloud-controller-manager',
    namespace: 'kube-system',
    created: INSTALL.ccm,
    labels: { ...ccmMeta.labels, 'k8s-app': 'nutanix-cloud-controller-manager' },
    annotations: ccmMeta.annotations,
    selector: { 'k8s-app': 'nutanix-cloud-controller-manager' },
    t: ccmT,
    replicas: 1,
    hash: '6f8b9d5c47',
    strategy: { type: 'Recreate' },
    availableSince: '2025-08-14T08:52:30Z',
    pods: [{ suffix: 'qt6rb', node: cps[0], created: plus(INSTALL.ccm, 1), startedAt: '2025-08-14T08:52:11Z', readyAt: '2025-08-14T08:52:30Z', podIP: '10.244.0.57', ...allUp(ccmT, '2025-08-14T08:52:14Z', { restarts: { 'nutanix-cloud-controller-manager': 1 }, last: { 'nutanix-cloud-controller-manager': { exitCode: 1, reason: 'Error', startedAt: '2025-08-14T08:51:58Z', finishedAt: '2025-08-14T08:52:12Z' } } }) }],
  }).all);
  c.add(nutanixCCMConfig(c, { created: INSTALL.ccm, prismCentral: PRISM_CENTRAL, meta: ccmMeta }));
  c.add(helmHistory(c, 'nutanix-ccm', 'kube-system', [{ version: 1, status: 'deployed', at: INSTALL.ccm, modified: plus(INSTALL.ccm, 2) }]));

  // ------------------------------------------------------------------ metrics-server
  const msMeta = metricsServerMeta();
  const msT = metricsServerTemplate();
  const msStack = deploymentStack(c, {
    name: 'metrics-server',
    namespace: 'kube-system',
    created: INSTALL.metrics,
    labels: msMeta.labels,
    annotations: msMeta.annotations,
    selector: msT.labels,
    t: msT,
    replicas: 1,
    hash: '7b9c6d8f5d',
    availableSince: '2025-08-14T08:55:48Z',
    pods: [{ suffix: 'kw4nd', node: workers[1], created: plus(INSTALL.metrics, 1), scheduledAt: '2025-08-14T08:55:02Z', startedAt: '2025-08-14T08:55:03Z', readyAt: '2025-08-14T08:55:48Z', ...allUp(msT, '2025-08-14T08:55:09Z') }],
  });
  c.add(msStack.all);
  c.add(serviceFor(c, { name: 'metrics-server', namespace: 'kube-system', created: INSTALL.metrics, labels: msMeta.labels, annotations: msMeta.annotations, selector: msT.labels, clusterIP: '10.97.143.210', ports: [{ name: 'https', port: 443, targetPort: 10250 }], pods: msStack.pods }));
  c.add(helmHistory(c, 'metrics-server', 'kube-system', [{ version: 1, status: 'deployed', at: INSTALL.metrics, modified: plus(INSTALL.metrics, 2) }]));

  // ------------------------------------------------------------------ ntnx-system
  const csiM = csiMeta('3.3.5');
  const csiNodeT = csiNodeTemplate('3.3.5');
  c.add(daemonSetStack(c, {
    name: 'nutanix-csi-node',
    namespace: 'ntnx-system',
    created: INSTALL.csi,
    labels: csiM.labels,
    annotations: csiM.annotations,
    selector: { app: 'nutanix-csi-node' },
    t: csiNodeT,
    hash: '6c7d9f8b54',
    generation: 2,
    pods: WL_NODES.map((n, i) => {
      const created = plus(INSTALL.csiUpgrade, 6 + i * 12);
      return { suffix: suffix(5, WL, 'csi-node', i), node: n, created, startedAt: plus(created, 1), readyAt: plus(created, 26), ...allUp(csiNodeT, plus(created, 8)) };
    }),
  }).all);
  const csiCtrlT = csiControllerTemplate('3.3.5');
  c.add(deploymentStack(c, {
    name: 'nutanix-csi-controller',
    namespace: 'ntnx-system',
    created: INSTALL.csi,
    labels: csiM.labels,
    annotations: csiM.annotations,
    selector: { app: 'nutanix-csi-controller' },
    t: csiCtrlT,
    replicas: 1,
    revision: 2,
    hash: '5d8f7b6c9c',
    availableSince: plus(INSTALL.csiUpgrade, 40),
    pods: [{ suffix: 'p7xcm', node: workers[0], created: plus(INSTALL.csiUpgrade, 4), startedAt: plus(INSTALL.csiUpgrade, 5), readyAt: plus(INSTALL.csiUpgrade, 40), ...allUp(csiCtrlT, plus(INSTALL.csiUpgrade, 11)) }],
  }).all);
  c.add(helmHistory(c, 'nutanix-csi-storage', 'ntnx-system', [
    { version: 1, status: 'superseded', at: INSTALL.csi, modified: INSTALL.csiUpgrade },
    { version: 2, status: 'deployed', at: INSTALL.csiUpgrade, modified: plus(INSTALL.csiUpgrade, 71) },
  ]));

  const kaMeta = konnectorMeta('1.3.1');
  const kaT = konnectorTemplate({ cluster: WL, prismCentral: PRISM_CENTRAL, version: '1.3.1', checksum: '8e1f4c7a2d9b6e3f0a5c8d1b4e7f2a9c6d3b0e5f8a1c4d7b2e9f6a3c0d5b8e1' });
  c.add(deploymentStack(c, {
    name: 'konnector-agent',
    namespace: 'ntnx-system',
    created: INSTALL.konnector,
    labels: kaMeta.labels,
    annotations: kaMeta.annotations,
    selector: kaT.labels,
    t: kaT,
    replicas: 1,
    revision: 2,
    hash: '75f6c8d9b4',
    rsCreated: plus(INSTALL.konnectorUpgrade, 1),
    availableSince: plus(INSTALL.konnectorUpgrade, 33),
    pods: [{ suffix: 'g2vzs', node: workers[1], created: plus(INSTALL.konnectorUpgrade, 1), startedAt: plus(INSTALL.konnectorUpgrade, 2), readyAt: plus(INSTALL.konnectorUpgrade, 33), ...allUp(kaT, plus(INSTALL.konnectorUpgrade, 9)) }],
  }).all);
  c.add(konnectorConfig(c, { cluster: WL, prismCentral: PRISM_CENTRAL, created: INSTALL.konnector, meta: kaMeta }));
  c.add(helmHistory(c, 'konnector-agent', 'ntnx-system', [
    { version: 1, status: 'superseded', at: INSTALL.konnector, modified: INSTALL.konnectorUpgrade },
    { version: 2, status: 'deployed', at: INSTALL.konnectorUpgrade, modified: plus(INSTALL.konnectorUpgrade, 96) },
  ]));
  return c;
}
