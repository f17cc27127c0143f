// Builders of Kubernetes objects shaped like what `kubectl get -o json` prints for a real cluster
// (Kubernetes 1.31, containerd, Cilium): full metadata, spec and status, keys in the sorted order
// kubectl prints them in. Every random choice comes from the Rng passed in.

export const K8S_VERSION = 'v1.31.4';
export const NOW = '2025-12-27T10:04:11Z';
const NOW_MS = Date.parse(NOW);

/** RFC 3339, second precision, `secondsAgo` before the bundle's collection time. */
export function ago(secondsAgo) {
  return new Date(NOW_MS - Math.round(secondsAgo) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** What `kubectl get -o json` prints around the items. */
export const LIST_HEAD = '{\n    "apiVersion": "v1",\n    "items": [';
export const LIST_TAIL_EMPTY = '],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n';
export const LIST_TAIL = '\n    ],\n    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n';

/** One item as kubectl indents it inside a List (8 spaces), with its leading separator. */
export function listItem(obj, first) {
  const text = JSON.stringify(obj, null, 4).replace(/\n/g, '\n        ');
  return `${first ? '\n' : ',\n'}        ${text}`;
}

// ----------------------------------------------------------------------------- pods

const KUBE_ROOT_CA = 'kube-root-ca.crt';

function apiAccessVolume(name) {
  return {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: KUBE_ROOT_CA } },
        { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
      ],
    },
  };
}

const fieldEnv = (name, fieldPath) => ({ name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } });

/**
 * A container spec. `c`: { name, image, args?, command?, env?: [[name, value] | [name, {field}] | [name, {secret, key}]],
 * ports?: [[name, port]], probe?: { path, port }, mounts?: [[name, path, readOnly]], resources?, privileged? }.
 */
export function containerSpec(c, apiAccessName) {
  const env = (c.env ?? []).map(([name, v]) => {
    if (typeof v === 'string') return { name, value: v };
    if (v.field) return fieldEnv(name, v.field);
    return { name, valueFrom: { secretKeyRef: { key: v.key, name: v.secret } } };
  });
  const probe = c.probe
    ? (initialDelaySeconds) => ({
        failureThreshold: 3,
        httpGet: { path: c.probe.path, port: c.probe.port, scheme: 'HTTP' },
        initialDelaySeconds,
        periodSeconds: 10,
        successThreshold: 1,
        timeoutSeconds: 5,
      })
    : undefined;
  const mounts = (c.mounts ?? []).map(([name, mountPath, readOnly]) => (readOnly ? { mountPath, name, readOnly: true } : { mountPath, name }));
  if (apiAccessName) mounts.push({ mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: apiAccessName, readOnly: true });
  const out = {};
  if (c.args) out.args = c.args;
  if (c.command) out.command = c.command;
  if (env.length) out.env = env;
  out.image = c.image;
  out.imagePullPolicy = 'IfNotPresent';
  if (probe && c.liveness !== false) out.livenessProbe = probe(15);
  out.name = c.name;
  if (c.ports) out.ports = c.ports.map(([name, containerPort]) => ({ containerPort, name, protocol: 'TCP' }));
  if (probe) out.readinessProbe = probe(5);
  out.resources = c.resources ?? { limits: { memory: '512Mi' }, requests: { cpu: '100m', memory: '128Mi' } };
  out.securityContext = c.privileged ? { privileged: true } : c.securityContext ?? { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true };
  out.terminationMessagePath = '/dev/termination-log';
  out.terminationMessagePolicy = 'FallbackToLogsOnError';
  if (mounts.length) out.volumeMounts = mounts;
  return out;
}

const DEFAULT_TOLERATIONS = [
  { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 },
  { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 },
];
export const TOLERATE_ALL = [{ operator: 'Exists' }];

/**
 * The pod spec of a template (t: { containers, volumes?, hostNetwork?, priorityClassName?, serviceAccount,
 * tolerations?, nodeSelector?, affinity? }), for a pod when `pod` gives nodeName and the api-access volume.
 */
