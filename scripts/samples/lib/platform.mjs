// Composite builders: the usual components of a kubeadm/CAPI cluster (static control plane
// pods, CoreDNS, Cilium or Calico, a cloud controller manager, CAPI provider controllers,
// kubeadm ConfigMaps, ...), each returned as the list of objects a real cluster would show.
// The samples decide the state of every pod; these helpers only know what the objects look like.

import { compact, hex, int, iso, plus, suffix } from './util.mjs';
import {
  TOLERATE,
  configMap,
  daemonSet,
  deployment,
  endpoints,
  helmReleaseSecret,
  meta,
  namespace,
  ownerRef,
  pod,
  replicaSet,
  rootCA,
  service,
  uidOf,
} from './k8s.mjs';

// ---------------------------------------------------------------------------- container states

/** All containers of workload `t` running (and ready) since `since`; init containers completed just before. */
export function allUp(t, since, { ready = true, restarts = {}, last = {} } = {}) {
  const containers = {};
  for (const ct of t.containers) {
    containers[ct.name] = { state: 'running', since, ready, started: ready, restartCount: restarts[ct.name] ?? 0, last: last[ct.name] };
  }
  return { containers, initContainers: initsDone(t, since) };
}

/** Init containers of `t` completed, one after another, ending at `before`. */
export function initsDone(t, before) {
  if (!t.initContainers) return undefined;
  const out = {};
  const n = t.initContainers.length;
  t.initContainers.forEach((ct, i) => {
    const start = plus(before, -(n - i) * 2);
    out[ct.name] = { state: 'terminated', exitCode: 0, reason: 'Completed', since: start, finishedAt: plus(start, 1), ready: true };
  });
  return out;
}

/** The kubelet's CrashLoopBackOff waiting message. */
export function backoffMessage(c, ns, podName, container, backoff = '5m0s') {
  return `back-off ${backoff} restarting failed container=${container} pod=${podName}_${ns}(${uidOf(c, 'Pod', ns, podName)})`;
}

// ---------------------------------------------------------------------------- nodes and IPs

/** A pod IP on the node's pod CIDR slice (node.podNet is like '192.168.3'). */
export function podIP(nodeDesc, ...salt) {
  return `${nodeDesc.podNet}.${int(3, 250, 'podip', nodeDesc.name, ...salt)}`;
}

// ---------------------------------------------------------------------------- generic stacks

/**
 * Deployment + ReplicaSet + Pods.
 * d: { name, namespace, created, labels, annotations, selector, t, replicas, hash, revision, rsCreated, strategy,
 *      availableSince, unavailableSince, progressing, pods: [podState] }
 * podState: { suffix, node, created, startedAt, readyAt, podIP, containers, initContainers, unschedulable, notReadySince }
 */
export function deploymentStack(c, d) {
  const rsName = `${d.name}-${d.hash}`;
  const isReady = (p) => !p.unschedulable && Object.values(p.containers ?? {}).every((s) => s.ready);
  const ready = d.pods.filter(isReady).length;
  const dep = deployment(c, {
    name: d.name,
    namespace: d.namespace,
    created: d.created,
    labels: d.labels,
    annotations: d.annotations,
    selector: d.selector,
    t: d.t,
    replicas: d.replicas,
    revision: d.revision,
    generation: d.generation,
    strategy: d.strategy,
    rsName,
    ready,
    available: ready,
    availableSince: d.availableSince,
    unavailableSince: d.unavailableSince,
    progressing: d.progressing,
  });
  const rs = replicaSet(c, { name: rsName, hash: d.hash, deployment: dep, created: d.rsCreated ?? d.created, replicas: d.replicas, ready, available: ready, revision: d.revision, t: d.t });
  const rsT = { ...d.t, labels: { ...d.t.labels, 'pod-template-hash': d.hash } };
  const pods = d.pods.map((p) => podFor(c, rs, rsT, d.namespace, `${rsName}-${p.suffix}`, p, { generateName: `${rsName}-` }));
  return { deployment: dep, replicaSet: rs, pods, all: [dep, rs, ...pods] };
}

/**
 * DaemonSet + Pods (one per node given). d: { name, namespace, created, labels, annotations, selector, t, hash, generation, pods: [podState & {node}] }
 */
export function daemonSetStack(c, d) {
  const isReady = (p) => Object.values(p.containers ?? {}).every((s) => s.ready);
  const ready = d.pods.filter(isReady).length;
  const ds = daemonSet(c, {
    name: d.name,
    namespace: d.namespace,
    created: d.created,
    labels: d.labels,
    annotations: d.annotations,
    selector: d.selector,
    t: d.t,
    desired: d.pods.length,
    ready,
    available: ready,
    generation: d.generation,
    updateStrategy: d.updateStrategy,
  });
  const dsT = { ...d.t, labels: { ...d.t.labels, 'controller-revision-hash': d.hash, 'pod-template-generation': String(d.generation ?? 1) } };
  const pods = d.pods.map((p) => podFor(c, ds, dsT, d.namespace, `${d.name}-${p.suffix}`, p, { daemonSet: true, generateName: `${d.name}-` }));
  return { daemonSet: ds, pods, all: [ds, ...pods] };
}

function podFor(c, owner, t, ns, name, p, { daemonSet: isDs = false, generateName } = {}) {
  return pod(c, {
    name,
    namespace: ns,
    generateName,
    created: p.created,
    owner,
    template: t,
    node: p.node?.name,
    hostIP: p.node?.ip,
    podIP: p.podIP ?? (p.node && !t.hostNetwork ? podIP(p.node, ns, name) : undefined),
    daemonSet: isDs,
    unschedulable: p.unschedulable,
    scheduledAt: p.scheduledAt ?? p.created,
    startedAt: p.startedAt ?? p.created,
    sandboxReadyAt: p.sandboxReadyAt,
    initializedAt: p.initializedAt,
    readyAt: p.readyAt,
    notReadySince: p.notReadySince,
    containers: p.containers,
    initContainers: p.initContainers,
    phase: p.phase,
    labels: p.labels,
    annotations: p.annotations,
  });
}

/** Helm's ownership metadata on everything a release created. */
export function helmMeta(release, ns, extraLabels = {}) {
  return {
    labels: { 'app.kubernetes.io/managed-by': 'Helm', ...extraLabels },
    annotations: { 'meta.helm.sh/release-name': release, 'meta.helm.sh/release-namespace': ns },
  };
}

/** Release history secrets. history: [{ version, status, at, modified }] */
export function helmHistory(c, release, ns, history) {
  return history.map((h) => helmReleaseSecret(c, { release, namespace: ns, version: h.version, status: h.status, created: h.at, modified: h.modified }));
}

// ---------------------------------------------------------------------------- namespaces

export function namespaces(c, list) {
  const out = [];
  for (const n of list) {
    out.push(namespace(c, n.name, n.created, { labels: n.labels, annotations: n.annotations }));
    out.push(rootCA(c, n.name, n.created));
  }
  return out;
}

// ---------------------------------------------------------------------------- control plane

/**
 * Mirror pods of the kubeadm static control plane on one node (+ kube-vip when o.vip is set).
 * o: { node, version, etcdVersion, startedAt, podCIDR, serviceCIDR, clusterName, vip, kubeVipVersion, restarts }
 */
