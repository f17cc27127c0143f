/**
 * The objects and logs `hrp-doctor serve` answers from: every object of every cluster of the given
 * bundles, kept whole (not pruned like the analyzer's snapshot), indexed by cluster, resource type
 * (group/version/plural), namespace and name.
 */
import { basename } from 'node:path';
import { classifyPath } from '../bundle/layout.js';
import { readInputs } from '../bundle/read.js';
import type { BundleSink, ClusterFound, ClusterKey, InputSpec, LogTail, ManifestFound, Origin, Problem } from '../bundle/types.js';
import {
  builtinByFileName, builtinByKind, groupsOf, guessPlural, splitApiVersion, type PrinterColumn, type ResourceType, type ServedGroup,
} from './discovery.js';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

export type ClusterRole = 'management' | 'workload' | 'unknown';

const typeKey = (group: string, version: string, plural: string) => `${group}/${version}/${plural}`;
const nsName = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;
const logKey = (namespace: string, pod: string, container: string, previous: boolean) => `${namespace}/${pod}/${container}${previous ? '#previous' : ''}`;

/** One served cluster: its types, objects and logs. */
export class ClusterStore {
  private readonly types = new Map<string, ResourceType>();
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly logs = new Map<string, string[]>();
  /** For a workload cluster: the CAPI Cluster (in a management cluster) it is. */
  capiCluster?: { namespace: string; name: string };
  /** Where that CAPI Cluster lives, when known from the manifest. */
  managementCluster?: string;

  constructor(
    readonly name: string,
    readonly role: ClusterRole,
    readonly input: string,
    readonly serverVersion?: string,
  ) {}

  /** Registers a type; returns the registered one (the first registration of a group/version/plural wins). */
  addType(type: ResourceType): ResourceType {
    const key = typeKey(type.group, type.version, type.plural);
    const known = this.types.get(key);
    if (known) return known;
    this.types.set(key, type);
    return type;
  }

  type(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types.get(typeKey(group, version, plural));
  }

  /** The type of a group, version and kind, when registered. */
  typeOfKindAt(group: string, version: string, kind: string): ResourceType | undefined {
    for (const type of this.types.values()) if (type.group === group && type.version === version && type.kind === kind) return type;
    return undefined;
  }

  allTypes(): ResourceType[] {
    return [...this.types.values()];
  }

  groups(): ServedGroup[] {
    return groupsOf(this.types.values());
  }

  /** Adds an object of a registered type; returns false when one with the same namespace and name is there (JSON/YAML twins). */
  add(type: ResourceType, obj: KubeObject, replace = false): boolean {
    const key = typeKey(type.group, type.version, type.plural);
    let byName = this.objects.get(key);
    if (!byName) this.objects.set(key, (byName = new Map()));
    const id = nsName(type.namespaced ? obj.metadata.namespace : undefined, obj.metadata.name);
    if (byName.has(id) && !replace) return false;
    byName.set(id, obj);
    return true;
  }

  /** Objects of a type, in one namespace or all, ordered by namespace and name like the API server. */
  list(type: ResourceType, namespace?: string): KubeObject[] {
    const all = [...(this.objects.get(typeKey(type.group, type.version, type.plural))?.values() ?? [])];
    const selected = namespace === undefined || !type.namespaced ? all : all.filter((o) => o.metadata.namespace === namespace);
    return selected.sort((a, b) => nsName(a.metadata.namespace, a.metadata.name).localeCompare(nsName(b.metadata.namespace, b.metadata.name)));
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.objects.get(typeKey(type.group, type.version, type.plural))?.get(nsName(type.namespaced ? namespace : undefined, name));
  }

  count(): number {
    let n = 0;
    for (const byName of this.objects.values()) n += byName.size;
    return n;
  }

  addLog(tail: Pick<LogTail, 'namespace' | 'pod' | 'container' | 'previous' | 'lines'>): void {
    this.logs.set(logKey(tail.namespace, tail.pod, tail.container, tail.previous), tail.lines);
  }

  /** The log lines of one container instance, oldest first; undefined when the bundle has none. */
  log(namespace: string, pod: string, container: string, previous: boolean): string[] | undefined {
    return this.logs.get(logKey(namespace, pod, container, previous));
  }

