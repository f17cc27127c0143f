import type {
  BundleSink, ClusterFound, ClusterKey, CollectionError, InputSpec, LogTail, ManifestFound, Origin, Problem,
} from '../bundle/types.js';
import type { BundleManifest, Event } from '../schema/generated.js';
import { validatorFor } from '../schema/validate.js';
import { ClusterView } from './cluster.js';
import { eventFilter, type EventPolicy } from './event-interest.js';
import { prepareObject, type PreparedObject } from './prepare.js';
import { linkClusters, nameAfterInputs } from './link.js';
import { Snapshot, type InputSummary } from './snapshot.js';

const keyId = (key: ClusterKey) => `${key.input}\u0000${key.dir}`;
const MAX_PROBLEMS_PER_FILE = 100;

interface PendingCluster {
  view: ClusterView;
  found?: ClusterFound;
}

/**
 * Receives what the bundle reader finds, validates and prunes each object against its kind's
 * schema, and assembles the Snapshot. It is the only place where raw bundle data becomes typed.
 */
export class SnapshotBuilder implements BundleSink {
  private readonly pending = new Map<string, PendingCluster>();
  private readonly manifests: { found: ManifestFound; manifest: BundleManifest }[] = [];
  private readonly problems: Problem[] = [];
  private readonly sources = new WeakMap<object, string>();
  private readonly manifestValidator = validatorFor('manifest.schema.json');
  private readonly problemsPerFile = new Map<string, number>();

  private readonly keepEvent: ((event: Event) => boolean) | undefined;

  /** `eventPolicy`: the events kept whole (event-interest.ts); absent: every event. */
  constructor(private readonly specs: InputSpec[], eventPolicy?: EventPolicy) {
    this.keepEvent = eventPolicy ? eventFilter(eventPolicy) : undefined;
  }

  private clusterFor(key: ClusterKey): PendingCluster {
    const id = keyId(key);
    let entry = this.pending.get(id);
    if (!entry) {
      entry = {
        view: new ClusterView({ name: '', role: 'unknown', input: key.input, inputKind: 'directory', key, linkedBy: '' }),
      };
      this.pending.set(id, entry);
    }
    return entry;
  }

  object(raw: unknown, origin: Origin): void {
    this.preparedObject(this.prepare(raw), origin);
  }

  prepare(raw: unknown): PreparedObject {
    return prepareObject(raw, this.keepEvent);
  }

  /** An object already through prepareObject (by the reader's parsing worker, or by object()). */
  preparedObject(prepared: PreparedObject, origin: Origin): void {
    if (!prepared) return;
    if ('issues' in prepared) {
      for (const issue of prepared.issues) {
        this.fileProblem({ input: origin.cluster.input, source: origin.source, pointer: origin.pointer + issue.pointer, message: `${prepared.label} left out: ${issue.message}` });
      }
      return;
    }
    if ('summarized' in prepared) {
      this.clusterFor(origin.cluster).view.addSummarizedEvent(prepared.summarized.key, prepared.summarized.time);
      return;
    }
    if (this.clusterFor(origin.cluster).view.add(prepared.kind, prepared.object)) this.sources.set(prepared.object, origin.source);
  }

  /**
   * A file of a million broken objects must not make a million report rows: past a cap per file,
   * the rest are counted in one closing problem.
   */
  private fileProblem(problem: Problem): void {
    const count = (this.problemsPerFile.get(problem.source) ?? 0) + 1;
    this.problemsPerFile.set(problem.source, count);
    if (count <= MAX_PROBLEMS_PER_FILE) this.problems.push(problem);
  }

  log(tail: LogTail): void {
    this.clusterFor(tail.cluster).view.addLog(tail);
  }

  collectionError(error: CollectionError): void {
    this.clusterFor(error.cluster).view.collectionErrors.push(error);
  }

  manifest(found: ManifestFound): void {
    const issues = this.manifestValidator(found.manifest);
    if (issues.length > 0) {
      for (const issue of issues) {
        this.problems.push({ input: found.input, source: found.source, pointer: issue.pointer, message: `manifest.json ignored: ${issue.message}` });
      }
      return;
    }
    this.manifests.push({ found, manifest: found.manifest as BundleManifest });
  }

  cluster(found: ClusterFound): void {
    const entry = this.clusterFor(found.cluster);
    entry.found = found;
    for (const resource of found.resourcesSeen) entry.view.resourcesSeen.add(resource);
  }

  problem(problem: Problem): void {
    this.problems.push(problem);
  }

