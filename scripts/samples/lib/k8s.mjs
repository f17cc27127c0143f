// Builders for built-in Kubernetes objects, shaped like what the API server returns
// (defaults filled in, status as kubelet/controllers write it, no managedFields).
// Every builder takes the ClusterData `c` first: uids are derived from the cluster name,
// kind, namespace and name, so references between objects line up without bookkeeping.

import { compact, fakeCertificate, hex, int, iso, ms, plus, suffix, uuid } from './util.mjs';

// ---------------------------------------------------------------------------- metadata

export function uidOf(c, kind, namespace, name) {
  return uuid(c.name, kind, namespace ?? '', name);
}

export function meta(c, kind, { name, namespace, created, labels, annotations, owners, generation, finalizers, generateName, uid, deletionTimestamp }) {
  if (!created) throw new Error(`${kind} ${name}: created is required`);
  return compact({
    annotations: nonEmpty(annotations),
    creationTimestamp: iso(created),
    deletionTimestamp,
    finalizers,
    generateName,
    generation,
    labels: nonEmpty(labels),
    name,
    namespace,
    ownerReferences: owners && owners.length ? owners : undefined,
    resourceVersion: '0', // assigned by ClusterData.finalize()
    uid: uid ?? uidOf(c, kind, namespace, name),
  });
}

function nonEmpty(o) {
  return o && Object.keys(o).length ? o : undefined;
}

/** An ownerReference to an already-built object. */
export function ownerRef(owner, { controller = true, blockOwnerDeletion = true } = {}) {
  return compact({
    apiVersion: owner.apiVersion,
    blockOwnerDeletion: blockOwnerDeletion === null ? undefined : blockOwnerDeletion,
    controller: controller === null ? undefined : controller,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
  });
}

/** An ObjectReference (corev1.ObjectReference) to an already-built object. */
export function objectRef(o, extra = {}) {
  return compact({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid, ...extra });
}

// ---------------------------------------------------------------------------- cluster-scoped

