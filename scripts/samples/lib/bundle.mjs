// Turning a cluster's objects and logs into bundle files (hrp-doctor native layout or
// Replicated troubleshoot layout), and writing a bundle as a directory and a
// byte-reproducible .tgz.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import { goJSON, goTypedOrder, goYAML, int, kubectlJSON, ms } from './util.mjs';

/** Fixed mtime of every tar entry. */
export const TAR_MTIME = new Date('2025-12-27T10:04:11Z');

// ---------------------------------------------------------------------------- kinds -> resources

const BUILTIN = {
  // kind: [resource, namespaced, group]
  Namespace: ['namespaces', false, ''],
  Node: ['nodes', false, ''],
  PersistentVolume: ['persistentvolumes', false, ''],
  StorageClass: ['storageclasses', false, 'storage.k8s.io'],
  PriorityClass: ['priorityclasses', false, 'scheduling.k8s.io'],
  Pod: ['pods', true, ''],
  Event: ['events', true, ''],
  ConfigMap: ['configmaps', true, ''],
  Secret: ['secrets', true, ''],
  Service: ['services', true, ''],
  Endpoints: ['endpoints', true, ''],
  ServiceAccount: ['serviceaccounts', true, ''],
  PersistentVolumeClaim: ['persistentvolumeclaims', true, ''],
  Deployment: ['deployments', true, 'apps'],
  ReplicaSet: ['replicasets', true, 'apps'],
  DaemonSet: ['daemonsets', true, 'apps'],
  StatefulSet: ['statefulsets', true, 'apps'],
  Job: ['jobs', true, 'batch'],
  CronJob: ['cronjobs', true, 'batch'],
};

// Plurals of the custom kinds the samples use, and whether they are cluster-scoped.
const CUSTOM = {
  Cluster: 'clusters',
  Machine: 'machines',
  MachineSet: 'machinesets',
  MachineDeployment: 'machinedeployments',
  MachineHealthCheck: 'machinehealthchecks',
  KubeadmControlPlane: 'kubeadmcontrolplanes',
  KubeadmConfig: 'kubeadmconfigs',
  NutanixCluster: 'nutanixclusters',
  NutanixMachine: 'nutanixmachines',
  VSphereCluster: 'vsphereclusters',
  VSphereMachine: 'vspheremachines',
  HelmChartProxy: 'helmchartproxies',
  HelmReleaseProxy: 'helmreleaseproxies',
  Installation: 'installations',
  TigeraStatus: 'tigerastatuses',
  IPPool: 'ippools',
  CiliumNode: 'ciliumnodes',
};
const CLUSTER_SCOPED_CUSTOM = new Set(['Installation', 'TigeraStatus', 'IPPool', 'CiliumNode']);

/** `{ resource, namespaced, custom }` for an object, from its own apiVersion/kind. */
export function resourceOf(obj) {
  const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
  const b = BUILTIN[obj.kind];
  if (b && b[2] === group) return { resource: b[0], namespaced: b[1], custom: false };
  const plural = CUSTOM[obj.kind];
  if (!plural) throw new Error(`no resource mapping for ${obj.apiVersion} ${obj.kind}`);
  return { resource: `${plural}.${group}`, namespaced: !CLUSTER_SCOPED_CUSTOM.has(obj.kind), custom: true };
}

// ---------------------------------------------------------------------------- cluster data

/**
 * Everything known about one cluster at snapshot time: API objects and container logs.
 * resourceVersions are assigned at render time from the newest timestamp inside each
 * object, so that later-modified objects get larger versions (as etcd would).
 */
export class ClusterData {
  constructor({ name, epoch, now, rvBase = 1000, rvPerSecond = 2 }) {
    this.name = name;
    this.epoch = epoch;
    this.now = now;
    this.rvBase = rvBase;
    this.rvPerSecond = rvPerSecond;
    this.objects = [];
    this.logs = [];
  }

  add(...objs) {
    for (const o of objs.flat(Infinity)) {
      if (!o) continue;
      if (!o.apiVersion || !o.kind || !o.metadata?.name) throw new Error(`bad object ${JSON.stringify(o).slice(0, 200)}`);
      this.objects.push(o);
    }
    return this;
  }