  /** Names the clusters, gives them roles and links workload clusters to their CAPI Cluster. */
  build(): Snapshot {
    const views: ClusterView[] = [];
    const inputs = new Map<string, InputSummary>();
    for (const { view, found } of this.pending.values()) {
      if (!found) continue; // only logs or errors under a path that held no cluster data
      const identity = view.identity;
      identity.inputKind = found.inputKind;
      identity.serverVersion = found.serverVersion;
      const fromManifest = this.manifestEntryFor(found.cluster);
      if (fromManifest) {
        identity.name = fromManifest.name;
        identity.role = fromManifest.role;
        identity.kubeconfig = fromManifest.kubeconfig;
        identity.context = fromManifest.context;
        identity.capiCluster = fromManifest.capiCluster;
        identity.linkedBy = 'named by the bundle manifest';
        identity.collectedAt = this.manifests.find((m) => m.found.input === found.cluster.input)?.manifest.createdAt;
      }
      views.push(view);
      if (!inputs.has(found.cluster.input)) inputs.set(found.cluster.input, { path: found.cluster.input, kind: found.inputKind });
    }
    for (const spec of this.specs) {
      if (!inputs.has(spec.path)) inputs.set(spec.path, { path: spec.path, kind: 'directory' });
    }
    for (const { found, manifest } of this.manifests) {
      const summary = inputs.get(found.input);
      if (summary) summary.kind = 'hrp-doctor';
      for (const cluster of manifest.clusters) {
        if (!views.some((v) => v.identity.input === found.input && v.name === cluster.name)) {
          this.problems.push({ input: found.input, source: found.source, message: `cluster ${cluster.name} is in the manifest but its folder ${cluster.dir} holds no cluster data` });
        }
      }
    }
    for (const [source, count] of this.problemsPerFile) {
      if (count > MAX_PROBLEMS_PER_FILE) {
        const input = this.problems.find((p) => p.source === source)?.input ?? '';
        this.problems.push({ input, source, message: `${count - MAX_PROBLEMS_PER_FILE} more schema problems in this file are not listed` });
      }
    }
    this.recordCollectionFailures(views);
    linkClusters(views, this.specs, this.problems);
    nameAfterInputs(views);
    disambiguateNames(views);
    const ordered = [...inputs.values()].sort((a, b) => this.specIndex(a.path) - this.specIndex(b.path));
    return new Snapshot(ordered, views, this.problems, this.sources);
  }

  /**
   * Failed collector commands are recorded twice (manifest and *-errors.json): merge them into
   * the cluster's collection errors once, and list each as a problem of the input.
   */
  private recordCollectionFailures(views: ClusterView[]): void {
    for (const { found, manifest } of this.manifests) {
      for (const record of manifest.collection ?? []) {
        if (record.exitCode === 0 && !record.error) continue;
        const view = views.find((v) => v.identity.input === found.input && v.name === record.cluster);
        if (!view) continue;
        const { resource, namespace } = resourceOfCommand(record.command ?? []);
        if (!resource) continue;
        const known = view.collectionErrors.some((e) => e.resource === resource && (e.namespace ?? '') === (namespace ?? ''));
        if (!known) {
          view.collectionErrors.push({ cluster: view.identity.key, resource, namespace, message: record.error ?? `exit status ${record.exitCode}`, source: found.source });
        }
      }
    }
    for (const view of views) {
      for (const error of view.collectionErrors) {
        this.problems.push({
          input: error.cluster.input,
          source: error.source,
          message: `collection error for ${error.resource}${error.namespace ? ` in namespace ${error.namespace}` : ''}: ${error.message}`,
        });
      }
    }
  }

  private specIndex(path: string): number {
    const index = this.specs.findIndex((s) => s.path === path);
    return index < 0 ? this.specs.length : index;
  }

  private manifestEntryFor(key: ClusterKey): BundleManifest['clusters'][number] | undefined {
    for (const { found, manifest } of this.manifests) {
      if (found.input !== key.input) continue;
      for (const cluster of manifest.clusters) {
        if (joinPath(found.root, cluster.dir) === trimSlashes(key.dir)) return cluster;
      }
    }
    return undefined;
  }
}

/** `kubectl get pods -n kube-system -o json` → pods in kube-system. */
function resourceOfCommand(command: string[]): { resource?: string; namespace?: string } {
  const get = command.indexOf('get');
  const resource = get >= 0 ? command.slice(get + 1).find((arg) => !arg.startsWith('-')) : undefined;
  const nsFlag = command.findIndex((arg) => arg === '-n' || arg === '--namespace');
  const namespace = nsFlag >= 0 ? command[nsFlag + 1] : command.find((a) => a.startsWith('--namespace='))?.slice('--namespace='.length);
  return { resource, namespace };
}

function trimSlashes(path: string): string {
  return path.replace(/^\.?\/+|\/+$/g, '');
}

function joinPath(root: string, dir: string): string {
  return [trimSlashes(root), trimSlashes(dir)].filter(Boolean).join('/');
}

/** Two clusters may end up with one name (two bundles of the same cluster): keep both, tell them apart. */
function disambiguateNames(views: ClusterView[]): void {
  const seen = new Map<string, number>();
  for (const view of views) {
    const count = seen.get(view.name) ?? 0;
    seen.set(view.name, count + 1);
    if (count > 0) view.identity.name = `${view.name}#${count + 1}`;
  }
}