export function namespace(c, name, created, { labels = {}, annotations } = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: meta(c, 'Namespace', { name, created, labels: { 'kubernetes.io/metadata.name': name, ...labels }, annotations }),
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

/**
 * A Node as kubelet (and, when initialized, the cloud controller manager) writes it.
 * n: { name, created, ip, controlPlane, taints, providerID, kubeletVersion, cpu, memoryKi,
 *      labels, annotations, osImage, kernel, runtime, images, heartbeat, readySince, networkUnavailable }
 */
export function node(c, n) {
  const minor = Number(n.kubeletVersion.split('.')[1]);
  const labels = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': n.name,
    'kubernetes.io/os': 'linux',
    ...(n.controlPlane ? { 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' } : {}),
    ...n.labels,
  };
  const annotations = {
    'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock',
    'node.alpha.kubernetes.io/ttl': '0',
    'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
    ...n.annotations,
  };
  const heartbeat = n.heartbeat;
  const readySince = n.readySince;
  const cond = (type, status, reason, message, since) => ({
    lastHeartbeatTime: heartbeat,
    lastTransitionTime: since,
    message,
    reason,
    status,
    type,
  });
  const conditions = [];
  if (n.networkUnavailable) {
    const nu = n.networkUnavailable;
    conditions.push({ lastHeartbeatTime: nu.heartbeat, lastTransitionTime: nu.since, message: nu.message, reason: nu.reason, status: nu.status, type: 'NetworkUnavailable' });
  }
  conditions.push(
    cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available', n.created),
    cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure', n.created),
    cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available', n.created),
    n.notReady
      ? cond('Ready', 'False', 'KubeletNotReady', n.notReady, readySince)
      : cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status', readySince),
  );
  const cpu = String(n.cpu);
  const memKi = n.memoryKi;
  const allocMemKi = memKi - 102400; // kubeadm default: 100Mi reserved for eviction
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: meta(c, 'Node', { name: n.name, created: n.created, labels, annotations }),
    spec: compact({
      podCIDR: n.podCIDR,
      podCIDRs: n.podCIDR ? [n.podCIDR] : undefined,
      providerID: n.providerID,
      taints: n.taints && n.taints.length ? n.taints : undefined,
      unschedulable: n.unschedulable,
    }),
    status: {
      addresses: n.addresses ?? [
        { address: n.ip, type: 'InternalIP' },
        { address: n.name, type: 'Hostname' },
      ],
      allocatable: {
        cpu,
        'ephemeral-storage': String(Math.floor(((n.diskKi ?? 81854412) * 1024) * 0.9)),
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory: `${allocMemKi}Ki`,
        pods: '110',
      },
      capacity: {
        cpu,
        'ephemeral-storage': `${n.diskKi ?? 81854412}Ki`,
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory: `${memKi}Ki`,
        pods: '110',
      },
      conditions,
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      images: (n.images ?? []).map((img) => ({ names: [`${img.split(':')[0]}@sha256:${hex(64, 'img', img)}`, img], sizeBytes: int(9_000_000, 260_000_000, 'imgsize', img) })),
      nodeInfo: {
        architecture: 'amd64',
        bootID: uuid(c.name, 'boot', n.name),
        containerRuntimeVersion: n.runtime ?? 'containerd://1.7.24',
        kernelVersion: n.kernel ?? '5.14.0-503.15.1.el9_5.x86_64',
        kubeProxyVersion: minor >= 31 ? '' : n.kubeletVersion,
        kubeletVersion: n.kubeletVersion,
        machineID: hex(32, 'machine-id', c.name, n.name),
        operatingSystem: 'linux',
        osImage: n.osImage ?? 'Rocky Linux 9.5 (Blue Onyx)',
        systemUUID: n.systemUUID ?? uuid(c.name, 'system-uuid', n.name),
      },
      runtimeHandlers: [
        { features: { recursiveReadOnlyMounts: true, userNamespaces: true }, name: 'runc' },
        { features: { recursiveReadOnlyMounts: true, userNamespaces: true }, name: '' },
      ],
    },
  };
}

// ---------------------------------------------------------------------------- pod specs

export const TAINT = {
  controlPlane: { effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' },
  cloudUninitialized: { effect: 'NoSchedule', key: 'node.cloudprovider.kubernetes.io/uninitialized', value: 'true' },
  capiUninitialized: { effect: 'NoSchedule', key: 'node.cluster.x-k8s.io/uninitialized' },
};

export const TOLERATE = {
  controlPlane: { effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' },
  cloudUninitialized: { effect: 'NoSchedule', key: 'node.cloudprovider.kubernetes.io/uninitialized', operator: 'Equal', value: 'true' },
  capiUninitialized: { effect: 'NoSchedule', key: 'node.cluster.x-k8s.io/uninitialized', operator: 'Exists' },
  criticalAddonsOnly: { key: 'CriticalAddonsOnly', operator: 'Exists' },
  all: { operator: 'Exists' },
};

const DEFAULT_NOEXEC_TOLERATIONS = [
  { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 },
  { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 },
];

const DAEMONSET_TOLERATIONS = [
  { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists' },
  { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists' },
  { effect: 'NoSchedule', key: 'node.kubernetes.io/disk-pressure', operator: 'Exists' },
  { effect: 'NoSchedule', key: 'node.kubernetes.io/memory-pressure', operator: 'Exists' },
  { effect: 'NoSchedule', key: 'node.kubernetes.io/pid-pressure', operator: 'Exists' },
  { effect: 'NoSchedule', key: 'node.kubernetes.io/unschedulable', operator: 'Exists' },
];

function probe(p) {
  if (!p) return undefined;
  return { failureThreshold: 3, periodSeconds: 10, successThreshold: 1, timeoutSeconds: 1, ...p };
}

/** A container as the API server stores it (defaults applied). */
export function containerSpec(ct, { saVolume } = {}) {
  const tag = ct.image.split(':').pop();
  const pullPolicy = ct.imagePullPolicy ?? (ct.image.includes(':') && tag !== 'latest' ? 'IfNotPresent' : 'Always');
  const volumeMounts = [...(ct.volumeMounts ?? [])];
  if (saVolume) volumeMounts.push({ mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: saVolume, readOnly: true });
  return compact({
    args: ct.args,
    command: ct.command,
    env: ct.env,
    envFrom: ct.envFrom,
    image: ct.image,
    imagePullPolicy: pullPolicy,
    lifecycle: ct.lifecycle,
    livenessProbe: probe(ct.livenessProbe),
    name: ct.name,
    ports: ct.ports?.map((p) => ({ protocol: 'TCP', ...p })),
    readinessProbe: probe(ct.readinessProbe),
    resources: ct.resources ?? {},
    securityContext: ct.securityContext,
    startupProbe: probe(ct.startupProbe),
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: ct.terminationMessagePolicy ?? 'File',
    volumeMounts: volumeMounts.length ? volumeMounts : undefined,
  });
}

/**
 * A PodSpec. `t` describes the workload (shared by a controller's template and its pods);
 * `podOpts` adds what only a pod has (nodeName, the service-account token volume, admission defaults).
 */
export function podSpec(t, podOpts = null) {
  const sa = t.serviceAccountName ?? (t.static ? undefined : 'default');
  const automount = t.automountServiceAccountToken !== false && !t.static;
  const saVolume = podOpts && automount ? podOpts.saVolume : undefined;
  const volumes = [...(t.volumes ?? [])];
  if (saVolume) {
    volumes.push({
      name: saVolume,
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: 'kube-root-ca.crt' } },
          { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
        ],
      },
    });
  }
  let tolerations = [...(t.tolerations ?? [])];
  if (podOpts) {
    if (podOpts.daemonSet) {
      for (const d of DAEMONSET_TOLERATIONS) if (!tolerations.some((x) => x.key === d.key && x.effect === d.effect)) tolerations.push(d);
      if (t.hostNetwork) tolerations.push({ effect: 'NoSchedule', key: 'node.kubernetes.io/network-unavailable', operator: 'Exists' });
    } else if (!t.static) {
      for (const d of DEFAULT_NOEXEC_TOLERATIONS) if (!tolerations.some((x) => x.key === d.key || (!x.key && x.operator === 'Exists'))) tolerations.push(d);
    }
  }
  const affinity = podOpts?.daemonSet && podOpts.nodeName
    ? { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [podOpts.nodeName] }] }] } } }
    : t.affinity;
  return compact({
    affinity,
    automountServiceAccountToken: t.automountServiceAccountToken,
    containers: t.containers.map((ct) => containerSpec(ct, { saVolume })),
    dnsPolicy: t.dnsPolicy ?? (t.hostNetwork ? 'ClusterFirstWithHostNet' : 'ClusterFirst'),
    enableServiceLinks: true,
    hostNetwork: t.hostNetwork || undefined,
    hostPID: t.hostPID || undefined,
    initContainers: t.initContainers?.map((ct) => containerSpec(ct, { saVolume })),
    nodeName: podOpts?.nodeName,
    nodeSelector: t.nodeSelector,
    preemptionPolicy: podOpts ? 'PreemptLowerPriority' : undefined,
    priority: podOpts ? (t.priority ?? priorityOf(t.priorityClassName)) : undefined,
    priorityClassName: t.priorityClassName,
    restartPolicy: t.restartPolicy ?? 'Always',
    schedulerName: 'default-scheduler',
    securityContext: t.securityContext ?? {},
    serviceAccount: sa,
    serviceAccountName: sa,
    terminationGracePeriodSeconds: t.terminationGracePeriodSeconds ?? 30,
    tolerations: tolerations.length ? tolerations : undefined,
    topologySpreadConstraints: t.topologySpreadConstraints,
    volumes: volumes.length ? volumes : undefined,
  });
}