  log(namespace, pod, container, lines, { previous = false } = {}) {
    const text = Array.isArray(lines) ? lines.join('\n') + '\n' : lines;
    this.logs.push({ namespace, pod, container, previous, text });
    return this;
  }

  /** Objects of a kind (for cross-referencing inside a sample). */
  find(kind, name) {
    return this.objects.find((o) => o.kind === kind && o.metadata.name === name);
  }

  namespaces() {
    return this.objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name).sort();
  }

  /** Assign metadata.resourceVersion (and involvedObject.resourceVersion of events) deterministically. */
  finalize() {
    const byKey = new Map();
    for (const o of this.objects) {
      const newest = newestTimestamp(o) ?? ms(this.epoch);
      const secs = Math.max(0, (Math.min(newest, ms(this.now)) - ms(this.epoch)) / 1000);
      const rv = this.rvBase + Math.floor(secs * this.rvPerSecond) + int(0, 97, this.name, o.kind, o.metadata.namespace ?? '', o.metadata.name);
      o.metadata.resourceVersion = String(rv);
      byKey.set(`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, o.metadata.resourceVersion);
    }
    for (const o of this.objects) {
      if (o.kind === 'Event' && o.involvedObject && o.involvedObject.resourceVersion === true) {
        const rv = byKey.get(`${o.involvedObject.kind}/${o.involvedObject.namespace ?? ''}/${o.involvedObject.name}`);
        if (rv) o.involvedObject.resourceVersion = rv;
        else delete o.involvedObject.resourceVersion;
      }
    }
    return this;
  }

  /** Group objects by resource and namespace: Map<resource, {namespaced, custom, byNs: Map<ns, obj[]>}> */
  grouped() {
    const out = new Map();
    for (const o of this.objects) {
      const r = resourceOf(o);
      if (!out.has(r.resource)) out.set(r.resource, { ...r, byNs: new Map() });
      const ns = r.namespaced ? o.metadata.namespace : '';
      const g = out.get(r.resource);
      if (!g.byNs.has(ns)) g.byNs.set(ns, []);
      g.byNs.get(ns).push(o);
    }
    for (const g of out.values()) for (const items of g.byNs.values()) items.sort(byName);
    return out;
  }
}

function byName(a, b) {
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

const TS_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function newestTimestamp(v, best = null) {
  if (typeof v === 'string') {
    if (TS_RE.test(v)) {
      const t = Date.parse(v);
      return best === null || t > best ? t : best;
    }
    return best;
  }
  if (Array.isArray(v)) {
    for (const x of v) best = newestTimestamp(x, best);
    return best;
  }
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'annotations' || k === 'values' || k === 'valuesTemplate' || k === 'data') continue;
      best = newestTimestamp(x, best);
    }
  }
  return best;
}

// ---------------------------------------------------------------------------- native layout

/** Namespaced built-in resources the hrp-doctor collector lists in every namespace. */
export const NATIVE_NS_RESOURCES = [
  'pods',
  'events',
  'deployments',
  'replicasets',
  'daemonsets',
  'statefulsets',
  'jobs',
  'services',
  'endpoints',
  'configmaps',
  'secrets',
];

function duration(key, bytes) {
  return 70 + int(0, 260, 'duration', key) + Math.round(bytes / 3000);
}

/**
 * Files of one cluster in the native layout, each with the collector command that produced it.
 * opts.custom: [{ resource, namespaces: [..] }] for namespaced CRs, [{ resource, clusterScoped: true }].
 */
export function nativeClusterFiles(data, { dir, version, clusterResources = ['namespaces', 'nodes'], nsResources = NATIVE_NS_RESOURCES, custom = [] }) {
  data.finalize();
  const groups = data.grouped();
  const files = [];
  const emit = (rel, content, command) => {
    const p = `${dir}/${rel}`;
    files.push({ path: p, content, command, cluster: data.name, durationMs: duration(p, content.length) });
  };
  const list = (items) => kubectlJSON({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } });

  emit('cluster-info/cluster_version.json', JSON.stringify(version, null, 2) + '\n', ['kubectl', 'get', '--raw', '/version']);

  for (const r of clusterResources) {
    const items = groups.get(r)?.byNs.get('') ?? [];
    emit(`cluster-resources/${r}.json`, list(items), ['kubectl', 'get', r, '-o', 'json']);
  }
  const namespaces = data.namespaces();
  for (const r of nsResources) {
    for (const ns of namespaces) {
      const items = groups.get(r)?.byNs.get(ns) ?? [];
      const cmd = r === 'secrets'
        ? ['kubectl', 'get', 'secrets', '-n', ns, '-l', 'owner=helm', '-o', 'json']
        : ['kubectl', 'get', r, '-n', ns, '-o', 'json'];
      emit(`cluster-resources/${r}/${ns}.json`, list(items), cmd);
    }
  }
  for (const c of custom) {
    if (c.clusterScoped) {
      const items = groups.get(c.resource)?.byNs.get('') ?? [];
      emit(`cluster-resources/custom-resources/${c.resource}.json`, list(items), ['kubectl', 'get', c.resource, '-o', 'json']);
    } else {
      for (const ns of c.namespaces) {
        const items = groups.get(c.resource)?.byNs.get(ns) ?? [];
        emit(`cluster-resources/custom-resources/${c.resource}/${ns}.json`, list(items), ['kubectl', 'get', c.resource, '-n', ns, '-o', 'json']);
      }
    }
  }
  // sanity: every object must land in some file
  for (const [r, g] of groups) {
    const written = g.custom
      ? custom.some((c) => c.resource === r)
      : (g.namespaced ? nsResources.includes(r) : clusterResources.includes(r));
    if (!written) throw new Error(`${data.name}: objects of ${r} are not collected by the layout`);
  }
  const logs = [...data.logs].sort((a, b) => logPath(a).localeCompare(logPath(b)));
  for (const l of logs) {
    const cmd = ['kubectl', 'logs', '-n', l.namespace, l.pod, '-c', l.container, '--tail=2000', '--limit-bytes=2097152'];
    if (l.previous) cmd.push('--previous');
    emit(`cluster-resources/${logPath(l)}`, l.text, cmd);
  }
  return files;
}

function logPath(l) {
  return `pods/logs/${l.namespace}/${l.pod}/${l.container}${l.previous ? '-previous' : ''}.log`;
}

/**
 * A whole native bundle: Map<path inside the archive, string>.
 * clusters: [{ data, role, kubeconfig, context, capiCluster, layout }]
 */
export function nativeBundle({ root, createdAt, clusters }) {
  const out = new Map();
  const collection = [];
  for (const c of clusters) {
    const dir = `clusters/${c.data.name}`;
    const files = nativeClusterFiles(c.data, { dir, ...c.layout });
    for (const f of files) {
      out.set(`${root}/${f.path}`, f.content);
      collection.push({ cluster: f.cluster, command: f.command, output: f.path, exitCode: 0, durationMs: f.durationMs });
    }
  }
  let replacements = 0;
  for (const content of out.values()) replacements += content.split('***HIDDEN***').length - 1;
  const manifest = {
    format: 'hrp-doctor.bundle/v1',
    createdAt,
    tool: { name: 'hrp-doctor', version: '0.1.0' },
    clusters: clusters.map((c) => {
      const m = { name: c.data.name, role: c.role, dir: `clusters/${c.data.name}` };
      if (c.kubeconfig) m.kubeconfig = c.kubeconfig;
      if (c.context) m.context = c.context;
      if (c.capiCluster) m.capiCluster = c.capiCluster;
      return m;
    }),
    collection,
    redaction: { applied: true, replacements },
  };
  out.set(`${root}/manifest.json`, JSON.stringify(manifest, null, 2) + '\n');
  return out;
}

// ---------------------------------------------------------------------------- troubleshoot layout

const LIST_KIND = {
  namespaces: 'NamespaceList',
  nodes: 'NodeList',
  pods: 'PodList',
  events: 'EventList',
  services: 'ServiceList',
  deployments: 'DeploymentList',
  replicasets: 'ReplicaSetList',
  daemonsets: 'DaemonSetList',
  statefulsets: 'StatefulSetList',
  jobs: 'JobList',
  configmaps: 'ConfigMapList',
  endpoints: 'EndpointsList',
  'storage-classes': 'StorageClassList',
};
const LIST_API = { deployments: 'apps/v1', replicasets: 'apps/v1', daemonsets: 'apps/v1', statefulsets: 'apps/v1', jobs: 'batch/v1', 'storage-classes': 'storage.k8s.io/v1' };

/** Typed object as client-go marshals it: kind and apiVersion first (TypeMeta), metadata in ObjectMeta order. */
function typed(o) {
  return goTypedOrder(o);
}

/**
 * A Replicated troubleshoot support bundle of one cluster (no manifest, no cluster name).
 * errors: { '<relative path>': value } written verbatim as JSON.
 */
export function troubleshootBundle(data, { root, version, versionNumber, nsResources, errors = {}, listRv }) {
  data.finalize();
  const groups = data.grouped();
  const out = new Map();
  const put = (rel, content) => out.set(`${root}/${rel}`, content);
  put('version.yaml', `apiVersion: troubleshoot.sh/v1beta2\nkind: SupportBundle\nmetadata:\n  creationTimestamp: null\nspec:\n  versionNumber: ${versionNumber}\n`);
  put('cluster-info/cluster_version.json', goJSON({ info: version, string: version.gitVersion }));
  const typedList = (res, items) => goJSON({ kind: LIST_KIND[res], apiVersion: LIST_API[res] ?? 'v1', metadata: { resourceVersion: listRv }, items: items.map(typed) });

  put('cluster-resources/namespaces.json', typedList('namespaces', groups.get('namespaces').byNs.get('')));
  put('cluster-resources/nodes.json', typedList('nodes', groups.get('nodes').byNs.get('')));
  if (groups.get('storageclasses')) put('cluster-resources/storage-classes.json', typedList('storage-classes', groups.get('storageclasses').byNs.get('')));
  for (const r of nsResources) {
    for (const ns of data.namespaces()) {
      const items = groups.get(r)?.byNs.get(ns) ?? [];
      put(`cluster-resources/${r}/${ns}.json`, typedList(r, items));
    }
  }
  for (const [r, g] of groups) {
    if (!g.custom) continue;
    for (const [ns, items] of g.byNs) {
      const base = g.namespaced ? `cluster-resources/custom-resources/${r}/${ns}` : `cluster-resources/custom-resources/${r}`;
      put(`${base}.json`, goJSON(items, { sort: true }));
      put(`${base}.yaml`, goYAML(items));
    }
  }
  for (const l of data.logs) put(`cluster-resources/${logPath(l)}`, l.text);
  for (const [rel, v] of Object.entries(errors)) put(rel, typeof v === 'string' ? v : goJSON(v));
  return out;
}

// ---------------------------------------------------------------------------- output

/** Every ancestor directory of the given file paths. */
function directoriesOf(paths) {
  const dirs = new Set();
  for (const p of paths) {
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return dirs;
}

/** A gzip'd tar of the files: sorted entries, fixed mtime/owner/modes, so equal input gives equal bytes. */
export async function toTgz(files) {
  const dirs = directoriesOf(files.keys());
  const entries = [
    ...[...dirs].map((p) => ({ p, dir: true })),
    ...[...files.keys()].map((p) => ({ p, dir: false })),
  ].sort((a, b) => (a.p < b.p ? -1 : a.p > b.p ? 1 : 0));

  const pack = tar.pack();
  const chunks = [];
  pack.on('data', (c) => chunks.push(c));
  const done = new Promise((resolve, reject) => {
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  for (const e of entries) {
    const header = { name: e.p, mtime: TAR_MTIME, uid: 0, gid: 0, uname: 'root', gname: 'root' };
    if (e.dir) pack.entry({ ...header, type: 'directory', mode: 0o755 });
    else pack.entry({ ...header, type: 'file', mode: 0o644 }, Buffer.from(files.get(e.p)));
  }
  pack.finalize();
  await done;
  return zlib.gzipSync(Buffer.concat(chunks));
}

/** Write the files below `dir` (which is emptied first). */
export function writeTree(dir, files) {
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [p, content] of files) {
    const full = path.join(dir, p);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }
}

export async function writeTgz(file, files) {
  const buf = await toTgz(files);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, buf);
  return { bytes: buf.length, sha256: sha256(buf) };
}

function sha256(buf) {
  return createHash('sha256').update(buf).digest('hex');
}
