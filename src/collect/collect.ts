/**
 * `hrp-doctor collect`: runs the user's kubectl against the management cluster and the workload
 * cluster(s) of a CAPI Cluster and writes a native bundle (shared/spec/bundle-format.md).
 *
 * Collecting shares nothing with analyzing but the bundle format. Every kubectl call, failed ones
 * included, is recorded in manifest.json and, for failures, in the `*-errors.json` next to the data
 * that is missing; collection goes on past failures.
 *
 * Exit status: 0 complete; 1 partial (some calls failed, a bundle was written); 2 nothing usable
 * (bad usage, the management cluster unreachable, the CAPI Cluster not found, the output not
 * writable), with one line on stderr; 130 interrupted.
 */
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import type { Readable } from 'node:stream';
import { BundleWriter } from './bundle-writer.js';
import { KubectlRunner, Pool, kubectlEnv, messageOf, type KubectlOutcome } from './kubectl.js';
import {
  CLUSTERS_RESOURCE, CONTROLLER_NAMESPACE_RESOURCES, FALLBACK_CAPI_RESOURCES, HCP_RESOURCE, HELM_SECRETS_SELECTOR,
  REQUIRED_CAPI_RESOURCES, VERSION_PATH, WORKLOAD_ACROSS_NAMESPACES, WORKLOAD_CONFIGMAP_NAMESPACES, WORKLOAD_ESSENTIAL, WORKLOAD_PER_NAMESPACE,
  capiResources, capiSelector, errorsPath, hcpConcerns, isControllerPod, logErrorPath, logPath, logTargets, parseByteSize,
  parseDuration, refOf, resourcePath, selectClusters, utcStamp, type KubeObject, type LogTarget,
} from './plan.js';
import { Progress } from './progress.js';
import { Redactor } from './redact.js';
import { ListFile, Spool, consumeList, consumeLog } from './spool.js';
import { Cleanup, privateTempDir, writeWorkloadKubeconfig } from './workload-kubeconfig.js';
import type { CollectionRecord as ManifestRecord, ManifestCluster } from '../schema/generated.js';

/** Options of `hrp-doctor collect`, named after its flags (yargs' camel-case names). */
export interface CollectOptions {
  /** --cluster: the CAPI Cluster to collect (optional with --all-clusters). */
  cluster?: string;
  /** --namespace: where the CAPI Cluster lives; without it every namespace is searched. */
  namespace?: string;
  /** --mgmt-kubeconfig: passed to kubectl as --kubeconfig for the management cluster (else KUBECONFIG / ~/.kube/config apply). */
  mgmtKubeconfig?: string;
  /** --mgmt-context: passed to kubectl as --context for the management cluster. */
  mgmtContext?: string;
  /** --workload-kubeconfig: the workload cluster's kubeconfig; without it the CAPI secret `<cluster>-kubeconfig` is used. */
  workloadKubeconfig?: string;
  /** --output: the bundle file (default ./hrp-doctor-<cluster>-<UTC stamp>.tgz). */
  output?: string;
  /** --all-clusters: every CAPI Cluster of --namespace (or of all namespaces). */
  allClusters?: boolean;
  /** --concurrency: kubectl calls at once (default 4). */
  concurrency?: number;
  /** --request-timeout: per call, kubectl syntax (default 30s); kubectl is killed 5s after it. */
  requestTimeout?: string;
  /** --kubectl: the kubectl binary (default `kubectl` from PATH). */
  kubectl?: string;
  /** --log-lines: last lines per container instance (default 2000). */
  logLines?: number;
  /** --log-bytes: bytes per container instance, e.g. 2MiB (default 2MiB). */
  logBytes?: string | number;
  /** --quiet: no progress on stderr (the one-line error of exit status 2 is still printed). */
  quiet?: boolean;

  // Not flags: for embedding and tests.
  /** Environment of the kubectl processes (default process.env). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  now?: Date;
  stderr?: (text: string) => void;
  stdout?: (text: string) => void;
  /** Whether stderr is a terminal (default: process.stderr.isTTY). */
  isTTY?: boolean;
  /** Time between --request-timeout and killing kubectl (default 5000 ms). */
  killGraceMs?: number;
  /** Largest output read from one kubectl call before it is cut (default 1 GiB). */
  maxOutputBytes?: number;
  /** Install SIGINT/SIGTERM handlers that stop the collection and clean up (default true). */
  handleSignals?: boolean;
  /** Where the private temporary folders go (default: the system's temp folder). */
  tmpDir?: string;
}

export const COLLECT_DEFAULTS = {
  concurrency: 4,
  requestTimeout: '30s',
  kubectl: 'kubectl',
  logLines: 2000,
  logBytes: 2 * 1024 * 1024,
  killGraceMs: 5000,
  maxOutputBytes: 1024 * 1024 * 1024,
} as const;

class UsageError extends Error {}

interface Settings {
  cluster?: string;
  namespace?: string;
  mgmtKubeconfig?: string;
  mgmtContext?: string;
  workloadKubeconfig?: string;
  output: string;
  root: string;
  allClusters: boolean;
  concurrency: number;
  requestTimeout: string;
  deadlineMs: number;
  kubectl: string;
  logLines: number;
  logBytes: number;
  quiet: boolean;
  env: NodeJS.ProcessEnv;
  now: Date;
  maxOutputBytes: number;
  handleSignals: boolean;
  tmpDir: string;
}