function priorityOf(pc) {
  if (pc === 'system-node-critical') return 2000001000;
  if (pc === 'system-cluster-critical') return 2000000000;
  return 0;
}

/** A pod template (controllers' spec.template). */
export function podTemplate(t) {
  return {
    metadata: compact({ annotations: nonEmpty(t.templateAnnotations), creationTimestamp: null, labels: t.labels }),
    spec: podSpec(t),
  };
}

// ---------------------------------------------------------------------------- container states

export const state = {
  running: (startedAt) => ({ running: { startedAt: iso(startedAt) } }),
  waiting: (reason, message) => ({ waiting: compact({ message, reason }) }),
  terminated: (exitCode, reason, startedAt, finishedAt, containerID) => ({
    terminated: compact({ containerID, exitCode, finishedAt: iso(finishedAt), reason, startedAt: iso(startedAt) }),
  }),
};

function containerID(c, pod, ctName, n) {
  return `containerd://${hex(64, 'ctr', c.name, pod, ctName, n)}`;
}

export function imageID(image) {
  return `${image.split(':').slice(0, -1).join(':') || image}@sha256:${hex(64, 'img', image)}`;
}

/**
 * Container status. st: { state: 'running'|'waiting'|'terminated', since, reason, message, exitCode,
 *   finishedAt, ready, restartCount, last: { exitCode, reason, startedAt, finishedAt }, started, pulled }
 */
