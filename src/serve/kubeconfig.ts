/**
 * Kubeconfigs for the served clusters: the one `serve` hands to the user (one context per cluster),
 * and the one inside each synthesized `<cluster>-kubeconfig` Secret, as Cluster API writes it.
 */
import { stringify } from 'yaml';
import type { KubeObject } from './store.js';

export const SERVE_USER = 'hrp-doctor-serve';

/** The server URL of one cluster: `http://127.0.0.1:PORT/clusters/<name>`. */
export const clusterServer = (baseUrl: string, name: string) => `${baseUrl}/clusters/${encodeURIComponent(name)}`;

/** One context per cluster, named like the cluster, plain HTTP and no credentials (loopback, read-only). */
export function serveKubeconfig(baseUrl: string, clusters: string[], current = clusters[0]): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: clusters.map((name) => ({ name, cluster: { server: clusterServer(baseUrl, name) } })),
    contexts: clusters.map((name) => ({ name, context: { cluster: name, user: SERVE_USER } })),
    'current-context': current ?? '',
    users: [{ name: SERVE_USER, user: {} }],
    preferences: {},
  });
}

/** The kubeconfig Cluster API keeps for a workload cluster (`<name>-admin@<name>`), pointing at its served prefix. */
export function workloadKubeconfig(baseUrl: string, capiName: string, servedName: string): string {
  const user = `${capiName}-admin`;
  const context = `${user}@${capiName}`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: capiName, cluster: { server: clusterServer(baseUrl, servedName) } }],
    contexts: [{ name: context, context: { cluster: capiName, user } }],
    'current-context': context,
    users: [{ name: user, user: {} }],
    preferences: {},
  });
}

export const SYNTHETIC_ANNOTATION = 'hrp-doctor.io/synthetic';

/** The `<cluster>-kubeconfig` Secret of a CAPI Cluster, as the management cluster holds it, with `data.value` pointing here. */
export function kubeconfigSecret(baseUrl: string, capi: { namespace: string; name: string }, servedName: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: `${capi.name}-kubeconfig`,
      namespace: capi.namespace,
      labels: { 'cluster.x-k8s.io/cluster-name': capi.name },
      annotations: {
        [SYNTHETIC_ANNOTATION]: `made by hrp-doctor serve: points at the served workload cluster ${servedName}`,
      },
    },
    type: 'cluster.x-k8s.io/secret',
    data: { value: Buffer.from(workloadKubeconfig(baseUrl, capi.name, servedName)).toString('base64') },
  };
}
