// A healthy Cluster API management cluster: kubeadm control plane, Cilium, CoreDNS, a cloud
// controller manager, cert-manager and the CAPI / infrastructure / CAAPH (/ CAREN) controllers.

import { nutanixCCMMeta, nutanixCCMTemplate } from './addons.mjs';
import { TOLERATE, replicaSet as rsBuilder } from './k8s.mjs';
import { controllerEvent, kubeletEvent, scheduled } from './events.mjs';
import {
  allUp,
  cilium,
  controllerDeployment,
  coreDNS,
  deploymentStack,
  helmHistory,
  helmMeta,
  initsDone,
  kubeadmConfigMaps,
  kubernetesService,
  namespaces,
  serviceFor,
  staticControlPlane,
  vsphereCCM,
} from './platform.mjs';
import { fakeCertificate, int, ms, plus, suffix } from './util.mjs';

/**
 * o: { nodes, now, vip, clusterName, version, podCIDR, serviceCIDR, extraNamespaces, infra ('nutanix'|'vsphere'),
 *      ciliumVersion, caaphVersion, caaphImage, capiVersion, caren: { restart } | undefined, carenRestart, ccm ('nutanix'|'vsphere') }
 */
export function mgmtPlatform(c, o) {
  const infra = o.infra ?? 'nutanix';
  const ciliumVersion = o.ciliumVersion ?? 'v1.17.4';
  const capiVersion = o.capiVersion ?? 'v1.9.4';
  const caaphVersion = o.caaphVersion ?? 'v0.3.1';
  const nodes = o.nodes;
  const cps = nodes.filter((n) => n.controlPlane);
  const workers = nodes.filter((n) => !n.controlPlane);
  const born = nodes.map((n) => n.registered).sort()[0];
  const caren = o.carenRestart !== undefined;
  const infraNs = infra === 'nutanix' ? 'capx-system' : 'capv-system';
  const all = [];

  const nsList = [
    { name: 'default', created: plus(born, -190) },
    { name: 'kube-node-lease', created: plus(born, -190) },
    { name: 'kube-public', created: plus(born, -190) },
    { name: 'kube-system', created: plus(born, -190) },
    { name: 'cert-manager', created: plus(born, 480) },
    { name: 'capi-system', created: plus(born, 540), labels: { 'cluster.x-k8s.io/provider': 'cluster-api', 'clusterctl.cluster.x-k8s.io': '' } },
    { name: 'capi-kubeadm-bootstrap-system', created: plus(born, 541), labels: { 'cluster.x-k8s.io/provider': 'bootstrap-kubeadm', 'clusterctl.cluster.x-k8s.io': '' } },
    { name: 'capi-kubeadm-control-plane-system', created: plus(born, 541), labels: { 'cluster.x-k8s.io/provider': 'control-plane-kubeadm', 'clusterctl.cluster.x-k8s.io': '' } },
    { name: infraNs, created: plus(born, 542), labels: { 'cluster.x-k8s.io/provider': `infrastructure-${infra}`, 'clusterctl.cluster.x-k8s.io': '' } },
    { name: 'caaph-system', created: plus(born, 543), labels: { 'cluster.x-k8s.io/provider': 'addon-helm', 'clusterctl.cluster.x-k8s.io': '' } },
    ...(caren ? [{ name: 'caren-system', created: plus(born, 544), labels: { 'cluster.x-k8s.io/provider': 'runtime-extension-caren', 'clusterctl.cluster.x-k8s.io': '' } }] : []),
    ...(o.extraNamespaces ?? []),
  ];
  all.push(...namespaces(c, nsList));

  // ------------------------------------------------------------------ control plane
  for (const n of cps) {
    const s = plus(n.registered, -22);
    all.push(...staticControlPlane(c, {
      node: n,
      version: o.version,
      etcdVersion: '3.5.16-0',
      podCIDR: o.podCIDR,
      serviceCIDR: o.serviceCIDR,
      clusterName: o.clusterName,
      vip: o.vip,
      startedAt: { etcd: s, 'kube-apiserver': plus(s, 1), 'kube-controller-manager': plus(s, 1), 'kube-scheduler': plus(s, 1), 'kube-vip': plus(s, -1) },
      restarts: n === cps[0] ? { 'kube-controller-manager': 1, 'kube-scheduler': 1 } : {},
    }));
  }
  all.push(...kubernetesService(c, { created: plus(born, -189), clusterIP: '10.96.0.1', apiServers: cps.map((n) => n.ip) }));
  all.push(...kubeadmConfigMaps(c, { created: plus(born, -188), clusterName: o.clusterName, endpointHost: o.vip, endpointPort: 6443, version: o.version, podCIDR: o.podCIDR, serviceCIDR: o.serviceCIDR, clusterDNS: '10.96.0.10', caPem: fakeCertificate(c.name, 'root-ca') }));

  // ------------------------------------------------------------------ CoreDNS, Cilium
  const up = (t, since, ready) => ({ startedAt: plus(since, -3), readyAt: ready ?? plus(since, 12), ...allUp(t, since) });
  const dnsPods = [workers[0] ?? cps[0], workers[1] ?? cps[1] ?? cps[0]].map((n, i) => ({
    suffix: suffix(5, c.name, 'coredns', i),
    node: n,
    created: plus(born, 300 + i),
    startedAt: plus(born, 330),
    readyAt: plus(born, 352 + i),
    containers: { coredns: { state: 'running', since: plus(born, 336 + i), ready: true, started: true } },
  }));
  all.push(...coreDNS(c, { created: plus(born, -187), version: 'v1.11.3', clusterDNS: '10.96.0.10', hash: '7c65d6cfc9', availableSince: plus(born, 353), pods: dnsPods }).all);

  const agentInit = { initContainers: ['config', 'mount-cgroup', 'apply-sysctl-overwrites', 'mount-bpf-fs', 'clean-cilium-state', 'install-cni-binaries'].map((name) => ({ name })) };
  const agents = nodes.map((n, i) => {
    const created = plus(n.registered, 3);
    const restarts = i === 1 ? 1 : 0;
    return {
      suffix: suffix(5, c.name, 'cilium', i),
      node: n,
      created,
      startedAt: plus(created, 1),
      initializedAt: plus(created, 14),
      readyAt: plus(created, 38),
      initContainers: initsDone(agentInit, plus(created, 14)),
      containers: {
        'cilium-agent': {
          state: 'running',
          since: restarts ? plus(created, 16 + 86400 * 11) : plus(created, 16),
          ready: true,
          started: true,
          restartCount: restarts,
          last: restarts ? { exitCode: 1, reason: 'Error', startedAt: plus(created, 16), finishedAt: plus(created, 86400 * 11) } : undefined,
        },
      },
    };
  });
  const ci = cilium(c, {
    created: plus(born, -120),
    version: ciliumVersion,
    k8sServiceHost: o.vip,
    k8sServicePort: 6443,
    kubeProxyReplacement: true,
    clusterPoolCIDR: o.podCIDR,
    hubblePeerIP: `10.${96 + int(0, 15, c.name, 'hp')}.${int(0, 255, c.name, 'hp2')}.${int(2, 254, c.name, 'hp3')}`,
    dsHash: '7b6c9d8f54',
    agents,
    operator: {
      replicas: 2,
      hash: '5c7f8d6b9c',
      tolerations: [TOLERATE.all],
      availableSince: plus(born, 40),
      pods: cps.slice(0, 2).map((n, i) => ({ suffix: suffix(5, c.name, 'op', i), node: n, created: plus(born, -118), startedAt: plus(n.registered, 1), readyAt: plus(n.registered, 25), containers: { 'cilium-operator': { state: 'running', since: plus(n.registered, 4), ready: true, started: true } } })),
    },
  });
  all.push(...ci.all);
  all.push(...helmHistory(c, 'cilium', 'kube-system', [{ version: 1, status: 'deployed', at: plus(born, -120), modified: plus(born, -116) }]));

  // ------------------------------------------------------------------ cloud controller manager
  if ((o.ccm ?? infra) === 'nutanix') {
    const ccm = nutanixCCMMeta('0.5.2');
    const t = nutanixCCMTemplate('v0.5.2');
    all.push(...deploymentStack(c, {
      name: 'nutanix-cloud-controller-manager',
      namespace: 'kube-system',
      created: plus(born, -110),
      labels: { ...ccm.labels, 'k8s-app': 'nutanix-cloud-controller-manager' },
      annotations: ccm.annotations,
      selector: { 'k8s-app': 'nutanix-cloud-controller-manager' },
      t,
      replicas: 1,
      hash: '59d4c7b8f6',
      strategy: { type: 'Recreate' },
      availableSince: plus(born, 60),
      pods: [{ suffix: suffix(5, c.name, 'ccm'), node: cps[0], created: plus(born, -110), ...up(t, plus(born, 45), plus(born, 60)) }],
    }).all);
    all.push(...helmHistory(c, 'nutanix-ccm', 'kube-system', [{ version: 1, status: 'deployed', at: plus(born, -110), modified: plus(born, -108) }]));
  }

  if ((o.ccm ?? infra) === 'vsphere') {
    all.push(...vsphereCCM(c, { created: plus(born, -110), version: 'v1.31.1', vcenter: o.vcenter ?? 'vcenter.internal.example', datacenter: o.datacenter ?? 'DC1', cps }).all);
  }

  // ------------------------------------------------------------------ cert-manager
  const cmMeta = helmMeta('cert-manager', 'cert-manager', { 'app.kubernetes.io/instance': 'cert-manager', 'app.kubernetes.io/version': 'v1.16.2', 'helm.sh/chart': 'cert-manager-v1.16.2' });
  const cmStart = plus(born, 485);
  const workerAt = (i) => workers[i % workers.length] ?? cps[i % cps.length];
  let caaphPod;
  const deployments = [
    { ns: 'cert-manager', name: 'cert-manager', image: 'quay.io/jetstack/cert-manager-controller:v1.16.2', app: 'cert-manager', component: 'controller', hash: '7d8f5b9c6d', ports: [{ containerPort: 9402, name: 'http-metrics' }, { containerPort: 9403, name: 'http-healthz' }], args: ['--v=2', '--cluster-resource-namespace=$(POD_NAMESPACE)', '--leader-election-namespace=kube-system', '--acme-http01-solver-image=quay.io/jetstack/cert-manager-acmesolver:v1.16.2', '--max-concurrent-challenges=60'], helm: cmMeta, webhook: false, noProbes: true, command: null, start: cmStart },
    { ns: 'cert-manager', name: 'cert-manager-cainjector', image: 'quay.io/jetstack/cert-manager-cainjector:v1.16.2', app: 'cainjector', component: 'cainjector', hash: '5c9b7f6d84', ports: [{ containerPort: 9402, name: 'http-metrics' }], args: ['--v=2', '--leader-election-namespace=kube-system'], helm: cmMeta, webhook: false, noProbes: true, command: null, start: cmStart },
    { ns: 'cert-manager', name: 'cert-manager-webhook', image: 'quay.io/jetstack/cert-manager-webhook:v1.16.2', app: 'webhook', component: 'webhook', hash: '6b8d5c7f9b', ports: [{ containerPort: 10250, name: 'https' }, { containerPort: 6080, name: 'healthcheck' }], args: ['--v=2', '--secure-port=10250', '--dynamic-serving-ca-secret-namespace=$(POD_NAMESPACE)', '--dynamic-serving-ca-secret-name=cert-manager-webhook-ca', '--dynamic-serving-dns-names=cert-manager-webhook,cert-manager-webhook.$(POD_NAMESPACE),cert-manager-webhook.$(POD_NAMESPACE).svc'], helm: cmMeta, webhook: false, noProbes: true, command: null, start: cmStart },
    { ns: 'capi-system', name: 'capi-controller-manager', image: `registry.k8s.io/cluster-api/cluster-api-controller:${capiVersion}`, provider: 'cluster-api', hash: '6f9c8b7d5d', args: ['--leader-elect', '--diagnostics-address=:8443', '--insecure-diagnostics=false', '--feature-gates=MachinePool=true,ClusterResourceSet=true,ClusterTopology=true,RuntimeSDK=true,MachineSetPreflightChecks=true,MachineWaitForVolumeDetachConsiderVolumeAttachments=true'], start: plus(born, 545) },
    { ns: 'capi-kubeadm-bootstrap-system', name: 'capi-kubeadm-bootstrap-controller-manager', image: `registry.k8s.io/cluster-api/kubeadm-bootstrap-controller:${capiVersion}`, provider: 'bootstrap-kubeadm', hash: '7c5f6d9b8c', args: ['--leader-elect', '--diagnostics-address=:8443', '--insecure-diagnostics=false', '--feature-gates=MachinePool=true,KubeadmBootstrapFormatIgnition=false', '--bootstrap-token-ttl=15m'], start: plus(born, 546) },
    { ns: 'capi-kubeadm-control-plane-system', name: 'capi-kubeadm-control-plane-controller-manager', image: `registry.k8s.io/cluster-api/kubeadm-control-plane-controller:${capiVersion}`, provider: 'control-plane-kubeadm', hash: '85c9d7f6b4', args: ['--leader-elect', '--diagnostics-address=:8443', '--insecure-diagnostics=false', '--feature-gates=ClusterTopology=true,KubeadmBootstrapFormatIgnition=false'], start: plus(born, 546) },
    infra === 'nutanix'
      ? { ns: 'capx-system', name: 'capx-controller-manager', image: 'ghcr.io/nutanix-cloud-native/cluster-api-provider-nutanix/controller:v1.5.3', provider: 'infrastructure-nutanix', hash: '5f7b9c8d6f', args: ['--leader-elect', '--diagnostics-address=:8443', '--insecure-diagnostics=false', '--max-concurrent-reconciles=10'], start: plus(born, 547) }
      : { ns: 'capv-system', name: 'capv-controller-manager', image: 'registry.k8s.io/cluster-api-vsphere/cluster-api-vsphere-controller:v1.12.0', provider: 'infrastructure-vsphere', hash: '6d8c5f7b9d', args: ['--leader-elect', '--diagnostics-address=:8443', '--insecure-diagnostics=false', '--v=4'], start: plus(born, 547) },
    { ns: 'caaph-system', name: 'caaph-controller-manager', image: o.caaphImage ?? `registry.k8s.io/cluster-api-helm/cluster-api-helm-controller:${caaphVersion}`, provider: 'addon-helm', hash: '7f4d9b6c58', args: ['--leader-elect', '--diagnostics-address=:8443', '--insecure-diagnostics=false', '--v=0'], start: o.caaphStart ?? plus(born, 1025), caaph: true },
  ];
  deployments.forEach((d, i) => {
    const labels = d.provider
      ? { 'cluster.x-k8s.io/provider': d.provider, 'control-plane': 'controller-manager' }
      : { app: d.app, 'app.kubernetes.io/component': d.component, 'app.kubernetes.io/instance': 'cert-manager', 'app.kubernetes.io/name': d.app };
    const node = workerAt(i);
    const stack = controllerDeployment(c, {
      name: d.name,
      namespace: d.ns,
      created: plus(d.start, -2),
      image: d.image,
      args: d.args,
      command: d.command === null ? undefined : d.command,
      labels: d.helm ? { ...d.helm.labels, ...labels } : labels,
      annotations: d.helm?.annotations,
      selector: labels,
      hash: d.hash,
      webhook: d.webhook,
      noProbes: d.noProbes,
      ports: d.ports,
      env: d.helm ? [{ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } }] : undefined,
      sa: d.provider ? 'manager' : d.name,
      availableSince: plus(d.start, 21),
      pods: [{ suffix: suffix(5, c.name, d.name), node, created: plus(d.start, -1), startedAt: d.start, readyAt: plus(d.start, 21), ...allUp({ containers: [{ name: 'manager' }] }, plus(d.start, 3)) }],
    });
    all.push(...stack.all);
    if (d.caaph) caaphPod = stack.pods[0];
    if (d.provider) {
      const prefix = d.name.replace(/-controller-manager$/, '');
      all.push(...serviceFor(c, { name: `${prefix}-webhook-service`, namespace: d.ns, created: plus(d.start, -2), labels: { 'cluster.x-k8s.io/provider': d.provider }, selector: labels, clusterIP: `10.${96 + int(0, 15, c.name, d.name)}.${int(0, 255, c.name, d.name, 2)}.${int(2, 254, c.name, d.name, 3)}`, ports: [{ port: 443, targetPort: 'webhook-server' }], pods: stack.pods }));
    }
  });
  all.push(...helmHistory(c, 'cert-manager', 'cert-manager', [{ version: 1, status: 'deployed', at: plus(born, 482), modified: plus(born, 486) }]));

  // ------------------------------------------------------------------ CAREN (NKP's cluster-api-runtime-extensions-nutanix)
  if (caren) {
    const restart = o.carenRestart;
    const m = helmMeta('cluster-api-runtime-extensions-nutanix', 'caren-system', { 'app.kubernetes.io/instance': 'cluster-api-runtime-extensions-nutanix', 'app.kubernetes.io/name': 'cluster-api-runtime-extensions-nutanix', 'app.kubernetes.io/version': 'v0.17.2', 'helm.sh/chart': 'cluster-api-runtime-extensions-nutanix-v0.17.2', 'cluster.x-k8s.io/provider': 'runtime-extension-caren' });
    const selector = { 'app.kubernetes.io/instance': 'cluster-api-runtime-extensions-nutanix', 'app.kubernetes.io/name': 'cluster-api-runtime-extensions-nutanix' };
    const tFor = (v) => ({
      labels: selector,
      serviceAccountName: 'cluster-api-runtime-extensions-nutanix',
      priorityClassName: 'system-cluster-critical',
      securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: 'manager',
        image: `ghcr.io/nutanix-cloud-native/cluster-api-runtime-extensions-nutanix:${v}`,
        args: ['--webhook-cert-dir=/runtimehooks-certs/', '--admission-webhook-cert-dir=/admission-certs/', '--helm-addons-configmap=default-helm-addons-config', '--cni.cilium.helm-addon.default-values-template-configmap-name=default-cilium-cni-helm-values-template', '--nutanix.ccm.helm-addon.default-values-template-configmap-name=default-nutanix-ccm-helm-values-template', '--csi.nutanix.helm-addon.default-values-template-configmap-name=default-nutanix-csi-helm-values-template', '--v=2'],
        env: [{ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } }],
        ports: [{ containerPort: 9443, name: 'webhook' }, { containerPort: 9444, name: 'admission' }, { containerPort: 8080, name: 'metrics' }, { containerPort: 8081, name: 'probes' }],
        livenessProbe: { httpGet: { path: '/healthz', port: 'probes', scheme: 'HTTP' } },
        readinessProbe: { httpGet: { path: '/readyz', port: 'probes', scheme: 'HTTP' } },
        resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        volumeMounts: [{ mountPath: '/runtimehooks-certs/', name: 'runtimehooks-cert', readOnly: true }, { mountPath: '/admission-certs/', name: 'admission-cert', readOnly: true }],
      }],
      volumes: [{ name: 'runtimehooks-cert', secret: { defaultMode: 420, secretName: 'cluster-api-runtime-extensions-nutanix-runtimehooks-tls' } }, { name: 'admission-cert', secret: { defaultMode: 420, secretName: 'cluster-api-runtime-extensions-nutanix-admission-tls' } }],
    });
    const node = workers[0] ?? cps[0];
    const stack = deploymentStack(c, {
      name: 'cluster-api-runtime-extensions-nutanix',
      namespace: 'caren-system',
      created: plus(born, 550),
      labels: m.labels,
      annotations: m.annotations,
      selector,
      t: tFor('v0.17.2'),
      replicas: 1,
      revision: 2,
      hash: '7bd5c94f6f',
      rsCreated: plus(restart, -3),
      availableSince: plus(restart, 14),
      progressing: { status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "cluster-api-runtime-extensions-nutanix-7bd5c94f6f" has successfully progressed.', at: plus(born, 560), updated: plus(restart, 14) },
      pods: [{ suffix: 'v4x8p', node, created: plus(restart, -3), startedAt: plus(restart, -2), readyAt: plus(restart, 14), ...allUp(tFor('v0.17.2'), restart) }],
    });
    const { replicaSet } = stack;
    all.push(...stack.all);
    const oldRs = replicaSetLike(c, stack, tFor('v0.17.1'), '5f8c6d79b8', plus(born, 550));
    all.push(oldRs);
    const p = stack.pods[0];
    const recent = ms(o.now) - ms(restart) < 3600 * 1000; // events live for an hour
    const oldPod = `cluster-api-runtime-extensions-nutanix-5f8c6d79b8-${suffix(5, c.name, 'caren-old')}`;
    if (recent) all.push(
      controllerEvent(c, stack.deployment, 'deployment-controller', { reason: 'ScalingReplicaSet', message: `Scaled up replica set ${replicaSet.metadata.name} from 0 to 1`, first: plus(restart, -3) }),
      controllerEvent(c, stack.deployment, 'deployment-controller', { reason: 'ScalingReplicaSet', message: `Scaled down replica set ${oldRs.metadata.name} from 1 to 0`, first: plus(restart, 15) }),
      controllerEvent(c, replicaSet, 'replicaset-controller', { reason: 'SuccessfulCreate', message: `Created pod: ${p.metadata.name}`, first: plus(restart, -3) }),
      controllerEvent(c, oldRs, 'replicaset-controller', { reason: 'SuccessfulDelete', message: `Deleted pod: ${oldPod}`, first: plus(restart, 15) }),
      scheduled(c, p, { at: plus(restart, -3), schedulerHost: cps[0].name }),
      kubeletEvent(c, p, 'manager', { reason: 'Pulling', message: 'Pulling image "ghcr.io/nutanix-cloud-native/cluster-api-runtime-extensions-nutanix:v0.17.2"', first: plus(restart, -2) }),
      kubeletEvent(c, p, 'manager', { reason: 'Pulled', message: 'Successfully pulled image "ghcr.io/nutanix-cloud-native/cluster-api-runtime-extensions-nutanix:v0.17.2" in 1.873s (1.873s including waiting). Image size: 41093122 bytes.', first: plus(restart, 0) }),
      kubeletEvent(c, p, 'manager', { reason: 'Created', message: 'Created container manager', first: plus(restart, 0) }),
      kubeletEvent(c, p, 'manager', { reason: 'Started', message: 'Started container manager', first: plus(restart, 0) }),
    );
    all.push(...helmHistory(c, 'cluster-api-runtime-extensions-nutanix', 'caren-system', [
      { version: 1, status: 'superseded', at: plus(born, 550), modified: plus(restart, -4) },
      { version: 2, status: 'deployed', at: plus(restart, -4), modified: plus(restart, 16) },
    ]));
  }

  return { all, caaphPod };
}

function replicaSetLike(c, stack, t, hash, created) {
  return rsBuilder(c, { name: `${stack.deployment.metadata.name}-${hash}`, hash, deployment: stack.deployment, created, replicas: 0, ready: 0, available: 0, revision: 1, generation: 2, t });
}