function containerStatus(c, podName, ct, st, saVolume) {
  const restartCount = st.restartCount ?? 0;
  const id = containerID(c, podName, ct.name, restartCount);
  const pulled = st.pulled !== false;
  let stateObj;
  if (st.state === 'running') stateObj = state.running(st.since);
  else if (st.state === 'terminated') stateObj = state.terminated(st.exitCode, st.reason, st.since, st.finishedAt, id);
  else stateObj = state.waiting(st.reason, st.message);
  const last = st.last
    ? state.terminated(st.last.exitCode, st.last.reason, st.last.startedAt, st.last.finishedAt, containerID(c, podName, ct.name, restartCount - 1))
    : {};
  const hasContainer = st.state !== 'waiting' || restartCount > 0;
  const mounts = [...(ct.volumeMounts ?? []).map((m) => compact({ mountPath: m.mountPath, name: m.name, readOnly: m.readOnly, recursiveReadOnly: m.readOnly ? 'Disabled' : undefined }))];
  if (saVolume) mounts.push({ mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: saVolume, readOnly: true, recursiveReadOnly: 'Disabled' });
  return compact({
    containerID: hasContainer ? (st.state === 'waiting' ? containerID(c, podName, ct.name, restartCount - 1) : id) : undefined,
    image: ct.image,
    imageID: pulled ? imageID(ct.image) : '',
    lastState: last,
    name: ct.name,
    ready: !!st.ready,
    restartCount,
    started: st.state === 'running' ? (st.started ?? !!st.ready) : false,
    state: stateObj,
    volumeMounts: hasContainer && mounts.length ? mounts : undefined,
  });
}

function cond(type, status, at, reason, message) {
  return compact({ lastProbeTime: null, lastTransitionTime: iso(at), message, reason, status, type });
}

/**
 * A Pod. p: {
 *   name, namespace, created, labels, annotations, owner (object), template (workload description t),
 *   node, hostIP, podIP, daemonSet,
 *   unschedulable: { message, since }       -> Pending, PodScheduled False
 *   scheduledAt, startedAt, initializedAt, readyAt (null = not ready), notReadySince,
 *   containers: { <name>: st }, initContainers: { <name>: st }, phase
 * }
 */
