// Calico installed by the Tigera operator (Helm release "calico" in tigera-operator):
// operator Deployment, calico-system workloads owned by the Installation, and the operator's
// custom resources (Installation, TigeraStatus) plus the default IPPool.

import { TOLERATE, meta, ownerRef } from './k8s.mjs';
import { allUp, daemonSetStack, deploymentStack, helmHistory, helmMeta, initsDone, serviceFor } from './platform.mjs';
import { plus, suffix } from './util.mjs';

/**
 * o: { created, registry ('registry.internal.example:5000/'), version ('v3.29.1'), operatorVersion, podCIDR,
 *      nodes (descs with podNet), workers, kubeControllersNode, typhaNode, operatorNode, ready (all ready when true) }
 */
export function calico(c, o) {
  const reg = o.registry ?? 'quay.io/';
  const img = (name) => `${reg}calico/${name}:${o.version}`;
  const m = helmMeta('calico', 'tigera-operator', { 'app.kubernetes.io/instance': 'calico', 'helm.sh/chart': `tigera-operator-${o.version}` });
  const all = [];

  // Installation "default" (cluster-scoped); calico-system workloads are owned by it
  const installation = {
    apiVersion: 'operator.tigera.io/v1',
    kind: 'Installation',
    metadata: meta(c, 'Installation', { name: 'default', created: plus(o.created, 2), labels: m.labels, annotations: m.annotations, finalizers: ['tigera.io/operator-cleanup'], generation: 2 }),
    spec: {
      calicoNetwork: {
        bgp: 'Enabled',
        hostPorts: 'Enabled',
        ipPools: [{ allowedUses: ['Workload', 'Tunnel'], blockSize: 26, cidr: o.podCIDR, disableBGPExport: false, encapsulation: 'VXLANCrossSubnet', name: 'default-ipv4-ippool', natOutgoing: 'Enabled', nodeSelector: 'all()' }],
        linuxDataplane: 'Iptables',
        linuxPolicySetupTimeoutSeconds: 0,
        multiInterfaceMode: 'None',
        nodeAddressAutodetectionV4: { firstFound: true },
        windowsDataplane: 'Disabled',
      },
      cni: { ipam: { type: 'Calico' }, type: 'Calico' },
      controlPlaneReplicas: 2,
      flexVolumePath: '/usr/libexec/kubernetes/kubelet-plugins/volume/exec/',
      imagePullSecrets: [],
      kubeletVolumePluginPath: '/var/lib/kubelet',
      kubernetesProvider: '',
      logging: { cni: { logFileMaxAgeDays: 30, logFileMaxCount: 10, logFileMaxSize: '100Mi', logSeverity: 'Info' } },
      nodeUpdateStrategy: { rollingUpdate: { maxUnavailable: 1 }, type: 'RollingUpdate' },
      nonPrivileged: 'Disabled',
      registry: reg,
      variant: 'Calico',
    },
    status: {
      calicoVersion: o.version,
      conditions: [
        { lastTransitionTime: plus(o.created, 180), message: 'All Objects Available', observedGeneration: 2, reason: 'AllObjectsAvailable', status: 'False', type: 'Degraded' },
        { lastTransitionTime: plus(o.created, 180), message: 'All Objects Available', observedGeneration: 2, reason: 'AllObjectsAvailable', status: 'True', type: 'Ready' },
        { lastTransitionTime: plus(o.created, 180), message: 'All Objects Available', observedGeneration: 2, reason: 'AllObjectsAvailable', status: 'False', type: 'Progressing' },
      ],
      mtu: 1450,
      variant: 'Calico',
    },
  };
  all.push(installation);
  for (const name of ['calico', 'ippools']) {
    all.push({
      apiVersion: 'operator.tigera.io/v1',
      kind: 'TigeraStatus',
      metadata: meta(c, 'TigeraStatus', { name, created: plus(o.created, 3), generation: 1 }),
      spec: {},
      status: {
        conditions: [
          { lastTransitionTime: plus(o.created, 180), message: 'All Objects Available', observedGeneration: 2, reason: 'AllObjectsAvailable', status: 'True', type: 'Available' },
          { lastTransitionTime: plus(o.created, 180), message: 'All Objects Available', observedGeneration: 2, reason: 'AllObjectsAvailable', status: 'False', type: 'Progressing' },
          { lastTransitionTime: plus(o.created, 180), message: 'All Objects Available', observedGeneration: 2, reason: 'AllObjectsAvailable', status: 'False', type: 'Degraded' },
        ],
      },
    });
  }
  all.push({
    apiVersion: 'crd.projectcalico.org/v1',
    kind: 'IPPool',
    metadata: meta(c, 'IPPool', { name: 'default-ipv4-ippool', created: plus(o.created, 95), generation: 1, annotations: { 'projectcalico.org/metadata': '{"creationTimestamp":null}' }, labels: { 'app.kubernetes.io/managed-by': 'tigera-operator' } }),
    spec: { allowedUses: ['Workload', 'Tunnel'], blockSize: 26, cidr: o.podCIDR, ipipMode: 'Never', natOutgoing: true, nodeSelector: 'all()', vxlanMode: 'CrossSubnet' },
  });

  // tigera-operator
  const opT = {
    labels: { 'k8s-app': 'tigera-operator', name: 'tigera-operator' },
    hostNetwork: true,
    dnsPolicy: 'ClusterFirstWithHostNet',
    serviceAccountName: 'tigera-operator',
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    tolerations: [{ effect: 'NoExecute', operator: 'Exists' }, { effect: 'NoSchedule', operator: 'Exists' }],
    containers: [{
      name: 'tigera-operator',
      image: `${reg}tigera/operator:${o.operatorVersion}`,
      command: ['operator'],
      args: ['-manage-crds=true'],
      env: [
        { name: 'WATCH_NAMESPACE', value: '' },
        { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
        { name: 'OPERATOR_NAME', value: 'tigera-operator' },
        { name: 'TIGERA_OPERATOR_INIT_IMAGE_VERSION', value: o.operatorVersion },
      ],
      envFrom: [{ configMapRef: { name: 'kubernetes-services-endpoint', optional: true } }],
      volumeMounts: [{ mountPath: '/var/lib/calico', name: 'var-lib-calico', readOnly: true }],
    }],
    volumes: [{ hostPath: { path: '/var/lib/calico', type: '' }, name: 'var-lib-calico' }],
  };
  all.push(...deploymentStack(c, {
    name: 'tigera-operator',
    namespace: 'tigera-operator',
    created: o.created,
    labels: { ...m.labels, 'k8s-app': 'tigera-operator' },
    annotations: m.annotations,
    selector: { name: 'tigera-operator' },
    t: opT,
    replicas: 1,
    hash: '7c9d5b8f64',
    availableSince: plus(o.created, 21),
    pods: [{ suffix: suffix(5, c.name, 'tigera-op'), node: o.operatorNode, created: plus(o.created, 1), startedAt: plus(o.created, 2), readyAt: plus(o.created, 21), ...allUp(opT, plus(o.created, 9)) }],
  }).all);

  const owner = [ownerRef(installation)];
  // calico-node
  const nodeT = {
    labels: { 'app.kubernetes.io/name': 'calico-node', 'k8s-app': 'calico-node' },
    templateAnnotations: { 'hash.operator.tigera.io/cni-config': 'f0c3e39a7b44d9cb0ea33c9a1a2b1f1b3c7d2e6f', 'hash.operator.tigera.io/system': 'fdde45054a8ae4f629960ce37570929502e59449', 'tigera-operator.hash.operator.tigera.io/tigera-ca-private': '5e2d8c1a9b7f3e6d4c0a8b2f1e9d7c5a3b1f0e8d' },
    hostNetwork: true,
    dnsPolicy: 'ClusterFirstWithHostNet',
    priorityClassName: 'system-node-critical',
    serviceAccountName: 'calico-node',
    terminationGracePeriodSeconds: 5,
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    tolerations: [TOLERATE.criticalAddonsOnly, { effect: 'NoSchedule', operator: 'Exists' }, { effect: 'NoExecute', operator: 'Exists' }],
    initContainers: [
      { name: 'flexvol-driver', image: img('pod2daemon-flexvol'), securityContext: { allowPrivilegeEscalation: true, capabilities: { drop: ['ALL'] }, privileged: true, runAsGroup: 0, runAsNonRoot: false, runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } }, volumeMounts: [{ mountPath: '/host/driver', name: 'flexvol-driver-host' }] },
      { name: 'install-cni', image: img('cni'), command: ['/opt/cni/bin/install'], env: [{ name: 'CNI_CONF_NAME', value: '10-calico.conflist' }, { name: 'SLEEP', value: 'false' }, { name: 'CNI_NET_DIR', value: '/etc/cni/net.d' }, { name: 'CNI_NETWORK_CONFIG', valueFrom: { configMapKeyRef: { key: 'config', name: 'cni-config' } } }, { name: 'KUBERNETES_SERVICE_HOST', value: '10.96.0.1' }, { name: 'KUBERNETES_SERVICE_PORT', value: '443' }], securityContext: { allowPrivilegeEscalation: true, capabilities: { drop: ['ALL'] }, privileged: true, runAsGroup: 0, runAsNonRoot: false, runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } }, volumeMounts: [{ mountPath: '/host/opt/cni/bin', name: 'cni-bin-dir' }, { mountPath: '/host/etc/cni/net.d', name: 'cni-net-dir' }] },
    ],
    containers: [{
      name: 'calico-node',
      image: img('node'),
      env: [
        { name: 'DATASTORE_TYPE', value: 'kubernetes' },
        { name: 'WAIT_FOR_DATASTORE', value: 'true' },
        { name: 'CLUSTER_TYPE', value: 'k8s,operator,bgp' },
        { name: 'CALICO_DISABLE_FILE_LOGGING', value: 'false' },
        { name: 'FELIX_DEFAULTENDPOINTTOHOSTACTION', value: 'ACCEPT' },
        { name: 'FELIX_HEALTHENABLED', value: 'true' },
        { name: 'FELIX_HEALTHPORT', value: '9099' },
        { name: 'NODENAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
        { name: 'NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } },
        { name: 'FELIX_TYPHAK8SNAMESPACE', value: 'calico-system' },
        { name: 'FELIX_TYPHAK8SSERVICENAME', value: 'calico-typha' },
        { name: 'FELIX_TYPHACAFILE', value: '/etc/pki/tls/certs/tigera-ca-bundle.crt' },
        { name: 'FELIX_TYPHACERTFILE', value: '/node-certs/tls.crt' },
        { name: 'FELIX_TYPHAKEYFILE', value: '/node-certs/tls.key' },
        { name: 'CALICO_MANAGE_CNI', value: 'true' },
        { name: 'CALICO_NETWORKING_BACKEND', value: 'bird' },
        { name: 'IP', value: 'autodetect' },
        { name: 'IP_AUTODETECTION_METHOD', value: 'first-found' },
        { name: 'IP6', value: 'none' },
        { name: 'FELIX_IPV6SUPPORT', value: 'false' },
        { name: 'KUBERNETES_SERVICE_HOST', value: '10.96.0.1' },
        { name: 'KUBERNETES_SERVICE_PORT', value: '443' },
      ],
      lifecycle: { preStop: { exec: { command: ['/bin/calico-node', '-shutdown'] } } },
      livenessProbe: { failureThreshold: 3, httpGet: { host: 'localhost', path: '/liveness', port: 9099, scheme: 'HTTP' }, initialDelaySeconds: 0, periodSeconds: 60, timeoutSeconds: 10 },
      readinessProbe: { exec: { command: ['/bin/calico-node', '-bird-ready', '-felix-ready'] }, periodSeconds: 30, timeoutSeconds: 10 },
      securityContext: { allowPrivilegeEscalation: true, capabilities: { drop: ['ALL'] }, privileged: true, runAsGroup: 0, runAsNonRoot: false, runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } },
      volumeMounts: [
        { mountPath: '/etc/pki/tls/certs', name: 'tigera-ca-bundle', readOnly: true },
        { mountPath: '/lib/modules', name: 'lib-modules', readOnly: true },
        { mountPath: '/run/xtables.lock', name: 'xtables-lock' },
        { mountPath: '/var/run/nodeagent', name: 'policysync' },
        { mountPath: '/node-certs', name: 'node-certs', readOnly: true },
        { mountPath: '/var/run/calico', name: 'var-run-calico' },
        { mountPath: '/var/lib/calico', name: 'var-lib-calico' },
        { mountPath: '/var/log/calico/cni', name: 'cni-log-dir' },
        { mountPath: '/host/etc/cni/net.d', name: 'cni-net-dir' },
      ],
    }],
    volumes: [
      { hostPath: { path: '/lib/modules', type: '' }, name: 'lib-modules' },
      { hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' }, name: 'xtables-lock' },
      { hostPath: { path: '/var/run/nodeagent', type: 'DirectoryOrCreate' }, name: 'policysync' },
      { configMap: { defaultMode: 420, name: 'tigera-ca-bundle' }, name: 'tigera-ca-bundle' },
      { name: 'node-certs', secret: { defaultMode: 420, secretName: 'node-certs' } },
      { hostPath: { path: '/var/run/calico', type: '' }, name: 'var-run-calico' },
      { hostPath: { path: '/var/lib/calico', type: '' }, name: 'var-lib-calico' },
      { hostPath: { path: '/opt/cni/bin', type: '' }, name: 'cni-bin-dir' },
      { hostPath: { path: '/etc/cni/net.d', type: '' }, name: 'cni-net-dir' },
      { hostPath: { path: '/var/log/calico/cni', type: '' }, name: 'cni-log-dir' },
      { hostPath: { path: '/usr/libexec/kubernetes/kubelet-plugins/volume/exec/nodeagent~uds', type: 'DirectoryOrCreate' }, name: 'flexvol-driver-host' },
    ],
  };
  const ds = daemonSetStack(c, {
    name: 'calico-node',
    namespace: 'calico-system',
    created: plus(o.created, 40),
    labels: {},
    annotations: {},
    selector: { 'k8s-app': 'calico-node' },
    t: nodeT,
    hash: '5f8d7c6b9d',
    generation: 1,
    updateStrategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 1 }, type: 'RollingUpdate' },
    pods: o.nodes.map((n, i) => {
      const created = plus(n.registered, 4);
      return { suffix: suffix(5, c.name, 'calico-node', i), node: n, created, startedAt: plus(created, 1), initializedAt: plus(created, 9), readyAt: plus(created, 47), initContainers: initsDone(nodeT, plus(created, 9)), containers: { 'calico-node': { state: 'running', since: plus(created, 10), ready: true, started: true } } };
    }),
  });
  ds.daemonSet.metadata.ownerReferences = owner;
  all.push(...ds.all);

  const kcT = {
    labels: { 'app.kubernetes.io/name': 'calico-kube-controllers', 'k8s-app': 'calico-kube-controllers' },
    priorityClassName: 'system-cluster-critical',
    serviceAccountName: 'calico-kube-controllers',
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    tolerations: [TOLERATE.criticalAddonsOnly, TOLERATE.controlPlane],
    containers: [{
      name: 'calico-kube-controllers',
      image: img('kube-controllers'),
      env: [{ name: 'KUBE_CONTROLLERS_CONFIG_NAME', value: 'default' }, { name: 'DATASTORE_TYPE', value: 'kubernetes' }, { name: 'ENABLED_CONTROLLERS', value: 'node,loadbalancer' }, { name: 'FIPS_MODE_ENABLED', value: 'false' }, { name: 'KUBERNETES_SERVICE_HOST', value: '10.96.0.1' }, { name: 'KUBERNETES_SERVICE_PORT', value: '443' }, { name: 'CA_CRT_PATH', value: '/etc/pki/tls/certs/tigera-ca-bundle.crt' }],
      livenessProbe: { exec: { command: ['/usr/bin/check-status', '-l'] }, failureThreshold: 6, initialDelaySeconds: 10, periodSeconds: 60, timeoutSeconds: 10 },
      readinessProbe: { exec: { command: ['/usr/bin/check-status', '-r'] }, periodSeconds: 30, timeoutSeconds: 10 },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, runAsGroup: 0, runAsNonRoot: true, runAsUser: 999, seccompProfile: { type: 'RuntimeDefault' } },
      volumeMounts: [{ mountPath: '/etc/pki/tls/certs', name: 'tigera-ca-bundle', readOnly: true }],
    }],
    volumes: [{ configMap: { defaultMode: 420, name: 'tigera-ca-bundle' }, name: 'tigera-ca-bundle' }],
  };
  const kc = deploymentStack(c, {
    name: 'calico-kube-controllers',
    namespace: 'calico-system',
    created: plus(o.created, 41),
    labels: { 'k8s-app': 'calico-kube-controllers' },
    selector: { 'k8s-app': 'calico-kube-controllers' },
    t: kcT,
    replicas: 1,
    hash: '6d9f8c7b5c',
    strategy: { type: 'Recreate' },
    availableSince: plus(o.created, 160),
    pods: [{ suffix: suffix(5, c.name, 'kc'), node: o.kubeControllersNode, created: plus(o.created, 41), startedAt: plus(o.created, 120), readyAt: plus(o.created, 160), ...allUp(kcT, plus(o.created, 131)) }],
  });
  kc.deployment.metadata.ownerReferences = owner;
  all.push(...kc.all);

  const typhaT = {
    labels: { 'app.kubernetes.io/name': 'calico-typha', 'k8s-app': 'calico-typha' },
    hostNetwork: true,
    dnsPolicy: 'ClusterFirstWithHostNet',
    priorityClassName: 'system-cluster-critical',
    serviceAccountName: 'calico-typha',
    terminationGracePeriodSeconds: 300,
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    tolerations: [TOLERATE.criticalAddonsOnly, { effect: 'NoSchedule', operator: 'Exists' }, { effect: 'NoExecute', operator: 'Exists' }],
    containers: [{
      name: 'calico-typha',
      image: img('typha'),
      env: [{ name: 'TYPHA_LOGSEVERITYSCREEN', value: 'info' }, { name: 'TYPHA_LOGFILEPATH', value: 'none' }, { name: 'TYPHA_LOGSEVERITYSYS', value: 'none' }, { name: 'TYPHA_CONNECTIONREBALANCINGMODE', value: 'kubernetes' }, { name: 'TYPHA_DATASTORETYPE', value: 'kubernetes' }, { name: 'TYPHA_HEALTHENABLED', value: 'true' }, { name: 'TYPHA_HEALTHPORT', value: '9098' }, { name: 'TYPHA_K8SNAMESPACE', value: 'calico-system' }, { name: 'TYPHA_CAFILE', value: '/etc/pki/tls/certs/tigera-ca-bundle.crt' }, { name: 'TYPHA_SERVERCERTFILE', value: '/typha-certs/tls.crt' }, { name: 'TYPHA_SERVERKEYFILE', value: '/typha-certs/tls.key' }, { name: 'TYPHA_SHUTDOWNTIMEOUTSECS', value: '300' }, { name: 'KUBERNETES_SERVICE_HOST', value: '10.96.0.1' }, { name: 'KUBERNETES_SERVICE_PORT', value: '443' }],
      ports: [{ containerPort: 5473, hostPort: 5473, name: 'calico-typha' }],
      livenessProbe: { httpGet: { host: 'localhost', path: '/liveness', port: 9098, scheme: 'HTTP' }, periodSeconds: 10, timeoutSeconds: 10 },
      readinessProbe: { httpGet: { host: 'localhost', path: '/readiness', port: 9098, scheme: 'HTTP' }, periodSeconds: 10, timeoutSeconds: 10 },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, runAsGroup: 10001, runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
      volumeMounts: [{ mountPath: '/etc/pki/tls/certs', name: 'tigera-ca-bundle', readOnly: true }, { mountPath: '/typha-certs', name: 'typha-certs', readOnly: true }],
    }],
    volumes: [{ configMap: { defaultMode: 420, name: 'tigera-ca-bundle' }, name: 'tigera-ca-bundle' }, { name: 'typha-certs', secret: { defaultMode: 420, secretName: 'typha-certs' } }],
  };
  const ty = deploymentStack(c, {
    name: 'calico-typha',
    namespace: 'calico-system',
    created: plus(o.created, 40),
    labels: { 'k8s-app': 'calico-typha' },
    selector: { 'k8s-app': 'calico-typha' },
    t: typhaT,
    replicas: 1,
    hash: '84b6f9d7c8',
    strategy: { rollingUpdate: { maxSurge: '100%', maxUnavailable: 1 }, type: 'RollingUpdate' },
    availableSince: plus(o.created, 75),
    pods: [{ suffix: suffix(5, c.name, 'typha'), node: o.typhaNode, created: plus(o.created, 40), startedAt: plus(o.created, 41), readyAt: plus(o.created, 75), ...allUp(typhaT, plus(o.created, 47)) }],
  });
  ty.deployment.metadata.ownerReferences = owner;
  all.push(...ty.all);
  all.push(...serviceFor(c, { name: 'calico-typha', namespace: 'calico-system', created: plus(o.created, 40), labels: { 'k8s-app': 'calico-typha' }, selector: { 'k8s-app': 'calico-typha' }, clusterIP: o.typhaIP, ports: [{ name: 'calico-typha', port: 5473, targetPort: 'calico-typha' }], pods: ty.pods }));
  all.push(...helmHistoryCalico(c, o));
  return { all, calicoNode: ds };
}

function helmHistoryCalico(c, o) {
  return o.helmSecrets === false ? [] : helmHistory(c, 'calico', 'tigera-operator', [{ version: 1, status: 'deployed', at: plus(o.created, -2), modified: plus(o.created, 30) }]);
}
