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
  if (cluster.identity.kubeconfig) target.push(`--kubeconfig=${cluster.identity.kubeconfig}`);
  if (cluster.identity.context) target.push(`--context=${cluster.identity.context}`);
  return ['kubectl', ...args, ...target].map(shellQuote).join(' ');
}

/** `-n NS` for namespaced objects, nothing for cluster-scoped ones. */
export function ns(namespace: string | undefined): string[] {
  return namespace ? ['-n', namespace] : [];
}
