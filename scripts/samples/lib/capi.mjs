// Builders for Cluster API (cluster.x-k8s.io/v1beta1 and friends) and CAAPH
// (addons.cluster.x-k8s.io/v1alpha1) objects.
//
// Two condition styles exist in the wild and the samples use both:
//  - CAPI v1beta1 conditions (clusterv1.Condition): type, status, severity, reason, message, lastTransitionTime
//  - metav1.Condition (CAAPH after the CAPI v1beta2 migration): type, status, reason, message,
//    lastTransitionTime, observedGeneration; no severity

import { compact, iso } from './util.mjs';
import { meta, ownerRef } from './k8s.mjs';

export const API = {
  cluster: 'cluster.x-k8s.io/v1beta1',
  kcp: 'controlplane.cluster.x-k8s.io/v1beta1',
  bootstrap: 'bootstrap.cluster.x-k8s.io/v1beta1',
  nutanix: 'infrastructure.cluster.x-k8s.io/v1beta1',
  vsphere: 'infrastructure.cluster.x-k8s.io/v1beta1',
  addons: 'addons.cluster.x-k8s.io/v1alpha1',
};

/** CAPI v1beta1 condition. */
export function v1b1(type, status, at, { reason, severity, message } = {}) {
  return compact({ lastTransitionTime: iso(at), message, reason, severity, status, type });
}

/** metav1.Condition. */
export function mv1(type, status, at, reason, message, observedGeneration) {
  return compact({ lastTransitionTime: iso(at), message: message ?? '', observedGeneration, reason, status, type });
}

/** CAPI sorts v1beta1 conditions: Ready first, then alphabetically. */
export function sortConditions(conds) {
  return [...conds].sort((a, b) => (a.type === 'Ready' ? -1 : b.type === 'Ready' ? 1 : a.type.localeCompare(b.type)));
}

// ---------------------------------------------------------------------------- Cluster API core

/**
 * cl: { name, namespace, created, labels, annotations, endpoint: {host, port}, podCIDR, serviceCIDR,
 *       infra: {kind, name}, cp: {kind, name}, topology, conditions, phase, generation, v1beta2 }
 */
export function cluster(c, cl) {
  return {
    apiVersion: API.cluster,
    kind: 'Cluster',
    metadata: meta(c, 'Cluster', {
      name: cl.name,
      namespace: cl.namespace,
      created: cl.created,
      labels: cl.labels,
      annotations: cl.annotations,
      finalizers: ['cluster.cluster.x-k8s.io'],
      generation: cl.generation ?? 2,
      uid: cl.uid,
    }),
    spec: compact({
      clusterNetwork: {
        pods: { cidrBlocks: [cl.podCIDR] },
        services: { cidrBlocks: [cl.serviceCIDR] },
      },
      controlPlaneEndpoint: cl.endpoint,
      controlPlaneRef: { apiVersion: API.kcp, kind: cl.cp.kind, name: cl.cp.name, namespace: cl.namespace },
      infrastructureRef: { apiVersion: cl.infra.apiVersion ?? API.nutanix, kind: cl.infra.kind, name: cl.infra.name, namespace: cl.namespace },
      topology: cl.topology,
    }),
    status: compact({
      conditions: sortConditions(cl.conditions),
      controlPlaneReady: true,
      infrastructureReady: true,
      observedGeneration: cl.generation ?? 2,
      phase: cl.phase ?? 'Provisioned',
      v1beta2: cl.v1beta2,
    }),
  };
}

/**
 * m: { name, namespace, cluster (name), created, labels, annotations, owner, version, providerID, addresses,
 *      infra: {kind, apiVersion}, node: {name, uid, nodeInfo} | null, phase, conditions, lastUpdated,
 *      bootstrapKind, failureDomain }
 */
