/**
 * What `hrp-doctor serve` tells clients about the resources it serves: the built-in table of
 * Kubernetes resources (plural names, scope, short names), a few well-known Cluster API kinds, and
 * the discovery documents kubectl reads (legacy per-group lists and aggregated discovery v2).
 */

/** A column of a custom resource's table, as a CRD's `additionalPrinterColumns` declares it. */
export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  priority?: number;
  description?: string;
}

/** One served resource: group/version/plural, and what discovery says about it. */
export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Table columns after NAME for custom resources (from the bundle's CRD or the well-known table). */
  columns?: PrinterColumn[];
}

interface Builtin {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Other names the resource's file has in bundles (troubleshoot writes `pvcs/`, `storage-classes.json`...). */
  files?: string[];
  columns?: PrinterColumn[];
}

const ALL = ['all'];
const CAPI = ['cluster-api'];
const col = (name: string, jsonPath: string, priority = 0, type = 'string'): PrinterColumn => ({ name, type, jsonPath, priority });
const READY = (field: string) => `.status.conditions[?(@.type=='Ready')].${field}`;

/** Kubernetes' own resources, at the version a current API server prefers. */
const BUILTINS: Builtin[] = [
  { group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true, shortNames: ['po'], categories: ALL },
  { group: '', version: 'v1', kind: 'Node', plural: 'nodes', namespaced: false, shortNames: ['no'] },
  { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false, shortNames: ['ns'] },
  { group: '', version: 'v1', kind: 'Event', plural: 'events', namespaced: true, shortNames: ['ev'] },
  { group: '', version: 'v1', kind: 'Service', plural: 'services', namespaced: true, shortNames: ['svc'], categories: ALL },
  { group: '', version: 'v1', kind: 'Endpoints', plural: 'endpoints', namespaced: true, shortNames: ['ep'] },
  { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true, shortNames: ['cm'] },
  { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true },
  { group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true, shortNames: ['sa'] },
  { group: '', version: 'v1', kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', namespaced: true, shortNames: ['pvc'], files: ['pvcs'] },
  { group: '', version: 'v1', kind: 'PersistentVolume', plural: 'persistentvolumes', namespaced: false, shortNames: ['pv'], files: ['pvs'] },
  { group: '', version: 'v1', kind: 'LimitRange', plural: 'limitranges', namespaced: true, shortNames: ['limits'] },
  { group: '', version: 'v1', kind: 'ResourceQuota', plural: 'resourcequotas', namespaced: true, shortNames: ['quota'], files: ['resource-quotas'] },
  { group: '', version: 'v1', kind: 'ReplicationController', plural: 'replicationcontrollers', namespaced: true, shortNames: ['rc'], categories: ALL },
  { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true, shortNames: ['deploy'], categories: ALL },
  { group: 'apps', version: 'v1', kind: 'DaemonSet', plural: 'daemonsets', namespaced: true, shortNames: ['ds'], categories: ALL },
  { group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets', namespaced: true, shortNames: ['sts'], categories: ALL },
  { group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', namespaced: true, shortNames: ['rs'], categories: ALL },
  { group: 'apps', version: 'v1', kind: 'ControllerRevision', plural: 'controllerrevisions', namespaced: true },
  { group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs', namespaced: true, categories: ALL },
  { group: 'batch', version: 'v1', kind: 'CronJob', plural: 'cronjobs', namespaced: true, shortNames: ['cj'], categories: ALL },
  { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', namespaced: true, shortNames: ['hpa'], categories: ALL },
  { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', plural: 'ingresses', namespaced: true, shortNames: ['ing'], files: ['ingress'] },
  { group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy', plural: 'networkpolicies', namespaced: true, shortNames: ['netpol'], files: ['network-policy'] },
  { group: 'networking.k8s.io', version: 'v1', kind: 'IngressClass', plural: 'ingressclasses', namespaced: false },
  { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', plural: 'endpointslices', namespaced: true },
  { group: 'policy', version: 'v1', kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', namespaced: true, shortNames: ['pdb'], files: ['pod-disruption-budgets'] },
  { group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass', plural: 'storageclasses', namespaced: false, shortNames: ['sc'], files: ['storage-classes'] },
  { group: 'storage.k8s.io', version: 'v1', kind: 'VolumeAttachment', plural: 'volumeattachments', namespaced: false },
  { group: 'storage.k8s.io', version: 'v1', kind: 'CSIDriver', plural: 'csidrivers', namespaced: false },
  { group: 'storage.k8s.io', version: 'v1', kind: 'CSINode', plural: 'csinodes', namespaced: false },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role', plural: 'roles', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'RoleBinding', plural: 'rolebindings', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', plural: 'clusterroles', namespaced: false },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', namespaced: false, files: ['clusterRoleBindings'] },
  { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', plural: 'customresourcedefinitions', namespaced: false, shortNames: ['crd', 'crds'], files: ['custom-resource-definitions'] },
  { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', namespaced: true },
  { group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass', plural: 'priorityclasses', namespaced: false, shortNames: ['pc'] },
  { group: 'admissionregistration.k8s.io', version: 'v1', kind: 'MutatingWebhookConfiguration', plural: 'mutatingwebhookconfigurations', namespaced: false },
  { group: 'admissionregistration.k8s.io', version: 'v1', kind: 'ValidatingWebhookConfiguration', plural: 'validatingwebhookconfigurations', namespaced: false },
  { group: 'apiregistration.k8s.io', version: 'v1', kind: 'APIService', plural: 'apiservices', namespaced: false },
  { group: 'events.k8s.io', version: 'v1', kind: 'Event', plural: 'events', namespaced: true, shortNames: ['ev'] },
  // Cluster API and CAAPH: bundles rarely hold their CRDs, so short names and columns come from here.
  {
    group: 'addons.cluster.x-k8s.io', version: 'v1alpha1', kind: 'HelmReleaseProxy', plural: 'helmreleaseproxies', namespaced: true, shortNames: ['hrp'], categories: CAPI,
    columns: [col('Cluster', '.spec.clusterRef.name'), col('Ready', READY('status')), col('Reason', READY('reason')), col('Message', READY('message'), 1), col('Status', '.status.status'), col('Revision', '.status.revision')],
  },
  {
    group: 'addons.cluster.x-k8s.io', version: 'v1alpha1', kind: 'HelmChartProxy', plural: 'helmchartproxies', namespaced: true, shortNames: ['hcp'], categories: CAPI,
    columns: [col('Ready', READY('status')), col('Reason', READY('reason')), col('Message', READY('message'), 1)],
  },
  {
    group: 'cluster.x-k8s.io', version: 'v1beta1', kind: 'Cluster', plural: 'clusters', namespaced: true, shortNames: ['cl'], categories: CAPI,
    columns: [col('ClusterClass', '.spec.topology.class'), col('Phase', '.status.phase'), col('Age', '.metadata.creationTimestamp', 0, 'date'), col('Version', '.spec.topology.version')],
  },
  {
    group: 'cluster.x-k8s.io', version: 'v1beta1', kind: 'Machine', plural: 'machines', namespaced: true, shortNames: ['ma'], categories: CAPI,
    columns: [col('Cluster', '.spec.clusterName'), col('NodeName', '.status.nodeRef.name'), col('ProviderID', '.spec.providerID'), col('Phase', '.status.phase'), col('Age', '.metadata.creationTimestamp', 0, 'date'), col('Version', '.spec.version')],
  },
  { group: 'cluster.x-k8s.io', version: 'v1beta1', kind: 'MachineDeployment', plural: 'machinedeployments', namespaced: true, shortNames: ['md'], categories: CAPI },
  { group: 'cluster.x-k8s.io', version: 'v1beta1', kind: 'MachineSet', plural: 'machinesets', namespaced: true, shortNames: ['ms'], categories: CAPI },
  { group: 'cluster.x-k8s.io', version: 'v1beta1', kind: 'MachineHealthCheck', plural: 'machinehealthchecks', namespaced: true, shortNames: ['mhc', 'mhcs'], categories: CAPI },
  { group: 'cluster.x-k8s.io', version: 'v1beta1', kind: 'MachinePool', plural: 'machinepools', namespaced: true, shortNames: ['mp'], categories: CAPI },
  { group: 'cluster.x-k8s.io', version: 'v1beta1', kind: 'ClusterClass', plural: 'clusterclasses', namespaced: true, shortNames: ['cc'], categories: CAPI },
  { group: 'controlplane.cluster.x-k8s.io', version: 'v1beta1', kind: 'KubeadmControlPlane', plural: 'kubeadmcontrolplanes', namespaced: true, shortNames: ['kcp'], categories: CAPI },
];

function toType(b: Builtin, version = b.version): ResourceType {
  return {
    group: b.group,
    version,
    kind: b.kind,
    plural: b.plural,
    singular: b.kind.toLowerCase(),
    namespaced: b.namespaced,
    shortNames: [...(b.shortNames ?? [])],
    categories: [...(b.categories ?? [])],
    ...(b.columns ? { columns: b.columns } : {}),
  };
}

/** The built-in type of a group and kind, at the given version (the object's own). */
export function builtinByKind(group: string, kind: string, version?: string): ResourceType | undefined {
  const found = BUILTINS.find((b) => b.group === group && b.kind === kind);
  return found && toType(found, version);
}

/** The built-in type of a resource file's name (`pods`, `pvcs`, `storage-classes`, `helmreleaseproxies.addons.cluster.x-k8s.io`). */
export function builtinByFileName(name: string): ResourceType | undefined {
  const found = BUILTINS.find(
    (b) => b.plural === name || (b.group !== '' && `${b.plural}.${b.group}` === name) || (b.files ?? []).includes(name),
  );
  // `events` files hold core events; the events.k8s.io entry comes later in the table.
  return found && toType(found);
}

/** `Ingress` → `ingresses`, `NetworkPolicy` → `networkpolicies`: the plural an API server would most likely use. */
export function guessPlural(kind: string): string {
  const lower = kind.toLowerCase();
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export const groupVersion = (group: string, version: string) => (group === '' ? version : `${group}/${version}`);

/** Kubernetes version priority: v2 > v1 > v1beta2 > v1beta1 > v1alpha1 > anything else. */
export function compareVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    const stability = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
    return [stability, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [sa, ma, na] = rank(a);
  const [sb, mb, nb] = rank(b);
  return sb - sa || mb - ma || nb - na || a.localeCompare(b);
}

// ---------------------------------------------------------------------------------------------
// Discovery documents

/** The group → versions → types a cluster serves; versions in preference order, core group first. */
export interface ServedGroup {
  name: string;
  versions: { version: string; types: ResourceType[] }[];
}

export function groupsOf(types: Iterable<ResourceType>): ServedGroup[] {
  const byGroup = new Map<string, Map<string, ResourceType[]>>();
  for (const type of types) {
    let versions = byGroup.get(type.group);
    if (!versions) byGroup.set(type.group, (versions = new Map()));
    const list = versions.get(type.version);
    if (list) list.push(type);
    else versions.set(type.version, [type]);
  }
  if (!byGroup.has('')) byGroup.set('', new Map([['v1', []]]));
  const groups = [...byGroup.entries()].map(([name, versions]) => ({
    name,
    versions: [...versions.entries()]
      .sort(([a], [b]) => compareVersions(a, b))
      .map(([version, list]) => ({ version, types: list.sort((x, y) => x.plural.localeCompare(y.plural)) })),
  }));
  // Core first, then Kubernetes' own groups, then the rest, each by name (kubectl resolves short names in this order).
  const order = (g: string) => (g === '' ? 0 : g.endsWith('.k8s.io') || !g.includes('.') ? 1 : 2);
  return groups.sort((a, b) => order(a.name) - order(b.name) || a.name.localeCompare(b.name));
}

/** Subresources served: only the core pods' log (and status, which is the pod itself). */
const subresourcesOf = (t: ResourceType): string[] => (t.group === '' && t.plural === 'pods' ? ['log', 'status'] : []);
const VERBS = ['get', 'list'];

/** `/api/v1`, `/apis/<group>/<version>`: the legacy APIResourceList. */
export function apiResourceList(group: string, version: string, types: ResourceType[]): object {
  const resources: object[] = [];
  for (const t of types) {
    resources.push({
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: VERBS,
      ...(t.shortNames.length ? { shortNames: t.shortNames } : {}),
      ...(t.categories.length ? { categories: t.categories } : {}),
    });
    for (const sub of subresourcesOf(t)) {
      resources.push({ name: `${t.plural}/${sub}`, singularName: '', namespaced: t.namespaced, kind: t.kind, verbs: ['get'] });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion(group, version), resources };
}

/** `/api`: the legacy APIVersions. */
export function apiVersions(serverAddress: string): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function apiGroup(group: ServedGroup): object {
  const versions = group.versions.map((v) => ({ groupVersion: groupVersion(group.name, v.version), version: v.version }));
  return { name: group.name, versions, preferredVersion: versions[0] };
}

/** `/apis`: the legacy APIGroupList (every group but the core one). */
export function apiGroupList(groups: ServedGroup[]): object {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.filter((g) => g.name !== '').map(apiGroup) };
}

/** `/apis/<group>`: one APIGroup. */
export function apiGroupDocument(group: ServedGroup): object {
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group) };
}

/**
 * Aggregated discovery (apidiscovery.k8s.io v2 / v2beta1), what kubectl ≥ 1.26 asks `/api` and
 * `/apis` for first: every group, version and resource in one document.
 */
export function aggregatedDiscovery(groups: ServedGroup[], core: boolean, apiVersion: 'v2' | 'v2beta1'): object {
  const items = groups
    .filter((g) => (g.name === '') === core)
    .map((g) => ({
      metadata: { name: g.name, creationTimestamp: null },
      versions: g.versions.map((v) => ({
        version: v.version,
        freshness: 'Current',
        resources: v.types.map((t) => ({
          resource: t.plural,
          responseKind: { group: t.group, version: t.version, kind: t.kind },
          scope: t.namespaced ? 'Namespaced' : 'Cluster',
          singularResource: t.singular,
          verbs: VERBS,
          ...(t.shortNames.length ? { shortNames: t.shortNames } : {}),
          ...(t.categories.length ? { categories: t.categories } : {}),
          ...(subresourcesOf(t).length
            ? { subresources: subresourcesOf(t).map((sub) => ({ subresource: sub, responseKind: { group: t.group, version: t.version, kind: t.kind }, verbs: ['get'] })) }
            : {}),
        })),
      })),
    }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${apiVersion}`, metadata: {}, items };
}