export function staticControlPlane(c, o) {
  const n = o.node;
  const img = (name, tag) => `${o.imageRepository ?? 'registry.k8s.io'}/${name}:${tag}`;
  const hash = (comp) => hex(32, 'config.hash', c.name, n.name, comp);
  const common = (comp) => ({
    static: true,
    hostNetwork: true,
    priorityClassName: 'system-node-critical',
    priority: 2000001000,
    securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
    tolerations: [{ effect: 'NoExecute', operator: 'Exists' }],
    labels: comp === 'kube-vip' ? undefined : { component: comp, tier: 'control-plane' },
  });
  const hp = (name, path, type) => ({ hostPath: compact({ path, type }), name });
  const certVols = [hp('ca-certs', '/etc/ssl/certs', 'DirectoryOrCreate'), hp('etc-pki', '/etc/pki', 'DirectoryOrCreate'), hp('k8s-certs', '/etc/kubernetes/pki', 'DirectoryOrCreate')];
  const certMounts = [
    { mountPath: '/etc/ssl/certs', name: 'ca-certs', readOnly: true },
    { mountPath: '/etc/pki', name: 'etc-pki', readOnly: true },
    { mountPath: '/etc/kubernetes/pki', name: 'k8s-certs', readOnly: true },
  ];
  const probe = (path, port, scheme = 'HTTPS', host = n.ip, extra = {}) => ({
    failureThreshold: 8,
    httpGet: { host, path, port, scheme },
    initialDelaySeconds: 10,
    periodSeconds: 10,
    timeoutSeconds: 15,
    ...extra,
  });
  const comps = [
    {
      comp: 'etcd',
      ann: { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://${n.ip}:2379` },
      t: {
        ...common('etcd'),
        containers: [{
          name: 'etcd',
          image: img('etcd', o.etcdVersion),
          command: ['etcd', `--advertise-client-urls=https://${n.ip}:2379`, '--cert-file=/etc/kubernetes/pki/etcd/server.crt', '--client-cert-auth=true', '--data-dir=/var/lib/etcd', '--experimental-initial-corrupt-check=true', '--experimental-watch-progress-notify-interval=5s', `--initial-advertise-peer-urls=https://${n.ip}:2380`, `--initial-cluster=${n.name}=https://${n.ip}:2380`, '--key-file=/etc/kubernetes/pki/etcd/server.key', `--listen-client-urls=https://127.0.0.1:2379,https://${n.ip}:2379`, '--listen-metrics-urls=http://127.0.0.1:2381', `--listen-peer-urls=https://${n.ip}:2380`, `--name=${n.name}`, '--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt', '--peer-client-cert-auth=true', '--peer-key-file=/etc/kubernetes/pki/etcd/peer.key', '--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt', '--snapshot-count=10000', '--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt'],
          livenessProbe: probe('/livez', 2381, 'HTTP', '127.0.0.1'),
          startupProbe: probe('/readyz', 2381, 'HTTP', '127.0.0.1', { failureThreshold: 24 }),
          readinessProbe: probe('/readyz', 2381, 'HTTP', '127.0.0.1', { failureThreshold: 3, periodSeconds: 1 }),
          resources: { requests: { cpu: '100m', memory: '100Mi' } },
          volumeMounts: [{ mountPath: '/var/lib/etcd', name: 'etcd-data' }, { mountPath: '/etc/kubernetes/pki/etcd', name: 'etcd-certs' }],
        }],
        volumes: [hp('etcd-certs', '/etc/kubernetes/pki/etcd', 'DirectoryOrCreate'), hp('etcd-data', '/var/lib/etcd', 'DirectoryOrCreate')],
      },
    },
    {
      comp: 'kube-apiserver',
      ann: { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': `${n.ip}:6443` },
      t: {
        ...common('kube-apiserver'),
        containers: [{
          name: 'kube-apiserver',
          image: img('kube-apiserver', o.version),
          command: ['kube-apiserver', `--advertise-address=${n.ip}`, '--allow-privileged=true', '--audit-log-maxage=30', '--audit-log-maxbackup=10', '--audit-log-maxsize=100', '--audit-log-path=/var/log/audit/kube-apiserver-audit.log', '--audit-policy-file=/etc/kubernetes/audit-policy/apiserver-audit-policy.yaml', '--authorization-mode=Node,RBAC', '--client-ca-file=/etc/kubernetes/pki/ca.crt', '--enable-admission-plugins=NodeRestriction', '--enable-bootstrap-token-auth=true', '--encryption-provider-config=/etc/kubernetes/pki/encryption-config.yaml', '--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt', '--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt', '--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key', '--etcd-servers=https://127.0.0.1:2379', '--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt', '--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key', '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname', '--profiling=false', '--proxy-client-cert-file=/etc/kubernetes/pki/front-proxy-client.crt', '--proxy-client-key-file=/etc/kubernetes/pki/front-proxy-client.key', '--requestheader-allowed-names=front-proxy-client', '--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt', '--requestheader-extra-headers-prefix=X-Remote-Extra-', '--requestheader-group-headers=X-Remote-Group', '--requestheader-username-headers=X-Remote-User', '--secure-port=6443', '--service-account-issuer=https://kubernetes.default.svc.cluster.local', '--service-account-key-file=/etc/kubernetes/pki/sa.pub', '--service-account-signing-key-file=/etc/kubernetes/pki/sa.key', `--service-cluster-ip-range=${o.serviceCIDR}`, '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt', '--tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key'],
          livenessProbe: probe('/livez', 6443),
          readinessProbe: probe('/readyz', 6443, 'HTTPS', n.ip, { failureThreshold: 3, periodSeconds: 1 }),
          startupProbe: probe('/livez', 6443, 'HTTPS', n.ip, { failureThreshold: 24 }),
          resources: { requests: { cpu: '250m' } },
          volumeMounts: [...certMounts, { mountPath: '/etc/kubernetes/audit-policy/', name: 'audit-policy', readOnly: true }, { mountPath: '/var/log/audit/', name: 'audit-logs' }],
        }],
        volumes: [hp('audit-logs', '/var/log/kubernetes/audit', 'DirectoryOrCreate'), hp('audit-policy', '/etc/kubernetes/audit-policy/', 'DirectoryOrCreate'), ...certVols],
      },
    },
    {
      comp: 'kube-controller-manager',
      t: {
        ...common('kube-controller-manager'),
        containers: [{
          name: 'kube-controller-manager',
          image: img('kube-controller-manager', o.version),
          command: ['kube-controller-manager', '--allocate-node-cidrs=false', '--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf', '--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf', '--bind-address=127.0.0.1', '--client-ca-file=/etc/kubernetes/pki/ca.crt', '--cloud-provider=external', `--cluster-cidr=${o.podCIDR}`, `--cluster-name=${o.clusterName}`, '--cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt', '--cluster-signing-key-file=/etc/kubernetes/pki/ca.key', '--controllers=*,bootstrapsigner,tokencleaner', '--kubeconfig=/etc/kubernetes/controller-manager.conf', '--leader-elect=true', '--profiling=false', '--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt', '--root-ca-file=/etc/kubernetes/pki/ca.crt', '--service-account-private-key-file=/etc/kubernetes/pki/sa.key', `--service-cluster-ip-range=${o.serviceCIDR}`, '--terminated-pod-gc-threshold=100', '--use-service-account-credentials=true'],
          livenessProbe: probe('/healthz', 10257, 'HTTPS', '127.0.0.1'),
          startupProbe: probe('/healthz', 10257, 'HTTPS', '127.0.0.1', { failureThreshold: 24 }),
          resources: { requests: { cpu: '200m' } },
          volumeMounts: [...certMounts, { mountPath: '/usr/libexec/kubernetes/kubelet-plugins/volume/exec', name: 'flexvolume-dir' }, { mountPath: '/etc/kubernetes/controller-manager.conf', name: 'kubeconfig', readOnly: true }],
        }],
        volumes: [...certVols, hp('flexvolume-dir', '/usr/libexec/kubernetes/kubelet-plugins/volume/exec', 'DirectoryOrCreate'), hp('kubeconfig', '/etc/kubernetes/controller-manager.conf', 'FileOrCreate')],
      },
    },
    {
      comp: 'kube-scheduler',
      t: {
        ...common('kube-scheduler'),
        containers: [{
          name: 'kube-scheduler',
          image: img('kube-scheduler', o.version),
          command: ['kube-scheduler', '--authentication-kubeconfig=/etc/kubernetes/scheduler.conf', '--authorization-kubeconfig=/etc/kubernetes/scheduler.conf', '--bind-address=127.0.0.1', '--kubeconfig=/etc/kubernetes/scheduler.conf', '--leader-elect=true', '--profiling=false'],
          livenessProbe: probe('/healthz', 10259, 'HTTPS', '127.0.0.1'),
          startupProbe: probe('/healthz', 10259, 'HTTPS', '127.0.0.1', { failureThreshold: 24 }),
          resources: { requests: { cpu: '100m' } },
          volumeMounts: [{ mountPath: '/etc/kubernetes/scheduler.conf', name: 'kubeconfig', readOnly: true }],
        }],
        volumes: [hp('kubeconfig', '/etc/kubernetes/scheduler.conf', 'FileOrCreate')],
      },
    },
  ];
  if (o.vip) {
    comps.push({
      comp: 'kube-vip',
      t: {
        ...common('kube-vip'),
        priorityClassName: undefined,
        priority: 0,
        securityContext: {},
        containers: [{
          name: 'kube-vip',
          image: o.kubeVipImage ?? `ghcr.io/kube-vip/kube-vip:${o.kubeVipVersion ?? 'v0.8.7'}`,
          args: ['manager'],
          env: [
            { name: 'vip_arp', value: 'true' },
            { name: 'port', value: '6443' },
            { name: 'vip_nodename', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
            { name: 'vip_interface', value: '' },
            { name: 'vip_cidr', value: '32' },
            { name: 'dns_mode', value: 'first' },
            { name: 'cp_enable', value: 'true' },
            { name: 'cp_namespace', value: 'kube-system' },
            { name: 'vip_leaderelection', value: 'true' },
            { name: 'vip_leasename', value: 'plndr-cp-lock' },
            { name: 'vip_leaseduration', value: '15' },
            { name: 'vip_renewdeadline', value: '10' },
            { name: 'vip_retryperiod', value: '2' },
            { name: 'address', value: o.vip },
            { name: 'prometheus_server', value: ':2112' },
          ],
          securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] } },
          volumeMounts: [{ mountPath: '/etc/kubernetes/admin.conf', name: 'kubeconfig' }],
        }],
        volumes: [hp('kubeconfig', '/etc/kubernetes/admin.conf', 'FileOrCreate')],
      },
    });
  }
  return comps.map(({ comp, ann, t }) => {
    const started = o.startedAt?.[comp] ?? o.node.created;
    const h = hash(comp);
    return pod(c, {
      name: `${comp}-${n.name}`,
      namespace: 'kube-system',
      created: plus(started, 2),
      owner: n.obj,
      template: t,
      node: n.name,
      hostIP: n.ip,
      annotations: {
        ...ann,
        'kubernetes.io/config.hash': h,
        'kubernetes.io/config.mirror': h,
        'kubernetes.io/config.seen': `${iso(plus(started, -3)).slice(0, 19)}.${String(int(100000000, 999999999, 'seen', n.name, comp))}Z`,
        'kubernetes.io/config.source': 'file',
      },
      scheduledAt: started,
      startedAt: started,
      readyAt: plus(started, comp === 'kube-apiserver' ? 24 : 12),
      ...staticState(t, comp, started, o.restarts?.[comp] ?? 0),
    });
  }).map((p) => {
    // mirror pods are owned by the Node, not controlled through blockOwnerDeletion
    p.metadata.ownerReferences = [{ apiVersion: 'v1', controller: true, kind: 'Node', name: n.name, uid: n.obj.metadata.uid }];
    return p;
  });
}

