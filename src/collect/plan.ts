/**
 * What `hrp-doctor collect` collects, as data and pure functions: which resources on each side,
 * where each lands in the bundle (bundle-format.md, troubleshoot layout), which containers'
 * logs are worth reading, which pods are CAPI/CAAPH controllers, which HelmChartProxies belong to a
 * cluster. No I/O here.
 */

export const CAPI_GROUP_SUFFIX = 'cluster.x-k8s.io';
export const CLUSTERS_RESOURCE = 'clusters.cluster.x-k8s.io';
export const HCP_RESOURCE = 'helmchartproxies.addons.cluster.x-k8s.io';
export const HRP_RESOURCE = 'helmreleaseproxies.addons.cluster.x-k8s.io';
export const CLUSTER_NAME_LABEL = 'cluster.x-k8s.io/cluster-name';
export const PROVIDER_LABEL = 'cluster.x-k8s.io/provider';

/**
 * CAPI kinds collected when discovery (`kubectl api-resources`) fails, and the ones always
 * collected because the analysis needs them (HelmChartProxies, HelmReleaseProxies, Clusters).
 */
export const FALLBACK_CAPI_RESOURCES = [
  'machines.cluster.x-k8s.io',
  'machinesets.cluster.x-k8s.io',
  'machinedeployments.cluster.x-k8s.io',
  'machinehealthchecks.cluster.x-k8s.io',
  'machinepools.cluster.x-k8s.io',
  'kubeadmcontrolplanes.controlplane.cluster.x-k8s.io',
  'kubeadmconfigs.bootstrap.cluster.x-k8s.io',
  HCP_RESOURCE,
  HRP_RESOURCE,
];
export const REQUIRED_CAPI_RESOURCES = [HCP_RESOURCE, HRP_RESOURCE];

/**
 * Namespaced kinds of a workload cluster. The numerous ones (a 150,000-pod cluster) are collected
 * namespace by namespace, so each kubectl call and its output stay moderate; the few ones in one
 * call across namespaces, split into the same per-namespace files. Without the namespace list,
 * everything is collected across namespaces.
 */
export const WORKLOAD_PER_NAMESPACE = ['pods', 'events', 'replicasets', 'jobs'] as const;
export const WORKLOAD_ACROSS_NAMESPACES = ['daemonsets', 'deployments', 'statefulsets', 'services'] as const;
/** ConfigMaps are collected (redacted) from these namespaces only: kubeadm-config, cilium-config, coredns... */
export const WORKLOAD_CONFIGMAP_NAMESPACES = ['kube-system'];
/** Helm's release secrets, labels only: the release history. */
export const HELM_SECRETS_SELECTOR = 'owner=helm';
/** Namespaced kinds collected in each namespace that holds CAPI/CAAPH controllers. */
export const CONTROLLER_NAMESPACE_RESOURCES = ['pods', 'deployments', 'replicasets', 'events'] as const;

/** What the analysis needs from a workload cluster; recorded as missing when the cluster cannot be reached at all. */
export const WORKLOAD_ESSENTIAL = ['nodes', 'pods', 'events'] as const;

/** Images of CAPI core, its providers and CAAPH (`registry.k8s.io/cluster-api/...`, `cluster-api-helm-controller`, `capi-...`). */
const CONTROLLER_IMAGE = /cluster-api|\bcaaph\b|\bcapi-|kubeadm-bootstrap-controller|kubeadm-control-plane-controller/i;

// ---------------------------------------------------------------------------------------------
// Paths inside a cluster's folder (`clusters/<name>/`).

const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A Kubernetes name made safe as one path segment (names are DNS labels; anything else is escaped). */
export function segment(name: string): string {
  if (SAFE_SEGMENT.test(name) && name !== '.' && name !== '..') return name;
  const escaped = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[._-]+/, '');
  return escaped === '' ? '_' : escaped;
}

/** `pods` → core layout; `helmreleaseproxies.addons.cluster.x-k8s.io` → custom-resources/. */
export function isCustomResource(resource: string): boolean {
  return resource.includes('.');
}

/** Where `kubectl get <resource> [-n ns] -o json` lands, relative to the cluster's folder. */
export function resourcePath(resource: string, namespace?: string): string {
  const base = isCustomResource(resource) ? `cluster-resources/custom-resources/${segment(resource)}` : `cluster-resources/${segment(resource)}`;
  return namespace === undefined ? `${base}.json` : `${base}/${segment(namespace)}.json`;
}

