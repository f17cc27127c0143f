// edge-17 at 2025-11-03T08:15:00Z: healthy nodes and Calico; metrics-server's pods cannot pull their image.

import { ClusterData } from '../lib/bundle.mjs';
import { TAINT, job, jobPodTemplate, node, pod } from '../lib/k8s.mjs';
import { controllerEvent, kubeletEvent, scheduled } from '../lib/events.mjs';
import { metricsServerMeta, metricsServerTemplate } from '../lib/addons.mjs';
import { calico } from '../lib/calico.mjs';
import { coreDNS, deploymentStack, kubeadmConfigMaps, kubeProxy, kubernetesService, namespaces, serviceFor, staticControlPlane, vsphereCCM } from '../lib/platform.mjs';
import { fakeCertificate, int, plus, suffix } from '../lib/util.mjs';
import { K8S_VERSION, MS_IMAGE, POD_CIDR, PULL_ERROR, REGISTRY, SERVICE_CIDR, T, WL, WL_CREATED, WL_NODES, WL_NOW, WL_VIP } from './common.mjs';

export function buildWorkload() {
  const c = new ClusterData({ name: WL, epoch: '2025-10-22T06:12:00Z', now: WL_NOW, rvBase: 150, rvPerSecond: 0.9 });
  const [cp, w1, w2] = WL_NODES;
  for (const n of WL_NODES) {
    n.obj = node(c, {
      name: n.name,
      created: n.registered,
      ip: n.ip,
      controlPlane: n.controlPlane,
      kubeletVersion: K8S_VERSION,
      cpu: n.controlPlane ? 2 : 4,
      memoryKi: n.controlPlane ? 8131292 : 16253916,
      diskKi: 61611820,
      providerID: `vsphere://${n.vm}`,
      taints: n.controlPlane ? [TAINT.controlPlane] : undefined,
      labels: { 'node.kubernetes.io/instance-type': 'vsphere-vm.cpu-4.mem-16gb.os-ubuntu', 'topology.kubernetes.io/region': 'edge-eu', 'topology.kubernetes.io/zone': 'edge-17' },
      annotations: {
        'cluster.x-k8s.io/cluster-name': WL,
        'cluster.x-k8s.io/cluster-namespace': 'fleet-a',
        'cluster.x-k8s.io/machine': n.name,
        'cluster.x-k8s.io/owner-kind': n.controlPlane ? 'KubeadmControlPlane' : 'MachineSet',
        'cluster.x-k8s.io/owner-name': n.controlPlane ? 'edge-17-control-plane' : 'edge-17-md-0-wq5mt',
        'projectcalico.org/IPv4Address': `${n.ip}/24`,
        'projectcalico.org/IPv4VXLANTunnelAddr': `${n.podNet}.0`,
      },
      addresses: [{ address: n.ip, type: 'InternalIP' }, { address: n.ip, type: 'ExternalIP' }, { address: n.name, type: 'Hostname' }],
      heartbeat: plus(WL_NOW, -int(9, 260, 'hb', n.name)),
      readySince: plus(n.registered, 52),
      networkUnavailable: { status: 'False', reason: 'CalicoIsUp', message: 'Calico is running on this node', since: plus(n.registered, 48), heartbeat: plus(n.registered, 48) },
      osImage: 'Ubuntu 22.04.5 LTS',
      kernel: '5.15.0-124-generic',
      runtime: 'containerd://1.7.22',
      images: [`${REGISTRY}/calico/node:v3.29.1`, `${REGISTRY}/calico/cni:v3.29.1`, `${REGISTRY}/kube-proxy:${K8S_VERSION}`, `${REGISTRY}/pause:3.9`],
      systemUUID: n.vm,
    });
    c.add(n.obj);
  }
  c.add(namespaces(c, [
    { name: 'default', created: plus(WL_CREATED, 255) },
    { name: 'kube-node-lease', created: plus(WL_CREATED, 255) },
    { name: 'kube-public', created: plus(WL_CREATED, 255) },
    { name: 'kube-system', created: plus(WL_CREATED, 255) },
    { name: 'tigera-operator', created: '2025-10-22T06:15:10Z', labels: { name: 'tigera-operator' } },
    { name: 'calico-system', created: '2025-10-22T06:15:48Z', labels: { name: 'calico-system', 'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/enforce-version': 'latest' } },
  ]));

  // control plane, images mirrored into the internal registry (kubeadm imageRepository)
  const s = plus(cp.registered, -24);
  c.add(staticControlPlane(c, {
    node: cp,
    version: K8S_VERSION,
    etcdVersion: '3.5.15-0',
    podCIDR: POD_CIDR,
    serviceCIDR: SERVICE_CIDR,
    clusterName: WL,
    vip: WL_VIP,
    imageRepository: REGISTRY,
    kubeVipImage: `${REGISTRY}/kube-vip/kube-vip:v0.8.4`,
    startedAt: { etcd: s, 'kube-apiserver': plus(s, 1), 'kube-controller-manager': plus(s, 1), 'kube-scheduler': plus(s, 1), 'kube-vip': plus(s, -1) },
  }));
  c.add(kubernetesService(c, { created: plus(WL_CREATED, 256), clusterIP: '10.96.0.1', apiServers: [cp.ip] }));
  c.add(kubeadmConfigMaps(c, { created: plus(WL_CREATED, 258), clusterName: WL, endpointHost: WL_VIP, endpointPort: 6443, version: K8S_VERSION, podCIDR: POD_CIDR, serviceCIDR: SERVICE_CIDR, clusterDNS: '10.96.0.10', imageRepository: REGISTRY, caPem: fakeCertificate(WL, 'root-ca') }));
  c.add(kubeProxy(c, { created: plus(WL_CREATED, 259), image: `${REGISTRY}/kube-proxy:${K8S_VERSION}`, nodes: WL_NODES, podCIDR: POD_CIDR, endpoint: `${WL_VIP}:6443` }).all);
  c.add(coreDNS(c, {
    created: plus(WL_CREATED, 259),
    version: 'v1.11.3',
    image: `${REGISTRY}/coredns/coredns:v1.11.3`,
    clusterDNS: '10.96.0.10',
    hash: '55cb58b774',
    availableSince: '2025-10-22T06:19:12Z',
    pods: [w1, w2].map((n, i) => ({ suffix: suffix(5, WL, 'coredns', i), node: n, created: plus(WL_CREATED, 260), scheduledAt: plus(n.registered, 50), startedAt: plus(n.registered, 51), readyAt: plus(n.registered, 66 + i), containers: { coredns: { state: 'running', since: plus(n.registered, 55), ready: true, started: true } } })),
  }).all);
  c.add(vsphereCCM(c, { created: '2025-10-22T06:14:20Z', version: 'v1.30.1', image: `${REGISTRY}/cloud-pv-vsphere/cloud-provider-vsphere:v1.30.1`, vcenter: 'vcenter.internal.example', datacenter: 'EDGE-EU', cps: [cp] }).all);

  // Calico (healthy)
  c.add(calico(c, {
    created: '2025-10-22T06:15:10Z',
    registry: `${REGISTRY}/`,
    version: 'v3.29.1',
    operatorVersion: 'v1.36.2',
    podCIDR: POD_CIDR,
    nodes: WL_NODES,
    operatorNode: w1,
    kubeControllersNode: w2,
    typhaNode: w1,
    typhaIP: '10.107.44.193',
    helmSecrets: false,
  }).all);

  // metrics-server: Deployment + post-install hook Job, both stuck pulling the image
  const msMeta = metricsServerMeta();
  const msT = { ...metricsServerTemplate({ image: MS_IMAGE }), priorityClassName: 'system-cluster-critical' };
  const backoffMsg = `Back-off pulling image "${MS_IMAGE}"`;
  const ms = deploymentStack(c, {
    name: 'metrics-server',
    namespace: 'kube-system',
    created: T.podsCreated,
    labels: msMeta.labels,
    annotations: msMeta.annotations,
    selector: msT.labels,
    t: msT,
    replicas: 1,
    hash: '6f8d4b7c95',
    unavailableSince: T.podsCreated,
    progressing: { status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "metrics-server-6f8d4b7c95" has timed out progressing.', at: '2025-11-03T08:08:05Z' },
    pods: [{
      suffix: '9sxkv',
      node: w2,
      created: T.podsCreated,
      startedAt: T.podsCreated,
      notReadySince: T.podsCreated,
      phase: 'Pending',
      containers: { 'metrics-server': { state: 'waiting', reason: 'ImagePullBackOff', message: backoffMsg, ready: false, restartCount: 0, pulled: false } },
    }],
  });
  c.add(ms.all);
  c.add(serviceFor(c, { name: 'metrics-server', namespace: 'kube-system', created: T.podsCreated, labels: msMeta.labels, annotations: msMeta.annotations, selector: msT.labels, clusterIP: '10.101.76.158', ports: [{ name: 'https', port: 443, targetPort: 'https' }], pods: ms.pods }));

  const hookT = {
    labels: { 'app.kubernetes.io/instance': 'metrics-server', 'app.kubernetes.io/name': 'metrics-server-post-install-check' },
    serviceAccountName: 'metrics-server',
    restartPolicy: 'Never',
    containers: [{
      name: 'check',
      image: MS_IMAGE,
      command: ['/metrics-server'],
      args: ['--version'],
      resources: { limits: { cpu: '50m', memory: '64Mi' }, requests: { cpu: '50m', memory: '64Mi' } },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 1000 },
    }],
  };
  const hook = job(c, {
    name: 'metrics-server-post-install-check',
    namespace: 'kube-system',
    created: T.hookCreated,
    labels: { 'app.kubernetes.io/instance': 'metrics-server', 'app.kubernetes.io/managed-by': 'Helm', 'app.kubernetes.io/name': 'metrics-server-post-install-check', 'helm.sh/chart': 'metrics-server-3.12.2' },
    annotations: { 'helm.sh/hook': 'post-install', 'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded', 'helm.sh/hook-weight': '5', 'meta.helm.sh/release-name': 'metrics-server', 'meta.helm.sh/release-namespace': 'kube-system' },
    t: hookT,
    backoffLimit: 1,
    active: 1,
    ready: 0,
    startTime: T.hookCreated,
  });
  const hookPodName = `metrics-server-post-install-check-${suffix(5, WL, 'hook')}`;
  const hookPod = pod(c, {
    name: hookPodName,
    generateName: 'metrics-server-post-install-check-',
    namespace: 'kube-system',
    created: T.hookCreated,
    owner: hook,
    template: jobPodTemplate(hook),
    finalizers: ['batch.kubernetes.io/job-tracking'],
    node: w1.name,
    hostIP: w1.ip,
    podIP: '192.168.140.23',
    scheduledAt: T.hookCreated,
    startedAt: plus(T.hookCreated, 1),
    notReadySince: plus(T.hookCreated, 1),
    phase: 'Pending',
    containers: { check: { state: 'waiting', reason: 'ErrImagePull', message: PULL_ERROR, ready: false, restartCount: 0, pulled: false } },
  });
  c.add(hook, hookPod);

  // kubelet events for both pods
  const pullEvents = (p, container, { pulls, backoffs, lastPull, lastBackoff }) => [
    kubeletEvent(c, p, container, { reason: 'Pulling', message: `Pulling image "${MS_IMAGE}"`, first: plus(p.metadata.creationTimestamp, 1), last: lastPull, count: pulls }),
    kubeletEvent(c, p, container, { reason: 'Failed', type: 'Warning', message: `Failed to pull image "${MS_IMAGE}": ${PULL_ERROR}`, first: plus(p.metadata.creationTimestamp, 1), last: plus(lastPull, 0), count: pulls }),
    kubeletEvent(c, p, container, { reason: 'Failed', type: 'Warning', message: 'Error: ErrImagePull', first: plus(p.metadata.creationTimestamp, 1), last: plus(lastPull, 0), count: pulls }),
    kubeletEvent(c, p, container, { reason: 'BackOff', message: `Back-off pulling image "${MS_IMAGE}"`, first: plus(p.metadata.creationTimestamp, 2), last: lastBackoff, count: backoffs }),
    kubeletEvent(c, p, container, { reason: 'Failed', type: 'Warning', message: 'Error: ImagePullBackOff', first: plus(p.metadata.creationTimestamp, 2), last: lastBackoff, count: backoffs }),
  ];
  const msPod = ms.pods[0];
  c.add(pullEvents(msPod, 'metrics-server', { pulls: 8, backoffs: 71, lastPull: '2025-11-03T08:11:41Z', lastBackoff: '2025-11-03T08:14:52Z' }));
  c.add(pullEvents(hookPod, 'check', { pulls: 8, backoffs: 70, lastPull: '2025-11-03T08:14:58Z', lastBackoff: '2025-11-03T08:14:33Z' }));
  c.add(
    scheduled(c, msPod, { at: T.podsCreated, schedulerHost: cp.name }),
    scheduled(c, hookPod, { at: T.hookCreated, schedulerHost: cp.name }),
    controllerEvent(c, ms.replicaSet, 'replicaset-controller', { reason: 'SuccessfulCreate', message: `Created pod: ${msPod.metadata.name}`, first: T.podsCreated }),
    controllerEvent(c, ms.deployment, 'deployment-controller', { reason: 'ScalingReplicaSet', message: `Scaled up replica set ${ms.replicaSet.metadata.name} from 0 to 1`, first: T.podsCreated }),
    controllerEvent(c, hook, 'job-controller', { reason: 'SuccessfulCreate', message: `Created pod: ${hookPodName}`, first: T.hookCreated }),
  );

  // troubleshoot tries to collect logs of unhealthy pods; for these it only gets an error
  c.log('kube-system', msPod.metadata.name, 'metrics-server-logs-errors', `container "metrics-server" in pod "${msPod.metadata.name}" is waiting to start: trying and failing to pull image`);
  c.log('kube-system', hookPodName, 'check-logs-errors', `container "check" in pod "${hookPodName}" is waiting to start: trying and failing to pull image`);
  return c;
}