export function pod(c, p) {
  const t = p.template;
  const saVolume = `kube-api-access-${suffix(5, c.name, 'sa', p.namespace, p.name)}`;
  const automount = t.automountServiceAccountToken !== false && !t.static;
  const spec = podSpec(t, { nodeName: p.unschedulable ? undefined : p.node, saVolume, daemonSet: p.daemonSet });
  const labels = { ...t.labels, ...p.labels };
  const metadata = meta(c, 'Pod', {
    name: p.name,
    namespace: p.namespace,
    created: p.created,
    labels,
    annotations: { ...t.templateAnnotations, ...t.podAnnotations, ...p.annotations },
    owners: p.owner ? [ownerRef(p.owner)] : undefined,
    generateName: p.generateName,
    finalizers: p.finalizers,
  });
  let status;
  if (p.unschedulable) {
    status = {
      conditions: [cond('PodScheduled', 'False', p.unschedulable.since, 'Unschedulable', p.unschedulable.message)],
      phase: 'Pending',
      qosClass: qosClass(t),
    };
  } else {
    const statuses = t.containers.map((ct) => containerStatus(c, p.name, ct, p.containers[ct.name], automount ? saVolume : undefined));
    const initStatuses = t.initContainers?.map((ct) => containerStatus(c, p.name, ct, p.initContainers[ct.name], automount ? saVolume : undefined));
    const notReady = statuses.filter((s) => !s.ready).map((s) => s.name);
    const initDone = !initStatuses || initStatuses.every((s) => s.state.terminated?.exitCode === 0);
    const readyAt = p.readyAt;
    const sandboxReady = p.sandboxReadyAt ?? p.startedAt;
    const conditions = [
      cond('PodReadyToStartContainers', 'True', sandboxReady),
      initDone ? cond('Initialized', 'True', p.initializedAt ?? p.startedAt) : cond('Initialized', 'False', p.startedAt, 'ContainersNotInitialized', `containers with incomplete status: [${initStatuses.filter((s) => !s.state.terminated).map((s) => s.name).join(' ')}]`),
      notReady.length
        ? cond('Ready', 'False', p.notReadySince ?? p.startedAt, 'ContainersNotReady', `containers with unready status: [${notReady.join(' ')}]`)
        : cond('Ready', 'True', readyAt),
      notReady.length
        ? cond('ContainersReady', 'False', p.notReadySince ?? p.startedAt, 'ContainersNotReady', `containers with unready status: [${notReady.join(' ')}]`)
        : cond('ContainersReady', 'True', readyAt),
      cond('PodScheduled', 'True', p.scheduledAt ?? p.created),
    ];
    const podIP = t.hostNetwork ? p.hostIP : p.podIP;
    status = compact({
      conditions,
      containerStatuses: statuses,
      hostIP: p.hostIP,
      hostIPs: [{ ip: p.hostIP }],
      initContainerStatuses: initStatuses,
      phase: p.phase ?? 'Running',
      podIP,
      podIPs: podIP ? [{ ip: podIP }] : undefined,
      qosClass: qosClass(t),
      startTime: iso(p.startedAt),
    });
  }
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec, status };
}