/** Container state of a static pod; restarts are leader-election losses some days after start. */
function staticState(t, comp, started, restarts) {
  if (!restarts) return allUp(t, plus(started, 1));
  const lastStart = plus(started, 1 + 86400 * 6 * (restarts - 1) + 3600 * 7);
  const lastEnd = plus(lastStart, 86400 * 6 + 1831);
  return allUp(t, plus(lastEnd, 1), {
    restarts: { [comp]: restarts },
    last: { [comp]: { exitCode: 1, reason: 'Error', startedAt: lastStart, finishedAt: lastEnd } },
  });
}

/** The `kubernetes` Service in `default` and its Endpoints (the API server addresses). */
export function kubernetesService(c, { created, clusterIP, apiServers }) {
  const svc = service(c, {
    name: 'kubernetes',
    namespace: 'default',
    created,
    labels: { component: 'apiserver', provider: 'kubernetes' },
    clusterIP,
    ports: [{ name: 'https', port: 443, targetPort: 6443 }],
  });
  const ep = endpoints(c, {
    name: 'kubernetes',
    namespace: 'default',
    created,
    labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
    addresses: apiServers.map((ip) => ({ ip })),
    ports: [{ name: 'https', port: 6443 }],
  });
  return [svc, ep];
}

/** kubeadm's ConfigMaps: kube-system/kubeadm-config, kube-system/kubelet-config, kube-public/cluster-info. */
export function kubeadmConfigMaps(c, o) {
  const clusterConfiguration = [
    'apiServer:',
    '  certSANs:',
    '  - localhost',
    '  - 127.0.0.1',
    '  - 0.0.0.0',
    '  - kubernetes',
    '  - kubernetes.default',
    '  - kubernetes.default.svc',
    '  - kubernetes.default.svc.cluster.local',
    `  - ${o.endpointHost}`,
    '  extraArgs:',
    '  - name: audit-log-maxage',
    '    value: "30"',
    '  - name: audit-log-path',
    '    value: /var/log/audit/kube-apiserver-audit.log',
    '  - name: profiling',
    '    value: "false"',
    'apiVersion: kubeadm.k8s.io/v1beta4',
    'caCertificateValidityPeriod: 87600h0m0s',
    'certificateValidityPeriod: 8760h0m0s',
    'certificatesDir: /etc/kubernetes/pki',
    `clusterName: ${o.clusterName}`,
    `controlPlaneEndpoint: ${o.endpointHost}:${o.endpointPort}`,
    'controllerManager:',
    '  extraArgs:',
    '  - name: cloud-provider',
    '    value: external',
    '  - name: profiling',
    '    value: "false"',
    'dns: {}',
    'encryptionAlgorithm: RSA-2048',
    'etcd:',
    '  local:',
    '    dataDir: /var/lib/etcd',
    `imageRepository: ${o.imageRepository ?? 'registry.k8s.io'}`,
    'kind: ClusterConfiguration',
    `kubernetesVersion: ${o.version}`,
    'networking:',
    '  dnsDomain: cluster.local',
    `  podSubnet: ${o.podCIDR}`,
    `  serviceSubnet: ${o.serviceCIDR}`,
    'proxy: {}',
    'scheduler:',
    '  extraArgs:',
    '  - name: profiling',
    '    value: "false"',
    '',
  ].join('\n');
  const kubelet = [
    'apiVersion: kubelet.config.k8s.io/v1beta1',
    'authentication:',
    '  anonymous:',
    '    enabled: false',
    '  webhook:',
    '    cacheTTL: 0s',
    '    enabled: true',
    '  x509:',
    '    clientCAFile: /etc/kubernetes/pki/ca.crt',
    'authorization:',
    '  mode: Webhook',
    'cgroupDriver: systemd',
    'clusterDNS:',
    `- ${o.clusterDNS}`,
    'clusterDomain: cluster.local',
    'containerRuntimeEndpoint: ""',
    'cpuManagerReconcilePeriod: 0s',
    'evictionPressureTransitionPeriod: 0s',
    'fileCheckFrequency: 0s',
    'healthzBindAddress: 127.0.0.1',
    'healthzPort: 10248',
    'httpCheckFrequency: 0s',
    'imageMaximumGCAge: 0s',
    'imageMinimumGCAge: 0s',
    'kind: KubeletConfiguration',
    'logging:',
    '  flushFrequency: 0',
    '  options:',
    '    json:',
    '      infoBufferSize: "0"',
    '    text:',
    '      infoBufferSize: "0"',
    '  verbosity: 0',
    'memorySwap: {}',
    'nodeStatusReportFrequency: 0s',
    'nodeStatusUpdateFrequency: 0s',
    'protectKernelDefaults: true',
    'rotateCertificates: true',
    'runtimeRequestTimeout: 0s',
    'serverTLSBootstrap: true',
    'shutdownGracePeriod: 0s',
    'shutdownGracePeriodCriticalPods: 0s',
    'staticPodPath: /etc/kubernetes/manifests',
    'streamingConnectionIdleTimeout: 0s',
    'syncFrequency: 0s',
    'tlsCipherSuites:',
    '- TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
    '- TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    'volumeStatsAggPeriod: 0s',
    '',
  ].join('\n');
  const caData = Buffer.from(o.caPem).toString('base64');
  const clusterInfo = [
    'apiVersion: v1',
    'clusters:',
    '- cluster:',
    `    certificate-authority-data: ${caData}`,
    `    server: https://${o.endpointHost}:${o.endpointPort}`,
    '  name: ""',
    'contexts: null',
    'current-context: ""',
    'kind: Config',
    'preferences: {}',
    'users: null',
    '',
  ].join('\n');
  return [
    configMap(c, { name: 'kubeadm-config', namespace: 'kube-system', created: o.created, data: { ClusterConfiguration: clusterConfiguration } }),
    configMap(c, { name: 'kubelet-config', namespace: 'kube-system', created: o.created, annotations: { 'kubeadm.kubernetes.io/component-config.hash': `sha256:${hex(64, 'kubelet-config', c.name)}` }, data: { kubelet } }),
    configMap(c, { name: 'cluster-info', namespace: 'kube-public', created: o.created, data: { kubeconfig: clusterInfo } }),
  ];
}