function resolveSettings(o: CollectOptions): Settings {
  const cwd = o.cwd ?? process.cwd();
  const abs = (p: string) => (isAbsolute(p) ? p : resolvePath(cwd, p));
  const cluster = o.cluster?.trim() || undefined;
  const namespace = o.namespace?.trim() || undefined;
  if (!cluster && !o.allClusters) throw new UsageError('collect needs --cluster NAME (or --all-clusters)');
  if (o.allClusters && o.workloadKubeconfig) throw new UsageError('--workload-kubeconfig names one cluster\'s kubeconfig: it cannot be used with --all-clusters');
  const concurrency = o.concurrency ?? COLLECT_DEFAULTS.concurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError(`--concurrency must be an integer from 1 to 64, not ${concurrency}`);
  const requestTimeout = (o.requestTimeout ?? COLLECT_DEFAULTS.requestTimeout).trim();
  let timeoutMs: number;
  let logBytes: number;
  try {
    timeoutMs = parseDuration(requestTimeout);
    logBytes = parseByteSize(o.logBytes ?? COLLECT_DEFAULTS.logBytes);
  } catch (error) {
    throw new UsageError(messageOf(error));
  }
  const logLines = o.logLines ?? COLLECT_DEFAULTS.logLines;
  if (!Number.isInteger(logLines) || logLines < 1) throw new UsageError(`--log-lines must be a positive integer, not ${logLines}`);
  if (logBytes < 1) throw new UsageError('--log-bytes must be at least 1 byte');
  const now = o.now ?? new Date();
  const label = (cluster ?? namespace ?? 'all-clusters').replace(/[^A-Za-z0-9._-]/g, '_');
  const root = `hrp-doctor-${label}-${utcStamp(now)}`;
  const grace = o.killGraceMs ?? COLLECT_DEFAULTS.killGraceMs;
  return {
    cluster,
    namespace,
    mgmtKubeconfig: o.mgmtKubeconfig ? abs(o.mgmtKubeconfig) : undefined,
    mgmtContext: o.mgmtContext || undefined,
    workloadKubeconfig: o.workloadKubeconfig ? abs(o.workloadKubeconfig) : undefined,
    output: abs(o.output ?? `${root}.tgz`),
    root,
    allClusters: o.allClusters ?? false,
    concurrency,
    requestTimeout,
    deadlineMs: timeoutMs === 0 ? 0 : timeoutMs + grace,
    kubectl: o.kubectl ?? COLLECT_DEFAULTS.kubectl,
    logLines,
    logBytes,
    quiet: o.quiet ?? false,
    env: o.env ?? process.env,
    now,
    maxOutputBytes: o.maxOutputBytes ?? COLLECT_DEFAULTS.maxOutputBytes,
    handleSignals: o.handleSignals ?? true,
    tmpDir: o.tmpDir ?? tmpdir(),
  };
}

function toolVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * Runs `hrp-doctor collect` and returns its exit status; never throws. Progress and the error
 * line go to `options.stderr` (default process.stderr), the bundle's path to `options.stdout`.
 */
export async function runCollectCommand(options: CollectOptions): Promise<number> {
  const stderr = options.stderr ?? ((text: string) => void process.stderr.write(text));
  const stdout = options.stdout ?? ((text: string) => void process.stdout.write(text));
  let settings: Settings;
  try {
    settings = resolveSettings(options);
  } catch (error) {
    stderr(`hrp-doctor: ${messageOf(error)}\n`);
    return 2;
  }
  const progress = new Progress({ write: stderr, isTTY: options.isTTY ?? Boolean(process.stderr.isTTY), quiet: settings.quiet });
  const session = new Session(settings, progress);
  try {
    const result = await session.run();
    progress.end();
    if (result.status === 2 || result.status === 130) {
      stderr(`hrp-doctor: ${result.message}\n`);
    } else {
      if (!settings.quiet) stderr(`${result.message}\n`);
      stdout(`${settings.output}\n`);
    }
    return result.status;
  } catch (error) {
    progress.end();
    stderr(`hrp-doctor: collect failed: ${messageOf(error)}\n`);
    return 2;
  } finally {
    await session.dispose();
  }
}

// ---------------------------------------------------------------------------------------------

/** A record of manifest.json's `collection` (schemas/manifest.schema.json), as collect always fills it in. */
type CollectionRecord = ManifestRecord & Required<Pick<ManifestRecord, 'cluster' | 'durationMs'>>;

/** A cluster as kubectl reaches it. */
interface Target {
  entry: ManifestCluster;
  /** Global flags given to kubectl before the verb. */
  args: string[];
  /** The same flags as recorded in the manifest (a temporary kubeconfig's path is replaced by where it came from). */
  shownArgs: string[];
}

type Output =
  /** A List written to one file. `keep` filters items; `onItem` sees every kept (redacted) item. */
  | { kind: 'list'; path: string; keep?: (o: KubeObject) => boolean; onItem?: (o: KubeObject) => void; stripData?: boolean }
  /** An `-A` List split into one file per namespace (an empty one for each of `namespaces` without items). */
  | { kind: 'routed'; resource: string; namespaces?: string[]; onItem?: (o: KubeObject) => void; stripData?: boolean }
  /** A List read for discovery only: nothing written, items not redacted (whoever writes them later redacts them). */
  | { kind: 'scan'; onItem: (o: KubeObject) => void }
  /** `kubectl version -o json`: its serverVersion is the cluster's /version. */
  | { kind: 'version'; path: string }
  | { kind: 'log'; target: LogTarget }
  /** Small text kept in memory, never written (api-resources, the kubeconfig secret). */
  | { kind: 'text' };