function qosClass(t) {
  const cts = [...(t.containers ?? []), ...(t.initContainers ?? [])];
  const any = cts.some((ct) => ct.resources && (ct.resources.requests || ct.resources.limits));
  if (!any) return 'BestEffort';
  const guaranteed = cts.every((ct) => {
    const r = ct.resources ?? {};
    return r.limits?.cpu && r.limits?.memory && (!r.requests || (r.requests.cpu === r.limits.cpu && r.requests.memory === r.limits.memory));
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

// ---------------------------------------------------------------------------- controllers

/** Status conditions helper for apps/v1 objects. */
function appsCond(type, status, reason, message, lastUpdate, lastTransition) {
  return { lastTransitionTime: iso(lastTransition), lastUpdateTime: iso(lastUpdate), message, reason, status, type };
}

/**
 * Deployment. d: { name, namespace, created, labels, annotations, t (workload), replicas, revision,
 *   strategy, rsName, ready, available, updated, availableSince, progressing: {status, reason, message, at, updated} }
 */
export function deployment(c, d) {
  const replicas = d.replicas;
  const available = d.available ?? d.ready ?? replicas;
  const ready = d.ready ?? available;
  const updated = d.updated ?? replicas;
  const unavailable = Math.max(0, replicas - available);
  const maxUnavailable = d.strategy?.rollingUpdate?.maxUnavailable ?? '25%';
  const allowedUnavailable = typeof maxUnavailable === 'string' ? Math.floor((replicas * parseInt(maxUnavailable, 10)) / 100) : maxUnavailable;
  const isAvailable = available >= replicas - allowedUnavailable && available > 0 ? 'True' : replicas === 0 ? 'True' : 'False';
  const prog = d.progressing ?? {
    status: 'True',
    reason: 'NewReplicaSetAvailable',
    message: `ReplicaSet "${d.rsName}" has successfully progressed.`,
    at: d.availableSince ?? d.created,
    updated: d.availableSince ?? d.created,
  };
  const conditions = [
    isAvailable === 'True'
      ? appsCond('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', d.availableSince ?? d.created, d.availableSince ?? d.created)
      : appsCond('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', d.unavailableSince ?? d.created, d.unavailableSince ?? d.created),
    appsCond('Progressing', prog.status, prog.reason, prog.message, prog.updated ?? prog.at, prog.at),
  ];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(c, 'Deployment', {
      name: d.name,
      namespace: d.namespace,
      created: d.created,
      labels: d.labels,
      annotations: { 'deployment.kubernetes.io/revision': String(d.revision ?? 1), ...d.annotations },
      generation: d.generation ?? d.revision ?? 1,
    }),
    spec: {
      progressDeadlineSeconds: 600,
      replicas,
      revisionHistoryLimit: d.revisionHistoryLimit ?? 10,
      selector: { matchLabels: d.selector },
      strategy: d.strategy ?? { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
      template: podTemplate(d.t),
    },
    status: compact({
      availableReplicas: available || undefined,
      conditions,
      observedGeneration: d.generation ?? d.revision ?? 1,
      readyReplicas: ready || undefined,
      replicas,
      unavailableReplicas: unavailable || undefined,
      updatedReplicas: updated,
    }),
  };
}

/** ReplicaSet owned by a Deployment. rs: { name, hash, deployment, created, replicas, ready, available, revision, t } */
export function replicaSet(c, rs) {
  const dep = rs.deployment;
  const labels = { ...rs.t.labels, 'pod-template-hash': rs.hash };
  const t = { ...rs.t, labels };
  const available = rs.available ?? rs.ready ?? rs.replicas;
  const ready = rs.ready ?? available;
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: meta(c, 'ReplicaSet', {
      name: rs.name,
      namespace: dep.metadata.namespace,
      created: rs.created,
      labels,
      annotations: {
        'deployment.kubernetes.io/desired-replicas': String(dep.spec.replicas),
        'deployment.kubernetes.io/max-replicas': String(dep.spec.replicas + maxSurge(dep)),
        'deployment.kubernetes.io/revision': String(rs.revision ?? 1),
        ...pickHelmAnnotations(dep.metadata.annotations),
      },
      owners: [ownerRef(dep)],
      generation: rs.generation ?? 1,
    }),
    spec: {
      replicas: rs.replicas,
      selector: { matchLabels: { ...dep.spec.selector.matchLabels, 'pod-template-hash': rs.hash } },
      template: podTemplate(t),
    },
    status: compact({
      availableReplicas: available || undefined,
      fullyLabeledReplicas: rs.replicas || undefined,
      observedGeneration: rs.generation ?? 1,
      readyReplicas: ready || undefined,
      replicas: rs.replicas,
    }),
  };
}

function maxSurge(dep) {
  const s = dep.spec.strategy?.rollingUpdate?.maxSurge;
  if (s === undefined) return 0;
  if (typeof s === 'number') return s;
  return Math.ceil((dep.spec.replicas * parseInt(s, 10)) / 100);
}

function pickHelmAnnotations(a = {}) {
  const out = {};
  for (const k of ['meta.helm.sh/release-name', 'meta.helm.sh/release-namespace']) if (a[k]) out[k] = a[k];
  return out;
}

/** DaemonSet. ds: { name, namespace, created, labels, annotations, t, selector, desired, ready, available, updated, generation, updateStrategy } */
export function daemonSet(c, ds) {
  const desired = ds.desired;
  const ready = ds.ready ?? desired;
  const available = ds.available ?? ready;
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: meta(c, 'DaemonSet', {
      name: ds.name,
      namespace: ds.namespace,
      created: ds.created,
      labels: ds.labels,
      annotations: { 'deprecated.daemonset.template.generation': String(ds.generation ?? 1), ...ds.annotations },
      generation: ds.generation ?? 1,
    }),
    spec: {
      revisionHistoryLimit: 10,
      selector: { matchLabels: ds.selector },
      template: podTemplate(ds.t),
      updateStrategy: ds.updateStrategy ?? { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 }, type: 'RollingUpdate' },
    },
    status: compact({
      currentNumberScheduled: desired,
      desiredNumberScheduled: desired,
      numberAvailable: available || undefined,
      numberMisscheduled: 0,
      numberReady: ready,
      numberUnavailable: desired - available || undefined,
      observedGeneration: ds.generation ?? 1,
      updatedNumberScheduled: ds.updated ?? desired,
    }),
  };
}