// ---------------------------------------------------------------------------- CoreDNS

/** CoreDNS as kubeadm deploys it. o: { created, version, clusterDNS, pods: [podState], hash, extraTolerations } */
export function coreDNS(c, o) {
  const labels = { 'k8s-app': 'kube-dns' };
  const t = {
    labels,
    priorityClassName: 'system-cluster-critical',
    serviceAccountName: 'coredns',
    dnsPolicy: 'Default',
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ podAffinityTerm: { labelSelector: { matchExpressions: [{ key: 'k8s-app', operator: 'In', values: ['kube-dns'] }] }, topologyKey: 'kubernetes.io/hostname' }, weight: 100 }] } },
    tolerations: [TOLERATE.criticalAddonsOnly, TOLERATE.controlPlane, ...(o.extraTolerations ?? [])],
    containers: [{
      name: 'coredns',
      image: o.image ?? `registry.k8s.io/coredns/coredns:${o.version}`,
      args: ['-conf', '/etc/coredns/Corefile'],
      ports: [{ containerPort: 53, name: 'dns', protocol: 'UDP' }, { containerPort: 53, name: 'dns-tcp' }, { containerPort: 9153, name: 'metrics' }],
      livenessProbe: { failureThreshold: 5, httpGet: { path: '/health', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 60, timeoutSeconds: 5 },
      readinessProbe: { httpGet: { path: '/ready', port: 8181, scheme: 'HTTP' } },
      resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, readOnlyRootFilesystem: true },
      volumeMounts: [{ mountPath: '/etc/coredns', name: 'config-volume', readOnly: true }],
    }],
    volumes: [{ configMap: { defaultMode: 420, items: [{ key: 'Corefile', path: 'Corefile' }], name: 'coredns' }, name: 'config-volume' }],
  };
  const stack = deploymentStack(c, {
    name: 'coredns',
    namespace: 'kube-system',
    created: o.created,
    labels,
    selector: labels,
    t,
    replicas: o.pods.length,
    hash: o.hash ?? '7c65d6cfc9',
    strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 }, type: 'RollingUpdate' },
    availableSince: o.availableSince,
    pods: o.pods,
  });
  const corefile = `.:53 {\n    errors\n    health {\n       lameduck 5s\n    }\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n       fallthrough in-addr.arpa ip6.arpa\n       ttl 30\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf {\n       max_concurrent 1000\n    }\n    cache 30 {\n       disable success cluster.local\n       disable denial cluster.local\n    }\n    loop\n    reload\n    loadbalance\n}\n`;
  const svc = service(c, {
    name: 'kube-dns',
    namespace: 'kube-system',
    created: o.created,
    labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
    annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    clusterIP: o.clusterDNS,
    selector: labels,
    ports: [{ name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 }, { name: 'dns-tcp', port: 53, targetPort: 53 }, { name: 'metrics', port: 9153, targetPort: 9153 }],
  });
  const ready = stack.pods.filter((p) => p.status.conditions?.find((x) => x.type === 'Ready')?.status === 'True');
  const ep = endpoints(c, {
    name: 'kube-dns',
    namespace: 'kube-system',
    created: o.created,
    labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
    triggerTime: o.availableSince ? iso(o.availableSince) : undefined,
    addresses: ready.map((p) => ({ ip: p.status.podIP, nodeName: p.spec.nodeName, pod: p })),
    ports: [{ name: 'dns-tcp', port: 53 }, { name: 'dns', port: 53, protocol: 'UDP' }, { name: 'metrics', port: 9153 }],
  });
  const cm = configMap(c, { name: 'coredns', namespace: 'kube-system', created: o.created, data: { Corefile: corefile } });
  return { ...stack, all: [...stack.all, svc, ep, cm] };
}

// ---------------------------------------------------------------------------- Cilium