/**
 * Order in the pool's queue (0 first): the calls others wait for overtake the ones nothing waits
 * for, so that every cluster's work is known early and the pool stays full to the end.
 */
const enum Priority {
  /** On the path to everything else: the management cluster's CAPI Clusters, a workload cluster's kubeconfig and namespaces. */
  Path = 0,
  /** Calls that name more calls: discovery (CAPI kinds), pod lists (logs to read). */
  Unlocks = 1,
  /** Logs: read late, when their pod list is in; two requests each (the pod, then its log). */
  Logs = 2,
  /** Everything else. */
  Leaf = 3,
}

/** Where a failure is recorded besides the manifest. */
type Failure = { resource: string; namespace?: string } | { log: LogTarget } | undefined;

interface CallResult {
  ok: boolean;
  outcome: KubectlOutcome;
  record: CollectionRecord;
  text?: string;
}

/** Errors of one cluster, by errors-file path: an array (cluster-scoped) or `{namespace: message}`. */
type ErrorFiles = Map<string, { array: string[]; byNamespace: Map<string, string> }>;

class Session {
  private readonly cleanup = new Cleanup();
  private readonly redactor = new Redactor();
  private readonly abort = new AbortController();
  private readonly pool: Pool;
  private readonly runner: KubectlRunner;
  private readonly records: { seq: number; record: CollectionRecord }[] = [];
  private readonly errors = new Map<string, ErrorFiles>();
  private readonly clusters: ManifestCluster[] = [];
  private seq = 0;
  private writer: BundleWriter | undefined;
  private spool: Spool | undefined;
  private interrupted = false;
  private readonly onSignal = (signal: NodeJS.Signals) => this.interrupt(signal);

  constructor(private readonly s: Settings, private readonly progress: Progress) {
    // Each running kubectl listens for the interruption.
    setMaxListeners(s.concurrency + 16, this.abort.signal);
    this.pool = new Pool(s.concurrency);
    this.runner = new KubectlRunner(s.kubectl, kubectlEnv(s.env, s.concurrency));
  }

  async run(): Promise<{ status: number; message: string }> {
    if (this.s.handleSignals) {
      process.on('SIGINT', this.onSignal);
      process.on('SIGTERM', this.onSignal);
    }
    try {
      this.writer = await BundleWriter.open(this.s.output, { mtime: this.s.now });
    } catch (error) {
      return { status: 2, message: `cannot write ${this.s.output}: ${messageOf(error)}` };
    }
    this.cleanup.add(this.writer.tmpPath);
    this.spool = new Spool(privateTempDir(this.cleanup, 'hrp-doctor-collect-', this.s.tmpDir));

    const mgmt = await this.managementTarget();
    this.progress.phase(`management cluster ${mgmt.entry.name}: looking for ${this.s.allClusters ? 'CAPI Clusters' : `CAPI Cluster ${this.s.cluster}`}${this.s.namespace ? ` in namespace ${this.s.namespace}` : ''}`);
    const found = await this.findClusters(mgmt);
    if (this.interrupted) return this.stopped();
    if ('fatal' in found) {
      await this.writer.abort();
      return { status: 2, message: found.fatal };
    }
    const { selected } = found;
    this.clusters.push(mgmt.entry);
    this.progress.phase(`collecting ${selected.map((c) => `${refOf(c).namespace}/${refOf(c).name}`).join(', ')} (concurrency ${this.s.concurrency}, timeout ${this.s.requestTimeout})`);

    await this.writeClusters(mgmt, selected, found.lookup);
    // The workload clusters first: their kubeconfig secrets take the pool's free slots before the
    // management cluster's lists (each workload cluster waits for its secret; nothing waits for those lists).
    const workloads = selected.map((cluster) => this.workload(mgmt, cluster));
    await Promise.all([...workloads, this.management(mgmt, selected)]);
    if (this.interrupted) return this.stopped();

    await this.writeErrorFiles();
    await this.writer.addBuffer(`${this.s.root}/manifest.json`, `${JSON.stringify(this.manifest(), null, 2)}\n`);
    await this.writer.finish();
    this.cleanup.remove(this.writer.tmpPath);

    const failed = this.records.filter(({ record }) => record.error !== undefined || record.exitCode !== 0).length;
    const summary = `wrote ${this.s.output}: ${selected.length + 1} clusters, ${this.records.length} kubectl calls${failed ? `, ${failed} failed (recorded in manifest.json and *-errors.json)` : ''}, ${this.redactor.replacements} values redacted`;
    return { status: failed > 0 ? 1 : 0, message: summary };
  }

  async dispose(): Promise<void> {
    if (this.s.handleSignals) {
      process.off('SIGINT', this.onSignal);
      process.off('SIGTERM', this.onSignal);
    }
    await this.writer?.abort();
    this.cleanup.dispose();
  }

