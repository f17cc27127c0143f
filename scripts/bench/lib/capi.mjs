// Cluster API objects of the management cluster: Clusters, HelmChartProxies, HelmReleaseProxies,
// shaped like CAPI v1beta1 / CAAPH v1alpha1 as NKP (CAREN) creates them: one HelmChartProxy per
// add-on and cluster, each with exactly one HelmReleaseProxy.

import { ago } from './k8s.mjs';

export const ADDONS = [
  { addon: 'cilium', chart: 'cilium', repo: 'https://helm.cilium.io/', version: '1.17.4', namespace: 'kube-system', values: 'cni:\n  chainingMode: portmap\n  exclusive: false\nhubble:\n  enabled: true\n  tls:\n    auto:\n      enabled: true\n      method: cronJob\nipam:\n  mode: cluster-pool\n  operator:\n    clusterPoolIPv4PodCIDRList:\n    - 192.168.0.0/16\n    clusterPoolIPv4MaskSize: 24\nkubeProxyReplacement: true\nk8sServiceHost: "{{ .Cluster.spec.controlPlaneEndpoint.host }}"\nk8sServicePort: {{ .Cluster.spec.controlPlaneEndpoint.port }}\noperator:\n  replicas: 2\nroutingMode: tunnel\ntunnelProtocol: vxlan\n' },
  { addon: 'nutanix-ccm', chart: 'nutanix-cloud-provider', repo: 'https://nutanix.github.io/helm/', version: '0.5.2', namespace: 'kube-system', values: 'prismCentralEndPoint: pc.example.internal\nprismCentralPort: 9440\nprismCentralInsecure: false\nnodeSelector:\n  node-role.kubernetes.io/control-plane: ""\ntolerations:\n- key: node.cloudprovider.kubernetes.io/uninitialized\n  operator: Exists\n  effect: NoSchedule\n- key: node-role.kubernetes.io/control-plane\n  operator: Exists\n  effect: NoSchedule\n' },
  { addon: 'nutanix-csi', chart: 'nutanix-csi-storage', repo: 'https://nutanix.github.io/helm-releases/', version: '3.1.0', namespace: 'ntnx-system', values: 'createPrismCentralSecret: false\npcSecretName: nutanix-csi-credentials\ncreateSecret: false\nstorageClass:\n  create: false\nsnapshot:\n  enabled: true\n' },
  { addon: 'metrics-server', chart: 'metrics-server', repo: 'https://kubernetes-sigs.github.io/metrics-server/', version: '3.12.2', namespace: 'kube-system', values: 'args:\n- --kubelet-insecure-tls\n- --kubelet-preferred-address-types=InternalIP\nreplicas: 2\npodDisruptionBudget:\n  enabled: true\n  minAvailable: 1\n' },
  { addon: 'cluster-autoscaler', chart: 'cluster-autoscaler', repo: 'https://kubernetes.github.io/autoscaler', version: '9.43.2', namespace: 'kube-system', values: 'cloudProvider: clusterapi\nclusterAPIMode: incluster-kubeconfig\nautoDiscovery:\n  clusterName: "{{ .Cluster.metadata.name }}"\n  namespace: "{{ .Cluster.metadata.namespace }}"\nextraArgs:\n  scale-down-delay-after-add: 10m\n  balance-similar-node-groups: true\n' },
];

/** The i-th add-on (beyond the five above: generic ones). */
export function addonAt(i) {
  if (i < ADDONS.length) return ADDONS[i];
  return { addon: `addon-${i}`, chart: `addon-${i}`, repo: 'https://charts.example.com/', version: '1.0.0', namespace: `addon-${i}`, values: 'replicas: 1\n' };
}

const CAPI_V = 'cluster.x-k8s.io/v1beta1';
const ADDONS_V = 'addons.cluster.x-k8s.io/v1alpha1';

function cond(type, status, ago1, extra = {}) {
  return { lastTransitionTime: ago(ago1), ...extra, status, type };
}