/** The cilium-agent DaemonSet pod template (Cilium Helm chart defaults plus the values that matter here). */
export function ciliumAgentTemplate(o) {
  const hp = (name, path, type) => ({ hostPath: compact({ path, type }), name });
  const health = { host: '127.0.0.1', httpHeaders: [{ name: 'brief', value: 'true' }], path: '/healthz', port: 9879, scheme: 'HTTP' };
  const fieldEnv = (name, fieldPath) => ({ name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } });
  const apiEnv = [{ name: 'KUBERNETES_SERVICE_HOST', value: o.k8sServiceHost }, { name: 'KUBERNETES_SERVICE_PORT', value: String(o.k8sServicePort) }];
  const image = `quay.io/cilium/cilium:${o.version}`;
  const init = (name, extra) => ({ name, image, terminationMessagePolicy: 'FallbackToLogsOnError', ...extra });
  return {
    labels: { 'app.kubernetes.io/name': 'cilium-agent', 'app.kubernetes.io/part-of': 'cilium', 'k8s-app': 'cilium' },
    templateAnnotations: { 'container.apparmor.security.beta.kubernetes.io/cilium-agent': 'unconfined', 'container.apparmor.security.beta.kubernetes.io/clean-cilium-state': 'unconfined', 'container.apparmor.security.beta.kubernetes.io/mount-cgroup': 'unconfined', 'container.apparmor.security.beta.kubernetes.io/apply-sysctl-overwrites': 'unconfined' },
    hostNetwork: true,
    priorityClassName: 'system-node-critical',
    serviceAccountName: 'cilium',
    automountServiceAccountToken: true,
    terminationGracePeriodSeconds: 1,
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { 'k8s-app': 'cilium' } }, topologyKey: 'kubernetes.io/hostname' }] } },
    tolerations: [TOLERATE.all],
    initContainers: [
      init('config', { command: ['cilium-dbg', 'build-config'], env: [fieldEnv('K8S_NODE_NAME', 'spec.nodeName'), fieldEnv('CILIUM_K8S_NAMESPACE', 'metadata.namespace'), ...apiEnv], volumeMounts: [{ mountPath: '/tmp', name: 'tmp' }] }),
      init('mount-cgroup', { command: ['sh', '-ec', 'cp /usr/bin/cilium-mount /hostbin/cilium-mount;\nnsenter --cgroup=/hostproc/1/ns/cgroup --mount=/hostproc/1/ns/mnt "${BIN_PATH}/cilium-mount" $CGROUP_ROOT;\nrm /hostbin/cilium-mount\n'], env: [{ name: 'CGROUP_ROOT', value: '/run/cilium/cgroupv2' }, { name: 'BIN_PATH', value: '/opt/cni/bin' }], securityContext: { capabilities: { add: ['SYS_ADMIN', 'SYS_CHROOT', 'SYS_PTRACE'], drop: ['ALL'] }, seLinuxOptions: { level: 's0', type: 'spc_t' } }, volumeMounts: [{ mountPath: '/hostproc', name: 'hostproc' }, { mountPath: '/hostbin', name: 'cni-path' }] }),
      init('apply-sysctl-overwrites', { command: ['sh', '-ec', 'cp /usr/bin/cilium-sysctlfix /hostbin/cilium-sysctlfix;\nnsenter --mount=/hostproc/1/ns/mnt "${BIN_PATH}/cilium-sysctlfix";\nrm /hostbin/cilium-sysctlfix\n'], env: [{ name: 'BIN_PATH', value: '/opt/cni/bin' }], securityContext: { capabilities: { add: ['SYS_ADMIN', 'SYS_CHROOT', 'SYS_PTRACE'], drop: ['ALL'] }, seLinuxOptions: { level: 's0', type: 'spc_t' } }, volumeMounts: [{ mountPath: '/hostproc', name: 'hostproc' }, { mountPath: '/hostbin', name: 'cni-path' }] }),
      init('mount-bpf-fs', { command: ['/bin/bash', '-c', '--'], args: ['mount | grep "/sys/fs/bpf type bpf" || mount -t bpf bpf /sys/fs/bpf'], securityContext: { privileged: true }, volumeMounts: [{ mountPath: '/sys/fs/bpf', mountPropagation: 'Bidirectional', name: 'bpf-maps' }] }),
      init('clean-cilium-state', { command: ['/init-container.sh'], env: [{ name: 'CILIUM_ALL_STATE', valueFrom: { configMapKeyRef: { key: 'clean-cilium-state', name: 'cilium-config', optional: true } } }, { name: 'CILIUM_BPF_STATE', valueFrom: { configMapKeyRef: { key: 'clean-cilium-bpf-state', name: 'cilium-config', optional: true } } }, { name: 'WRITE_CNI_CONF_WHEN_READY', valueFrom: { configMapKeyRef: { key: 'write-cni-conf-when-ready', name: 'cilium-config', optional: true } } }, ...apiEnv], securityContext: { capabilities: { add: ['NET_ADMIN', 'SYS_MODULE', 'SYS_ADMIN', 'SYS_RESOURCE'], drop: ['ALL'] }, seLinuxOptions: { level: 's0', type: 'spc_t' } }, volumeMounts: [{ mountPath: '/sys/fs/bpf', name: 'bpf-maps' }, { mountPath: '/run/cilium/cgroupv2', mountPropagation: 'HostToContainer', name: 'cilium-cgroup' }, { mountPath: '/var/run/cilium', name: 'cilium-run' }] }),
      init('install-cni-binaries', { command: ['/install-plugin.sh'], resources: { requests: { cpu: '100m', memory: '10Mi' } }, securityContext: { capabilities: { drop: ['ALL'] }, seLinuxOptions: { level: 's0', type: 'spc_t' } }, volumeMounts: [{ mountPath: '/host/opt/cni/bin', name: 'cni-path' }] }),
    ],
    containers: [{
      name: 'cilium-agent',
      image,
      command: ['cilium-agent'],
      args: ['--config-dir=/tmp/cilium/config-map'],
      env: [
        fieldEnv('K8S_NODE_NAME', 'spec.nodeName'),
        fieldEnv('CILIUM_K8S_NAMESPACE', 'metadata.namespace'),
        { name: 'CILIUM_CLUSTERMESH_CONFIG', value: '/var/lib/cilium/clustermesh/' },
        { name: 'GOMEMLIMIT', valueFrom: { resourceFieldRef: { divisor: '1', resource: 'limits.memory' } } },
        ...apiEnv,
      ],
      lifecycle: {
        postStart: { exec: { command: ['bash', '-c', 'set -o errexit\nset -o pipefail\nset -o nounset\n\n# When running in AWS ENI mode, it\'s likely that \'aws-node\' has\n# had a chance to install SNAT iptables rules. These can result\n# in dropped traffic, so we should attempt to remove them.\n# We do it using a \'postStart\' hook since this may need to run\n# for nodes which might have already been init\'ed but may still\n# have dangling rules. This is safe because there are no\n# dependencies on anything that is part of the startup script\n# itself, and can be safely run multiple times per node (e.g. in\n# case of a restart).\nif [[ "$(iptables-save | grep -E -c \'AWS-SNAT-CHAIN|AWS-CONNMARK-CHAIN\')" != "0" ]];\nthen\n    echo \'Deleting iptables rules created by the AWS CNI VPC plugin\'\n    iptables-save | grep -E -v \'AWS-SNAT-CHAIN|AWS-CONNMARK-CHAIN\' | iptables-restore\nfi\necho \'Done!\'\n'] } },
        preStop: { exec: { command: ['/cni-uninstall.sh'] } },
      },
      startupProbe: { failureThreshold: 105, httpGet: health, initialDelaySeconds: 5, periodSeconds: 2 },
      livenessProbe: { failureThreshold: 10, httpGet: { ...health, httpHeaders: [...health.httpHeaders, { name: 'require-k8s-connectivity', value: 'false' }] }, periodSeconds: 30, timeoutSeconds: 5 },
      readinessProbe: { failureThreshold: 3, httpGet: health, periodSeconds: 30, timeoutSeconds: 5 },
      securityContext: { capabilities: { add: ['CHOWN', 'KILL', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'SYS_MODULE', 'SYS_ADMIN', 'SYS_RESOURCE', 'DAC_OVERRIDE', 'FOWNER', 'SETGID', 'SETUID'], drop: ['ALL'] }, seLinuxOptions: { level: 's0', type: 'spc_t' } },
      terminationMessagePolicy: 'FallbackToLogsOnError',
      volumeMounts: [
        { mountPath: '/host/proc/sys/net', name: 'host-proc-sys-net' },
        { mountPath: '/host/proc/sys/kernel', name: 'host-proc-sys-kernel' },
        { mountPath: '/sys/fs/bpf', mountPropagation: 'HostToContainer', name: 'bpf-maps' },
        { mountPath: '/var/run/cilium', name: 'cilium-run' },
        { mountPath: '/var/run/cilium/netns', mountPropagation: 'HostToContainer', name: 'cilium-netns' },
        { mountPath: '/host/etc/cni/net.d', name: 'etc-cni-netd' },
        { mountPath: '/var/lib/cilium/clustermesh', name: 'clustermesh-secrets', readOnly: true },
        { mountPath: '/lib/modules', name: 'lib-modules', readOnly: true },
        { mountPath: '/run/xtables.lock', name: 'xtables-lock' },
        { mountPath: '/var/lib/cilium/tls/hubble', name: 'hubble-tls', readOnly: true },
        { mountPath: '/tmp', name: 'tmp' },
      ],
    }],
    volumes: [
      { emptyDir: {}, name: 'tmp' },
      hp('cilium-run', '/var/run/cilium', 'DirectoryOrCreate'),
      hp('cilium-netns', '/var/run/netns', 'DirectoryOrCreate'),
      hp('bpf-maps', '/sys/fs/bpf', 'DirectoryOrCreate'),
      hp('hostproc', '/proc', 'Directory'),
      hp('cilium-cgroup', '/run/cilium/cgroupv2', 'DirectoryOrCreate'),
      hp('cni-path', '/opt/cni/bin', 'DirectoryOrCreate'),
      hp('etc-cni-netd', '/etc/cni/net.d', 'DirectoryOrCreate'),
      hp('lib-modules', '/lib/modules'),
      hp('xtables-lock', '/run/xtables.lock', 'FileOrCreate'),
      { name: 'clustermesh-secrets', projected: { defaultMode: 256, sources: [{ secret: { name: 'cilium-clustermesh', optional: true } }, { secret: { items: [{ key: 'tls.key', path: 'common-etcd-client.key' }, { key: 'tls.crt', path: 'common-etcd-client.crt' }, { key: 'ca.crt', path: 'common-etcd-client-ca.crt' }], name: 'clustermesh-apiserver-remote-cert', optional: true } }] } },
      hp('host-proc-sys-net', '/proc/sys/net', 'Directory'),
      hp('host-proc-sys-kernel', '/proc/sys/kernel', 'Directory'),
      { name: 'hubble-tls', projected: { defaultMode: 256, sources: [{ secret: { items: [{ key: 'tls.crt', path: 'server.crt' }, { key: 'tls.key', path: 'server.key' }, { key: 'ca.crt', path: 'client-ca.crt' }], name: 'hubble-server-certs', optional: true } }] } },
    ],
  };
}