  private interrupt(signal: NodeJS.Signals): void {
    if (this.interrupted) {
      // Second signal: leave now, removing the temporary files on the way out.
      this.cleanup.runSync();
      process.exit(130);
    }
    this.interrupted = true;
    this.progress.phase(`${signal}: stopping, removing temporary files`);
    this.abort.abort();
  }

  private async stopped(): Promise<{ status: number; message: string }> {
    await this.writer?.abort();
    return { status: 130, message: 'interrupted: no bundle written' };
  }

  // -------------------------------------------------------------------------------------------
  // Management cluster

  private async managementTarget(): Promise<Target> {
    const args: string[] = [];
    if (this.s.mgmtKubeconfig) args.push(`--kubeconfig=${this.s.mgmtKubeconfig}`);
    if (this.s.mgmtContext) args.push(`--context=${this.s.mgmtContext}`);
    args.push(`--request-timeout=${this.s.requestTimeout}`);
    const envKubeconfig = this.s.env['KUBECONFIG'];
    const kubeconfig = this.s.mgmtKubeconfig ?? (envKubeconfig && !envKubeconfig.includes(':') ? envKubeconfig : undefined);
    const target: Target = { entry: { name: 'management', role: 'management', dir: 'clusters/management' }, args, shownArgs: args };
    if (kubeconfig) target.entry.kubeconfig = kubeconfig;
    // The management cluster is named after its kubeconfig cluster entry (NKP: `<name>-admin@<name>` → `<name>`).
    const identity = await this.exec(target, ['config', 'view', '--minify', '-o', 'jsonpath={.contexts[0].name}{"\\n"}{.contexts[0].context.cluster}'], 'kubeconfig context', { kind: 'text' }, undefined, Priority.Path);
    const [context, cluster] = (identity.text ?? '').split('\n').map((l) => l.trim());
    const name = cluster || context || 'management';
    target.entry.name = name.replace(/[^A-Za-z0-9._-]/g, '_');
    target.entry.dir = `clusters/${target.entry.name}`;
    identity.record.cluster = target.entry.name;
    const ctx = this.s.mgmtContext ?? context;
    if (ctx) target.entry.context = ctx;
    return target;
  }

  private async findClusters(mgmt: Target): Promise<{ fatal: string } | { selected: KubeObject[]; lookup: CallResult }> {
    const items: KubeObject[] = [];
    const scope = this.s.namespace ? ['-n', this.s.namespace] : ['-A'];
    const [, lookup] = await Promise.all([
      this.exec(mgmt, ['version', '-o', 'json'], 'server version', { kind: 'version', path: VERSION_PATH }, undefined, Priority.Path),
      this.exec(mgmt, ['get', CLUSTERS_RESOURCE, ...scope, '-o', 'json'], `CAPI Clusters ${scope.join(' ')}`, { kind: 'scan', onItem: (o) => items.push(o) }, undefined, Priority.Path),
    ]);
    if (!lookup.ok) {
      const where = mgmt.entry.context ? ` (context ${mgmt.entry.context})` : '';
      return { fatal: `cannot list CAPI Clusters on the management cluster${where}: ${lookup.record.error ?? 'kubectl failed'}` };
    }
    const selection = selectClusters(items, { name: this.s.cluster, namespace: this.s.namespace, all: this.s.allClusters });
    if ('error' in selection) return { fatal: selection.error };
    return { selected: selection.selected, lookup };
  }

  /**
   * The management cluster's CAPI kinds, namespaced and cluster-scoped (`kubectl api-resources`).
   * Runs after the Clusters lookup, which always leaves kubectl's discovery cache fresh:
   * `clusters.cluster.x-k8s.io` has two dots, so kubectl first reads it as resource.version.group
   * (`clusters`, version `cluster`, group `x-k8s.io`); that misses, and a miss on a cache this
   * kubectl did not fetch itself makes it fetch discovery again. `--cached` then answers from that
   * cache without a request, and without the concurrent cache rewrites of two uncached calls.
   */
  private async discoverCapi(mgmt: Target): Promise<{ namespaced?: string[]; clusterScoped?: string[] }> {
    const [namespaced, clusterScoped] = await Promise.all([
      this.exec(mgmt, ['api-resources', '--namespaced=true', '-o', 'name', '--cached'], 'API discovery (namespaced)', { kind: 'text' }, undefined, Priority.Unlocks),
      this.exec(mgmt, ['api-resources', '--namespaced=false', '-o', 'name', '--cached'], 'API discovery (cluster-scoped)', { kind: 'text' }, undefined, Priority.Unlocks),
    ]);
    const discovery: { namespaced?: string[]; clusterScoped?: string[] } = {};
    // kubectl prints what it could discover even when some group failed.
    if (namespaced.text?.trim()) discovery.namespaced = capiResources(namespaced.text);
    if (clusterScoped.text?.trim()) discovery.clusterScoped = capiResources(clusterScoped.text);
    return discovery;
  }