export function machine(c, m) {
  return {
    apiVersion: API.cluster,
    kind: 'Machine',
    metadata: meta(c, 'Machine', {
      name: m.name,
      namespace: m.namespace,
      created: m.created,
      labels: m.labels,
      annotations: m.annotations,
      owners: [ownerRef(m.owner)],
      finalizers: ['machine.cluster.x-k8s.io'],
      generation: 3,
    }),
    spec: compact({
      bootstrap: {
        configRef: { apiVersion: API.bootstrap, kind: m.bootstrapKind ?? 'KubeadmConfig', name: m.name, namespace: m.namespace, uid: m.bootstrapUid },
        dataSecretName: m.name,
      },
      clusterName: m.cluster,
      failureDomain: m.failureDomain,
      infrastructureRef: { apiVersion: m.infra.apiVersion ?? API.nutanix, kind: m.infra.kind, name: m.name, namespace: m.namespace, uid: m.infraUid },
      nodeDeletionTimeout: '10s',
      providerID: m.providerID,
      version: m.version,
    }),
    status: compact({
      addresses: m.addresses,
      bootstrapReady: true,
      conditions: sortConditions(m.conditions),
      infrastructureReady: true,
      lastUpdated: iso(m.lastUpdated),
      nodeInfo: m.node?.nodeInfo,
      nodeRef: m.node ? { apiVersion: 'v1', kind: 'Node', name: m.node.name, uid: m.node.uid } : undefined,
      observedGeneration: 3,
      phase: m.phase,
    }),
  };
}

export function kubeadmControlPlane(c, k) {
  return {
    apiVersion: API.kcp,
    kind: 'KubeadmControlPlane',
    metadata: meta(c, 'KubeadmControlPlane', {
      name: k.name,
      namespace: k.namespace,
      created: k.created,
      labels: k.labels,
      annotations: k.annotations,
      owners: [ownerRef(k.cluster)],
      finalizers: ['kubeadm.controlplane.cluster.x-k8s.io'],
      generation: k.generation ?? 1,
    }),
    spec: {
      kubeadmConfigSpec: k.kubeadmConfigSpec,
      machineTemplate: {
        infrastructureRef: { apiVersion: k.infraApi ?? API.nutanix, kind: k.infraTemplateKind, name: k.infraTemplateName, namespace: k.namespace },
        metadata: { labels: k.machineLabels ?? {} },
        nodeDeletionTimeout: '10s',
      },
      replicas: k.replicas,
      rolloutStrategy: { rollingUpdate: { maxSurge: 1 }, type: 'RollingUpdate' },
      version: k.version,
    },
    status: {
      conditions: sortConditions(k.conditions),
      initialized: true,
      observedGeneration: k.generation ?? 1,
      ready: true,
      readyReplicas: k.readyReplicas ?? k.replicas,
      replicas: k.replicas,
      selector: `cluster.x-k8s.io/cluster-name=${k.cluster.metadata.name},cluster.x-k8s.io/control-plane`,
      unavailableReplicas: k.replicas - (k.readyReplicas ?? k.replicas),
      updatedReplicas: k.replicas,
      version: k.version,
    },
  };
}

export function machineDeployment(c, d) {
  const selectorLabels = d.topologyName
    ? { 'cluster.x-k8s.io/cluster-name': d.cluster.metadata.name, 'topology.cluster.x-k8s.io/deployment-name': d.topologyName, 'topology.cluster.x-k8s.io/owned': '' }
    : { 'cluster.x-k8s.io/cluster-name': d.cluster.metadata.name, 'cluster.x-k8s.io/deployment-name': d.name };
  return {
    apiVersion: API.cluster,
    kind: 'MachineDeployment',
    metadata: meta(c, 'MachineDeployment', {
      name: d.name,
      namespace: d.namespace,
      created: d.created,
      labels: { ...selectorLabels, ...d.labels },
      annotations: { 'machinedeployment.clusters.x-k8s.io/revision': '1', ...d.annotations },
      owners: [ownerRef(d.cluster, { controller: null, blockOwnerDeletion: null })],
      generation: d.generation ?? 1,
    }),
    spec: {
      clusterName: d.cluster.metadata.name,
      minReadySeconds: 0,
      progressDeadlineSeconds: 600,
      replicas: d.replicas,
      revisionHistoryLimit: 1,
      selector: { matchLabels: selectorLabels },
      strategy: { rollingUpdate: { deletePolicy: 'Oldest', maxSurge: 1, maxUnavailable: 0 }, type: 'RollingUpdate' },
      template: {
        metadata: { labels: selectorLabels },
        spec: {
          bootstrap: { configRef: { apiVersion: API.bootstrap, kind: 'KubeadmConfigTemplate', name: d.bootstrapTemplate ?? `${d.name}-bootstrap`, namespace: d.namespace } },
          clusterName: d.cluster.metadata.name,
          infrastructureRef: { apiVersion: d.infraApi ?? API.nutanix, kind: d.infraTemplateKind, name: d.infraTemplate ?? `${d.name}-infra`, namespace: d.namespace },
          nodeDeletionTimeout: '10s',
          version: d.version,
        },
      },
    },
    status: compact({
      availableReplicas: d.available,
      conditions: sortConditions(d.conditions),
      observedGeneration: d.generation ?? 1,
      phase: d.phase,
      readyReplicas: d.ready,
      replicas: d.replicas,
      selector: Object.entries(selectorLabels).map(([k, v]) => (v ? `${k}=${v}` : k)).join(','),
      unavailableReplicas: d.replicas - (d.available ?? 0),
      updatedReplicas: d.replicas,
    }),
  };
}