export function podSpec(t, pod) {
  // automountServiceAccountToken: false — no API token volume (what hardened batch workers set).
  const apiAccess = t.automountToken === false ? undefined : pod?.apiAccess;
  const spec = {};
  if (t.affinity) spec.affinity = t.affinity;
  if (t.automountToken === false) spec.automountServiceAccountToken = false;
  spec.containers = t.containers.map((c) => containerSpec(c, apiAccess));
  spec.dnsPolicy = t.hostNetwork ? 'ClusterFirstWithHostNet' : 'ClusterFirst';
  spec.enableServiceLinks = true;
  if (t.hostNetwork) spec.hostNetwork = true;
  if (t.initContainers) spec.initContainers = t.initContainers.map((c) => containerSpec(c, apiAccess));
  if (pod?.nodeName) spec.nodeName = pod.nodeName;
  if (t.nodeSelector) spec.nodeSelector = t.nodeSelector;
  spec.preemptionPolicy = 'PreemptLowerPriority';
  spec.priority = t.priorityClassName === 'system-node-critical' ? 2000001000 : t.priorityClassName ? 2000000000 : 0;
  if (t.priorityClassName) spec.priorityClassName = t.priorityClassName;
  spec.restartPolicy = 'Always';
  spec.schedulerName = 'default-scheduler';
  spec.securityContext = t.hostNetwork ? {} : t.securityContext ?? { fsGroup: 65532, runAsGroup: 65532, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } };
  spec.serviceAccount = t.serviceAccount;
  spec.serviceAccountName = t.serviceAccount;
  spec.terminationGracePeriodSeconds = 30;
  spec.tolerations = t.tolerations ?? DEFAULT_TOLERATIONS;
  const volumes = [...(t.volumes ?? [])];
  if (apiAccess) volumes.push(apiAccessVolume(apiAccess));
  if (volumes.length) spec.volumes = volumes;
  return spec;
}

function podCondition(type, status, time, extra) {
  return { lastProbeTime: null, lastTransitionTime: time, ...(extra ?? {}), status, type };
}

/**
 * A pod. p: { name, namespace, uid, generateName?, labels, annotations?, owner?: {apiVersion, kind, name, uid},
 * nodeName, hostIP, podIP, created, template, crash?: { container, restarts, exitCode, message } }.
 */
export function pod(p, rng) {
  const started = ago(Math.max(5, p.createdAgo - rng.int(2, 40)));
  const created = ago(p.createdAgo);
  const crash = p.crash;
  const containerStatuses = p.template.containers.map((c) => {
    const crashing = crash && crash.container === c.name;
    const containerID = `containerd://${rng.hex(64)}`;
    const base = {
      containerID,
      image: c.image,
      imageID: `${c.image.replace(/:[^:/]+$/, '')}@sha256:${c.digest}`,
    };
    if (crashing) {
      const finished = ago(rng.int(20, 280));
      return {
        ...base,
        lastState: { terminated: { containerID, exitCode: crash.exitCode, finishedAt: finished, message: crash.message, reason: 'Error', startedAt: ago(rng.int(300, 600)) } },
        name: c.name,
        ready: false,
        restartCount: crash.restarts,
        started: false,
        state: { waiting: { message: `back-off 5m0s restarting failed container=${c.name} pod=${p.name}_${p.namespace}(${p.uid})`, reason: 'CrashLoopBackOff' } },
      };
    }
    return { ...base, lastState: {}, name: c.name, ready: true, restartCount: 0, started: true, state: { running: { startedAt: started } } };
  });
  const ready = !crash;
  const metadata = {};
  if (p.annotations) metadata.annotations = p.annotations;
  metadata.creationTimestamp = created;
  if (p.generateName) metadata.generateName = p.generateName;
  metadata.labels = p.labels;
  metadata.name = p.name;
  metadata.namespace = p.namespace;
  if (p.owner) metadata.ownerReferences = [{ apiVersion: p.owner.apiVersion, blockOwnerDeletion: true, controller: true, kind: p.owner.kind, name: p.owner.name, uid: p.owner.uid }];
  metadata.resourceVersion = String(rng.int(100000, 99999999));
  metadata.uid = p.uid;
  const notReady = { message: `containers with unready status: [${crash?.container ?? ''}]`, reason: 'ContainersNotReady' };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    spec: podSpec(p.template, p),
    status: {
      conditions: [
        podCondition('PodReadyToStartContainers', 'True', started),
        podCondition('Initialized', 'True', created),
        podCondition('Ready', ready ? 'True' : 'False', started, ready ? undefined : notReady),
        podCondition('ContainersReady', ready ? 'True' : 'False', started, ready ? undefined : notReady),
        podCondition('PodScheduled', 'True', created),
      ],
      containerStatuses,
      hostIP: p.hostIP,
      hostIPs: [{ ip: p.hostIP }],
      phase: 'Running',
      podIP: p.podIP,
      podIPs: [{ ip: p.podIP }],
      qosClass: 'Burstable',
      startTime: created,
    },
  };
}