  /** The Clusters listing, restricted to the collected Clusters, one file per namespace. */
  private async writeClusters(mgmt: Target, selected: KubeObject[], lookup: CallResult): Promise<void> {
    const byNamespace = new Map<string, KubeObject[]>();
    for (const cluster of selected) {
      const ns = refOf(cluster).namespace;
      byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), cluster]);
    }
    const paths: string[] = [];
    for (const [ns, items] of byNamespace) {
      const path = `${mgmt.entry.dir}/${resourcePath(CLUSTERS_RESOURCE, ns)}`;
      paths.push(path);
      const list = this.redact({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } });
      await this.writer!.addBuffer(`${this.s.root}/${path}`, `${JSON.stringify(list, null, 2)}\n`);
    }
    lookup.record.output = paths.length === 1 ? paths[0] : `${mgmt.entry.dir}/${resourcePath(CLUSTERS_RESOURCE).replace(/\.json$/, '/')}`;
  }

  private async management(mgmt: Target, selected: KubeObject[]): Promise<void> {
    const refs = selected.map(refOf);
    const namespaces = [...new Set(refs.map((r) => r.namespace))];
    // What needs no discovery result starts at once.
    const tasks: Promise<unknown>[] = [
      this.controllers(mgmt, new Set(namespaces)),
      this.exec(mgmt, ['get', 'nodes', '-o', 'json'], 'nodes', { kind: 'list', path: resourcePath('nodes') }, { resource: 'nodes' }),
      this.exec(mgmt, ['get', 'namespaces', '-o', 'json'], 'namespaces', { kind: 'list', path: resourcePath('namespaces') }, { resource: 'namespaces' }),
    ];
    for (const ns of namespaces) {
      tasks.push(this.exec(mgmt, ['get', 'events', '-n', ns, '-o', 'json'], `events -n ${ns}`, { kind: 'list', path: resourcePath('events', ns) }, { resource: 'events', namespace: ns }));
    }
    const discovery = await this.discoverCapi(mgmt);
    const namespacedCapi = [...new Set([...(discovery.namespaced ?? FALLBACK_CAPI_RESOURCES), ...REQUIRED_CAPI_RESOURCES])].filter((r) => r !== CLUSTERS_RESOURCE);
    for (const ns of namespaces) {
      for (const resource of namespacedCapi) {
        if (resource === HCP_RESOURCE) {
          // HelmChartProxies name no cluster by label for sure: list the namespace's, keep the ones concerning the collected Clusters.
          const inNs = selected.filter((c) => refOf(c).namespace === ns);
          tasks.push(this.exec(mgmt, ['get', resource, '-n', ns, '-o', 'json'], `${resource} -n ${ns}`,
            { kind: 'list', path: resourcePath(resource, ns), keep: (hcp) => hcpConcerns(hcp, inNs) }, { resource, namespace: ns }));
          continue;
        }
        const selector = capiSelector(ns, refs, this.s.allClusters);
        tasks.push(this.exec(mgmt, ['get', resource, '-n', ns, ...(selector ? ['-l', selector] : []), '-o', 'json'], `${resource} -n ${ns}`,
          { kind: 'list', path: resourcePath(resource, ns) }, { resource, namespace: ns }));
      }
    }
    for (const resource of discovery.clusterScoped ?? []) {
      tasks.push(this.exec(mgmt, ['get', resource, '-o', 'json'], resource, { kind: 'list', path: resourcePath(resource) }, { resource }));
    }
    await Promise.all(tasks);
  }

  /** CAPI and CAAPH controllers: found by label/image across namespaces, then their namespaces' pods, workloads, events and logs. */
  private async controllers(mgmt: Target, eventsDone: Set<string>): Promise<void> {
    const namespaces = new Set<string>();
    const targets: LogTarget[] = [];
    const scan = await this.exec(mgmt, ['get', 'pods', '-A', '-o', 'json'], 'pods -A (finding CAPI/CAAPH controllers)', {
      kind: 'scan',
      onItem: (pod) => {
        if (!isControllerPod(pod)) return;
        if (pod.metadata?.namespace) namespaces.add(pod.metadata.namespace);
        targets.push(...logTargets(pod, 'all'));
      },
    }, { resource: 'pods', namespace: '' }, Priority.Unlocks);
    if (!scan.ok) return;
    if (namespaces.size === 0) this.progress.phase(`  no CAPI/CAAPH controller pods found on ${mgmt.entry.name}`);
    const tasks: Promise<unknown>[] = [];
    for (const ns of [...namespaces].sort()) {
      for (const resource of CONTROLLER_NAMESPACE_RESOURCES) {
        if (resource === 'events' && eventsDone.has(ns)) continue;
        tasks.push(this.exec(mgmt, ['get', resource, '-n', ns, '-o', 'json'], `${resource} -n ${ns}`, { kind: 'list', path: resourcePath(resource, ns) }, { resource, namespace: ns }));
      }
    }
    for (const target of targets) tasks.push(this.log(mgmt, target));
    await Promise.all(tasks);
  }

  // -------------------------------------------------------------------------------------------
  // Workload clusters

  private async workload(mgmt: Target, cluster: KubeObject): Promise<void> {
    const ref = refOf(cluster);
    // A workload cluster is named after its CAPI Cluster (`<name>-workload` if that is the management cluster's name: a self-hosted management cluster).
    const name = ref.name === mgmt.entry.name ? `${ref.name}-workload` : ref.name;
    const entry: ManifestCluster = { name, role: 'workload', dir: `clusters/${name.replace(/[^A-Za-z0-9._-]/g, '_')}`, capiCluster: ref };
    this.clusters.push(entry);
    const timeout = `--request-timeout=${this.s.requestTimeout}`;
    let target: Target;
    let temporary: string | undefined;
    if (this.s.workloadKubeconfig) {
      entry.kubeconfig = this.s.workloadKubeconfig;
      const args = [`--kubeconfig=${this.s.workloadKubeconfig}`, timeout];
      target = { entry, args, shownArgs: args };
    } else {
      const secret = `${ref.name}-kubeconfig`;
      const where = `secret:${ref.namespace}/${secret}`;
      entry.kubeconfig = where;
      const got = await this.exec(mgmt, ['get', 'secret', secret, '-n', ref.namespace, '-o', 'jsonpath={.data.value}'], `kubeconfig of ${ref.name} (secret ${ref.namespace}/${secret})`, { kind: 'text' }, undefined, Priority.Path);
      let problem = got.ok ? undefined : got.record.error;
      if (got.ok) {
        try {
          if (!got.text?.trim()) throw new Error(`secret ${ref.namespace}/${secret} has no "value" key`);
          temporary = writeWorkloadKubeconfig(this.cleanup, got.text, ref.name, this.s.tmpDir);
        } catch (error) {
          problem = messageOf(error);
          got.record.error = problem;
          if (got.record.exitCode === 0) got.record.exitCode = 1;
        }
      }
      if (!temporary) {
        this.unreachable(entry, `no kubeconfig for workload cluster ${ref.name}: ${problem ?? 'unknown error'}`);
        return;
      }
      target = { entry, args: [`--kubeconfig=${temporary}`, timeout], shownArgs: [`--kubeconfig=${where}`, timeout] };
    }
    try {
      await this.collectWorkload(target);
    } finally {
      // The credentials leave the disk as soon as this cluster is done, not only at exit.
      if (temporary) this.cleanup.remove(dirname(temporary));
    }
  }

  private async collectWorkload(w: Target): Promise<void> {
    const namespaces: string[] = [];
    const [version, nsList] = await Promise.all([
      this.exec(w, ['version', '-o', 'json'], 'server version', { kind: 'version', path: VERSION_PATH }, undefined, Priority.Path),
      this.exec(w, ['get', 'namespaces', '-o', 'json'], 'namespaces', { kind: 'list', path: resourcePath('namespaces'), onItem: (o) => {
        if (o.metadata?.name) namespaces.push(o.metadata.name);
      } }, { resource: 'namespaces' }, Priority.Path),
    ]);
    if (!version.ok && !nsList.ok) {
      this.unreachable(w.entry, `workload cluster ${w.entry.name} did not answer: ${version.record.error ?? nsList.record.error ?? ''}`);
      return;
    }
    const tasks: Promise<unknown>[] = [
      this.exec(w, ['get', 'nodes', '-o', 'json'], 'nodes', { kind: 'list', path: resourcePath('nodes') }, { resource: 'nodes' }),
      // Helm release history: the secrets' labels; their data is dropped before anything is written.
      this.exec(w, ['get', 'secrets', '-A', '-l', HELM_SECRETS_SELECTOR, '-o', 'json'], 'Helm release secrets (labels only)',
        { kind: 'routed', resource: 'secrets', stripData: true }, { resource: 'secrets', namespace: '' }),
    ];
    for (const ns of WORKLOAD_CONFIGMAP_NAMESPACES) {
      tasks.push(this.exec(w, ['get', 'configmaps', '-n', ns, '-o', 'json'], `configmaps -n ${ns}`, { kind: 'list', path: resourcePath('configmaps', ns) }, { resource: 'configmaps', namespace: ns }));
    }
    const logs: Promise<unknown>[] = [];
    const podLogs = (pod: KubeObject) => {
      for (const target of logTargets(pod, 'failing')) logs.push(this.log(w, target));
    };
    for (const resource of [...WORKLOAD_PER_NAMESPACE, ...WORKLOAD_ACROSS_NAMESPACES]) {
      const onItem = resource === 'pods' ? podLogs : undefined;
      if (nsList.ok && (WORKLOAD_PER_NAMESPACE as readonly string[]).includes(resource)) {
        for (const ns of namespaces) {
          tasks.push(this.exec(w, ['get', resource, '-n', ns, '-o', 'json'], `${resource} -n ${ns}`,
            { kind: 'list', path: resourcePath(resource, ns), ...(onItem ? { onItem } : {}) }, { resource, namespace: ns }, onItem ? Priority.Unlocks : Priority.Leaf));
        }
      } else {
        // One call across namespaces, split into the per-namespace files.
        tasks.push(this.exec(w, ['get', resource, '-A', '-o', 'json'], `${resource} -A`,
          { kind: 'routed', resource, namespaces, ...(onItem ? { onItem } : {}) }, { resource, namespace: '' }, onItem ? Priority.Unlocks : Priority.Leaf));
      }
    }
    await Promise.all(tasks);
    await Promise.all(logs);
  }

  /** A workload cluster that cannot be collected at all: say so where the analysis looks for its essential data. */
  private unreachable(entry: ManifestCluster, message: string): void {
    this.progress.phase(`  ${message}`);
    for (const resource of WORKLOAD_ESSENTIAL) {
      this.recordError(entry, { resource, ...(resource === 'nodes' ? {} : { namespace: '' }) }, `not collected: ${message}`);
    }
  }

  private log(target: Target, log: LogTarget): Promise<CallResult> {
    const args = ['logs', '-n', log.namespace, log.pod, '-c', log.container, `--tail=${this.s.logLines}`, `--limit-bytes=${this.s.logBytes}`];
    if (log.previous) args.push('--previous');
    return this.exec(target, args, `logs ${log.namespace}/${log.pod}/${log.container}${log.previous ? ' (previous)' : ''}`, { kind: 'log', target: log }, { log }, Priority.Logs);
  }

  // -------------------------------------------------------------------------------------------
  // One kubectl call

  private async exec(target: Target, args: string[], label: string, output: Output, failure?: Failure, priority: Priority = Priority.Leaf): Promise<CallResult> {
    const cluster = target.entry;
    const seq = this.seq++;
    const record: CollectionRecord = { cluster: cluster.name, command: [this.s.kubectl, ...target.shownArgs, ...args], exitCode: 0, durationMs: 0 };
    this.records.push({ seq, record });
    const fullLabel = `${cluster.name}: ${label}`;
    this.progress.planned();
    const sink = new OutputSink(this, target, output);
    const outcome = await this.pool.run(async () => {
      if (this.interrupted) return { exitCode: 130, durationMs: 0, error: 'not run: collection interrupted', timedOut: false } satisfies KubectlOutcome;
      this.progress.started(fullLabel);
      return this.runner.run([...target.args, ...args], {
        deadlineMs: this.s.deadlineMs,
        signal: this.abort.signal,
        ...(output.kind === 'text' ? { maxTextBytes: 16 * 1024 * 1024 } : { consume: (stdout: Readable) => sink.consume(stdout) }),
      });
    }, priority);
    record.exitCode = outcome.exitCode;
    record.durationMs = outcome.durationMs;
    let error = outcome.error ?? sink.problem;
    if (sink.truncated) {
      // Logs are capped by design; a list cut at the byte cap is a gap.
      if (output.kind === 'log') {
        error = undefined;
        record.exitCode = 0;
      } else {
        error = `output larger than ${this.s.maxOutputBytes} bytes: kept the first ${sink.items} items${error ? ` (${error})` : ''}`;
      }
    }
    try {
      // A failed call leaves no half-written data in the bundle, except a list cut at the byte cap (still valid JSON).
      const paths = error === undefined || sink.truncated ? await sink.commit() : (await sink.discard(), []);
      if (output.kind === 'routed') record.output = `${cluster.dir}/cluster-resources/${output.resource}/`;
      else if (paths.length === 1) record.output = `${cluster.dir}/${paths[0]}`;
    } catch (commitError) {
      // The bundle writer failing is fatal and surfaces when the bundle is finished.
      error ??= `could not write the output: ${messageOf(commitError)}`;
    }
    if (error !== undefined) {
      // Error text comes from the cluster: redact it like everything else that ends up in the bundle.
      record.error = this.redactor.text(error);
      if (record.exitCode === 0) record.exitCode = 1;
      this.recordError(cluster, failure, record.error);
    }
    if (!this.interrupted) this.progress.finished(fullLabel, record.error);
    return { ok: error === undefined, outcome, record, ...(outcome.stdout !== undefined ? { text: outcome.stdout } : {}) };
  }

  /** @internal used by OutputSink */
  spoolFile(hint: string): string {
    return this.spool!.file(hint);
  }

  /** @internal used by OutputSink */
  redact<T>(obj: T): T {
    return this.redactor.object(obj);
  }

  /** @internal used by OutputSink */
  redactorFor(): Redactor {
    return this.redactor;
  }

  /** @internal used by OutputSink */
  settings(): Settings {
    return this.s;
  }

  /** @internal used by OutputSink: adds a spool file to the bundle and removes it from the spool. */
  async addToBundle(cluster: ManifestCluster, path: string, file: string): Promise<void> {
    await this.writer!.addFile(`${this.s.root}/${cluster.dir}/${path}`, file);
    await unlink(file).catch(() => undefined);
  }

  private recordError(cluster: ManifestCluster, failure: Failure, message: string): void {
    if (!failure) return;
    let files = this.errors.get(cluster.dir);
    if (!files) this.errors.set(cluster.dir, (files = new Map()));
    if ('log' in failure) {
      const l = failure.log;
      const path = logErrorPath(l.namespace, l.pod, l.container, l.previous);
      files.set(path, { array: [message], byNamespace: new Map() });
      return;
    }
    const path = errorsPath(failure.resource);
    let file = files.get(path);
    if (!file) files.set(path, (file = { array: [], byNamespace: new Map() }));
    if (failure.namespace === undefined) file.array.push(message);
    else {
      const known = file.byNamespace.get(failure.namespace);
      file.byNamespace.set(failure.namespace, known && known !== message ? `${known}; ${message}` : message);
    }
  }

  private async writeErrorFiles(): Promise<void> {
    for (const [dir, files] of this.errors) {
      for (const [path, file] of files) {
        const name = `${this.s.root}/${dir}/${path}`;
        if (path.endsWith('-logs-errors.log')) {
          await this.writer!.addBuffer(name, `${file.array.join('\n')}\n`);
          continue;
        }
        // Namespaced kinds: {"<namespace>": "<error>"} ('' = all namespaces); cluster-scoped: an array.
        const body = file.byNamespace.size > 0
          ? Object.fromEntries([...file.byNamespace, ...(file.array.length ? [['', file.array.join('; ')] as const] : [])])
          : file.array;
        await this.writer!.addBuffer(name, `${JSON.stringify(body, null, 2)}\n`);
      }
    }
  }

  private manifest(): unknown {
    const createdAt = this.s.now.toISOString().replace(/\.\d{3}Z$/, 'Z');
    return {
      format: 'hrp-doctor.bundle/v1',
      createdAt,
      tool: { name: 'hrp-doctor', version: toolVersion() },
      clusters: this.clusters,
      collection: this.records.sort((a, b) => a.seq - b.seq).map((r) => r.record),
      redaction: { applied: true, replacements: this.redactor.replacements },
    };
  }
}