/** The `*-errors.json` file for a resource, relative to the cluster's folder. */
export function errorsPath(resource: string): string {
  return isCustomResource(resource)
    ? `cluster-resources/custom-resources/${segment(resource)}-errors.json`
    : `cluster-resources/${segment(resource)}-errors.json`;
}

export function logPath(namespace: string, pod: string, container: string, previous: boolean): string {
  return `cluster-resources/pods/logs/${segment(namespace)}/${segment(pod)}/${segment(container)}${previous ? '-previous' : ''}.log`;
}

/** troubleshoot's file for a log that could not be collected (the reader turns it into a collection error). */
export function logErrorPath(namespace: string, pod: string, container: string, previous: boolean): string {
  return `cluster-resources/pods/logs/${segment(namespace)}/${segment(pod)}/${segment(container)}${previous ? '-previous' : ''}-logs-errors.log`;
}

export const VERSION_PATH = 'cluster-info/cluster_version.json';

// ---------------------------------------------------------------------------------------------
// Objects, loosely typed: the collector reads a few fields and passes everything else through.

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
}
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export interface ClusterRef {
  namespace: string;
  name: string;
}

export const sameCluster = (a: ClusterRef, b: ClusterRef) => a.namespace === b.namespace && a.name === b.name;

/** The Clusters to collect from a listing of CAPI Clusters, or why none can be. */
export function selectClusters(
  items: KubeObject[],
  want: { name?: string; namespace?: string; all: boolean },
): { selected: KubeObject[] } | { error: string } {
  const inScope = items.filter((c) => c.kind === undefined || c.kind === 'Cluster')
    .filter((c) => want.namespace === undefined || c.metadata?.namespace === want.namespace);
  const where = want.namespace === undefined ? 'in any namespace' : `in namespace ${want.namespace}`;
  if (want.all) {
    const selected = want.name === undefined ? inScope : inScope.filter((c) => c.metadata?.name === want.name);
    if (selected.length === 0) return { error: `no CAPI Cluster${want.name ? ` named ${want.name}` : ''} found ${where} on the management cluster` };
    return { selected };
  }
  const matches = inScope.filter((c) => c.metadata?.name === want.name);
  if (matches.length === 0) return { error: `CAPI Cluster ${want.name} not found ${where} on the management cluster` };
  if (matches.length > 1) {
    const namespaces = matches.map((c) => c.metadata?.namespace).join(', ');
    return { error: `CAPI Cluster ${want.name} exists in several namespaces (${namespaces}): give --namespace` };
  }
  return { selected: matches };
}

export function refOf(obj: KubeObject): ClusterRef {
  return { namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '' };
}

/**
 * The label selector for a namespace's CAPI objects: the collected Clusters' names, or none with
 * --all-clusters (every Cluster of the namespace is collected, and objects without the label come too).
 */
export function capiSelector(namespace: string, selected: ClusterRef[], allClusters: boolean): string | undefined {
  if (allClusters) return undefined;
  const mine = selected.filter((c) => c.namespace === namespace).map((c) => c.name);
  if (mine.length === 0) return undefined;
  return mine.length === 1 ? `${CLUSTER_NAME_LABEL}=${mine[0]}` : `${CLUSTER_NAME_LABEL} in (${mine.join(',')})`;
}

/** Names of CAPI kinds (`<plural>.<group>` with a group under cluster.x-k8s.io) among `kubectl api-resources -o name` lines. */
export function capiResources(apiResourceNames: string): string[] {
  const names = apiResourceNames.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  return [...new Set(names.filter((n) => n.endsWith(`.${CAPI_GROUP_SUFFIX}`)))].sort();
}

/** Does a label selector (matchLabels + matchExpressions) select these labels? */
export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  if (selector === null || typeof selector !== 'object') return false;
  const { matchLabels, matchExpressions } = selector as { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };
  const hasTerms = (matchLabels && Object.keys(matchLabels).length > 0) || (matchExpressions && matchExpressions.length > 0);
  if (!hasTerms) return true; // an empty selector selects everything
  for (const [k, v] of Object.entries(matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of matchExpressions ?? []) {
    const value = labels[e.key];
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In': if (value === undefined || !values.includes(value)) return false; break;
      case 'NotIn': if (value !== undefined && values.includes(value)) return false; break;
      case 'Exists': if (value === undefined) return false; break;
      case 'DoesNotExist': if (value !== undefined) return false; break;
      default: return false;
    }
  }
  return true;
}

/**
 * A HelmChartProxy concerns a Cluster when it names it (label or `status.matchingClusters`) or its
 * `spec.clusterSelector` selects the Cluster's labels.
 */