// ----------------------------------------------------------------------------- workloads

function templateOf(t, labels, annotations) {
  const metadata = {};
  if (annotations) metadata.annotations = annotations;
  metadata.creationTimestamp = null;
  metadata.labels = labels;
  return { metadata, spec: podSpec(t) };
}

function objectMeta(o, extra = {}) {
  const m = {};
  if (o.annotations) m.annotations = o.annotations;
  m.creationTimestamp = ago(o.createdAgo);
  if (extra.generation) m.generation = extra.generation;
  if (o.labels) m.labels = o.labels;
  m.name = o.name;
  if (o.namespace) m.namespace = o.namespace;
  if (o.owner) m.ownerReferences = [{ apiVersion: o.owner.apiVersion, blockOwnerDeletion: true, controller: true, kind: o.owner.kind, name: o.owner.name, uid: o.owner.uid }];
  m.resourceVersion = String(o.resourceVersion);
  m.uid = o.uid;
  return m;
}

function workloadCondition(type, status, reason, message, ago1, ago2) {
  return { lastTransitionTime: ago(ago1), lastUpdateTime: ago(ago2), message, reason, status, type };
}

/** d: { name, namespace, uid, labels, annotations, selector, podLabels, podAnnotations, template, replicas, ready, createdAgo, resourceVersion, rsName } */
export function deployment(d) {
  const unavailable = d.replicas - d.ready;
  const status = {
    availableReplicas: d.ready,
    conditions: [
      unavailable > 0
        ? workloadCondition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', 600, 600)
        : workloadCondition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', d.createdAgo - 60, d.createdAgo - 60),
      workloadCondition('Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${d.rsName}" has successfully progressed.`, d.createdAgo - 30, d.createdAgo - 30),
    ],
    observedGeneration: d.generation,
    readyReplicas: d.ready,
    replicas: d.replicas,
  };
  if (unavailable > 0) status.unavailableReplicas = unavailable;
  status.updatedReplicas = d.replicas;
  if (status.readyReplicas === 0) delete status.readyReplicas;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: objectMeta(d, { generation: d.generation }),
    spec: {
      progressDeadlineSeconds: 600,
      replicas: d.replicas,
      revisionHistoryLimit: 10,
      selector: { matchLabels: d.selector },
      strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
      template: templateOf(d.template, d.podLabels, d.podAnnotations),
    },
    status,
  };
}

/** r: { name, namespace, uid, labels, annotations, owner, selector, podLabels, podAnnotations, template, replicas, ready, createdAgo, resourceVersion } */
export function replicaSet(r) {
  const status = { observedGeneration: r.generation, replicas: r.replicas };
  if (r.replicas > 0) {
    status.availableReplicas = r.ready;
    status.fullyLabeledReplicas = r.replicas;
    status.readyReplicas = r.ready;
    status.replicas = r.replicas;
  }
  const ordered = {};
  for (const k of Object.keys(status).sort()) ordered[k] = status[k];
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: objectMeta(r, { generation: r.generation }),
    spec: { replicas: r.replicas, selector: { matchLabels: r.selector }, template: templateOf(r.template, r.podLabels, r.podAnnotations) },
    status: ordered,
  };
}

/** d: { name, namespace, uid, labels, annotations, selector, podLabels, template, desired, ready, createdAgo, resourceVersion } */
export function daemonSet(d) {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: objectMeta(d, { generation: d.generation }),
    spec: {
      revisionHistoryLimit: 10,
      selector: { matchLabels: d.selector },
      template: templateOf(d.template, d.podLabels, d.podAnnotations),
      updateStrategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 }, type: 'RollingUpdate' },
    },
    status: {
      currentNumberScheduled: d.desired,
      desiredNumberScheduled: d.desired,
      numberAvailable: d.ready,
      numberMisscheduled: 0,
      numberReady: d.ready,
      ...(d.desired > d.ready ? { numberUnavailable: d.desired - d.ready } : {}),
      observedGeneration: d.generation,
      updatedNumberScheduled: d.desired,
    },
  };
}