  /** Containers of a pod that have a log in the bundle. */
  loggedContainers(namespace: string, pod: string): string[] {
    const prefix = `${namespace}/${pod}/`;
    const names = new Set<string>();
    for (const key of this.logs.keys()) if (key.startsWith(prefix)) names.add(key.slice(prefix.length).replace(/#previous$/, ''));
    return [...names].sort();
  }
}

/** All served clusters, by name, in the order the bundles gave them (management clusters first within a bundle). */
export class BundleStore {
  constructor(
    readonly clusters: ClusterStore[],
    readonly problems: Problem[],
  ) {}

  cluster(name: string): ClusterStore | undefined {
    return this.clusters.find((c) => c.name === name);
  }

  names(): string[] {
    return this.clusters.map((c) => c.name);
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

interface RawObject {
  raw: Record<string, unknown>;
  source: string;
}

interface PendingCluster {
  key: ClusterKey;
  objects: RawObject[];
  logs: LogTail[];
  found?: ClusterFound;
}

interface ManifestCluster {
  name: string;
  role?: string;
  dir: string;
  capiCluster?: { namespace: string; name: string };
}

/** A BundleSink that keeps everything raw: objects as read, full logs, manifests and cluster folders. */
export class RawSink implements BundleSink {
  readonly pending = new Map<string, PendingCluster>();
  readonly manifests: { found: ManifestFound; clusters: ManifestCluster[] }[] = [];
  readonly problems: Problem[] = [];

  private clusterFor(key: ClusterKey): PendingCluster {
    const id = `${key.input}\u0000${key.dir}`;
    let entry = this.pending.get(id);
    if (!entry) this.pending.set(id, (entry = { key, objects: [], logs: [] }));
    return entry;
  }

  object(raw: unknown, origin: Origin): void {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return;
    this.clusterFor(origin.cluster).objects.push({ raw: raw as Record<string, unknown>, source: origin.source });
  }

  log(tail: LogTail): void {
    this.clusterFor(tail.cluster).logs.push(tail);
  }

  collectionError(): void {
    // What could not be collected is simply absent: the server answers 404 or an empty list, as it would for anything else it lacks.
  }

  manifest(found: ManifestFound): void {
    const clusters = (found.manifest as { clusters?: unknown } | null)?.clusters;
    if (!Array.isArray(clusters)) {
      this.problems.push({ input: found.input, source: found.source, message: 'manifest.json has no clusters list; ignored' });
      return;
    }
    const valid = clusters.filter(
      (c): c is ManifestCluster => typeof c === 'object' && c !== null && typeof c.name === 'string' && typeof c.dir === 'string',
    );
    this.manifests.push({ found, clusters: valid });
  }

  cluster(found: ClusterFound): void {
    this.clusterFor(found.cluster).found = found;
  }

  problem(problem: Problem): void {
    this.problems.push(problem);
  }
}

const trimSlashes = (path: string) => path.replace(/^\.?\/+|\/+$/g, '');
const joinPath = (root: string, dir: string) => [trimSlashes(root), trimSlashes(dir)].filter(Boolean).join('/');

/** A cluster name usable as one URL path segment and as a kubeconfig context name. */
export function safeClusterName(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  return cleaned || 'cluster';
}

/** Reads the bundles with logs kept whole and builds the store. Throws UnreadableInputError like `analyze`. */
export async function loadBundles(specs: InputSpec[]): Promise<BundleStore> {
  const sink = new RawSink();
  await readInputs(specs, sink, { logTailLines: 1_000_000, logTailBytes: 64 << 20 });
  return buildStore(sink, specs);
}

export function buildStore(sink: RawSink, specs: InputSpec[]): BundleStore {
  const specIndex = (input: string) => {
    const i = specs.findIndex((s) => s.path === input);
    return i < 0 ? specs.length : i;
  };
  const entries: { pending: PendingCluster; manifest?: ManifestCluster; order: number }[] = [];
  for (const pending of sink.pending.values()) {
    if (!pending.found) continue; // only logs or errors under a path that held no cluster data
    let manifest: ManifestCluster | undefined;
    let order = Number.MAX_SAFE_INTEGER;
    for (const m of sink.manifests) {
      if (m.found.input !== pending.key.input) continue;
      const i = m.clusters.findIndex((c) => joinPath(m.found.root, c.dir) === trimSlashes(pending.key.dir));
      if (i >= 0) {
        manifest = m.clusters[i];
        order = i;
      }
    }
    entries.push({ pending, ...(manifest ? { manifest } : {}), order });
  }
  entries.sort(
    (a, b) => specIndex(a.pending.key.input) - specIndex(b.pending.key.input) || a.order - b.order || a.pending.key.dir.localeCompare(b.pending.key.dir),
  );

  const taken = new Set<string>();
  const clusters: ClusterStore[] = [];
  for (const { pending, manifest } of entries) {
    const spec = specs.find((s) => s.path === pending.key.input);
    const single = entries.filter((e) => e.pending.key.input === pending.key.input).length === 1;
    const given = manifest?.name ?? (single ? spec?.clusterName : undefined);
    const fromFile = basename(pending.key.input.replace(/\/+$/, '')).replace(/\.(tgz|tar\.gz|tar)$/i, '');
    const base = safeClusterName(given ?? (pending.key.dir && !single ? basename(pending.key.dir) : fromFile));
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
    taken.add(name);

    const role: ClusterRole = manifest?.role === 'management' || manifest?.role === 'workload' ? manifest.role : 'unknown';
    const cluster = new ClusterStore(name, role, pending.key.input, pending.found?.serverVersion);
    if (manifest?.capiCluster && typeof manifest.capiCluster.name === 'string' && typeof manifest.capiCluster.namespace === 'string') {
      cluster.capiCluster = { namespace: manifest.capiCluster.namespace, name: manifest.capiCluster.name };
    }
    fillCluster(cluster, pending, sink.problems);
    clusters.push(cluster);
  }

  // A workload cluster's management cluster: the one holding its CAPI Cluster, else the management cluster of its manifest.
  for (const cluster of clusters) {
    if (!cluster.capiCluster) continue;
    const { namespace, name } = cluster.capiCluster;
    const holder = clusters.find((c) => c !== cluster && capiClusterObject(c, namespace, name));
    const sameBundle = clusters.find((c) => c !== cluster && c.input === cluster.input && c.role === 'management');
    const management = holder ?? sameBundle;
    if (management) cluster.managementCluster = management.name;
  }
  // A foreign bundle named NAME=PATH: linked when exactly one other cluster holds a CAPI Cluster of that name.
  for (const cluster of clusters) {
    if (cluster.capiCluster || !specs.some((s) => s.path === cluster.input && s.clusterName)) continue;
    const matches = clusters.flatMap((c) => (c === cluster ? [] : capiClustersNamed(c, cluster.name).map((obj) => ({ c, obj }))));
    if (matches.length !== 1) continue;
    const { c, obj } = matches[0]!;
    cluster.capiCluster = { namespace: obj.metadata.namespace ?? 'default', name: obj.metadata.name };
    cluster.managementCluster = c.name;
  }
  return new BundleStore(clusters, sink.problems);
}

function capiClusterTypes(cluster: ClusterStore): ResourceType[] {
  return cluster.allTypes().filter((t) => t.group === 'cluster.x-k8s.io' && t.kind === 'Cluster');
}

function capiClusterObject(cluster: ClusterStore, namespace: string, name: string): KubeObject | undefined {
  for (const type of capiClusterTypes(cluster)) {
    const found = cluster.get(type, namespace, name);
    if (found) return found;
  }
  return undefined;
}

function capiClustersNamed(cluster: ClusterStore, name: string): KubeObject[] {
  return capiClusterTypes(cluster).flatMap((type) => cluster.list(type).filter((o) => o.metadata.name === name));
}

/** What a bundle's CRD says: a resource type for each of its served versions. */
interface CrdInfo extends Omit<ResourceType, 'version' | 'columns'> {
  /** Served versions, preferred (storage) first, with their printer columns. */
  versions: { name: string; columns?: PrinterColumn[] }[];
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** What a CustomResourceDefinition of the bundle says about its kind (plural, scope, short names, columns). */
function crdInfo(raw: Record<string, unknown>): CrdInfo | undefined {
  const spec = raw['spec'] as Record<string, unknown> | undefined;
  const names = spec?.['names'] as Record<string, unknown> | undefined;
  const group = str(spec?.['group']);
  const kind = str(names?.['kind']);
  const plural = str(names?.['plural']);
  if (!group || !kind || !plural) return undefined;
  const versions: CrdInfo['versions'] = [];
  const rawVersions = Array.isArray(spec?.['versions']) ? (spec['versions'] as Record<string, unknown>[]) : [];
  for (const v of rawVersions) {
    const name = str(v?.['name']);
    if (!name || v['served'] === false) continue;
    const columns = Array.isArray(v['additionalPrinterColumns'])
      ? (v['additionalPrinterColumns'] as Record<string, unknown>[]).flatMap((c) => {
          const colName = str(c?.['name']);
          const jsonPath = str(c?.['jsonPath']) ?? str(c?.['JSONPath']);
          return colName && jsonPath
            ? [{ name: colName, jsonPath, type: str(c['type']) ?? 'string', priority: typeof c['priority'] === 'number' ? c['priority'] : 0 }]
            : [];
        })
      : undefined;
    const entry = { name, ...(columns && columns.length ? { columns } : {}) };
    if (v['storage'] === true) versions.unshift(entry);
    else versions.push(entry);
  }
  if (versions.length === 0 && str(spec?.['version'])) versions.push({ name: str(spec?.['version'])! });
  return {
    group,
    kind,
    plural,
    singular: str(names?.['singular']) ?? kind.toLowerCase(),
    namespaced: spec?.['scope'] !== 'Cluster',
    shortNames: strings(names?.['shortNames']),
    categories: strings(names?.['categories']),
    versions,
  };
}

/** Indexes one cluster's raw objects and logs into its store. */
function fillCluster(cluster: ClusterStore, pending: PendingCluster, problems: Problem[]): void {
  // Pass 1: what each object is (apiVersion and kind, from the object or else from its file), and the bundle's CRDs.
  const typed: { obj: KubeObject; group: string; version: string; hint: FileHint }[] = [];
  const crds = new Map<string, CrdInfo>();
  let skipped = 0;
  for (const { raw, source } of pending.objects) {
    const hint = fileHint(source);
    const fromFile = hint.resource ? builtinByFileName(hint.resource) : undefined;
    const apiVersion = str(raw['apiVersion']) ?? (fromFile && (fromFile.group ? `${fromFile.group}/${fromFile.version}` : fromFile.version));
    const kind = str(raw['kind']) ?? fromFile?.kind;
    const metadata = raw['metadata'] as Record<string, unknown> | undefined;
    const name = str(metadata?.['name']);
    if (!apiVersion || !kind || !name || kind.endsWith('List')) {
      skipped++;
      continue;
    }
    const { group, version } = splitApiVersion(apiVersion);
    const obj = { ...raw, apiVersion, kind, metadata: { ...metadata, name } } as KubeObject;
    typed.push({ obj, group, version, hint });
    if (group === 'apiextensions.k8s.io' && kind === 'CustomResourceDefinition') {
      const info = crdInfo(raw);
      if (info) crds.set(`${info.group}/${info.kind}`, info);
    }
  }
  if (skipped > 0) {
    problems.push({ input: pending.key.input, source: pending.key.dir, message: `serve: ${skipped} objects without apiVersion, kind or name were left out of cluster ${cluster.name}` });
  }

  // Pass 2: each object under its type.
  for (const { obj, group, version, hint } of typed) {
    const type = cluster.typeOfKindAt(group, version, obj.kind) ?? cluster.addType(resolveType(group, version, obj, hint, crds));
    if (type.namespaced && !str(obj.metadata.namespace)) obj.metadata.namespace = hint.namespace ?? 'default';
    cluster.add(type, obj);
  }

  // Resource files that held no objects still make their type known (an empty list, not "no such resource").
  for (const resource of pending.found?.resourcesSeen ?? []) {
    const builtin = builtinByFileName(resource);
    if (builtin) {
      if (!cluster.allTypes().some((t) => t.group === builtin.group && t.plural === builtin.plural)) cluster.addType(builtin);
      continue;
    }
    const dot = resource.indexOf('.');
    if (dot < 0) continue;
    const plural = resource.slice(0, dot);
    const group = resource.slice(dot + 1);
    if (cluster.allTypes().some((t) => t.group === group && t.plural === plural)) continue;
    const crd = [...crds.values()].find((c) => c.group === group && c.plural === plural);
    if (crd && crd.versions[0]) cluster.addType(typeFromCrd(crd, crd.versions[0].name));
  }

  for (const tail of pending.logs) cluster.addLog(tail);
}

interface FileHint {
  /** The resource as the file's path names it: `pods`, `pvcs`, `helmreleaseproxies.addons.cluster.x-k8s.io`. */
  resource?: string;
  namespace?: string;
}

function fileHint(source: string): FileHint {
  const what = classifyPath(source);
  if (what.kind === 'resource') return { resource: what.resource, ...(what.namespace ? { namespace: what.namespace } : {}) };
  if (what.kind === 'plain') return { resource: what.resource };
  return {};
}

function typeFromCrd(crd: CrdInfo, version: string): ResourceType {
  const columns = crd.versions.find((v) => v.name === version)?.columns;
  return {
    group: crd.group,
    version,
    kind: crd.kind,
    plural: crd.plural,
    singular: crd.singular,
    namespaced: crd.namespaced,
    shortNames: crd.shortNames,
    categories: crd.categories,
    ...(columns ? { columns } : {}),
  };
}

/** The type of an object: Kubernetes' own table, the bundle's CRD, the well-known CAPI kinds, the file's `<plural>.<group>`, or a guess. */
function resolveType(group: string, version: string, obj: KubeObject, hint: FileHint, crds: Map<string, CrdInfo>): ResourceType {
  const crd = crds.get(`${group}/${obj.kind}`);
  if (crd) return typeFromCrd(crd, version);
  const builtin = builtinByKind(group, obj.kind, version);
  if (builtin) return builtin;
  const suffix = `.${group}`;
  const plural =
    group !== '' && hint.resource?.endsWith(suffix) && hint.resource.length > suffix.length ? hint.resource.slice(0, -suffix.length) : guessPlural(obj.kind);
  return {
    group,
    version,
    kind: obj.kind,
    plural,
    singular: obj.kind.toLowerCase(),
    namespaced: str(obj.metadata.namespace) !== undefined,
    shortNames: [],
    categories: [],
  };
}
