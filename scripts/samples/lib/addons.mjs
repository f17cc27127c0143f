// Pod templates of the NKP add-ons that CAAPH installs into workload clusters
// (Nutanix CCM, Nutanix CSI, konnector-agent, metrics-server).

import { TOLERATE, configMap } from './k8s.mjs';
import { helmMeta } from './platform.mjs';

export function nutanixCCMMeta(version = '0.5.2') {
  return helmMeta('nutanix-ccm', 'kube-system', { 'app.kubernetes.io/instance': 'nutanix-ccm', 'app.kubernetes.io/name': 'nutanix-cloud-provider', 'app.kubernetes.io/version': `v${version}`, 'helm.sh/chart': `nutanix-cloud-provider-${version}` });
}

export function nutanixCCMTemplate(version = 'v0.5.2') {
  return {
    labels: { 'k8s-app': 'nutanix-cloud-controller-manager' },
    priorityClassName: 'system-cluster-critical',
    serviceAccountName: 'cloud-controller-manager',
    hostNetwork: false,
    dnsPolicy: 'Default',
    nodeSelector: { 'node-role.kubernetes.io/control-plane': '' },
    tolerations: [
      { effect: 'NoSchedule', key: 'node-role.kubernetes.io/master', operator: 'Exists' },
      TOLERATE.controlPlane,
      { effect: 'NoSchedule', key: 'node.cloudprovider.kubernetes.io/uninitialized', operator: 'Exists' },
      TOLERATE.capiUninitialized,
      { effect: 'NoSchedule', key: 'node.kubernetes.io/not-ready', operator: 'Exists' },
    ],
    containers: [{
      name: 'nutanix-cloud-controller-manager',
      image: `ghcr.io/nutanix-cloud-native/cloud-provider-nutanix/controller:${version}`,
      args: ['--leader-elect=true', '--cloud-config=/etc/cloud/nutanix_config.json', '--tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', '--v=3'],
      env: [{ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } }],
      resources: { requests: { cpu: '100m', memory: '50Mi' } },
      volumeMounts: [{ mountPath: '/etc/cloud', name: 'nutanix-config-volume', readOnly: true }],
    }],
    volumes: [{ configMap: { defaultMode: 420, name: 'nutanix-config' }, name: 'nutanix-config-volume' }],
  };
}

export function nutanixCCMConfig(c, { created, prismCentral, meta }) {
  return configMap(c, {
    name: 'nutanix-config',
    namespace: 'kube-system',
    created,
    labels: meta.labels,
    annotations: meta.annotations,
    data: {
      'nutanix_config.json': JSON.stringify({
        prismCentral: { address: prismCentral, port: 9440, insecure: false, credentialRef: { kind: 'secret', name: 'nutanix-ccm-credentials', namespace: 'kube-system' }, additionalTrustBundle: { kind: 'ConfigMap', name: 'user-ca-bundle', namespace: 'kube-system' } },
        enableCustomLabeling: false,
        topologyDiscovery: { type: 'Prism' },
      }, null, 2),
    },
  });
}

export function metricsServerMeta() {
  return helmMeta('metrics-server', 'kube-system', { 'app.kubernetes.io/instance': 'metrics-server', 'app.kubernetes.io/name': 'metrics-server', 'app.kubernetes.io/version': '0.7.2', 'helm.sh/chart': 'metrics-server-3.12.2' });
}

export function metricsServerTemplate({ image = 'registry.k8s.io/metrics-server/metrics-server:v0.7.2', tolerations } = {}) {
  return {
    labels: { 'app.kubernetes.io/instance': 'metrics-server', 'app.kubernetes.io/name': 'metrics-server' },
    priorityClassName: 'system-cluster-critical',
    serviceAccountName: 'metrics-server',
    tolerations,
    containers: [{
      name: 'metrics-server',
      image,
      args: ['--secure-port=10250', '--cert-dir=/tmp', '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname', '--kubelet-use-node-status-port', '--metric-resolution=15s', '--kubelet-insecure-tls'],
      ports: [{ containerPort: 10250, name: 'https' }],
      livenessProbe: { failureThreshold: 3, httpGet: { path: '/livez', port: 'https', scheme: 'HTTPS' }, initialDelaySeconds: 0, periodSeconds: 10 },
      readinessProbe: { failureThreshold: 3, httpGet: { path: '/readyz', port: 'https', scheme: 'HTTPS' }, initialDelaySeconds: 20, periodSeconds: 10 },
      resources: { requests: { cpu: '100m', memory: '200Mi' } },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
      volumeMounts: [{ mountPath: '/tmp', name: 'tmp' }],
    }],
    volumes: [{ emptyDir: {}, name: 'tmp' }],
  };
}