export function machineSet(c, s) {
  const labels = { ...s.md.spec.selector.matchLabels, 'cluster.x-k8s.io/deployment-name': s.md.metadata.name, 'machine-template-hash': s.hash };
  return {
    apiVersion: API.cluster,
    kind: 'MachineSet',
    metadata: meta(c, 'MachineSet', {
      name: s.name,
      namespace: s.md.metadata.namespace,
      created: s.created,
      labels,
      annotations: { 'machinedeployment.clusters.x-k8s.io/desired-replicas': String(s.md.spec.replicas), 'machinedeployment.clusters.x-k8s.io/max-replicas': String(s.md.spec.replicas + 1), 'machinedeployment.clusters.x-k8s.io/revision': '1' },
      owners: [ownerRef(s.md)],
      generation: 1,
    }),
    spec: {
      clusterName: s.md.spec.clusterName,
      deletePolicy: 'Oldest',
      replicas: s.md.spec.replicas,
      selector: { matchLabels: { ...s.md.spec.selector.matchLabels, 'machine-template-hash': s.hash } },
      template: { metadata: { labels }, spec: s.md.spec.template.spec },
    },
    status: compact({
      availableReplicas: s.available,
      conditions: sortConditions(s.conditions),
      fullyLabeledReplicas: s.md.spec.replicas,
      observedGeneration: 1,
      readyReplicas: s.ready,
      replicas: s.md.spec.replicas,
      selector: Object.entries(labels).map(([k, v]) => (v ? `${k}=${v}` : k)).join(','),
    }),
  };
}

export function machineHealthCheck(c, h) {
  return {
    apiVersion: API.cluster,
    kind: 'MachineHealthCheck',
    metadata: meta(c, 'MachineHealthCheck', {
      name: h.name,
      namespace: h.namespace,
      created: h.created,
      labels: { 'cluster.x-k8s.io/cluster-name': h.cluster.metadata.name, 'topology.cluster.x-k8s.io/owned': '' },
      owners: [ownerRef(h.owner, { controller: true, blockOwnerDeletion: true })],
      generation: 1,
    }),
    spec: {
      clusterName: h.cluster.metadata.name,
      maxUnhealthy: h.maxUnhealthy ?? '40%',
      nodeStartupTimeout: h.nodeStartupTimeout ?? '20m0s',
      selector: { matchLabels: h.selector },
      unhealthyConditions: [
        { status: 'Unknown', timeout: '5m0s', type: 'Ready' },
        { status: 'False', timeout: '5m0s', type: 'Ready' },
      ],
    },
    status: {
      conditions: h.conditions,
      currentHealthy: h.currentHealthy,
      expectedMachines: h.expected,
      observedGeneration: 1,
      remediationsAllowed: h.remediationsAllowed,
      targets: h.targets,
    },
  };
}