export function hcpConcerns(hcp: KubeObject, clusters: KubeObject[]): boolean {
  const labels = hcp.metadata?.labels ?? {};
  const matching = Array.isArray(hcp.status?.['matchingClusters']) ? (hcp.status['matchingClusters'] as { name?: string; namespace?: string }[]) : [];
  return clusters.some((cluster) => {
    const ref = refOf(cluster);
    if (hcp.metadata?.namespace !== undefined && hcp.metadata.namespace !== ref.namespace) return false;
    if (labels[CLUSTER_NAME_LABEL] === ref.name) return true;
    if (matching.some((m) => m.name === ref.name && (m.namespace ?? ref.namespace) === ref.namespace)) return true;
    return selectorMatches(hcp.spec?.['clusterSelector'], cluster.metadata?.labels ?? {});
  });
}

// ---------------------------------------------------------------------------------------------
// Pods: controllers and logs.

interface ContainerStatus {
  name?: string;
  ready?: boolean;
  restartCount?: number;
  state?: { running?: unknown; waiting?: unknown; terminated?: { exitCode?: number } };
  lastState?: { terminated?: unknown };
}

interface PodLike extends KubeObject {
  spec?: { containers?: { image?: string }[]; initContainers?: { image?: string }[] } & Record<string, unknown>;
  status?: { phase?: string; containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[] } & Record<string, unknown>;
}

/** A pod of a CAPI/CAAPH controller: clusterctl's provider label, or a cluster-api image. */
export function isControllerPod(pod: KubeObject): boolean {
  const p = pod as PodLike;
  if (p.metadata?.labels?.[PROVIDER_LABEL] !== undefined) return true;
  const images = [...(p.spec?.containers ?? []), ...(p.spec?.initContainers ?? [])].map((c) => c.image ?? '');
  return images.some((image) => CONTROLLER_IMAGE.test(image));
}

export interface LogTarget {
  namespace: string;
  pod: string;
  container: string;
  previous: boolean;
}

/**
 * Logs worth reading for one pod.
 * - `failing` (workload clusters): containers that are not ready or have restarted — the current
 *   instance when it has run at all, the previous one when it restarted. Containers that completed
 *   successfully and never restarted, and containers that never started, are skipped.
 * - `all` (controllers): every container that has run, plus the previous instance after a restart.
 */
export function logTargets(pod: KubeObject, mode: 'failing' | 'all'): LogTarget[] {
  const p = pod as PodLike;
  const namespace = p.metadata?.namespace;
  const name = p.metadata?.name;
  if (!namespace || !name) return [];
  const statuses = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])];
  const out: LogTarget[] = [];
  for (const status of statuses) {
    if (!status.name) continue;
    const restarts = status.restartCount ?? 0;
    const terminated = status.state?.terminated;
    const hasRun = status.state?.running !== undefined || terminated !== undefined || status.lastState?.terminated !== undefined || restarts > 0;
    if (mode === 'failing') {
      if (status.ready === true && restarts === 0) continue;
      if (terminated !== undefined && (terminated.exitCode ?? 0) === 0 && restarts === 0) continue;
    }
    if (hasRun) out.push({ namespace, pod: name, container: status.name, previous: false });
    if (restarts > 0) out.push({ namespace, pod: name, container: status.name, previous: true });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Flags.

/** kubectl's duration syntax (`30s`, `1m`, `1h30m`, `500ms`, a bare number of seconds) in milliseconds; 0 = no timeout. */
export function parseDuration(text: string): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let at = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    total += Number(m[1]) * unit;
    at = re.lastIndex;
  }
  if (t === '' || at !== t.length) throw new Error(`not a duration: ${JSON.stringify(text)} (use e.g. 30s, 2m, 500ms)`);
  return Math.round(total);
}

/** `2MiB`, `512KiB`, `1G`, `1048576` → bytes (k/M/G are binary multiples, like kubectl's --limit-bytes users expect). */
export function parseByteSize(text: string | number): number {
  if (typeof text === 'number') {
    if (!Number.isFinite(text) || text < 0) throw new Error(`not a size: ${text}`);
    return Math.floor(text);
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b?)\s*$/i.exec(text);
  if (!m) throw new Error(`not a size: ${JSON.stringify(text)} (use e.g. 2MiB, 512KiB, 1048576)`);
  const power = { '': 0, k: 1, m: 2, g: 3, t: 4 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.floor(Number(m[1]) * 1024 ** power);
}

/** `20251227T100411Z` */
export function utcStamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}
