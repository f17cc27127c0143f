import type { DaemonSet } from '../schema/generated.js';
import type { ClusterView } from '../snapshot/cluster.js';
import { componentOf } from '../snapshot/components.js';
import { capiClusterOf } from '../snapshot/network.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { ciliumConfig } from './cni-not-ready.js';
import { kubectl } from './kubectl.js';
import type { FindingDraft, Rule } from './types.js';

interface Configured {
  host: string;
  port?: string;
  where: string;
  source: string;
}

/** Where Cilium is told to find the API server: the agent's env first (it wins), then cilium-config. */
function configuredApi(snapshot: Snapshot, cluster: ClusterView, ds: DaemonSet): Configured | undefined {
  for (const container of ds.spec?.template?.spec?.containers ?? []) {
    const env = new Map((container.env ?? []).map((e) => [e.name, e.value]));
    const host = env.get('KUBERNETES_SERVICE_HOST');
    if (host) return { host, port: env.get('KUBERNETES_SERVICE_PORT'), where: `env KUBERNETES_SERVICE_HOST of container ${container.name}`, source: snapshot.sourceOf(ds) };
  }
  const config = ciliumConfig(cluster, ds.metadata.namespace);
  const data = config?.data ?? {};
  if (config && data['k8s-service-host']) {
    return { host: data['k8s-service-host'], port: data['k8s-service-port'], where: `k8s-service-host in ConfigMap ${config.metadata.name}`, source: snapshot.sourceOf(config) };
  }
  const urls = data['k8s-api-server-urls'] ?? data['k8s-api-server'];
  const url = urls?.split(/[\s,]+/).find(Boolean);
  const parsed = url ? /^https?:\/\/\[?([^\]/:]+)\]?(?::(\d+))?/.exec(url) : undefined;
  if (config && parsed?.[1]) return { host: parsed[1], port: parsed[2], where: `k8s-api-server-urls in ConfigMap ${config.metadata.name}`, source: snapshot.sourceOf(config) };
  return undefined;
}

function check(snapshot: Snapshot): FindingDraft[] {
  return snapshot.clusters.flatMap((cluster) => {
    const endpoint = capiClusterOf(snapshot, cluster)?.spec?.controlPlaneEndpoint;
    if (!endpoint?.host) return [];
    return cluster.list('DaemonSet').flatMap((ds): FindingDraft[] => {
      const component = componentOf(ds);
      if (component?.component !== 'cni' || component.product !== 'Cilium') return [];
      const configured = configuredApi(snapshot, cluster, ds);
      if (!configured) return [];
      const hostDiffers = configured.host !== endpoint.host;
      const portDiffers = configured.port !== undefined && endpoint.port !== undefined && configured.port !== String(endpoint.port);
      if (!hostDiffers && !portDiffers) return [];
      const namespace = ds.metadata.namespace ?? 'kube-system';
      const capi = cluster.identity.capiCluster;
      return [{
        code: rule.meta.code,
        severity: rule.meta.severity,
        cluster: cluster.name,
        subject: { kind: 'DaemonSet', namespace, name: ds.metadata.name },
        title: `Cilium talks to ${configured.host}${configured.port ? `:${configured.port}` : ''}, but the control-plane endpoint is ${endpoint.host}:${endpoint.port ?? 6443}`,
        detail: `Cilium replaces kube-proxy and must reach the API server directly; ${configured.where} says ${configured.host}${configured.port ? `:${configured.port}` : ''}, while the CAPI Cluster ${capi ? `${capi.namespace}/${capi.name}` : ''} has spec.controlPlaneEndpoint ${endpoint.host}:${endpoint.port ?? 6443}. Agents that cannot reach the API never become ready.`,
        evidence: [{ source: configured.source, text: `${configured.where} = ${configured.host}${configured.port ? `:${configured.port}` : ''}` }],
        remediation: [{
          text: `Set k8sServiceHost to ${endpoint.host} and k8sServicePort to ${endpoint.port ?? 6443} in the Cilium HelmChartProxy's values (valuesTemplate: "{{ .Cluster.spec.controlPlaneEndpoint.host }}"), then let CAAPH roll it out`,
        }, {
          text: 'Inspect the running configuration',
          command: kubectl(cluster, 'get', 'daemonset', ds.metadata.name, '-n', namespace, '-o', 'jsonpath={.spec.template.spec.containers[*].env}'),
        }],
        facts: { workload: { cluster: cluster.name, kind: 'DaemonSet', namespace, name: ds.metadata.name }, component: 'cni', product: 'Cilium', apiAddress: configured.host },
      }];
    });
  });
}

export const rule: Rule = {
  meta: {
    code: 'CILIUM_API_ENDPOINT_MISMATCH',
    severity: 'error',
    title: 'Cilium points at the wrong API server',
    docs: "The API server address Cilium is configured with (KUBERNETES_SERVICE_HOST env, k8s-service-host or k8s-api-server-urls) differs from the CAPI Cluster's spec.controlPlaneEndpoint; with kube-proxy replacement the agents then cannot start.",
  },
  check,
};