export function ciliumOperatorTemplate(o) {
  const fieldEnv = (name, fieldPath) => ({ name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } });
  const health = { host: '127.0.0.1', path: '/healthz', port: 9234, scheme: 'HTTP' };
  return {
    labels: { 'app.kubernetes.io/name': 'cilium-operator', 'app.kubernetes.io/part-of': 'cilium', 'io.cilium/app': 'operator', name: 'cilium-operator' },
    templateAnnotations: { 'prometheus.io/port': '9963', 'prometheus.io/scrape': 'true' },
    hostNetwork: true,
    priorityClassName: 'system-cluster-critical',
    serviceAccountName: 'cilium-operator',
    automountServiceAccountToken: true,
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { 'io.cilium/app': 'operator' } }, topologyKey: 'kubernetes.io/hostname' }] } },
    tolerations: o.tolerations,
    containers: [{
      name: 'cilium-operator',
      image: `quay.io/cilium/operator-generic:${o.version}`,
      command: ['cilium-operator-generic'],
      args: ['--config-dir=/tmp/cilium/config-map', '--debug=$(CILIUM_DEBUG)'],
      env: [
        fieldEnv('K8S_NODE_NAME', 'spec.nodeName'),
        fieldEnv('CILIUM_K8S_NAMESPACE', 'metadata.namespace'),
        { name: 'CILIUM_DEBUG', valueFrom: { configMapKeyRef: { key: 'debug', name: 'cilium-config', optional: true } } },
        { name: 'KUBERNETES_SERVICE_HOST', value: o.k8sServiceHost },
        { name: 'KUBERNETES_SERVICE_PORT', value: String(o.k8sServicePort) },
      ],
      ports: [{ containerPort: 9963, hostPort: 9963, name: 'prometheus' }],
      livenessProbe: { httpGet: health, initialDelaySeconds: 60, periodSeconds: 10, timeoutSeconds: 3 },
      readinessProbe: { failureThreshold: 5, httpGet: health, periodSeconds: 5, timeoutSeconds: 3 },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      terminationMessagePolicy: 'FallbackToLogsOnError',
      volumeMounts: [{ mountPath: '/tmp/cilium/config-map', name: 'cilium-config-path', readOnly: true }],
    }],
    volumes: [{ configMap: { defaultMode: 420, name: 'cilium-config' }, name: 'cilium-config-path' }],
  };
}

/** The cilium-config ConfigMap (the keys that matter plus enough of the rest to look like the chart's). */
export function ciliumConfig(c, o) {
  const m = helmMeta('cilium', 'kube-system');
  return configMap(c, {
    name: 'cilium-config',
    namespace: 'kube-system',
    created: o.created,
    labels: m.labels,
    annotations: m.annotations,
    data: {
      'agent-not-ready-taint-key': 'node.cilium.io/agent-not-ready',
      'arping-refresh-period': '30s',
      'auto-direct-node-routes': 'false',
      'bpf-lb-external-clusterip': 'false',
      'bpf-lb-map-max': '65536',
      'bpf-lb-sock': 'false',
      'bpf-map-dynamic-size-ratio': '0.0025',
      'bpf-policy-map-max': '16384',
      'bpf-root': '/sys/fs/bpf',
      'cgroup-root': '/run/cilium/cgroupv2',
      'cilium-endpoint-gc-interval': '5m0s',
      'cluster-id': '0',
      'cluster-name': 'default',
      'cluster-pool-ipv4-cidr': o.clusterPoolCIDR,
      'cluster-pool-ipv4-mask-size': '24',
      'cni-exclusive': 'true',
      'cni-log-file': '/var/run/cilium/cilium-cni.log',
      'custom-cni-conf': 'false',
      debug: 'false',
      'debug-verbose': '',
      'dnsproxy-enable-transparent-mode': 'true',
      'egress-gateway-reconciliation-trigger-interval': '1s',
      'enable-auto-protect-node-port-range': 'true',
      'enable-bpf-clock-probe': 'false',
      'enable-endpoint-health-checking': 'true',
      'enable-health-check-loadbalancer-ip': 'false',
      'enable-health-check-nodeport': 'true',
      'enable-health-checking': 'true',
      'enable-hubble': 'true',
      'enable-ipv4': 'true',
      'enable-ipv4-masquerade': 'true',
      'enable-ipv6': 'false',
      'enable-k8s-networkpolicy': 'true',
      'enable-l2-neigh-discovery': 'true',
      'enable-l7-proxy': 'true',
      'enable-local-redirect-policy': 'false',
      'enable-masquerade-to-route-source': 'false',
      'enable-metrics': 'true',
      'enable-policy': 'default',
      'enable-sctp': 'false',
      'enable-svc-source-range-check': 'true',
      'enable-vtep': 'false',
      'enable-well-known-identities': 'false',
      'enable-xt-socket-fallback': 'true',
      'external-envoy-proxy': 'true',
      'hubble-disable-tls': 'false',
      'hubble-listen-address': ':4244',
      'hubble-socket-path': '/var/run/cilium/hubble.sock',
      'identity-allocation-mode': 'crd',
      'identity-gc-interval': '15m0s',
      'identity-heartbeat-timeout': '30m0s',
      'install-no-conntrack-iptables-rules': 'false',
      ipam: 'cluster-pool',
      'ipam-cilium-node-update-rate': '15s',
      'k8s-client-burst': '20',
      'k8s-client-qps': '10',
      'k8s-require-ipv4-pod-cidr': 'false',
      'k8s-require-ipv6-pod-cidr': 'false',
      'k8s-service-host': o.k8sServiceHost,
      'k8s-service-port': String(o.k8sServicePort),
      'kube-proxy-replacement': o.kubeProxyReplacement ? 'true' : 'false',
      'kube-proxy-replacement-healthz-bind-address': '',
      'max-connected-clusters': '255',
      'monitor-aggregation': 'medium',
      'monitor-aggregation-flags': 'all',
      'monitor-aggregation-interval': '5s',
      'node-port-bind-protection': 'true',
      'nodes-gc-interval': '5m0s',
      'operator-api-serve-addr': '127.0.0.1:9234',
      'operator-prometheus-serve-addr': ':9963',
      'policy-cidr-match-mode': '',
      'preallocate-bpf-maps': 'false',
      'procfs': '/host/proc',
      'prometheus-serve-addr': ':9962',
      'proxy-connect-timeout': '2',
      'proxy-max-connection-duration-seconds': '0',
      'proxy-max-requests-per-connection': '0',
      'remove-cilium-node-taints': 'true',
      'routing-mode': 'tunnel',
      'service-no-backend-response': 'reject',
      'set-cilium-is-up-condition': 'true',
      'set-cilium-node-taints': 'true',
      'synchronize-k8s-nodes': 'true',
      'tofqdns-dns-reject-response-code': 'refused',
      'tofqdns-enable-dns-compression': 'true',
      'tofqdns-endpoint-max-ip-per-hostname': '50',
      'tofqdns-idle-connection-grace-period': '0s',
      'tofqdns-max-deferred-connection-deletes': '10000',
      'tofqdns-proxy-response-max-delay': '100ms',
      'tunnel-protocol': 'vxlan',
      'unmanaged-pod-watcher-interval': '15',
      'vtep-cidr': '',
      'vtep-endpoint': '',
      'vtep-mac': '',
      'vtep-mask': '',
      'write-cni-conf-when-ready': '/host/etc/cni/net.d/05-cilium.conflist',
    },
  });
}