export function nutanixCluster(c, n) {
  return {
    apiVersion: API.nutanix,
    kind: 'NutanixCluster',
    metadata: meta(c, 'NutanixCluster', {
      name: n.name,
      namespace: n.namespace,
      created: n.created,
      labels: { 'cluster.x-k8s.io/cluster-name': n.cluster.metadata.name, 'topology.cluster.x-k8s.io/owned': '' },
      owners: [ownerRef(n.cluster, { controller: true, blockOwnerDeletion: true })],
      finalizers: ['infrastructure.cluster.x-k8s.io/nutanixcluster'],
      generation: 2,
    }),
    spec: {
      controlPlaneEndpoint: n.endpoint,
      prismCentral: { additionalTrustBundle: { kind: 'ConfigMap', name: `${n.cluster.metadata.name}-pc-trusted-ca-bundle` }, address: n.pcAddress, credentialRef: { kind: 'Secret', name: `${n.cluster.metadata.name}-pc-creds`, namespace: n.namespace }, port: 9440 },
    },
    status: {
      conditions: sortConditions([
        v1b1('Ready', 'True', n.readyAt),
        v1b1('CredentialRefSecretOwnerSet', 'True', n.readyAt),
        v1b1('PrismCentralClientInitialized', 'True', n.readyAt),
      ]),
      failureDomains: {},
      ready: true,
    },
  };
}

export function nutanixMachine(c, n) {
  return {
    apiVersion: API.nutanix,
    kind: 'NutanixMachine',
    metadata: meta(c, 'NutanixMachine', {
      name: n.name,
      namespace: n.namespace,
      created: n.created,
      labels: n.labels,
      annotations: { 'cluster.x-k8s.io/cloned-from-groupkind': 'NutanixMachineTemplate.infrastructure.cluster.x-k8s.io', 'cluster.x-k8s.io/cloned-from-name': n.template },
      owners: [ownerRef(n.machine)],
      finalizers: ['infrastructure.cluster.x-k8s.io/nutanixmachine'],
      generation: 1,
    }),
    spec: {
      bootType: 'legacy',
      cluster: { name: n.peCluster, type: 'name' },
      image: { name: n.image, type: 'name' },
      memorySize: n.memory,
      providerID: n.providerID,
      subnet: [{ name: n.subnet, type: 'name' }],
      systemDiskSize: '80Gi',
      vcpuSockets: 2,
      vcpusPerSocket: n.vcpusPerSocket,
    },
    status: {
      addresses: n.addresses,
      conditions: sortConditions([
        v1b1('Ready', 'True', n.readyAt),
        v1b1('DrainingSucceeded', 'True', n.readyAt),
        v1b1('VMAddressesAssigned', 'True', n.readyAt),
        v1b1('VMProvisioned', 'True', n.readyAt),
      ]),
      nodeRef: n.nodeRef,
      ready: true,
      vmUUID: n.vmUUID,
    },
  };
}

// ---------------------------------------------------------------------------- CAAPH

/**
 * HelmChartProxy. h: { name, namespace, created, labels, owners, chartName, repoURL, version, releaseName,
 *   releaseNamespace, valuesTemplate, clusterSelector, options, conditions, matchingClusters, generation }
 */
export function helmChartProxy(c, h) {
  return {
    apiVersion: API.addons,
    kind: 'HelmChartProxy',
    metadata: meta(c, 'HelmChartProxy', {
      name: h.name,
      namespace: h.namespace,
      created: h.created,
      labels: h.labels,
      annotations: h.annotations,
      owners: h.owners,
      finalizers: ['helmchartproxy.addons.cluster.x-k8s.io'],
      generation: h.generation ?? 1,
    }),
    spec: compact({
      chartName: h.chartName,
      clusterSelector: h.clusterSelector,
      namespace: h.releaseNamespace,
      options: h.options ?? { install: { createNamespace: true }, timeout: '10m0s', upgrade: {}, wait: false, waitForJobs: false },
      reconcileStrategy: 'Continuous',
      releaseName: h.releaseName,
      repoURL: h.repoURL,
      valuesTemplate: h.valuesTemplate,
      version: h.version,
    }),
    status: {
      conditions: h.conditions,
      matchingClusters: h.matchingClusters.map((cl) => ({ apiVersion: cl.apiVersion, kind: cl.kind, name: cl.metadata.name, namespace: cl.metadata.namespace })),
      observedGeneration: h.observedGeneration ?? h.generation ?? 1,
    },
  };
}

/**
 * HelmReleaseProxy as the HelmChartProxy controller creates it (generateName `<chart>-<cluster>-`).
 * r: { name, hcp, cluster, created, values, status, revision, conditions, generation, observedGeneration, annotations }
 */
