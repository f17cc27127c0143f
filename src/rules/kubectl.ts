import type { ClusterView } from '../snapshot/cluster.js';

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes one argument for a POSIX shell, so names from the bundle cannot break a copy-pasted command. */
export function shellQuote(arg: string): string {
  return SAFE.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

/**
 * A copy-pasteable kubectl command line for a cluster, with the kubeconfig and context the
 * collector used (from the manifest), so the operator can run it as is.
 */
export function kubectl(cluster: ClusterView, ...args: string[]): string {
  const target: string[] = [];
  const kubeconfig = kubeconfigPath(cluster);
  if (kubeconfig) target.push(`--kubeconfig=${kubeconfig}`);
  if (cluster.identity.context) target.push(`--context=${cluster.identity.context}`);
  return ['kubectl', ...args, ...target].map(shellQuote).join(' ');
}

/** A kubeconfig the collector read from a CAPI secret (`secret:<namespace>/<name>`), never a file path. */
export function kubeconfigSecret(cluster: ClusterView): { namespace: string; name: string } | undefined {
  const match = /^secret:([^/]+)\/(.+)$/.exec(cluster.identity.kubeconfig ?? '');
  return match ? { namespace: match[1]!, name: match[2]! } : undefined;
}

/**
 * The kubeconfig file commands should use. When the collector took it from the CAPI secret, the
 * report first tells how to write it to `<cluster>.kubeconfig` (see the report's setup step).
 */
export function kubeconfigPath(cluster: ClusterView): string | undefined {
  return kubeconfigSecret(cluster) ? `${cluster.name}.kubeconfig` : cluster.identity.kubeconfig;
}

/** `-n NS` for namespaced objects, nothing for cluster-scoped ones. */
export function ns(namespace: string | undefined): string[] {
  return namespace ? ['-n', namespace] : [];
}
