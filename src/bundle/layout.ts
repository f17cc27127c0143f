/**
 * What a path inside an input is, by layout alone (pure functions, no I/O).
 *
 * A cluster's root is the folder holding its `cluster-resources/` folder: `<top>/clusters/<name>` in
 * hrp-doctor bundles, `<top>` in troubleshoot bundles. Paths are normalised: forward slashes, no
 * leading `./`, no trailing slash.
 */

export const CLUSTER_RESOURCES = 'cluster-resources';
export const CLUSTER_INFO = 'cluster-info';

export type FileFormat = 'json' | 'yaml';

export type PathClass =
  /** hrp-doctor's manifest.json, at the input root or directly under its top folder. */
  | { kind: 'manifest'; root: string }
  /** A troubleshoot bundle's own files (version.yaml, analysis.json) at the top. version.yaml must say troubleshoot.sh to count. */
  | { kind: 'troubleshoot-marker'; file: 'version.yaml' | 'analysis.json' }
  | { kind: 'cluster-version'; clusterDir: string }
  | { kind: 'resource'; clusterDir: string; resource: string; namespace?: string; format: FileFormat }
  /**
   * What could not be collected. `keys` says what the keys of an object-shaped file are:
   * namespaces, or (troubleshoot's custom-resources-errors.json) CRD names, optionally `<crd>/<namespace>`.
   */
  | { kind: 'errors'; clusterDir: string; resource: string; namespace?: string; keys: 'namespace' | 'crd' }
  | { kind: 'log'; clusterDir: string; namespace: string; pod: string; container: string; previous: boolean }
  /** troubleshoot's `<container>-logs-errors.log`: why a container's log could not be collected. */
  | { kind: 'log-error'; clusterDir: string; namespace: string; pod: string; container: string }
  /** Inside a cluster's folder, but nothing the reader uses. */
  | { kind: 'ignored'; clusterDir: string }
  /** A JSON/YAML file outside any cluster folder: a resource file if the input is a folder of plain kubectl outputs. */
  | { kind: 'plain'; format: FileFormat; resource: string }
  | { kind: 'other' };

/** Folders in `cluster-resources/` that hold no Kubernetes objects. */
const IGNORED_DIRS = new Set(['auth-cani-list', 'image-pull-secrets']);
/** Files in `cluster-resources/` that hold no Kubernetes objects (API discovery). */
const IGNORED_FILES = new Set(['groups', 'resources']);
/** troubleshoot error files whose name is not `<resource>-errors.json`. */
const ERROR_FILE_RESOURCE: Record<string, string> = {
  storage: 'storage-classes',
};

const LOG_SUFFIX = '.log';
const PREVIOUS_SUFFIX = '-previous';
const LOG_ERRORS_SUFFIX = '-logs-errors';
const ERRORS_SUFFIX = '-errors';

export function formatOf(name: string): FileFormat | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  return undefined;
}