/** Turns one call's stdout into redacted spool files, then into bundle entries. */
class OutputSink {
  truncated = false;
  items = 0;
  /** Something wrong with an output kubectl printed successfully. */
  problem: string | undefined;
  private readonly files = new Map<string, { file: string; list?: ListFile }>();
  private frame: unknown;

  constructor(private readonly session: Session, private readonly target: Target, private readonly output: Output) {}

  async consume(stdout: Readable): Promise<void> {
    const s = this.session.settings();
    const out = this.output;
    switch (out.kind) {
      case 'log': {
        const t = out.target;
        const file = this.session.spoolFile(`${t.pod}-${t.container}.log`);
        this.files.set(logPath(t.namespace, t.pod, t.container, t.previous), { file });
        // --limit-bytes caps what kubectl prints; a little slack for the line kubectl may add.
        const result = await consumeLog(stdout, file, this.session.redactorFor(), s.logBytes + 64 * 1024);
        this.truncated = result.truncated;
        return;
      }
      case 'version': {
        // `kubectl version` works through API path prefixes (proxies, Rancher), where `get --raw /version` does not.
        const result = await consumeList(stdout, () => undefined, 16 * 1024 * 1024);
        const server = (result.frame as { serverVersion?: unknown } | undefined)?.serverVersion;
        if (server === undefined || server === null || typeof server !== 'object') {
          this.problem = 'kubectl version printed no server version';
          return;
        }
        const file = this.session.spoolFile('version.json');
        await writeFile(file, `${JSON.stringify(this.session.redact(server), null, 2)}\n`, { mode: 0o600, flag: 'wx' });
        this.files.set(out.path, { file });
        return;
      }
      case 'list':
      case 'routed':
      case 'scan': {
        const result = await consumeList(stdout, async (raw) => {
          // Discovery reads are not written: no need to redact them (what is written later is redacted then).
          const item = out.kind === 'scan' ? (raw as KubeObject) : this.prepare(raw);
          if (out.kind === 'list' && out.keep && !out.keep(item)) return;
          this.items++;
          if (out.onItem) out.onItem(item);
          if (out.kind === 'scan') return;
          const path = out.kind === 'list' ? out.path : resourcePath(out.resource, item.metadata?.namespace ?? '_cluster');
          await this.listFor(path).item(item);
        }, s.maxOutputBytes);
        this.truncated = result.truncated;
        if (out.kind === 'scan') return;
        if (out.kind === 'routed') for (const ns of out.namespaces ?? []) this.listFor(resourcePath(out.resource, ns));
        if (result.isList || result.truncated) {
          this.frame = result.frame;
          if (out.kind === 'list') this.listFor(out.path); // an empty list is still written
          return;
        }
        // Not a list (a single object): written whole, redacted.
        if (out.kind === 'list' && result.frame !== undefined) {
          const file = this.session.spoolFile('object.json');
            await writeFile(file, `${JSON.stringify(this.session.redact(result.frame), null, 2)}\n`, { mode: 0o600, flag: 'wx' });
          this.files.set(out.path, { file });
        }
        return;
      }
      case 'text':
        return;
    }
  }