/**
 * Cilium: ConfigMap, agent DaemonSet + pods, operator Deployment + RS + pods, hubble-peer Service.
 * o: { created, version, k8sServiceHost, k8sServicePort, kubeProxyReplacement, clusterPoolCIDR, dsHash, dsGeneration,
 *      agents: [podState & {node, suffix}], operator: { replicas, hash, pods: [podState], tolerations, progressing, ... } }
 */
export function cilium(c, o) {
  const m = helmMeta('cilium', 'kube-system');
  const agentT = ciliumAgentTemplate(o);
  const ds = daemonSetStack(c, {
    name: 'cilium',
    namespace: 'kube-system',
    created: o.created,
    labels: { ...m.labels, 'app.kubernetes.io/name': 'cilium-agent', 'app.kubernetes.io/part-of': 'cilium', 'k8s-app': 'cilium' },
    annotations: m.annotations,
    selector: { 'k8s-app': 'cilium' },
    t: agentT,
    hash: o.dsHash,
    generation: o.dsGeneration ?? 1,
    updateStrategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 2 }, type: 'RollingUpdate' },
    pods: o.agents,
  });
  const opT = ciliumOperatorTemplate({ ...o, tolerations: o.operator.tolerations });
  const op = deploymentStack(c, {
    name: 'cilium-operator',
    namespace: 'kube-system',
    created: o.created,
    labels: { ...m.labels, 'app.kubernetes.io/name': 'cilium-operator', 'app.kubernetes.io/part-of': 'cilium', 'io.cilium/app': 'operator', name: 'cilium-operator' },
    annotations: m.annotations,
    selector: { 'io.cilium/app': 'operator', name: 'cilium-operator' },
    t: opT,
    replicas: o.operator.replicas,
    hash: o.operator.hash,
    revision: o.operator.revision ?? 1,
    strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '50%' }, type: 'RollingUpdate' },
    availableSince: o.operator.availableSince,
    progressing: o.operator.progressing,
    pods: o.operator.pods,
  });
  const peer = service(c, {
    name: 'hubble-peer',
    namespace: 'kube-system',
    created: o.created,
    labels: { ...m.labels, 'app.kubernetes.io/name': 'hubble-peer', 'app.kubernetes.io/part-of': 'cilium', 'k8s-app': 'cilium' },
    annotations: m.annotations,
    clusterIP: o.hubblePeerIP,
    selector: { 'k8s-app': 'cilium' },
    ports: [{ name: 'peer-service', port: 443, targetPort: 4244 }],
  });
  const readyAgents = ds.pods.filter((p) => p.status.conditions?.find((x) => x.type === 'Ready')?.status === 'True');
  const notReadyAgents = ds.pods.filter((p) => !readyAgents.includes(p));
  const peerEp = endpoints(c, {
    name: 'hubble-peer',
    namespace: 'kube-system',
    created: o.created,
    labels: { ...m.labels, 'app.kubernetes.io/name': 'hubble-peer', 'app.kubernetes.io/part-of': 'cilium', 'k8s-app': 'cilium' },
    addresses: readyAgents.map((p) => ({ ip: p.status.podIP, nodeName: p.spec.nodeName, pod: p })),
    notReady: notReadyAgents.map((p) => ({ ip: p.status.podIP, nodeName: p.spec.nodeName, pod: p })),
    ports: [{ name: 'peer-service', port: 4244 }],
  });
  return {
    daemonSet: ds.daemonSet,
    agents: ds.pods,
    operator: op,
    all: [ciliumConfig(c, o), ...ds.all, ...op.all, peer, peerEp],
  };
}

// ---------------------------------------------------------------------------- generic controllers

/**
 * A controller-manager style Deployment (CAPI providers, CAAPH, cert-manager ...).
 * o: { name, namespace, created, image, args, labels, selector, hash, pods: [podState], ports, probes, helm, sa, extra }
 */