/** The file name without its `.json`/`.yaml`/`.yml`/`.log` extension. */
export function stem(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

function withoutSuffix(name: string, suffix: string): string | undefined {
  return name.length > suffix.length && name.endsWith(suffix) ? name.slice(0, -suffix.length) : undefined;
}

/**
 * The cluster root a path belongs to: the prefix before its first `cluster-resources` component
 * (for a directory entry, the component may be the last one). '' for a root at the input root.
 */
export function clusterRootOf(path: string, isDirectory = false): string | undefined {
  const parts = path.split('/');
  const limit = isDirectory ? parts.length : parts.length - 1;
  for (let i = 0; i < limit; i++) {
    if (parts[i] === CLUSTER_RESOURCES) return parts.slice(0, i).join('/');
  }
  return undefined;
}

export function classifyPath(path: string): PathClass {
  const parts = path.split('/');
  const name = parts[parts.length - 1] ?? '';
  const depth = parts.length; // 1: at the input root, 2: in the top folder

  const root = clusterRootOf(path);
  if (root !== undefined) {
    const rootDepth = root === '' ? 0 : root.split('/').length;
    return classifyInClusterResources(root, parts.slice(rootDepth + 1));
  }

  if (name === 'cluster_version.json' && depth >= 2 && parts[depth - 2] === CLUSTER_INFO) {
    return { kind: 'cluster-version', clusterDir: parts.slice(0, depth - 2).join('/') };
  }
  if (depth <= 2) {
    if (name === 'manifest.json') return { kind: 'manifest', root: depth === 2 ? parts[0]! : '' };
    if (name === 'version.yaml' || name === 'analysis.json') return { kind: 'troubleshoot-marker', file: name };
  }
  const format = formatOf(name);
  if (format) return { kind: 'plain', format, resource: stem(name) };
  return { kind: 'other' };
}

/** `rel`: the path components after `cluster-resources/`. */
function classifyInClusterResources(clusterDir: string, rel: string[]): PathClass {
  const ignored: PathClass = { kind: 'ignored', clusterDir };
  const file = rel[rel.length - 1] ?? '';

  // pods/logs/<namespace>/<pod>/<container>[-previous].log
  if (rel[0] === 'pods' && rel[1] === 'logs') {
    if (rel.length !== 5 || !file.endsWith(LOG_SUFFIX)) return ignored;
    const [, , namespace, pod] = rel as [string, string, string, string, string];
    const base = file.slice(0, -LOG_SUFFIX.length);
    if (base === '') return ignored;
    const failed = withoutSuffix(base, LOG_ERRORS_SUFFIX);
    if (failed !== undefined) return { kind: 'log-error', clusterDir, namespace, pod, container: failed };
    const previous = withoutSuffix(base, PREVIOUS_SUFFIX);
    return { kind: 'log', clusterDir, namespace, pod, container: previous ?? base, previous: previous !== undefined };
  }

  const format = formatOf(file);
  if (!format) return ignored;
  const base = stem(file);

  if (rel[0] === 'custom-resources') {
    if (rel.length === 2) {
      const erred = format === 'json' ? withoutSuffix(base, ERRORS_SUFFIX) : undefined;
      if (erred === 'custom-resources') return { kind: 'errors', clusterDir, resource: 'custom-resources', keys: 'crd' };
      if (erred !== undefined) return { kind: 'errors', clusterDir, resource: erred, keys: 'namespace' };
      return { kind: 'resource', clusterDir, resource: base, format };
    }
    if (rel.length === 3) {
      const resource = rel[1]!;
      const erred = format === 'json' ? withoutSuffix(base, ERRORS_SUFFIX) : undefined;
      if (erred !== undefined) return { kind: 'errors', clusterDir, resource, namespace: erred, keys: 'namespace' };
      return { kind: 'resource', clusterDir, resource, namespace: base, format };
    }
    return ignored;
  }

  if (rel.length === 1) {
    const erred = format === 'json' ? withoutSuffix(base, ERRORS_SUFFIX) : undefined;
    if (erred !== undefined) return { kind: 'errors', clusterDir, resource: ERROR_FILE_RESOURCE[erred] ?? erred, keys: 'namespace' };
    if (IGNORED_FILES.has(base)) return ignored;
    return { kind: 'resource', clusterDir, resource: base, format };
  }

  if (rel.length === 2) {
    const dir = rel[0]!;
    if (IGNORED_DIRS.has(dir)) return ignored;
    // Some troubleshoot versions wrote replicasets to `statefulsets-errors.json/<namespace>.json`.
    const misplaced = withoutSuffix(dir, `${ERRORS_SUFFIX}.json`);
    const resource = misplaced === undefined ? dir : misplaced === 'statefulsets' ? 'replicasets' : misplaced;
    const erred = format === 'json' ? withoutSuffix(base, ERRORS_SUFFIX) : undefined;
    if (erred !== undefined) return { kind: 'errors', clusterDir, resource, namespace: erred, keys: 'namespace' };
    return { kind: 'resource', clusterDir, resource, namespace: base, format };
  }

  return ignored;
}