export function helmReleaseProxy(c, r) {
  const hcp = r.hcp;
  const cl = r.cluster;
  return {
    apiVersion: API.addons,
    kind: 'HelmReleaseProxy',
    metadata: meta(c, 'HelmReleaseProxy', {
      name: r.name,
      namespace: hcp.metadata.namespace,
      created: r.created,
      generateName: `${hcp.spec.chartName}-${cl.metadata.name}-`,
      labels: {
        'cluster.x-k8s.io/cluster-name': cl.metadata.name,
        'helmreleaseproxy.addons.cluster.x-k8s.io/helmchartproxy-name': hcp.metadata.name,
      },
      annotations: r.annotations,
      owners: [ownerRef(hcp), ownerRef(cl, { controller: false, blockOwnerDeletion: null })],
      finalizers: ['helmreleaseproxy.addons.cluster.x-k8s.io'],
      generation: r.generation ?? 1,
    }),
    spec: compact({
      chartName: hcp.spec.chartName,
      clusterRef: { apiVersion: cl.apiVersion, kind: 'Cluster', name: cl.metadata.name, namespace: cl.metadata.namespace },
      namespace: hcp.spec.namespace,
      options: hcp.spec.options,
      reconcileStrategy: 'Continuous',
      releaseName: r.releaseName ?? hcp.spec.releaseName,
      repoURL: hcp.spec.repoURL,
      values: r.values,
      version: r.version ?? hcp.spec.version,
    }),
    status: compact({
      conditions: r.conditions,
      observedGeneration: r.observedGeneration ?? r.generation ?? 1,
      revision: r.revision,
      status: r.status,
    }),
  };
}

// ---------------------------------------------------------------------------- vSphere

export function vsphereCluster(c, v) {
  return {
    apiVersion: API.vsphere,
    kind: 'VSphereCluster',
    metadata: meta(c, 'VSphereCluster', {
      name: v.name,
      namespace: v.namespace,
      created: v.created,
      labels: { 'cluster.x-k8s.io/cluster-name': v.cluster.metadata.name },
      owners: [ownerRef(v.cluster)],
      finalizers: ['vspherecluster.infrastructure.cluster.x-k8s.io'],
      generation: 2,
    }),
    spec: {
      controlPlaneEndpoint: v.endpoint,
      identityRef: { kind: 'Secret', name: `${v.cluster.metadata.name}-vsphere-credentials` },
      server: v.server,
      thumbprint: v.thumbprint,
    },
    status: {
      conditions: sortConditions([v1b1('Ready', 'True', v.readyAt), v1b1('VCenterAvailable', 'True', v.readyAt)]),
      ready: true,
      vCenterVersion: '8.0.3',
    },
  };
}

export function vsphereMachine(c, v) {
  return {
    apiVersion: API.vsphere,
    kind: 'VSphereMachine',
    metadata: meta(c, 'VSphereMachine', {
      name: v.name,
      namespace: v.namespace,
      created: v.created,
      labels: v.labels,
      annotations: { 'cluster.x-k8s.io/cloned-from-groupkind': 'VSphereMachineTemplate.infrastructure.cluster.x-k8s.io', 'cluster.x-k8s.io/cloned-from-name': v.template },
      owners: [ownerRef(v.machine)],
      finalizers: ['vspheremachine.infrastructure.cluster.x-k8s.io'],
      generation: 2,
    }),
    spec: {
      cloneMode: 'linkedClone',
      datacenter: v.datacenter,
      datastore: v.datastore,
      diskGiB: 60,
      folder: v.folder,
      memoryMiB: v.memoryMiB,
      network: { devices: [{ dhcp4: false, ipAddrs: [`${v.ip}/24`], gateway4: v.gateway, nameservers: v.nameservers, networkName: v.networkName }] },
      numCPUs: v.cpus,
      os: 'Linux',
      powerOffMode: 'hard',
      providerID: v.providerID,
      resourcePool: v.resourcePool,
      server: v.server,
      template: v.vmTemplate,
    },
    status: {
      addresses: [{ address: v.ip, type: 'InternalIP' }],
      conditions: sortConditions([v1b1('Ready', 'True', v.readyAt), v1b1('VMProvisioned', 'True', v.readyAt)]),
      ready: true,
    },
  };
}
