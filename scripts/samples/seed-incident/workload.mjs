// The workload cluster dm-nkp-workload-1 at 2025-12-27T10:04:11Z.

import { ClusterData } from '../lib/bundle.mjs';
import { TAINT, TOLERATE, configMap, job, jobPodTemplate, node, pod, replicaSet, uidOf } from '../lib/k8s.mjs';
import { controllerEvent, failedScheduling, restartEvents } from '../lib/events.mjs';
import { ciliumAgentRun, klog, nutanixCCMRun } from '../lib/logs.mjs';
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
  backoffMessage,
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
import { fakeCertificate, int, plus, suffix } from '../lib/util.mjs';
import {
  API_PORT,
  CILIUM_VERSION,
  CLUSTER_DNS,
  KCP,
  K8S_VERSION,
  KUBERNETES_SVC_IP,
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

export const CCM_POD = 'nutanix-cloud-controller-manager-6d9f7c8b5-x2x4z';

const STARTUP_PROBE_FAILED = 'Startup probe failed: Get "http://127.0.0.1:9879/healthz": dial tcp 127.0.0.1:9879: connect: connection refused';

// kube-scheduler FailedScheduling messages, in the wordings different scheduler versions print.
export const MSG = {
  operator: '0/4 nodes are available: 1 node(s) didn\'t have free ports for the requested pod ports, 3 node(s) had untolerated taint {node.cluster.x-k8s.io/uninitialized: }. preemption: 0/4 nodes are available: 1 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling.',
  konnector: '0/4 nodes are available: 4 node(s) had untolerated taint(s). preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.',
  precheck: '0/4 nodes are available: 1 node(s) had untolerated taint {node.cloudprovider.kubernetes.io/uninitialized: true}, 3 node(s) had untolerated taint {node.cluster.x-k8s.io/uninitialized: }. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.',
  hubbleCerts: '0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) had untolerated taint {node.cluster.x-k8s.io/uninitialized: }. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.',
};

export function buildWorkload() {
  const c = new ClusterData({ name: WL, epoch: '2025-12-27T08:31:00Z', now: NOW, rvBase: 180, rvPerSecond: 3.1 });
  const [cp, w1, w2, w3] = WL_NODES;
  const sched = cp.name;

  // ------------------------------------------------------------------ nodes
  for (const n of WL_NODES) {
    const images = [
      `quay.io/cilium/cilium:${CILIUM_VERSION}`,
      'registry.k8s.io/pause:3.10',
      'docker.io/nutanix/ntnx-csi:3.3.4',
      'registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.12.0',
      'registry.k8s.io/sig-storage/livenessprobe:v2.14.0',
    ];
    if (n.controlPlane) {
      images.push(
        `registry.k8s.io/kube-apiserver:${K8S_VERSION}`,
        `registry.k8s.io/kube-controller-manager:${K8S_VERSION}`,
        `registry.k8s.io/kube-scheduler:${K8S_VERSION}`,
        'registry.k8s.io/etcd:3.5.16-0',
        'ghcr.io/kube-vip/kube-vip:v0.8.7',
        'registry.k8s.io/coredns/coredns:v1.11.3',
        `quay.io/cilium/operator-generic:${CILIUM_VERSION}`,
        'ghcr.io/nutanix-cloud-native/cloud-provider-nutanix/controller:v0.5.2',
        'registry.k8s.io/metrics-server/metrics-server:v0.7.2',
      );
    }
    n.obj = node(c, {
      name: n.name,
      created: n.registered,
      ip: n.ip,
      controlPlane: n.controlPlane,
      kubeletVersion: K8S_VERSION,
      cpu: n.controlPlane ? 4 : 8,
      memoryKi: n.controlPlane ? 16122780 : 32617380,
      // the control plane kubelet was started with --provider-id; the workers' were not and
      // the cloud controller manager never initialized any node
      providerID: n.controlPlane ? `nutanix://${n.vm}` : undefined,
      taints: n.controlPlane ? [TAINT.controlPlane, TAINT.cloudUninitialized] : [TAINT.capiUninitialized, TAINT.cloudUninitialized],
      annotations: {
        'alpha.kubernetes.io/provided-node-ip': n.ip,
        'csi.volume.kubernetes.io/nodeid': JSON.stringify({ 'csi.nutanix.com': n.name }),
        ...(n.controlPlane
          ? {
              'cluster.x-k8s.io/annotations-from-machine': '',
              'cluster.x-k8s.io/cluster-name': WL,
              'cluster.x-k8s.io/cluster-namespace': WS,
              'cluster.x-k8s.io/labels-from-machine': '',
              'cluster.x-k8s.io/machine': n.name,
              'cluster.x-k8s.io/owner-kind': 'KubeadmControlPlane',
              'cluster.x-k8s.io/owner-name': KCP,
            }
          : {}),
      },
      heartbeat: plus(NOW, -int(15, 280, 'hb', n.name)),
      readySince: n.ready,
      images,
      systemUUID: n.vm,
    });
    c.add(n.obj);
  }

  // ------------------------------------------------------------------ namespaces
  c.add(namespaces(c, [
    { name: 'default', created: '2025-12-27T08:33:05Z' },
    { name: 'kube-node-lease', created: '2025-12-27T08:33:05Z' },
    { name: 'kube-public', created: '2025-12-27T08:33:05Z' },
    { name: 'kube-system', created: '2025-12-27T08:33:05Z' },
    { name: 'ntnx-system', created: T.install.konnector, labels: {} },
  ]));

  // ------------------------------------------------------------------ control plane
  c.add(staticControlPlane(c, {
    node: cp,
    version: K8S_VERSION,
    etcdVersion: '3.5.16-0',
    podCIDR: POD_CIDR,
    serviceCIDR: SERVICE_CIDR,
    clusterName: WL,
    vip: VIP,
    startedAt: { etcd: '2025-12-27T08:32:58Z', 'kube-apiserver': '2025-12-27T08:32:59Z', 'kube-controller-manager': '2025-12-27T08:32:59Z', 'kube-scheduler': '2025-12-27T08:32:59Z', 'kube-vip': '2025-12-27T08:32:57Z' },
  }));
  c.add(kubernetesService(c, { created: '2025-12-27T08:33:06Z', clusterIP: KUBERNETES_SVC_IP, apiServers: [cp.ip] }));
  c.add(kubeadmConfigMaps(c, {
    created: '2025-12-27T08:33:08Z',
    clusterName: WL,
    endpointHost: VIP,
    endpointPort: API_PORT,
    version: K8S_VERSION,
    podCIDR: POD_CIDR,
    serviceCIDR: SERVICE_CIDR,
    clusterDNS: CLUSTER_DNS,
    caPem: fakeCertificate(WL, 'root-ca'),
  }));
  c.add(configMap(c, { name: 'kube-apiserver-legacy-service-account-token-tracking', namespace: 'kube-system', created: '2025-12-27T08:33:06Z', data: { since: '2025-12-27' } }));

  // ------------------------------------------------------------------ CoreDNS (kubeadm addon)
  const dnsT = (since) => ({ containers: { coredns: { state: 'running', since, ready: true, started: true } } });
  c.add(coreDNS(c, {
    created: '2025-12-27T08:33:09Z',
    version: 'v1.11.3',
    clusterDNS: CLUSTER_DNS,
    hash: '7c65d6cfc9',
    availableSince: '2025-12-27T08:35:02Z',
    extraTolerations: [TOLERATE.cloudUninitialized],
    pods: [
      { suffix: 'b5kxr', node: cp, created: '2025-12-27T08:33:21Z', startedAt: '2025-12-27T08:34:41Z', readyAt: '2025-12-27T08:34:58Z', podIP: '192.168.0.23', ...dnsT('2025-12-27T08:34:44Z') },
      { suffix: 'n7fq9', node: cp, created: '2025-12-27T08:33:21Z', startedAt: '2025-12-27T08:34:41Z', readyAt: '2025-12-27T08:35:02Z', podIP: '192.168.0.131', ...dnsT('2025-12-27T08:34:45Z') },
    ],
  }).all);

  // ------------------------------------------------------------------ Cilium
  const ciliumImage = `quay.io/cilium/cilium:${CILIUM_VERSION}`;
  const agentPod = (n, name, created, st) => ({ suffix: name.replace('cilium-', ''), node: n, created, startedAt: plus(created, 1), notReadySince: plus(created, 1), containers: { 'cilium-agent': st }, initContainers: undefined, initsAt: plus(created, 14) });
  const running = (since, restarts, last) => ({ state: 'running', since, ready: false, started: false, restartCount: restarts, last });
  const crash = (podName, restarts, last) => ({ state: 'waiting', reason: 'CrashLoopBackOff', message: backoffMessage(c, 'kube-system', podName, 'cilium-agent'), ready: false, restartCount: restarts, last });
  const agentsDesc = [
    { n: cp, name: 'cilium-8hj2v', created: '2025-12-27T08:34:16Z', restarts: 14, now: 'running', cur: '2025-12-27T10:01:48Z', last: { exitCode: 137, reason: 'Error', startedAt: '2025-12-27T09:53:13Z', finishedAt: '2025-12-27T09:56:48Z' }, unhealthy: 41, backoff: 306 },
    { n: w1, name: 'cilium-qz7lt', created: '2025-12-27T08:36:46Z', restarts: 13, now: 'running', cur: '2025-12-27T10:01:05Z', last: { exitCode: 137, reason: 'Error', startedAt: '2025-12-27T09:52:30Z', finishedAt: '2025-12-27T09:56:05Z' }, unhealthy: 38, backoff: 287 },
    { n: w2, name: 'cilium-4xk2p', created: '2025-12-27T08:37:00Z', restarts: 19, now: 'fatal', last: { exitCode: 1, reason: 'Error', startedAt: '2025-12-27T09:58:40Z', finishedAt: '2025-12-27T09:59:46Z' }, unhealthy: 36, backoff: 411 },
    { n: w3, name: 'cilium-m9csd', created: '2025-12-27T08:37:14Z', restarts: 15, now: 'probe-killed', last: { exitCode: 137, reason: 'Error', startedAt: '2025-12-27T09:59:02Z', finishedAt: '2025-12-27T10:02:37Z' }, unhealthy: 44, backoff: 329 },
  ];
  const agentTemplateForInit = { initContainers: ['config', 'mount-cgroup', 'apply-sysctl-overwrites', 'mount-bpf-fs', 'clean-cilium-state', 'install-cni-binaries'].map((name) => ({ name })) };
  const agents = agentsDesc.map((a) => {
    const st = a.now === 'running' ? running(a.cur, a.restarts, a.last) : crash(a.name, a.restarts, a.last);
    const p = agentPod(a.n, a.name, a.created, st);
    p.initContainers = initsDone(agentTemplateForInit, plus(a.created, 14));
    p.initializedAt = plus(a.created, 14);
    p.sandboxReadyAt = plus(a.created, 2);
    return p;
  });
  const opT = [TOLERATE.controlPlane, { effect: 'NoSchedule', key: 'node.cloudprovider.kubernetes.io/uninitialized', operator: 'Exists' }, TOLERATE.criticalAddonsOnly];
  const ci = cilium(c, {
    created: T.install.cilium,
    version: CILIUM_VERSION,
    k8sServiceHost: VIP,
    k8sServicePort: API_PORT,
    kubeProxyReplacement: true,
    clusterPoolCIDR: POD_CIDR,
    hubblePeerIP: '10.104.187.36',
    dsHash: '5d8b9f7c44',
    dsGeneration: 1,
    agents,
    operator: {
      replicas: 2,
      hash: '6c4f9c8d5b',
      tolerations: opT,
      availableSince: '2025-12-27T08:34:33Z',
      progressing: { status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "cilium-operator-6c4f9c8d5b" has timed out progressing.', at: '2025-12-27T08:44:14Z' },
      pods: [
        { suffix: 'kq8wd', node: cp, created: '2025-12-27T08:34:14Z', startedAt: '2025-12-27T08:34:14Z', readyAt: '2025-12-27T08:34:33Z', containers: { 'cilium-operator': { state: 'running', since: '2025-12-27T08:34:19Z', ready: true, started: true } } },
        { suffix: 'x5jrn', created: '2025-12-27T08:34:14Z', unschedulable: { since: '2025-12-27T08:34:14Z', message: MSG.operator } },
      ],
    },
  });
  c.add(ci.all);
  agentsDesc.forEach((a, i) => {
    const p = ci.agents[i];
    const firstStart = plus(a.created, 16);
    const lastStart = a.now === 'running' ? a.cur : a.last.startedAt;
    const unhealthyLast = a.now === 'running' ? plus(NOW, -(3 + i)) : plus(a.last.finishedAt, -2);
    c.add(restartEvents(c, p, 'cilium-agent', ciliumImage, {
      restarts: a.restarts,
      firstStart,
      lastStart,
      unhealthy: { message: STARTUP_PROBE_FAILED, first: plus(a.created, 23), last: unhealthyLast, count: a.unhealthy },
      killing: a.now === 'fatal' ? undefined : { message: 'Container cilium-agent failed startup probe, will be restarted', first: plus(a.created, 232), last: a.last.finishedAt, count: a.restarts },
      backoff: { first: plus(a.created, 290), last: a.now === 'running' ? plus(a.cur, -2) : plus(NOW, -(2 + i)), count: a.backoff },
    }));
  });
  // operator pod that cannot be scheduled
  const opPending = ci.operator.pods[1];
  c.add(failedScheduling(c, opPending, { message: MSG.operator, first: '2025-12-27T08:37:14Z', last: '2025-12-27T10:02:51Z', count: 31, schedulerHost: sched }));

  // cilium-agent logs: current + previous for every pod
  const runOf = (a, start, end, until) => ciliumAgentRun({ start, node: a.n.name, nodeIP: a.n.ip, version: CILIUM_VERSION, apiHost: VIP, apiPort: API_PORT, kpr: true, end, until });
  for (const a of agentsDesc) {
    const prevEnd = a.last.exitCode === 1 ? 'fatal' : 'sigterm';
    const prev = runOf(a, plus(a.last.startedAt, 1), prevEnd, plus(a.last.finishedAt, a.last.exitCode === 1 ? 0 : -1));
    c.log('kube-system', a.name, 'cilium-agent', prev, { previous: true });
    if (a.now === 'running') c.log('kube-system', a.name, 'cilium-agent', runOf(a, plus(a.cur, 1), 'running', plus(NOW, -1)));
    else c.log('kube-system', a.name, 'cilium-agent', prev); // kubectl logs of a crash-looping container shows the last terminated instance
  }

  // hubble-generate-certs: the post-install/post-upgrade hook cilium 1.17 runs when hubble.tls.auto.method=cronJob
  const hubbleJobT = {
    labels: { 'k8s-app': 'hubble-generate-certs', 'app.kubernetes.io/name': 'hubble-generate-certs', 'app.kubernetes.io/part-of': 'cilium' },
    serviceAccountName: 'hubble-generate-certs',
    automountServiceAccountToken: true,
    restartPolicy: 'OnFailure',
    containers: [{
      name: 'certgen',
      image: 'quay.io/cilium/certgen:v0.2.1',
      command: ['/usr/bin/cilium-certgen'],
      args: ['--ca-generate', '--ca-reuse-secret', '--ca-secret-namespace=kube-system', '--ca-secret-name=cilium-ca', '--ca-common-name=Cilium CA', '--hubble-server-cert-generate', '--hubble-server-cert-common-name=*.default.hubble-grpc.cilium.io', '--hubble-server-cert-validity-duration=31536000s', '--hubble-server-cert-secret-name=hubble-server-certs'],
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      terminationMessagePolicy: 'FallbackToLogsOnError',
    }],
  };
  // revision 5's hook job was deleted (hook-delete-policy before-hook-creation) when revision 6
  // re-created it at 09:56:05; the events about revision 5's pod are still there.
  const oldHubblePod = `hubble-generate-certs-${suffix(5, WL, 'hubble-generate-certs', 5)}`;
  const hubbleJob = job(c, {
    name: 'hubble-generate-certs',
    namespace: 'kube-system',
    created: '2025-12-27T09:56:05Z',
    labels: { 'k8s-app': 'hubble-generate-certs', 'app.kubernetes.io/name': 'hubble-generate-certs', 'app.kubernetes.io/part-of': 'cilium' },
    annotations: { 'helm.sh/hook': 'post-install,post-upgrade', 'helm.sh/hook-delete-policy': 'before-hook-creation', 'meta.helm.sh/release-name': 'cilium', 'meta.helm.sh/release-namespace': 'kube-system' },
    t: hubbleJobT,
    backoffLimit: 6,
    ttlSecondsAfterFinished: 1800,
    active: 1,
    ready: 0,
    startTime: '2025-12-27T09:56:05Z',
  });
  const hubblePod = pod(c, {
    name: `hubble-generate-certs-${suffix(5, WL, 'hubble-generate-certs', 6)}`,
    generateName: 'hubble-generate-certs-',
    namespace: 'kube-system',
    created: '2025-12-27T09:56:05Z',
    owner: hubbleJob,
    template: jobPodTemplate(hubbleJob),
    finalizers: ['batch.kubernetes.io/job-tracking'],
    unschedulable: { since: '2025-12-27T09:56:05Z', message: MSG.hubbleCerts },
  });
  c.add(hubbleJob, hubblePod);
  const goneHubblePod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: oldHubblePod, namespace: 'kube-system', uid: uidOf(c, 'Pod', 'kube-system', oldHubblePod) } };
  const goneHubbleJob = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'hubble-generate-certs', namespace: 'kube-system', uid: uidOf(c, 'Job', 'kube-system', 'hubble-generate-certs#5') } };
  c.add(
    controllerEvent(c, goneHubbleJob, 'job-controller', { reason: 'SuccessfulCreate', message: `Created pod: ${oldHubblePod}`, first: '2025-12-27T09:41:03Z' }),
    failedScheduling(c, goneHubblePod, { message: MSG.hubbleCerts, first: '2025-12-27T09:41:03Z', last: '2025-12-27T09:51:09Z', count: 4, schedulerHost: sched }),
    controllerEvent(c, hubbleJob, 'job-controller', { reason: 'SuccessfulCreate', message: `Created pod: ${hubblePod.metadata.name}`, first: '2025-12-27T09:56:05Z' }),
    failedScheduling(c, hubblePod, { message: MSG.hubbleCerts, first: '2025-12-27T09:56:05Z', last: '2025-12-27T10:01:17Z', count: 3, schedulerHost: sched }),
  );

  c.add(helmHistory(c, 'cilium', 'kube-system', [
    { version: 1, status: 'superseded', at: T.install.cilium, modified: T.ciliumUpgrades[0] },
    { version: 2, status: 'superseded', at: T.ciliumUpgrades[0], modified: T.ciliumUpgrades[1] },
    { version: 3, status: 'superseded', at: T.ciliumUpgrades[1], modified: T.ciliumUpgrades[2] },
    { version: 4, status: 'deployed', at: T.ciliumUpgrades[2], modified: plus(T.ciliumUpgrades[2], 4) },
    { version: 5, status: 'failed', at: T.upgradeStart.cilium, modified: T.upgradeFailed.cilium },
    { version: 6, status: 'pending-upgrade', at: T.ciliumRetry },
  ]));

  // ------------------------------------------------------------------ Nutanix cloud controller manager
  const ccm = nutanixCCMMeta('0.5.2');
  const ccmT = nutanixCCMTemplate('v0.5.2');
  const ccmStack = deploymentStack(c, {
    name: 'nutanix-cloud-controller-manager',
    namespace: 'kube-system',
    created: T.install.ccm,
    labels: { ...ccm.labels, 'k8s-app': 'nutanix-cloud-controller-manager' },
    annotations: ccm.annotations,
    selector: { 'k8s-app': 'nutanix-cloud-controller-manager' },
    t: ccmT,
    replicas: 1,
    hash: '6d9f7c8b5',
    strategy: { type: 'Recreate' },
    unavailableSince: T.install.ccm,
    progressing: { status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "nutanix-cloud-controller-manager-6d9f7c8b5" has timed out progressing.', at: '2025-12-27T08:44:16Z' },
    pods: [{
      suffix: 'x2x4z',
      node: cp,
      created: '2025-12-27T08:34:16Z',
      startedAt: '2025-12-27T08:34:41Z',
      podIP: '192.168.0.87',
      notReadySince: '2025-12-27T08:35:47Z',
      containers: {
        'nutanix-cloud-controller-manager': {
          state: 'waiting',
          reason: 'CrashLoopBackOff',
          message: backoffMessage(c, 'kube-system', CCM_POD, 'nutanix-cloud-controller-manager'),
          ready: false,
          restartCount: 18,
          last: { exitCode: 255, reason: 'Error', startedAt: '2025-12-27T10:00:51Z', finishedAt: '2025-12-27T10:01:52Z' },
        },
      },
    }],
  });
  c.add(ccmStack.all);
  const ccmPod = ccmStack.pods[0];
  c.add(restartEvents(c, ccmPod, 'nutanix-cloud-controller-manager', ccmT.containers[0].image, {
    restarts: 18,
    firstStart: '2025-12-27T08:34:44Z',
    lastStart: '2025-12-27T10:00:51Z',
    backoff: { first: '2025-12-27T08:35:47Z', last: plus(NOW, -4), count: 397 },
  }));
  c.add(nutanixCCMConfig(c, { created: T.install.ccm, prismCentral: PRISM_CENTRAL, meta: ccm }));
  const ccmRun = nutanixCCMRun({ start: '2025-12-27T10:00:51Z', apiVIP: KUBERNETES_SVC_IP, version: 'v0.5.2', micro: 600000 });
  ccmRun.push(klog('E', '2025-12-27T10:01:52Z', 118204, 'leaderelection.go:336', `error initially creating leader election record: Post "https://${KUBERNETES_SVC_IP}:443/apis/coordination.k8s.io/v1/namespaces/kube-system/leases": dial tcp ${KUBERNETES_SVC_IP}:443: i/o timeout`));
  ccmRun.push(klog('F', '2025-12-27T10:01:52Z', 118631, 'nutanix_manager.go:96', `failed to initialize cloud provider "nutanix": failed to read Prism Central credentials from secret kube-system/nutanix-ccm-credentials: Get "https://${KUBERNETES_SVC_IP}:443/api/v1/namespaces/kube-system/secrets/nutanix-ccm-credentials": dial tcp ${KUBERNETES_SVC_IP}:443: i/o timeout`));
  c.log('kube-system', CCM_POD, 'nutanix-cloud-controller-manager', ccmRun, { previous: true });
  c.log('kube-system', CCM_POD, 'nutanix-cloud-controller-manager', ccmRun);
  c.add(helmHistory(c, 'nutanix-ccm', 'kube-system', [{ version: 1, status: 'deployed', at: T.install.ccm, modified: plus(T.install.ccm, 2) }]));

  // ------------------------------------------------------------------ metrics-server (healthy addon)
  const ms = metricsServerMeta();
  const msT = metricsServerTemplate({ tolerations: [TOLERATE.controlPlane, { effect: 'NoSchedule', key: 'node.cloudprovider.kubernetes.io/uninitialized', operator: 'Exists' }] });
  const msStack = deploymentStack(c, {
    name: 'metrics-server',
    namespace: 'kube-system',
    created: T.install.metrics,
    labels: ms.labels,
    annotations: ms.annotations,
    selector: { 'app.kubernetes.io/instance': 'metrics-server', 'app.kubernetes.io/name': 'metrics-server' },
    t: msT,
    replicas: 1,
    hash: '5f9f776df5',
    availableSince: '2025-12-27T08:35:31Z',
    pods: [{ suffix: 'gv8rw', node: cp, created: '2025-12-27T08:34:26Z', startedAt: '2025-12-27T08:34:41Z', readyAt: '2025-12-27T08:35:31Z', podIP: '192.168.0.204', ...allUp(msT, '2025-12-27T08:34:47Z') }],
  });
  c.add(msStack.all);
  c.add(serviceFor(c, { name: 'metrics-server', namespace: 'kube-system', created: T.install.metrics, labels: ms.labels, annotations: ms.annotations, selector: msT.labels, clusterIP: '10.101.212.9', ports: [{ name: 'https', port: 443, targetPort: 10250 }], pods: msStack.pods }));
  c.add(helmHistory(c, 'metrics-server', 'kube-system', [{ version: 1, status: 'deployed', at: T.install.metrics, modified: plus(T.install.metrics, 2) }]));

  // ------------------------------------------------------------------ ntnx-system: CSI (revision 1 running, revision 2 pre-upgrade hook stuck)
  const csiV1 = csiMeta('3.3.4');
  const csiNodeT = csiNodeTemplate('3.3.4');
  const csiNodeCreated = (n) => (n.controlPlane ? '2025-12-27T08:34:23Z' : plus(n.registered, 2));
  c.add(daemonSetStack(c, {
    name: 'nutanix-csi-node',
    namespace: 'ntnx-system',
    created: T.install.csi,
    labels: csiV1.labels,
    annotations: csiV1.annotations,
    selector: { app: 'nutanix-csi-node' },
    t: csiNodeT,
    hash: '7f6d5c8b9d',
    pods: WL_NODES.map((n, i) => ({ suffix: suffix(5, WL, 'csi-node', i), node: n, created: csiNodeCreated(n), startedAt: plus(csiNodeCreated(n), 1), readyAt: plus(csiNodeCreated(n), 28), ...allUp(csiNodeT, plus(csiNodeCreated(n), 9)) })),
  }).all);
  const csiCtrlT = csiControllerTemplate('3.3.4');
  c.add(deploymentStack(c, {
    name: 'nutanix-csi-controller',
    namespace: 'ntnx-system',
    created: T.install.csi,
    labels: csiV1.labels,
    annotations: csiV1.annotations,
    selector: { app: 'nutanix-csi-controller' },
    t: csiCtrlT,
    replicas: 1,
    hash: '84c5d9f6b7',
    availableSince: '2025-12-27T08:37:52Z',
    pods: [{ suffix: 'hf2qb', node: w1, created: '2025-12-27T08:34:23Z', scheduledAt: '2025-12-27T08:36:45Z', startedAt: '2025-12-27T08:36:46Z', readyAt: '2025-12-27T08:37:52Z', ...allUp(csiCtrlT, '2025-12-27T08:37:05Z') }],
  }).all);

  const precheckT = {
    labels: { 'app.kubernetes.io/instance': 'nutanix-csi-storage', 'app.kubernetes.io/name': 'nutanix-csi-precheck' },
    serviceAccountName: 'nutanix-csi-precheck',
    restartPolicy: 'Never',
    tolerations: [TOLERATE.controlPlane],
    containers: [{
      name: 'ntnx-csi-precheck',
      image: 'docker.io/nutanix/ntnx-csi-precheck:3.3.5',
      args: ['--namespace=ntnx-system', '--prism-secret=ntnx-secret', '--storage-class-check=true'],
      resources: { limits: { cpu: '100m', memory: '128Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
    }],
  };
  const precheck = job(c, {
    name: 'nutanix-csi-precheck-job',
    namespace: 'ntnx-system',
    created: '2025-12-27T09:41:05Z',
    labels: { 'app.kubernetes.io/instance': 'nutanix-csi-storage', 'app.kubernetes.io/managed-by': 'Helm', 'app.kubernetes.io/name': 'nutanix-csi-precheck', 'helm.sh/chart': 'nutanix-csi-storage-3.3.5' },
    annotations: { 'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded', 'helm.sh/hook-weight': '-5', 'meta.helm.sh/release-name': 'nutanix-csi-storage', 'meta.helm.sh/release-namespace': 'ntnx-system' },
    t: precheckT,
    backoffLimit: 0,
    active: 1,
    ready: 0,
    startTime: '2025-12-27T09:41:05Z',
  });
  const precheckPod = pod(c, {
    name: `nutanix-csi-precheck-job-${suffix(5, WL, 'precheck')}`,
    generateName: 'nutanix-csi-precheck-job-',
    namespace: 'ntnx-system',
    created: '2025-12-27T09:41:05Z',
    owner: precheck,
    template: jobPodTemplate(precheck),
    finalizers: ['batch.kubernetes.io/job-tracking'],
    unschedulable: { since: '2025-12-27T09:41:05Z', message: MSG.precheck },
  });
  c.add(precheck, precheckPod);
  c.add(controllerEvent(c, precheck, 'job-controller', { reason: 'SuccessfulCreate', message: `Created pod: ${precheckPod.metadata.name}`, first: '2025-12-27T09:41:05Z' }));
  c.add(failedScheduling(c, precheckPod, { message: MSG.precheck, first: '2025-12-27T09:41:05Z', last: '2025-12-27T10:01:19Z', count: 7, schedulerHost: sched }));
  c.add(helmHistory(c, 'nutanix-csi-storage', 'ntnx-system', [
    { version: 1, status: 'deployed', at: T.install.csi, modified: plus(T.install.csi, 3) },
    { version: 2, status: 'failed', at: T.upgradeStart.csi, modified: T.upgradeFailed.csi },
  ]));

  // ------------------------------------------------------------------ ntnx-system: konnector-agent (revision 2 rolled out, post-upgrade hook stuck)
  const kaMeta = konnectorMeta('1.3.1');
  const kaT = konnectorTemplate({ cluster: WL, prismCentral: PRISM_CENTRAL, version: '1.3.1', checksum: 'b2f9d0c4a7e3f1b85d6c2e9a0f4b7d3c1e8a5f6b9c2d7e0a3f4b1c8d5e2a9f6' });
  const ka = deploymentStack(c, {
    name: 'konnector-agent',
    namespace: 'ntnx-system',
    created: T.install.konnector,
    labels: kaMeta.labels,
    annotations: kaMeta.annotations,
    selector: { 'app.kubernetes.io/instance': 'konnector-agent', 'app.kubernetes.io/name': 'konnector-agent' },
    t: kaT,
    replicas: 1,
    revision: 2,
    hash: '66d8f7b9c5',
    rsCreated: '2025-12-27T09:41:04Z',
    unavailableSince: T.install.konnector,
    progressing: { status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "konnector-agent-66d8f7b9c5" has timed out progressing.', at: '2025-12-27T09:51:04Z' },
    pods: [{ suffix: 'r8mzt', created: '2025-12-27T09:41:04Z', unschedulable: { since: '2025-12-27T09:41:04Z', message: MSG.konnector } }],
  });
  // revision 1's ReplicaSet, scaled to 0 when revision 2 rolled out (its pod was never available)
  const kaOldT = { ...kaT, templateAnnotations: { 'checksum/config': '4c1e7a9d2b6f0e3a8c5d1f7b9e2a4c6d8f0b3e5a7c9d1f2e4b6a8c0d3f5e7a9' }, containers: [{ ...kaT.containers[0], image: 'docker.io/nutanix/konnector-agent:v1.3.0' }] };
  const kaOld = replicaSet(c, { name: 'konnector-agent-7b5c9d4f8', hash: '7b5c9d4f8', deployment: ka.deployment, created: T.install.konnector, replicas: 0, ready: 0, available: 0, revision: 1, generation: 2, t: kaOldT });
  c.add(ka.all, kaOld);
  const kaPod = ka.pods[0];
  c.add(
    controllerEvent(c, ka.deployment, 'deployment-controller', { reason: 'ScalingReplicaSet', message: 'Scaled up replica set konnector-agent-66d8f7b9c5 from 0 to 1', first: '2025-12-27T09:41:04Z' }),
    controllerEvent(c, ka.deployment, 'deployment-controller', { reason: 'ScalingReplicaSet', message: 'Scaled down replica set konnector-agent-7b5c9d4f8 from 1 to 0', first: '2025-12-27T09:41:04Z' }),
    controllerEvent(c, ka.replicaSet, 'replicaset-controller', { reason: 'SuccessfulCreate', message: `Created pod: ${kaPod.metadata.name}`, first: '2025-12-27T09:41:04Z' }),
    controllerEvent(c, kaOld, 'replicaset-controller', { reason: 'SuccessfulDelete', message: `Deleted pod: konnector-agent-7b5c9d4f8-${suffix(5, WL, 'ka-old')}`, first: '2025-12-27T09:41:04Z' }),
    failedScheduling(c, kaPod, { message: MSG.konnector, first: '2025-12-27T09:41:04Z', last: '2025-12-27T10:01:16Z', count: 8, schedulerHost: sched }),
  );
  const kaHookT = {
    labels: { 'app.kubernetes.io/instance': 'konnector-agent', 'app.kubernetes.io/name': 'konnector-agent-post-upgrade' },
    serviceAccountName: 'konnector-agent',
    restartPolicy: 'Never',
    containers: [{
      name: 'post-upgrade',
      image: 'docker.io/nutanix/konnector-agent:v1.3.1',
      command: ['/konnector', 'register', '--wait-for-agent', '--timeout=9m'],
      env: [{ name: 'CLUSTER_NAME', value: WL }, { name: 'PC_ENDPOINT', value: PRISM_CENTRAL }],
      resources: { limits: { cpu: '100m', memory: '128Mi' }, requests: { cpu: '50m', memory: '64Mi' } },
    }],
  };
  const kaHook = job(c, {
    name: 'konnector-agent-post-upgrade',
    namespace: 'ntnx-system',
    created: '2025-12-27T09:41:05Z',
    labels: { 'app.kubernetes.io/instance': 'konnector-agent', 'app.kubernetes.io/managed-by': 'Helm', 'app.kubernetes.io/name': 'konnector-agent-post-upgrade', 'helm.sh/chart': 'konnector-agent-1.3.1' },
    annotations: { 'helm.sh/hook': 'post-upgrade', 'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded', 'helm.sh/hook-weight': '1', 'meta.helm.sh/release-name': 'konnector-agent', 'meta.helm.sh/release-namespace': 'ntnx-system' },
    t: kaHookT,
    backoffLimit: 2,
    active: 1,
    ready: 0,
    startTime: '2025-12-27T09:41:05Z',
  });
  const kaHookPod = pod(c, {
    name: `konnector-agent-post-upgrade-${suffix(5, WL, 'ka-hook')}`,
    generateName: 'konnector-agent-post-upgrade-',
    namespace: 'ntnx-system',
    created: '2025-12-27T09:41:05Z',
    owner: kaHook,
    template: jobPodTemplate(kaHook),
    finalizers: ['batch.kubernetes.io/job-tracking'],
    unschedulable: { since: '2025-12-27T09:41:05Z', message: MSG.konnector },
  });
  c.add(kaHook, kaHookPod);
  c.add(controllerEvent(c, kaHook, 'job-controller', { reason: 'SuccessfulCreate', message: `Created pod: ${kaHookPod.metadata.name}`, first: '2025-12-27T09:41:05Z' }));
  c.add(failedScheduling(c, kaHookPod, { message: MSG.konnector, first: '2025-12-27T09:41:05Z', last: '2025-12-27T10:01:16Z', count: 8, schedulerHost: sched }));
  c.add(konnectorConfig(c, { cluster: WL, prismCentral: PRISM_CENTRAL, created: T.install.konnector, meta: kaMeta }));
  c.add(helmHistory(c, 'konnector-agent', 'ntnx-system', [
    { version: 1, status: 'deployed', at: T.install.konnector, modified: plus(T.install.konnector, 2) },
    { version: 2, status: 'failed', at: T.upgradeStart.konnector, modified: T.upgradeFailed.konnector },
  ]));

  return c;
}