export function csiMeta(version) {
  return helmMeta('nutanix-csi-storage', 'ntnx-system', { 'app.kubernetes.io/instance': 'nutanix-csi-storage', 'helm.sh/chart': `nutanix-csi-storage-${version}` });
}

export function csiNodeTemplate(version) {
  return {
    labels: { app: 'nutanix-csi-node' },
    hostNetwork: true,
    priorityClassName: 'system-node-critical',
    serviceAccountName: 'nutanix-csi-node',
    tolerations: [TOLERATE.all],
    containers: [
      { name: 'driver-registrar', image: 'registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.12.0', args: ['--v=2', '--csi-address=$(ADDRESS)', '--kubelet-registration-path=$(DRIVER_REG_SOCK_PATH)'], env: [{ name: 'ADDRESS', value: '/csi/csi.sock' }, { name: 'DRIVER_REG_SOCK_PATH', value: '/var/lib/kubelet/plugins/csi.nutanix.com/csi.sock' }], resources: { requests: { cpu: '10m', memory: '20Mi' } }, volumeMounts: [{ mountPath: '/csi/', name: 'plugin-dir' }, { mountPath: '/registration', name: 'registration-dir' }] },
      { name: 'csi-node-ntnx-plugin', image: `docker.io/nutanix/ntnx-csi:${version}`, args: ['--endpoint=$(CSI_ENDPOINT)', '--nodeid=$(NODE_ID)', '--drivername=csi.nutanix.com', '--max-volumes-per-node=64'], env: [{ name: 'CSI_ENDPOINT', value: 'unix:///csi/csi.sock' }, { name: 'NODE_ID', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }], securityContext: { allowPrivilegeEscalation: true, privileged: true }, ports: [{ containerPort: 9808, hostPort: 9808, name: 'http-endpoint' }], livenessProbe: { failureThreshold: 3, httpGet: { path: '/healthz', port: 'http-endpoint', scheme: 'HTTP' }, initialDelaySeconds: 10, periodSeconds: 2, timeoutSeconds: 3 }, resources: { requests: { cpu: '100m', memory: '200Mi' } }, volumeMounts: [{ mountPath: '/csi', name: 'plugin-dir' }, { mountPath: '/var/lib/kubelet', mountPropagation: 'Bidirectional', name: 'pods-mount-dir' }, { mountPath: '/dev', name: 'device-dir' }] },
      { name: 'liveness-probe', image: 'registry.k8s.io/sig-storage/livenessprobe:v2.14.0', args: ['--csi-address=/csi/csi.sock', '--http-endpoint=:9808'], resources: { requests: { cpu: '5m', memory: '20Mi' } }, volumeMounts: [{ mountPath: '/csi', name: 'plugin-dir' }] },
    ],
    volumes: [
      { hostPath: { path: '/var/lib/kubelet/plugins_registry/', type: 'Directory' }, name: 'registration-dir' },
      { hostPath: { path: '/var/lib/kubelet/plugins/csi.nutanix.com/', type: 'DirectoryOrCreate' }, name: 'plugin-dir' },
      { hostPath: { path: '/var/lib/kubelet', type: 'Directory' }, name: 'pods-mount-dir' },
      { hostPath: { path: '/dev' }, name: 'device-dir' },
    ],
  };
}