export function controllerDeployment(c, o) {
  const labels = o.podLabels ?? o.selector;
  const t = {
    labels,
    serviceAccountName: o.sa ?? o.name,
    priorityClassName: o.priorityClassName,
    terminationGracePeriodSeconds: 10,
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    tolerations: o.tolerations ?? [{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/master' }, TOLERATE.controlPlane],
    hostNetwork: o.hostNetwork,
    containers: [{
      name: o.container ?? 'manager',
      image: o.image,
      command: o.command ?? ['/manager'],
      args: o.args,
      env: o.env,
      ports: o.ports ?? [{ containerPort: 9443, name: 'webhook-server' }, { containerPort: 9440, name: 'healthz' }, { containerPort: 8443, name: 'metrics' }],
      livenessProbe: o.noProbes ? undefined : { httpGet: { path: '/healthz', port: 'healthz', scheme: 'HTTP' } },
      readinessProbe: o.noProbes ? undefined : { httpGet: { path: '/readyz', port: 'healthz', scheme: 'HTTP' } },
      resources: o.resources,
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, runAsGroup: 65532, runAsUser: 65532 },
      volumeMounts: o.webhook === false ? undefined : [{ mountPath: '/tmp/k8s-webhook-server/serving-certs', name: 'cert', readOnly: true }],
    }],
    volumes: o.webhook === false ? undefined : [{ name: 'cert', secret: { defaultMode: 420, secretName: o.certSecret ?? `${o.name.replace(/-controller-manager$/, '')}-webhook-service-cert` } }],
  };
  return deploymentStack(c, {
    name: o.name,
    namespace: o.namespace,
    created: o.created,
    labels: o.labels,
    annotations: o.annotations,
    selector: o.selector,
    t,
    replicas: o.pods.length,
    hash: o.hash,
    revision: o.revision,
    availableSince: o.availableSince,
    pods: o.pods,
  });
}

/** A simple ClusterIP service + endpoints pointing at the given ready pods. */
export function serviceFor(c, { name, namespace, created, labels, annotations, selector, clusterIP, ports, pods }) {
  const svc = service(c, { name, namespace, created, labels, annotations, selector, clusterIP, ports });
  const ready = (pods ?? []).filter((p) => p.status.conditions?.find((x) => x.type === 'Ready')?.status === 'True');
  const notReady = (pods ?? []).filter((p) => !ready.includes(p) && p.status.podIP);
  const ep = endpoints(c, {
    name,
    namespace,
    created,
    labels,
    addresses: ready.map((p) => ({ ip: p.status.podIP, nodeName: p.spec.nodeName, pod: p })),
    notReady: notReady.map((p) => ({ ip: p.status.podIP, nodeName: p.spec.nodeName, pod: p })),
    ports: ports.map((p) => ({ name: p.name, port: typeof p.targetPort === 'number' ? p.targetPort : p.port, protocol: p.protocol })),
  });
  return [svc, ep];
}

export { meta, ownerRef, suffix };

// ---------------------------------------------------------------------------- vSphere CCM

/** vsphere-cloud-controller-manager DaemonSet on the control plane nodes (+ its ConfigMap). o: { created, version, vcenter, datacenter, cps, hash, image } */
export function vsphereCCM(c, o) {
  const t = {
    labels: { 'k8s-app': 'vsphere-cloud-controller-manager' },
    hostNetwork: true,
    priorityClassName: 'system-node-critical',
    serviceAccountName: 'cloud-controller-manager',
    securityContext: { runAsUser: 1001 },
    nodeSelector: { 'node-role.kubernetes.io/control-plane': '' },
    tolerations: [
      { effect: 'NoSchedule', key: 'node.cloudprovider.kubernetes.io/uninitialized', operator: 'Equal', value: 'true' },
      TOLERATE.controlPlane,
      { effect: 'NoSchedule', key: 'node.kubernetes.io/not-ready', operator: 'Exists' },
    ],
    containers: [{
      name: 'vsphere-cloud-controller-manager',
      image: o.image ?? `registry.k8s.io/cloud-pv-vsphere/cloud-provider-vsphere:${o.version}`,
      args: ['--cloud-provider=vsphere', '--v=2', '--cloud-config=/etc/cloud/vsphere.conf'],
      resources: { requests: { cpu: '200m' } },
      volumeMounts: [{ mountPath: '/etc/cloud', name: 'vsphere-config-volume', readOnly: true }],
    }],
    volumes: [{ configMap: { defaultMode: 420, name: 'vsphere-cloud-config' }, name: 'vsphere-config-volume' }],
  };
  const stack = daemonSetStack(c, {
    name: 'vsphere-cloud-controller-manager',
    namespace: 'kube-system',
    created: o.created,
    labels: { component: 'cloud-controller-manager', tier: 'control-plane', 'k8s-app': 'vsphere-cloud-controller-manager' },
    selector: { 'k8s-app': 'vsphere-cloud-controller-manager' },
    t,
    hash: o.hash ?? '6b7f9c4d58',
    pods: o.cps.map((n, i) => ({ suffix: suffix(5, c.name, 'vccm', i), node: n, created: plus(n.registered, 2), startedAt: plus(n.registered, 3), readyAt: plus(n.registered, 9), ...allUp(t, plus(n.registered, 6)) })),
  });
  const cm = configMap(c, {
    name: 'vsphere-cloud-config',
    namespace: 'kube-system',
    created: o.created,
    data: { 'vsphere.conf': `global:\n  secretName: cloud-provider-vsphere-credentials\n  secretNamespace: kube-system\n  thumbprint: ""\n  insecureFlag: false\nvcenter:\n  ${o.vcenter}:\n    datacenters:\n    - ${o.datacenter}\n    server: ${o.vcenter}\n` },
  });
  return { ...stack, all: [...stack.all, cm] };
}

// ---------------------------------------------------------------------------- kube-proxy

/** kubeadm's kube-proxy DaemonSet and ConfigMap. o: { created, image, nodes, podCIDR, hash } */
export function kubeProxy(c, o) {
  const t = {
    labels: { 'k8s-app': 'kube-proxy' },
    hostNetwork: true,
    priorityClassName: 'system-node-critical',
    serviceAccountName: 'kube-proxy',
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    tolerations: [TOLERATE.all],
    containers: [{
      name: 'kube-proxy',
      image: o.image,
      command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'],
      env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }],
      securityContext: { privileged: true },
      volumeMounts: [{ mountPath: '/var/lib/kube-proxy', name: 'kube-proxy' }, { mountPath: '/run/xtables.lock', name: 'xtables-lock' }, { mountPath: '/lib/modules', name: 'lib-modules', readOnly: true }],
    }],
    volumes: [
      { configMap: { defaultMode: 420, name: 'kube-proxy' }, name: 'kube-proxy' },
      { hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' }, name: 'xtables-lock' },
      { hostPath: { path: '/lib/modules', type: '' }, name: 'lib-modules' },
    ],
  };
  const stack = daemonSetStack(c, {
    name: 'kube-proxy',
    namespace: 'kube-system',
    created: o.created,
    labels: { 'k8s-app': 'kube-proxy' },
    selector: { 'k8s-app': 'kube-proxy' },
    t,
    hash: o.hash ?? '6d4b9f85c7',
    updateStrategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 }, type: 'RollingUpdate' },
    pods: o.nodes.map((n, i) => ({ suffix: suffix(5, c.name, 'kube-proxy', i), node: n, created: plus(n.registered, 2), startedAt: plus(n.registered, 3), readyAt: plus(n.registered, 6), ...allUp(t, plus(n.registered, 4)) })),
  });
  const cm = configMap(c, {
    name: 'kube-proxy',
    namespace: 'kube-system',
    created: o.created,
    labels: { app: 'kube-proxy' },
    annotations: { 'kubeadm.kubernetes.io/component-config.hash': `sha256:${hex(64, 'kube-proxy-config', c.name)}` },
    data: {
      'config.conf': `apiVersion: kubeproxy.config.k8s.io/v1alpha1\nbindAddress: 0.0.0.0\nbindAddressHardFail: false\nclientConnection:\n  acceptContentTypes: ""\n  burst: 0\n  contentType: ""\n  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf\n  qps: 0\nclusterCIDR: ${o.podCIDR}\nconfigSyncPeriod: 0s\nconntrack:\n  maxPerCore: null\n  min: null\n  tcpBeLiberal: false\n  tcpCloseWaitTimeout: null\n  tcpEstablishedTimeout: null\n  udpStreamTimeout: 0s\n  udpTimeout: 0s\ndetectLocalMode: ""\nenableProfiling: false\nhealthzBindAddress: ""\nhostnameOverride: ""\niptables:\n  localhostNodePorts: null\n  masqueradeAll: false\n  masqueradeBit: null\n  minSyncPeriod: 0s\n  syncPeriod: 0s\nkind: KubeProxyConfiguration\nmetricsBindAddress: ""\nmode: ""\nnodePortAddresses: null\noomScoreAdj: null\nportRange: ""\nshowHiddenMetricsForVersion: ""\nwinkernel:\n  enableDSR: false\n  forwardHealthCheckVip: false\n  networkName: ""\n  rootHnsEndpointName: ""\n  sourceVip: ""`,
      'kubeconfig.conf': `apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt\n    server: https://${o.endpoint}\n  name: default\ncontexts:\n- context:\n    cluster: default\n    namespace: default\n    user: default\n  name: default\ncurrent-context: default\nusers:\n- name: default\n  user:\n    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token`,
    },
  });
  return { ...stack, all: [...stack.all, cm] };
}