/** c: { name, namespace, uid, uuid, endpoint, createdAgo, workers } */
export function capiCluster(c, rng) {
  return {
    apiVersion: CAPI_V,
    kind: 'Cluster',
    metadata: {
      annotations: { 'caren.nutanix.com/cluster-uuid': c.uuid, 'preflight.cluster.caren.nutanix.com/skip': '' },
      creationTimestamp: ago(c.createdAgo),
      finalizers: ['cluster.cluster.x-k8s.io'],
      generation: 2,
      labels: {
        'cluster.x-k8s.io/cluster-name': c.name,
        'cluster.x-k8s.io/provider': 'nutanix',
        'kommander.d2iq.io/workspace': c.namespace,
        'konvoy.d2iq.io/cluster-name': c.name,
        'konvoy.d2iq.io/provider': 'nutanix',
        'topology.cluster.x-k8s.io/owned': '',
      },
      name: c.name,
      namespace: c.namespace,
      resourceVersion: String(rng.int(100000, 99999999)),
      uid: c.uid,
    },
    spec: {
      clusterNetwork: { pods: { cidrBlocks: ['100.64.0.0/10'] }, services: { cidrBlocks: ['10.96.0.0/12'] } },
      controlPlaneEndpoint: { host: c.endpoint, port: 6443 },
      controlPlaneRef: { apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1', kind: 'KubeadmControlPlane', name: `${c.name}-${c.kcpSuffix}`, namespace: c.namespace },
      infrastructureRef: { apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1', kind: 'NutanixCluster', name: `${c.name}-${c.infraSuffix}`, namespace: c.namespace },
      topology: {
        class: 'nkp-nutanix-v2.16.0',
        controlPlane: { metadata: {}, replicas: 3 },
        variables: [
          {
            name: 'clusterConfig',
            value: {
              addons: {
                ccm: { credentials: { secretRef: { name: `${c.name}-pc-credentials-for-ccm` } }, strategy: 'HelmAddon' },
                clusterAutoscaler: { strategy: 'HelmAddon' },
                cni: { provider: 'Cilium', strategy: 'HelmAddon' },
                csi: { defaultStorage: { provider: 'nutanix', storageClassConfig: 'volume' }, providers: { nutanix: { credentials: { secretRef: { name: `${c.name}-pc-credentials-for-csi` } }, strategy: 'HelmAddon' } } },
                nfd: { strategy: 'HelmAddon' },
                serviceLoadBalancer: { configuration: { addressRanges: [{ end: c.lbEnd, start: c.lbStart }] }, provider: 'MetalLB' },
              },
              controlPlane: { nutanix: { machineDetails: { bootType: 'uefi', cluster: { name: 'pe-cluster-01', type: 'name' }, imageLookup: { baseOS: 'rocky-9.5', format: 'nkp-{{.BaseOS}}-{{.K8sVersion}}-*' }, memorySize: '16Gi', subnets: [{ name: 'vlan-173', type: 'name' }], systemDiskSize: '80Gi', vcpuSockets: 2, vcpusPerSocket: 2 } } },
              dns: { coreDNS: {} },
              encryptionAtRest: { providers: [{ aescbc: {} }] },
              nutanix: { controlPlaneEndpoint: { host: c.endpoint, port: 6443, virtualIP: { provider: 'KubeVIP' } }, prismCentralEndpoint: { credentials: { secretRef: { name: `${c.name}-pc-credentials` } }, url: 'https://pc.example.internal:9440' } },
            },
          },
          { name: 'workerConfig', value: { nutanix: { machineDetails: { bootType: 'uefi', memorySize: '64Gi', systemDiskSize: '80Gi', vcpuSockets: 4, vcpusPerSocket: 4 } } } },
        ],
        version: 'v1.31.4',
        workers: { machineDeployments: [{ class: 'default-worker', metadata: {}, name: 'md-0', replicas: c.workers }] },
      },
    },
    status: {
      conditions: [
        cond('Ready', 'True', c.createdAgo - 900),
        cond('ControlPlaneInitialized', 'True', c.createdAgo - 600),
        cond('ControlPlaneReady', 'True', c.createdAgo - 900),
        cond('InfrastructureReady', 'True', c.createdAgo - 300),
        cond('TopologyReconciled', 'True', c.createdAgo - 900),
      ],
      controlPlaneReady: true,
      infrastructureReady: true,
      observedGeneration: 2,
      phase: 'Provisioned',
    },
  };
}

/** h: { name, namespace, uid, cluster: {name, uid}, addon, createdAgo, failed? } */
export function helmChartProxy(h, rng) {
  const a = h.addon;
  const ready = h.failed
    ? cond('Ready', 'False', 400, { message: `Helm release proxy '${h.hrpName}' is not ready`, reason: 'HelmReleaseProxiesNotReady', severity: 'Error' })
    : cond('Ready', 'True', h.createdAgo - 300);
  return {
    apiVersion: ADDONS_V,
    kind: 'HelmChartProxy',
    metadata: {
      creationTimestamp: ago(h.createdAgo),
      finalizers: ['helmchartproxy.addons.cluster.x-k8s.io'],
      generation: 1,
      labels: { 'cluster.x-k8s.io/cluster-name': h.cluster.name, 'clusterctl.cluster.x-k8s.io/move': '' },
      name: h.name,
      namespace: h.namespace,
      ownerReferences: [{ apiVersion: CAPI_V, kind: 'Cluster', name: h.cluster.name, uid: h.cluster.uid }],
      resourceVersion: String(rng.int(100000, 99999999)),
      uid: h.uid,
    },
    spec: {
      chartName: a.chart,
      clusterSelector: { matchLabels: { 'cluster.x-k8s.io/cluster-name': h.cluster.name } },
      namespace: a.namespace,
      options: { install: { createNamespace: true, includeCRDs: true }, timeout: '15m0s', uninstall: {}, upgrade: { maxHistory: 10 }, wait: false, waitForJobs: false },
      reconcileStrategy: 'Continuous',
      releaseName: a.addon,
      repoURL: a.repo,
      valuesTemplate: a.values,
      version: a.version,
    },
    status: {
      conditions: [
        ready,
        cond('HelmReleaseProxiesReady', h.failed ? 'False' : 'True', h.createdAgo - 300),
        cond('HelmReleaseProxySpecsUpToDate', 'True', h.createdAgo - 200),
      ],
      matchingClusters: [{ apiVersion: CAPI_V, kind: 'Cluster', name: h.cluster.name, namespace: h.namespace }],
      observedGeneration: 1,
    },
  };
}

/** h: { name, namespace, uid, cluster: {name, uid, endpoint}, hcp: {name, uid}, addon, createdAgo, failed? } */
export function helmReleaseProxy(h, rng) {
  const a = h.addon;
  const failure = 'post-upgrade hooks failed: timed out waiting for the condition';
  const values = a.values
    .replace('{{ .Cluster.spec.controlPlaneEndpoint.host }}', h.cluster.endpoint)
    .replace('{{ .Cluster.spec.controlPlaneEndpoint.port }}', '6443')
    .replace('{{ .Cluster.metadata.name }}', h.cluster.name)
    .replace('{{ .Cluster.metadata.namespace }}', h.namespace);
  const conditions = h.failed
    ? [
        cond('Ready', 'False', 350, { message: failure, reason: 'HelmInstallOrUpgradeFailed', severity: 'Error' }),
        cond('ClusterAvailable', 'True', h.createdAgo - 200),
        cond('HelmReleaseReady', 'False', 350, { message: failure, reason: 'HelmInstallOrUpgradeFailed', severity: 'Error' }),
      ]
    : [cond('Ready', 'True', h.createdAgo - 300), cond('ClusterAvailable', 'True', h.createdAgo - 200), cond('HelmReleaseReady', 'True', h.createdAgo - 300)];
  return {
    apiVersion: ADDONS_V,
    kind: 'HelmReleaseProxy',
    metadata: {
      creationTimestamp: ago(h.createdAgo),
      finalizers: ['helmreleaseproxy.addons.cluster.x-k8s.io'],
      generateName: `${a.addon}-${h.cluster.name}-`,
      generation: h.failed ? 2 : 1,
      labels: {
        'cluster.x-k8s.io/cluster-name': h.cluster.name,
        'helmreleaseproxy.addons.cluster.x-k8s.io/helmchartproxy-name': h.hcp.name,
      },
      name: h.name,
      namespace: h.namespace,
      ownerReferences: [
        { apiVersion: ADDONS_V, blockOwnerDeletion: true, controller: true, kind: 'HelmChartProxy', name: h.hcp.name, uid: h.hcp.uid },
        { apiVersion: CAPI_V, controller: false, kind: 'Cluster', name: h.cluster.name, uid: h.cluster.uid },
      ],
      resourceVersion: String(rng.int(100000, 99999999)),
      uid: h.uid,
    },
    spec: {
      chartName: a.chart,
      clusterRef: { apiVersion: CAPI_V, kind: 'Cluster', name: h.cluster.name, namespace: h.namespace },
      namespace: a.namespace,
      options: { install: { createNamespace: true, includeCRDs: true }, timeout: '15m0s', uninstall: {}, upgrade: { maxHistory: 10 }, wait: false, waitForJobs: false },
      reconcileStrategy: 'Continuous',
      releaseName: a.addon,
      repoURL: a.repo,
      values,
      version: a.version,
    },
    status: { conditions, observedGeneration: h.failed ? 2 : 1, revision: h.failed ? 2 : 1, status: h.failed ? 'failed' : 'deployed' },
  };
}
