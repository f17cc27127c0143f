import type { ClusterView } from '../../snapshot/cluster.js';
import { shellQuote } from '../kubectl.js';
import type { Remediation } from '../types.js';

/** How to reach a workload cluster from the operator's shell: its kubeconfig (and context) when known, else how to get one. */
export interface WorkloadAccess {
  kubeconfig: string;
  context?: string;
  /** When the bundle does not say where the kubeconfig is: the command that writes it from the management cluster. */
  fetch?: Remediation;
}

/** A copy-pasteable clusterctl command against a management cluster (its kubeconfig and context from the manifest). */
export function clusterctl(mgmt: ClusterView, ...args: string[]): string {
  const target: string[] = [];
  if (mgmt.identity.kubeconfig) target.push(`--kubeconfig=${mgmt.identity.kubeconfig}`);
  if (mgmt.identity.context) target.push(`--kubeconfig-context=${mgmt.identity.context}`);
  return ['clusterctl', ...args, ...target].map(shellQuote).join(' ');
}

/**
 * The kubeconfig to use for a workload cluster: the one the bundle names, or `<name>.kubeconfig`
 * written by `clusterctl get kubeconfig` from the management cluster.
 */
export function workloadAccess(workload: ClusterView | undefined, mgmt: ClusterView | undefined, capi: { namespace?: string; name: string }): WorkloadAccess {
  if (workload?.identity.kubeconfig) {
    return { kubeconfig: workload.identity.kubeconfig, ...(workload.identity.context ? { context: workload.identity.context } : {}) };
  }
  const file = `${capi.name}.kubeconfig`;
  const get = ['get', 'kubeconfig', capi.name, ...(capi.namespace ? ['-n', capi.namespace] : [])];
  const command = mgmt ? clusterctl(mgmt, ...get) : ['clusterctl', ...get].map(shellQuote).join(' ');
  return { kubeconfig: file, fetch: { text: `Write the kubeconfig of workload cluster ${capi.name} from the management cluster`, command: `${command} > ${shellQuote(file)}` } };
}

/** A helm command line against a workload cluster. */
export function helm(access: WorkloadAccess, ...args: string[]): string {
  return ['helm', ...args, `--kubeconfig=${access.kubeconfig}`, ...(access.context ? [`--kube-context=${access.context}`] : [])].map(shellQuote).join(' ');
}

/** A kubectl command line against a workload cluster known only by its access (it may not be in the snapshot). */
export function kubectlWith(access: WorkloadAccess, ...args: string[]): string {
  return ['kubectl', ...args, `--kubeconfig=${access.kubeconfig}`, ...(access.context ? [`--context=${access.context}`] : [])].map(shellQuote).join(' ');
}

/** `kubectl ARGS --kubeconfig=... -- COMMAND`: kubectl's own flags must come before the `--` that starts the container's command. */
export function kubectlExec(cluster: ClusterView, args: string[], command: string[]): string {
  const target: string[] = [];
  if (cluster.identity.kubeconfig) target.push(`--kubeconfig=${cluster.identity.kubeconfig}`);
  if (cluster.identity.context) target.push(`--context=${cluster.identity.context}`);
  return ['kubectl', ...args, ...target, '--', ...command].map(shellQuote).join(' ');
}