/** A Job (Helm hook or otherwise). j: { name, namespace, created, labels, annotations, t, backoffLimit, active, ready, failed, startTime, activeDeadlineSeconds } */
export function job(c, j) {
  const id = uidOf(c, 'Job', j.namespace, j.name);
  const selectorLabels = { 'batch.kubernetes.io/controller-uid': id };
  const podLabels = { ...selectorLabels, 'batch.kubernetes.io/job-name': j.name, 'controller-uid': id, 'job-name': j.name, ...j.t.labels };
  const t = { ...j.t, labels: podLabels, restartPolicy: j.t.restartPolicy ?? 'Never' };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta(c, 'Job', { name: j.name, namespace: j.namespace, created: j.created, labels: j.labels, annotations: j.annotations, generation: 1, uid: id }),
    spec: compact({
      activeDeadlineSeconds: j.activeDeadlineSeconds,
      backoffLimit: j.backoffLimit ?? 6,
      completionMode: 'NonIndexed',
      completions: 1,
      manualSelector: false,
      parallelism: 1,
      podReplacementPolicy: 'TerminatingOrFailed',
      selector: { matchLabels: selectorLabels },
      suspend: false,
      template: podTemplate(t),
      ttlSecondsAfterFinished: j.ttlSecondsAfterFinished,
    }),
    status: compact({
      active: j.active || undefined,
      completionTime: j.completionTime,
      conditions: j.conditions,
      failed: j.failed || undefined,
      ready: j.ready ?? 0,
      startTime: iso(j.startTime ?? j.created),
      succeeded: j.succeeded || undefined,
      terminating: 0,
      uncountedTerminatedPods: {},
    }),
    // the pod template the job's pods are made from (not serialised: JSON drops functions/symbols)
    [POD_T]: t,
  };
}

export const POD_T = Symbol('podTemplate');

/** The labels and workload description a Job's pods are created with. */
export function jobPodTemplate(j) {
  return j[POD_T];
}

// ---------------------------------------------------------------------------- services, config

export function service(c, s) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(c, 'Service', { name: s.name, namespace: s.namespace, created: s.created, labels: s.labels, annotations: s.annotations }),
    spec: compact({
      clusterIP: s.clusterIP,
      clusterIPs: s.clusterIP === 'None' ? ['None'] : [s.clusterIP],
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: s.ports.map((p) => compact({ name: p.name, port: p.port, protocol: p.protocol ?? 'TCP', targetPort: p.targetPort ?? p.port })),
      selector: s.selector,
      sessionAffinity: 'None',
      type: 'ClusterIP',
    }),
    status: { loadBalancer: {} },
  };
}

/** Endpoints of a service. addresses: [{ ip, pod, nodeName }], notReady: same shape. */
export function endpoints(c, e) {
  const addr = (a) => compact({
    ip: a.ip,
    nodeName: a.nodeName,
    targetRef: a.pod ? { kind: 'Pod', name: a.pod.metadata.name, namespace: a.pod.metadata.namespace, uid: a.pod.metadata.uid } : undefined,
  });
  const subset = compact({
    addresses: e.addresses?.length ? e.addresses.map(addr) : undefined,
    notReadyAddresses: e.notReady?.length ? e.notReady.map(addr) : undefined,
    ports: e.ports.map((p) => compact({ name: p.name, port: p.port, protocol: p.protocol ?? 'TCP' })),
  });
  const hasAny = subset.addresses || subset.notReadyAddresses;
  return compact({
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: meta(c, 'Endpoints', {
      name: e.name,
      namespace: e.namespace,
      created: e.created,
      labels: e.labels,
      annotations: e.triggerTime ? { 'endpoints.kubernetes.io/last-change-trigger-time': e.triggerTime } : undefined,
    }),
    subsets: hasAny ? [subset] : undefined,
  });
}

export function configMap(c, m) {
  return {
    apiVersion: 'v1',
    data: m.data,
    kind: 'ConfigMap',
    metadata: meta(c, 'ConfigMap', { name: m.name, namespace: m.namespace, created: m.created, labels: m.labels, annotations: m.annotations }),
  };
}