  private prepare(raw: unknown): KubeObject {
    const out = this.output;
    if ((out.kind === 'list' || out.kind === 'routed') && out.stripData && raw !== null && typeof raw === 'object') {
      delete (raw as Record<string, unknown>)['data'];
      delete (raw as Record<string, unknown>)['stringData'];
    }
    return this.session.redact(raw) as KubeObject;
  }

  private listFor(path: string): ListFile {
    let entry = this.files.get(path);
    if (!entry) {
      const file = this.session.spoolFile(path.split('/').slice(-2).join('-'));
      entry = { file, list: new ListFile(file) };
      this.files.set(path, entry);
    }
    return entry.list!;
  }

  /** Closes the spool files and adds them to the bundle; returns their paths inside the cluster folder. */
  async commit(): Promise<string[]> {
    const frame = (this.frame !== null && typeof this.frame === 'object' ? this.frame : {}) as { kind?: unknown; metadata?: unknown };
    const paths: string[] = [];
    for (const [path, entry] of [...this.files].sort(([a], [b]) => a.localeCompare(b))) {
      if (entry.list) await entry.list.close(typeof frame.kind === 'string' ? frame.kind : 'List', frame.metadata ?? { resourceVersion: '' });
      await this.session.addToBundle(this.target.entry, path, entry.file);
      paths.push(path);
    }
    this.files.clear();
    return paths;
  }

  async discard(): Promise<void> {
    for (const entry of this.files.values()) {
      if (entry.list) await entry.list.discard();
      await unlink(entry.file).catch(() => undefined);
    }
    this.files.clear();
  }
}