// ----------------------------------------------------------------------------- nodes

const NODE_IMAGES = [
  ['quay.io/cilium/cilium', 'v1.17.4', 263],
  ['registry.k8s.io/kube-proxy', K8S_VERSION, 31],
  ['quay.io/prometheus/node-exporter', 'v1.8.2', 12],
  ['registry.k8s.io/pause', '3.10', 1],
  ['docker.io/library/busybox', '1.36.1', 2],
  ['registry.k8s.io/coredns/coredns', 'v1.11.3', 19],
  ['ghcr.io/nutanix-cloud-native/cloud-provider-nutanix/controller', 'v0.5.2', 27],
  ['quay.io/cilium/operator-generic', 'v1.17.4', 32],
  ['registry.k8s.io/metrics-server/metrics-server', 'v0.7.2', 19],
  ['docker.io/bitnami/postgresql', '16.4.0', 98],
  ['docker.io/library/redis', '7.4.1', 45],
  ['docker.io/library/nginx', '1.27.3', 70],
  ['registry.example.com/shop/orders', 'v2.14.1', 88],
  ['registry.example.com/shop/payments', 'v1.9.0', 91],
  ['registry.example.com/shop/catalog', 'v3.2.7', 77],
  ['registry.example.com/data/batch-worker', 'v5.0.3', 212],
  ['registry.example.com/data/ingest', 'v1.4.4', 66],
  ['registry.example.com/platform/envoy-sidecar', 'v1.31.2', 58],
  ['registry.k8s.io/sig-storage/csi-node-driver-registrar', 'v2.12.0', 11],
  ['ghcr.io/nutanix-cloud-native/ntnx-csi', 'v3.1.0', 54],
];