export function csiControllerTemplate(version) {
  return {
    labels: { app: 'nutanix-csi-controller' },
    hostNetwork: true,
    priorityClassName: 'system-cluster-critical',
    serviceAccountName: 'nutanix-csi-controller',
    tolerations: [TOLERATE.all],
    containers: [
      { name: 'csi-provisioner', image: 'registry.k8s.io/sig-storage/csi-provisioner:v5.1.0', args: ['--csi-address=$(ADDRESS)', '--timeout=60s', '--worker-threads=16', '--extra-create-metadata=true', '--default-fstype=ext4', '--leader-election=true', '--http-endpoint=:9810'], env: [{ name: 'ADDRESS', value: '/var/lib/csi/sockets/pluginproxy/csi.sock' }], resources: { requests: { cpu: '5m', memory: '30Mi' } }, volumeMounts: [{ mountPath: '/var/lib/csi/sockets/pluginproxy/', name: 'socket-dir' }] },
      { name: 'csi-resizer', image: 'registry.k8s.io/sig-storage/csi-resizer:v1.12.0', args: ['--v=2', '--csi-address=$(ADDRESS)', '--timeout=60s', '--leader-election=true', '--handle-volume-inuse-error=false', '--http-endpoint=:9811'], env: [{ name: 'ADDRESS', value: '/var/lib/csi/sockets/pluginproxy/csi.sock' }], resources: { requests: { cpu: '5m', memory: '30Mi' } }, volumeMounts: [{ mountPath: '/var/lib/csi/sockets/pluginproxy/', name: 'socket-dir' }] },
      { name: 'nutanix-csi-plugin', image: `docker.io/nutanix/ntnx-csi:${version}`, args: ['--endpoint=$(CSI_ENDPOINT)', '--nodeid=$(NODE_ID)', '--drivername=csi.nutanix.com'], env: [{ name: 'CSI_ENDPOINT', value: 'unix:///var/lib/csi/sockets/pluginproxy/csi.sock' }, { name: 'NODE_ID', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }], ports: [{ containerPort: 9807, hostPort: 9807, name: 'http-endpoint' }], livenessProbe: { failureThreshold: 3, httpGet: { path: '/healthz', port: 'http-endpoint', scheme: 'HTTP' }, initialDelaySeconds: 10, periodSeconds: 2, timeoutSeconds: 3 }, resources: { requests: { cpu: '100m', memory: '200Mi' } }, volumeMounts: [{ mountPath: '/var/lib/csi/sockets/pluginproxy/', name: 'socket-dir' }] },
      { name: 'liveness-probe', image: 'registry.k8s.io/sig-storage/livenessprobe:v2.14.0', args: ['--csi-address=/csi/csi.sock', '--http-endpoint=:9807'], resources: { requests: { cpu: '5m', memory: '20Mi' } }, volumeMounts: [{ mountPath: '/csi', name: 'socket-dir' }] },
    ],
    volumes: [{ emptyDir: {}, name: 'socket-dir' }],
  };
}

export function konnectorMeta(version) {
  return helmMeta('konnector-agent', 'ntnx-system', { 'app.kubernetes.io/instance': 'konnector-agent', 'app.kubernetes.io/name': 'konnector-agent', 'app.kubernetes.io/version': `v${version}`, 'helm.sh/chart': `konnector-agent-${version}` });
}

export function konnectorTemplate({ cluster, prismCentral, version, checksum }) {
  return {
    labels: { 'app.kubernetes.io/instance': 'konnector-agent', 'app.kubernetes.io/name': 'konnector-agent' },
    templateAnnotations: { 'checksum/config': checksum },
    serviceAccountName: 'konnector-agent',
    containers: [{
      name: 'konnector-agent',
      image: `docker.io/nutanix/konnector-agent:v${version}`,
      args: ['--config=/etc/konnector/config.yaml', '--log-level=info'],
      env: [
        { name: 'CLUSTER_NAME', value: cluster },
        { name: 'PC_ENDPOINT', value: prismCentral },
        { name: 'PC_PORT', value: '9440' },
        { name: 'PC_USERNAME', valueFrom: { secretKeyRef: { key: 'username', name: 'konnector-agent-pc-credentials' } } },
        { name: 'PC_PASSWORD', valueFrom: { secretKeyRef: { key: 'password', name: 'konnector-agent-pc-credentials' } } },
      ],
      ports: [{ containerPort: 8080, name: 'http' }],
      livenessProbe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' }, initialDelaySeconds: 15, periodSeconds: 20 },
      readinessProbe: { httpGet: { path: '/readyz', port: 'http', scheme: 'HTTP' }, initialDelaySeconds: 5, periodSeconds: 10 },
      resources: { limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true },
      volumeMounts: [{ mountPath: '/etc/konnector', name: 'config', readOnly: true }],
    }],
    volumes: [{ configMap: { defaultMode: 420, name: 'konnector-agent-config' }, name: 'config' }],
  };
}

export function konnectorConfig(c, { cluster, prismCentral, created, meta }) {
  return configMap(c, {
    name: 'konnector-agent-config',
    namespace: 'ntnx-system',
    created,
    labels: meta.labels,
    annotations: meta.annotations,
    data: { 'config.yaml': `clusterName: ${cluster}\nprismCentral:\n  endpoint: ${prismCentral}\n  port: 9440\n  insecure: false\nheartbeatInterval: 60s\ncategoryMappings: ""\n` },
  });
}
