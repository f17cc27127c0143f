import type { ClusterView } from './cluster.js';
import type { Snapshot } from './snapshot.js';

/** The first usable address of an IPv4 CIDR (the `kubernetes` Service's ClusterIP is always that one). */
export function firstServiceIp(cidr: string): string | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr.trim());
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 30) return undefined;
  const value = octets.reduce((acc, o) => acc * 256 + o, 0);
  const network = prefix === 0 ? 0 : value - (value % 2 ** (32 - prefix));
  const first = network + 1;
  return [24, 16, 8, 0].map((shift) => Math.floor(first / 2 ** shift) % 256).join('.');
}

export function inIpv4Cidr(ip: string, cidr: string): boolean {
  const toNumber = (s: string) => {
    const parts = s.split('.').map(Number);
    return parts.length === 4 && parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 255) ? parts.reduce((a, p) => a * 256 + p, 0) : undefined;
  };
  const [base, bits] = cidr.split('/');
  const address = toNumber(ip);
  const network = base ? toNumber(base) : undefined;
  const prefix = Number(bits);
  if (address === undefined || network === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return false;
  const size = 2 ** (32 - prefix);
  return Math.floor(address / size) === Math.floor(network / size);
}

/** The CAPI Cluster object a workload cluster is, when the management cluster is in the snapshot. */
export function capiClusterOf(snapshot: Snapshot, cluster: ClusterView) {
  const ref = cluster.identity.capiCluster;
  if (!ref) return undefined;
  for (const management of snapshot.managementClusters()) {
    const found = management.get('Cluster', ref.namespace, ref.name);
    if (found) return found;
  }
  return undefined;
}

export interface ApiAddresses {
  /** ClusterIP addresses of the API (the `kubernetes` Service), reached through the CNI / kube-proxy. */
  clusterIps: Set<string>;
  /** The service CIDRs, when known. */
  serviceCidrs: string[];
  /** The control-plane endpoint (VIP or load balancer), reached directly. */
  endpoints: Set<string>;
}

/** Where pods of a cluster reach its API server. */
export function apiAddresses(snapshot: Snapshot, cluster: ClusterView): ApiAddresses {
  const clusterIps = new Set<string>();
  const endpoints = new Set<string>();
  const kubernetesService = cluster.get('Service', 'default', 'kubernetes');
  if (kubernetesService?.spec?.clusterIP) clusterIps.add(kubernetesService.spec.clusterIP);
  const capi = capiClusterOf(snapshot, cluster);
  const serviceCidrs = capi?.spec?.clusterNetwork?.services?.cidrBlocks ?? [];
  for (const cidr of serviceCidrs) {
    const ip = firstServiceIp(cidr);
    if (ip) clusterIps.add(ip);
  }
  if (capi?.spec?.controlPlaneEndpoint?.host) endpoints.add(capi.spec.controlPlaneEndpoint.host);
  return { clusterIps, serviceCidrs, endpoints };
}

/** Whether an address is a ClusterIP (so only the CNI / kube-proxy datapath makes it reachable). */
export function isClusterIp(address: string, api: ApiAddresses): boolean {
  if (api.clusterIps.has(address)) return true;
  if (api.serviceCidrs.some((cidr) => inIpv4Cidr(address, cidr))) return true;
  // Without a known service CIDR, kubeadm's default one is the best guess.
  return api.serviceCidrs.length === 0 && inIpv4Cidr(address, '10.96.0.0/12');
}