/** The kube-root-ca.crt ConfigMap that kube-controller-manager publishes into every namespace. */
export function rootCA(c, ns, created) {
  return configMap(c, {
    name: 'kube-root-ca.crt',
    namespace: ns,
    created,
    annotations: { 'kubernetes.io/description': "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters." },
    data: { 'ca.crt': fakeCertificate(c.name, 'root-ca') },
  });
}

/** A Helm release record (Secret type helm.sh/release.v1) listed WITHOUT data, as the collector keeps it. */
export function helmReleaseSecret(c, { release, namespace, version, status, created, modified }) {
  const labels = { name: release, owner: 'helm', status, version: String(version) };
  if (modified) labels.modifiedAt = String(Math.floor(ms(modified) / 1000));
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta(c, 'Secret', { name: `sh.helm.release.v1.${release}.v${version}`, namespace, created, labels }),
    type: 'helm.sh/release.v1',
  };
}

// ---------------------------------------------------------------------------- events

/** Event name suffix: the first timestamp in Unix nanoseconds, hex (what client-go's recorder uses). */
function eventName(involvedName, t, salt) {
  const nanos = BigInt(ms(t)) * 1000000n + BigInt(int(0, 999999, 'evns', involvedName, salt)) ;
  return `${involvedName}.${nanos.toString(16)}`;
}

function involved(o, fieldPath) {
  return compact({
    apiVersion: o.apiVersion,
    fieldPath,
    kind: o.kind,
    name: o.metadata.name,
    namespace: o.metadata.namespace,
    resourceVersion: o.kind === 'Pod' || o.kind === 'HelmReleaseProxy' ? true : undefined, // filled in by finalize()
    uid: o.metadata.uid,
  });
}

/**
 * A core/v1 Event from an old-style recorder (kubelet, controllers): count/firstTimestamp/lastTimestamp.
 * e: { obj, fieldPath, reason, message, type, component, host, first, last, count, namespace }
 */
export function event(c, e) {
  const ns = e.namespace ?? e.obj.metadata.namespace ?? 'default';
  const name = eventName(e.obj.metadata.name, e.first, `${e.reason}/${e.message}`);
  return {
    apiVersion: 'v1',
    count: e.count ?? 1,
    eventTime: null,
    firstTimestamp: iso(e.first),
    involvedObject: involved(e.obj, e.fieldPath),
    kind: 'Event',
    lastTimestamp: iso(e.last ?? e.first),
    message: e.message,
    metadata: meta(c, 'Event', { name, namespace: ns, created: e.first }),
    reason: e.reason,
    reportingComponent: e.reportingComponent ?? (e.component === 'kubelet' ? 'kubelet' : ''),
    reportingInstance: e.reportingInstance ?? (e.component === 'kubelet' ? e.host : ''),
    source: compact({ component: e.component, host: e.host }),
    type: e.type ?? 'Normal',
  };
}

/**
 * A core/v1 view of an events.k8s.io/v1 event (kube-scheduler and other new-style recorders):
 * eventTime + series, no firstTimestamp/lastTimestamp/count.
 */
export function seriesEvent(c, e) {
  const ns = e.namespace ?? e.obj.metadata.namespace ?? 'default';
  const name = eventName(e.obj.metadata.name, e.first, `${e.reason}/${e.message}`);
  const micros = int(0, 999999, 'evmicro', name);
  const count = e.count ?? 1;
  return compact({
    action: e.action,
    apiVersion: 'v1',
    eventTime: `${iso(e.first).slice(0, 19)}.${String(micros).padStart(6, '0')}Z`,
    firstTimestamp: null,
    involvedObject: involved(e.obj, e.fieldPath),
    kind: 'Event',
    lastTimestamp: null,
    message: e.message,
    metadata: meta(c, 'Event', { name, namespace: ns, created: e.first }),
    reason: e.reason,
    reportingComponent: e.reportingComponent,
    reportingInstance: e.reportingInstance,
    series: count > 1 ? { count, lastObservedTime: `${iso(e.last).slice(0, 19)}.${String(int(0, 999999, 'evlast', name)).padStart(6, '0')}Z` } : undefined,
    source: {},
    type: e.type ?? 'Normal',
  });
}

export { plus, iso };