/** n: { name, uid, ip, role: 'control-plane'|'worker', createdAgo, providerID?, uninitialized?, podCIDR, images digests, resourceVersion } */
export function node(n, rng) {
  const labels = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'cluster.x-k8s.io/cluster-name': n.cluster,
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': n.name,
    'kubernetes.io/os': 'linux',
  };
  if (n.role === 'control-plane') {
    labels['node-role.kubernetes.io/control-plane'] = '';
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
  }
  if (!n.uninitialized) {
    labels['node.kubernetes.io/instance-type'] = 'ahv-vm';
    labels['topology.kubernetes.io/region'] = 'pe-cluster-01';
    labels['topology.kubernetes.io/zone'] = `zone-${n.zone}`;
  }
  const sortedLabels = {};
  for (const k of Object.keys(labels).sort()) sortedLabels[k] = labels[k];
  const taints = [];
  if (n.role === 'control-plane') taints.push({ effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' });
  if (n.uninitialized) {
    taints.push({ effect: 'NoSchedule', key: 'node.cloudprovider.kubernetes.io/uninitialized', value: 'true' });
    taints.push({ effect: 'NoSchedule', key: 'node.cluster.x-k8s.io/uninitialized' });
  }
  const spec = { podCIDR: n.podCIDR, podCIDRs: [n.podCIDR] };
  if (!n.uninitialized) spec.providerID = `nutanix://${n.uid}`;
  if (taints.length) spec.taints = taints;
  const heartbeat = ago(rng.int(5, 50));
  const cond = (type, status, reason, message) => ({ lastHeartbeatTime: heartbeat, lastTransitionTime: ago(n.createdAgo - 60), message, reason, status, type });
  const cpu = n.role === 'control-plane' ? '4' : '16';
  const mem = n.role === 'control-plane' ? '16370504Ki' : '65842316Ki';
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      annotations: {
        'cluster.x-k8s.io/annotations-from-machine': '',
        'cluster.x-k8s.io/cluster-name': n.cluster,
        'cluster.x-k8s.io/cluster-namespace': n.clusterNamespace,
        'cluster.x-k8s.io/labels-from-machine': '',
        'cluster.x-k8s.io/machine': n.name,
        'cluster.x-k8s.io/owner-kind': n.role === 'control-plane' ? 'KubeadmControlPlane' : 'MachineSet',
        'cluster.x-k8s.io/owner-name': n.owner,
        'csi.volume.kubernetes.io/nodeid': `{"csi.nutanix.com":"${n.name}"}`,
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
      creationTimestamp: ago(n.createdAgo),
      labels: sortedLabels,
      name: n.name,
      resourceVersion: String(rng.int(100000, 99999999)),
      uid: n.uid,
    },
    spec,
    status: {
      addresses: [
        { address: n.ip, type: 'InternalIP' },
        { address: n.name, type: 'Hostname' },
      ],
      allocatable: { cpu, 'ephemeral-storage': '75224941994', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: mem, pods: '110' },
      capacity: { cpu, 'ephemeral-storage': '81623Mi', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: mem, pods: '110' },
      conditions: [
        cond('NetworkUnavailable', 'False', 'CiliumIsUp', 'Cilium is running on this node'),
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      images: NODE_IMAGES.map(([repo, tag, mb], i) => ({
        names: [`${repo}@sha256:${n.imageDigests[i]}`, `${repo}:${tag}`],
        sizeBytes: mb * 1048576 + ((i * 7919) % 1048576),
      })),
      nodeInfo: {
        architecture: 'amd64',
        bootID: n.bootID,
        containerRuntimeVersion: 'containerd://1.7.24',
        kernelVersion: '5.14.0-427.42.1.el9_4.x86_64',
        kubeProxyVersion: K8S_VERSION,
        kubeletVersion: K8S_VERSION,
        machineID: n.machineID,
        operatingSystem: 'linux',
        osImage: 'Rocky Linux 9.5 (Blue Onyx)',
        systemUUID: n.uid,
      },
    },
  };
}

// ----------------------------------------------------------------------------- events

/** e: { name, namespace, uid, involved: {apiVersion, kind, name, namespace?, uid, fieldPath?}, reason, message, type, count, firstAgo, lastAgo, component, host? } */
export function event(e, rng) {
  const involvedObject = {};
  involvedObject.apiVersion = e.involved.apiVersion;
  if (e.involved.fieldPath) involvedObject.fieldPath = e.involved.fieldPath;
  involvedObject.kind = e.involved.kind;
  involvedObject.name = e.involved.name;
  if (e.involved.namespace) involvedObject.namespace = e.involved.namespace;
  involvedObject.resourceVersion = String(rng.int(100000, 99999999));
  involvedObject.uid = e.involved.uid;
  return {
    apiVersion: 'v1',
    count: e.count,
    eventTime: null,
    firstTimestamp: ago(e.firstAgo),
    involvedObject,
    kind: 'Event',
    lastTimestamp: ago(e.lastAgo),
    message: e.message,
    metadata: {
      creationTimestamp: ago(e.firstAgo),
      name: e.name,
      namespace: e.namespace,
      resourceVersion: String(rng.int(100000, 99999999)),
      uid: e.uid,
    },
    reason: e.reason,
    reportingComponent: e.component,
    reportingInstance: e.host ?? '',
    source: e.host ? { component: e.component, host: e.host } : { component: e.component },
    type: e.type,
  };
}

// ----------------------------------------------------------------------------- small kinds

export function namespace(name, uid, createdAgo, rng) {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      creationTimestamp: ago(createdAgo),
      labels: { 'kubernetes.io/metadata.name': name },
      name,
      resourceVersion: String(rng.int(1000, 999999)),
      uid,
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

export function configMap(c, rng) {
  return {
    apiVersion: 'v1',
    data: c.data,
    kind: 'ConfigMap',
    metadata: {
      ...(c.annotations ? { annotations: c.annotations } : {}),
      creationTimestamp: ago(c.createdAgo),
      ...(c.labels ? { labels: c.labels } : {}),
      name: c.name,
      namespace: c.namespace,
      resourceVersion: String(rng.int(1000, 99999999)),
      uid: c.uid,
    },
  };
}

export function service(s, rng) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      ...(s.annotations ? { annotations: s.annotations } : {}),
      creationTimestamp: ago(s.createdAgo),
      labels: s.labels,
      name: s.name,
      namespace: s.namespace,
      resourceVersion: String(rng.int(1000, 99999999)),
      uid: s.uid,
    },
    spec: {
      clusterIP: s.clusterIP,
      clusterIPs: [s.clusterIP],
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: s.ports.map(([name, port]) => ({ name, port, protocol: 'TCP', targetPort: name })),
      selector: s.selector,
      sessionAffinity: 'None',
      type: 'ClusterIP',
    },
    status: { loadBalancer: {} },
  };
}
