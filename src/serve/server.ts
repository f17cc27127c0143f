/**
 * `hrp-doctor serve`: a read-only Kubernetes API over bundles, one cluster per path prefix
 * (`http://127.0.0.1:PORT/clusters/<name>`), enough for kubectl get/describe/logs and for the collector.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InputSpec } from '../bundle/types.js';
import { parseBundleArg } from '../cli/analyze-command.js';
import { UsageError } from '../cli/errors.js';
import {
  aggregatedDiscovery, apiGroupDocument, apiGroupList, apiResourceList, apiVersions, builtinByKind, groupVersion, type ResourceType,
} from './discovery.js';
import { FaultInjector, parseFaultPlan, type FaultPlan } from './faults.js';
import { clusterServer, kubeconfigSecret, serveKubeconfig } from './kubeconfig.js';
import { fieldMatcher, matchesLabels, parseFieldSelector, parseLabelSelector, SelectorError } from './selectors.js';
import {
  badRequest, injectedStatus, methodNotAllowed, NO_SUCH_RESOURCE, notFound, status, type RequestInfo, type StatusBody,
} from './status.js';
import { loadBundles, type BundleStore, type ClusterStore, type KubeObject } from './store.js';
import { toTable, type IncludeObject } from './table.js';

export type { FaultPlan, FaultRule } from './faults.js';
export { parseFaultPlan } from './faults.js';

export interface BundleServerOptions {
  bundles: InputSpec[];
  /** A loopback address; 127.0.0.1 by default. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  faults?: FaultPlan;
  /** Added to every request (benchmarks). */
  latencyMs?: number;
  /**
   * false: answer `/api` and `/apis` with the legacy documents only, as API servers before 1.26 do,
   * so clients must walk `/api/v1`, `/apis/<group>/<version>` (tests of that fallback). Default true.
   */
  aggregatedDiscovery?: boolean;
}

export interface BundleServer {
  /** `http://127.0.0.1:PORT`; each cluster is served under `${url}/clusters/<name>`. */
  url: string;
  /** Served cluster names, which are also the kubeconfig's context names. */
  clusters: string[];
  /** A kubeconfig (YAML) with one context per cluster. */
  kubeconfig: string;
  close(): Promise<void>;
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/;
const JSON_TYPE = 'application/json';

/** Reads the bundles and starts serving them. Rejects with UnreadableInputError for a bundle that cannot be read at all. */
export async function startBundleServer(options: BundleServerOptions): Promise<BundleServer> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.test(host)) throw new Error(`hrp-doctor serve listens on loopback addresses only, not ${host}`);
  const faults = new FaultInjector(options.faults ?? []);
  const store = await loadBundles(options.bundles);
  const app = new ApiServer(store, faults, options.latencyMs ?? 0, options.aggregatedDiscovery ?? true);
  const server = createServer((req, res) => void app.handle(req, res));
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  app.baseUrl = url;
  addKubeconfigSecrets(store, url);

  const names = store.names();
  const current = store.clusters.find((c) => c.role === 'management')?.name ?? names[0];
  let closing: Promise<void> | undefined;
  return {
    url,
    clusters: names,
    kubeconfig: serveKubeconfig(url, names, current),
    close: () => (closing ??= app.shutdown(server)),
  };
}

/**
 * For each workload cluster linked to a CAPI Cluster, its management cluster answers the
 * `<name>-kubeconfig` Secret the way Cluster API keeps it, pointing back at this server.
 */
function addKubeconfigSecrets(store: BundleStore, url: string): void {
  for (const workload of store.clusters) {
    if (!workload.capiCluster || !workload.managementCluster) continue;
    const management = store.cluster(workload.managementCluster);
    if (!management) continue;
    const secrets = management.typeOfKindAt('', 'v1', 'Secret') ?? management.addType(builtinByKind('', 'Secret')!);
    management.add(secrets, kubeconfigSecret(url, workload.capiCluster, workload.name), true);
  }
}

// ---------------------------------------------------------------------------------------------
// Content negotiation

interface MediaType {
  type: string;
  params: Record<string, string>;
}

function parseAccept(header: string | undefined): MediaType[] {
  if (!header || header.trim() === '') return [{ type: JSON_TYPE, params: {} }];
  return header.split(',').map((part) => {
    const [type = '', ...params] = part.split(';').map((s) => s.trim());
    return {
      type: type.toLowerCase(),
      params: Object.fromEntries(params.map((p) => p.split('=', 2).map((s) => s.trim()) as [string, string]).filter(([k, v]) => k && v !== undefined)),
    };
  });
}

const jsonLike = (type: string) => type === JSON_TYPE || type === 'application/*' || type === '*/*';

type Rendering = { as: 'plain' } | { as: 'table'; version: 'v1' | 'v1beta1' } | { as: 'partial'; version: 'v1' | 'v1beta1' };

function negotiateObject(accept: string | undefined): Rendering | undefined {
  for (const { type, params } of parseAccept(accept)) {
    if (!jsonLike(type)) continue;
    const version = params['v'] === 'v1beta1' ? 'v1beta1' : params['v'] === 'v1' ? 'v1' : undefined;
    if (!params['as']) return { as: 'plain' };
    if (params['g'] !== 'meta.k8s.io' || !version) continue;
    if (params['as'] === 'Table') return { as: 'table', version };
    if (params['as'] === 'PartialObjectMetadata' || params['as'] === 'PartialObjectMetadataList') return { as: 'partial', version };
  }
  return undefined;
}

function negotiateDiscovery(accept: string | undefined): 'v2' | 'v2beta1' | 'plain' | undefined {
  for (const { type, params } of parseAccept(accept)) {
    if (!jsonLike(type)) continue;
    if (params['g'] === 'apidiscovery.k8s.io' && params['as'] === 'APIGroupDiscoveryList' && (params['v'] === 'v2' || params['v'] === 'v2beta1')) {
      return params['v'];
    }
    if (!params['as'] && !params['g']) return 'plain';
  }
  return undefined;
}

const NOT_ACCEPTABLE = () =>
  status(406, 'NotAcceptable', 'only the following media types are accepted: application/json, application/json;as=Table;v=v1;g=meta.k8s.io, application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io');

// ---------------------------------------------------------------------------------------------
// Requests

/** Reads a path inside a cluster prefix the way the API server's RequestInfoFactory does. */
export function requestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const parts = path.split('/').filter(Boolean).map(safeDecode);
  const info: RequestInfo = { isResource: false, path, verb: method.toLowerCase(), group: '', version: '', namespace: '', resource: '', subresource: '', name: '' };
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    info.version = parts[1]!;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    info.group = parts[1]!;
    info.version = parts[2]!;
    rest = parts.slice(3);
  } else {
    return info;
  }
  info.isResource = true;
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  // `namespaces/<ns>/<resource>...` is namespaced; `namespaces[/<name>[/status|finalize]]` is the Namespace itself.
  if (rest[0] === 'namespaces' && rest.length > 2 && rest[2] !== 'status' && rest[2] !== 'finalize') {
    info.namespace = rest[1]!;
    rest = rest.slice(2);
  }
  [info.resource = '', info.name = '', info.subresource = ''] = rest;
  if (info.resource === 'namespaces' && info.name) info.namespace = info.name;
  if (rest.length > 3) info.resource = ''; // no such path; answered 404
  const watch = watchPath || ['true', '1'].includes(query.get('watch') ?? '');
  switch (method) {
    case 'GET':
    case 'HEAD':
      info.verb = watch ? 'watch' : info.name ? 'get' : 'list';
      break;
    case 'POST':
      info.verb = 'create';
      break;
    case 'PUT':
      info.verb = 'update';
      break;
    case 'PATCH':
      info.verb = 'patch';
      break;
    case 'DELETE':
      info.verb = info.name ? 'delete' : 'deletecollection';
      break;
  }
  return info;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

class ApiServer {
  baseUrl = '';
  private closed = false;
  private readonly waiting = new Set<() => void>();

  constructor(
    private readonly store: BundleStore,
    private readonly faults: FaultInjector,
    private readonly latencyMs: number,
    private readonly aggregated: boolean,
  ) {}

  /** Waits `ms`, or less when the server closes meanwhile. */
  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiting.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiting.add(done);
    });
  }

  async shutdown(server: Server): Promise<void> {
    this.closed = true;
    for (const done of [...this.waiting]) done();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.sleep(this.latencyMs);
      if (this.closed) return void res.destroy();
      const url = new URL(req.url ?? '/', 'http://serve.invalid');
      const parts = url.pathname.split('/').filter(Boolean);
      if (parts[0] !== 'clusters' || parts.length < 2) return this.root(req, res, url.pathname);
      const clusterName = safeDecode(parts[1]!);
      const cluster = this.store.cluster(clusterName);
      if (!cluster) {
        return sendStatus(res, status(404, 'NotFound', `hrp-doctor serve has no cluster "${clusterName}" (it serves: ${this.store.names().join(', ')})`));
      }
      const prefixLength = `/clusters/${parts[1]}`.length;
      const path = url.pathname.slice(url.pathname.indexOf(`/clusters/${parts[1]}`) + prefixLength) || '/';
      const method = req.method ?? 'GET';
      const info = requestInfo(method, path, url.searchParams);

      const fault = this.faults.decide(cluster.name, path, url.search);
      await this.sleep(fault.delayMs);
      if (this.closed || res.destroyed || req.socket.destroyed) return void res.destroy();
      if (fault.drop) {
        req.socket.destroy();
        return;
      }
      if (fault.status !== undefined) return sendStatus(res, injectedStatus(fault.status, info));

      if (method !== 'GET' && method !== 'HEAD') return sendStatus(res, methodNotAllowed());
      if (info.isResource) return this.resource(req, res, cluster, info, url.searchParams);
      return this.nonResource(req, res, cluster, path);
    } catch (error) {
      if (!res.headersSent) sendStatus(res, status(500, 'InternalError', `Internal error occurred: ${(error as Error).message}`));
      else res.destroy();
    }
  }

  private root(req: IncomingMessage, res: ServerResponse, path: string): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendStatus(res, methodNotAllowed());
    if (path === '/healthz' || path === '/livez' || path === '/readyz') return sendText(res, 200, 'ok');
    if (path !== '/') return sendStatus(res, NO_SUCH_RESOURCE());
    sendJson(res, 200, {
      kind: 'HrpDoctorServe',
      clusters: this.store.clusters.map((c) => ({ name: c.name, role: c.role, server: clusterServer(this.baseUrl, c.name), input: c.input })),
    });
  }

  private nonResource(req: IncomingMessage, res: ServerResponse, cluster: ClusterStore, path: string): void {
    const parts = path.split('/').filter(Boolean).map(safeDecode);
    const joined = parts.join('/');
    const groups = cluster.groups();
    if (joined === '') return sendJson(res, 200, { paths: ['/api', '/api/v1', '/apis', ...groups.filter((g) => g.name).flatMap((g) => [`/apis/${g.name}`, ...g.versions.map((v) => `/apis/${g.name}/${v.version}`)]), '/healthz', '/version'] });
    if (joined === 'version') return sendJson(res, 200, versionInfo(cluster.serverVersion));
    if (joined === 'healthz' || joined === 'livez' || joined === 'readyz') return sendText(res, 200, 'ok');
    if (joined === 'api' || joined === 'apis') {
      const want = negotiateDiscovery(req.headers.accept);
      if (!want) return sendStatus(res, NOT_ACCEPTABLE());
      if (want !== 'plain' && this.aggregated) {
        return sendJson(res, 200, aggregatedDiscovery(groups, joined === 'api', want), `${JSON_TYPE};g=apidiscovery.k8s.io;v=${want};as=APIGroupDiscoveryList`);
      }
      return sendJson(res, 200, joined === 'api' ? apiVersions(new URL(this.baseUrl).host) : apiGroupList(groups));
    }
    if (parts[0] === 'api' && parts.length === 2) {
      const core = groups.find((g) => g.name === '')!;
      const version = core.versions.find((v) => v.version === parts[1]);
      if (!version) return sendStatus(res, NO_SUCH_RESOURCE());
      return sendJson(res, 200, apiResourceList('', version.version, version.types));
    }
    if (parts[0] === 'apis' && (parts.length === 2 || parts.length === 3)) {
      const group = groups.find((g) => g.name === parts[1] && g.name !== '');
      if (!group) return sendStatus(res, NO_SUCH_RESOURCE());
      if (parts.length === 2) return sendJson(res, 200, apiGroupDocument(group));
      const version = group.versions.find((v) => v.version === parts[2]);
      if (!version) return sendStatus(res, NO_SUCH_RESOURCE());
      return sendJson(res, 200, apiResourceList(group.name, version.version, version.types));
    }
    // /openapi/v2, /openapi/v3 and anything else: kubectl get, describe and logs do without.
    sendStatus(res, NO_SUCH_RESOURCE());
  }

  private resource(req: IncomingMessage, res: ServerResponse, cluster: ClusterStore, info: RequestInfo, query: URLSearchParams): void {
    const type = info.resource ? cluster.type(info.group, info.version, info.resource) : undefined;
    if (!type) return sendStatus(res, NO_SUCH_RESOURCE());
    // A cluster-scoped resource has no namespaced path, and a namespaced one no cluster-scoped name.
    const namespace = type.namespaced ? info.namespace || undefined : undefined;
    if (!type.namespaced && info.namespace && !(type.plural === 'namespaces' && type.group === '')) return sendStatus(res, NO_SUCH_RESOURCE());
    if (type.namespaced && info.name && !namespace) return sendStatus(res, NO_SUCH_RESOURCE());

    if (info.verb === 'watch') {
      return sendStatus(res, status(405, 'MethodNotAllowed', 'watch is not supported: hrp-doctor serve serves a bundle, which never changes', {}));
    }
    const rendering = info.subresource === 'log' ? ({ as: 'plain' } as const) : negotiateObject(req.headers.accept);
    if (!rendering) return sendStatus(res, NOT_ACCEPTABLE());

    if (info.verb === 'list') {
      let matchLabels: (o: KubeObject) => boolean;
      let matchFields: (o: KubeObject) => boolean;
      try {
        const labels = parseLabelSelector(query.get('labelSelector') ?? '');
        matchLabels = (o) => matchesLabels(labels, o.metadata.labels);
        matchFields = fieldMatcher(type.group, type.plural, parseFieldSelector(query.get('fieldSelector') ?? ''));
      } catch (error) {
        if (error instanceof SelectorError) return sendStatus(res, badRequest(error.message));
        throw error;
      }
      const items = cluster.list(type, namespace).filter((o) => matchLabels(o) && matchFields(o));
      return sendObjects(res, type, items, rendering, query, true);
    }

    const obj = cluster.get(type, namespace, info.name);
    if (info.subresource === 'log' && type.group === '' && type.plural === 'pods') return this.podLog(res, cluster, namespace ?? '', info.name, obj, query);
    if (!obj) return sendStatus(res, notFound(type.plural, type.group, info.name));
    if (info.subresource && info.subresource !== 'status') return sendStatus(res, NO_SUCH_RESOURCE());
    sendObjects(res, type, [obj], rendering, query, false);
  }

  /** `pods/<name>/log?container=&previous=&tailLines=&limitBytes=` from the bundle's log files. */
  private podLog(res: ServerResponse, cluster: ClusterStore, namespace: string, name: string, pod: KubeObject | undefined, query: URLSearchParams): void {
    const spec = (pod?.['spec'] ?? {}) as Record<string, unknown>;
    const names = (key: string) => (Array.isArray(spec[key]) ? (spec[key] as { name?: unknown }[]).map((c) => String(c.name)) : []);
    const containers = names('containers');
    const initContainers = names('initContainers');
    const logged = cluster.loggedContainers(namespace, name);
    if (!pod && logged.length === 0) return sendStatus(res, notFound('pods', '', name));

    let container = query.get('container') ?? '';
    if (container === '') {
      const candidates = containers.length > 0 ? containers : logged;
      if (candidates.length !== 1) {
        const init = initContainers.length ? ` or one of the init containers: [${initContainers.join(' ')}]` : '';
        return sendStatus(res, badRequest(`a container name must be specified for pod ${name}, choose one of: [${candidates.join(' ')}]${init}`));
      }
      container = candidates[0]!;
    }
    const known = [...containers, ...initContainers, ...names('ephemeralContainers'), ...logged];
    if (!known.includes(container)) return sendStatus(res, badRequest(`container ${container} is not valid for pod ${name}`));

    const previous = ['true', '1'].includes(query.get('previous') ?? '');
    const lines = cluster.log(namespace, name, container, previous);
    if (!lines) {
      const what = previous ? `previous terminated container "${container}" in pod "${name}"` : `container "${container}" in pod "${name}"`;
      return sendStatus(res, status(404, 'NotFound', `the bundle holds no log of the ${what} in namespace "${namespace}"`, { name, kind: 'pods' }));
    }
    const tail = Number(query.get('tailLines'));
    let selected = query.has('tailLines') && Number.isInteger(tail) && tail >= 0 ? lines.slice(Math.max(0, lines.length - tail)) : lines;
    if (query.has('tailLines') && tail === 0) selected = [];
    let body = Buffer.from(selected.length ? `${selected.join('\n')}\n` : '');
    const limit = Number(query.get('limitBytes'));
    if (query.has('limitBytes') && Number.isInteger(limit) && limit > 0 && body.length > limit) body = body.subarray(0, limit);
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': body.length });
    res.end(body);
  }
}

function versionInfo(gitVersion: string | undefined): object {
  const m = /^v?(\d+)\.(\d+)/.exec(gitVersion ?? '');
  return {
    major: m?.[1] ?? '0',
    minor: m?.[2] ?? '0',
    gitVersion: gitVersion ?? 'v0.0.0-unknown',
    gitCommit: '',
    gitTreeState: '',
    buildDate: '',
    goVersion: '',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

function sendObjects(res: ServerResponse, type: ResourceType, items: KubeObject[], rendering: Rendering, query: URLSearchParams, list: boolean): void {
  if (rendering.as === 'table') {
    const include = query.get('includeObject');
    const includeObject: IncludeObject = include === 'None' || include === 'Object' ? include : 'Metadata';
    return sendJson(res, 200, toTable(type, items, includeObject, new Date(), rendering.version));
  }
  if (rendering.as === 'partial') {
    const apiVersion = `meta.k8s.io/${rendering.version}`;
    const partial = items.map((o) => ({ kind: 'PartialObjectMetadata', apiVersion, metadata: o.metadata }));
    return sendJson(res, 200, list ? { kind: 'PartialObjectMetadataList', apiVersion, metadata: { resourceVersion: '1' }, items: partial } : partial[0]);
  }
  if (!list) return sendJson(res, 200, items[0]);
  sendJson(res, 200, { kind: `${type.kind}List`, apiVersion: groupVersion(type.group, type.version), metadata: { resourceVersion: '1' }, items });
}

function sendJson(res: ServerResponse, code: number, body: unknown, contentType = JSON_TYPE): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': data.length, 'Cache-Control': 'no-cache, private' });
  res.end(data);
}

function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendStatus(res: ServerResponse, body: StatusBody): void {
  if (body.code === 429) res.setHeader('Retry-After', '1');
  sendJson(res, body.code, body);
}

// ---------------------------------------------------------------------------------------------
// The command

export interface ServeCommandArgs {
  /** BUNDLE arguments as on the command line (`NAME=PATH` names a foreign bundle's cluster). */
  bundles: string[];
  port?: number;
  /** Where to write the kubeconfig; printed on stdout when absent. */
  kubeconfigOut?: string;
  stdout: (s: string) => void;
  /** Stops the server like SIGINT (for tests and embedding). */
  signal?: AbortSignal;
  /** Environment to read HRP_DOCTOR_SERVE_FAULTS from (process.env by default). */
  env?: NodeJS.ProcessEnv;
}

/**
 * `hrp-doctor serve BUNDLE...`: serves until SIGINT/SIGTERM (or `signal`), then returns 0.
 * Throws UsageError (bad port, bad HRP_DOCTOR_SERVE_FAULTS, unwritable kubeconfig) and
 * UnreadableInputError like `analyze`, for main() to print as one line with exit status 2.
 */
export async function runServeCommand(args: ServeCommandArgs): Promise<number> {
  const env = args.env ?? process.env;
  const port = args.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535, not ${port}`);
  let faults: FaultPlan | undefined;
  const faultText = env['HRP_DOCTOR_SERVE_FAULTS'];
  if (faultText && faultText.trim() !== '') {
    try {
      faults = parseFaultPlan(faultText);
    } catch (error) {
      throw new UsageError(`HRP_DOCTOR_SERVE_FAULTS: ${(error as Error).message}`);
    }
  }
  let server: BundleServer;
  try {
    server = await startBundleServer({ bundles: args.bundles.map(parseBundleArg), port, ...(faults ? { faults } : {}) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') throw new UsageError(`cannot listen on 127.0.0.1:${port} (${code})`);
    throw error;
  }
  try {
    if (server.clusters.length === 0) throw new UsageError('the bundles hold no cluster data to serve');
    const out = args.kubeconfigOut;
    if (out !== undefined) {
      try {
        writeFileSync(out, server.kubeconfig, { mode: 0o600 });
      } catch (error) {
        throw new UsageError(`${out}: cannot write the kubeconfig (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
    } else {
      args.stdout(server.kubeconfig);
    }
    // Printed after a kubeconfig on stdout, the lines are YAML comments, so stdout stays a usable kubeconfig.
    const mark = out === undefined ? '# ' : '';
    const kubeconfig = out ?? 'KUBECONFIG_FILE';
    const faultNote = faults?.length ? `, ${faults.length} fault rule(s) from HRP_DOCTOR_SERVE_FAULTS` : '';
    args.stdout(`${mark}hrp-doctor serve: ${server.url} serves ${server.clusters.length} cluster(s) read-only${faultNote}${out ? `; kubeconfig written to ${out}` : ''} (Ctrl-C to stop)\n`);
    for (const name of server.clusters) {
      args.stdout(`${mark}context ${name}: kubectl --kubeconfig ${kubeconfig} --context ${name} get pods -A\n`);
    }
    await waitForStop(args.signal);
  } finally {
    await server.close();
  }
  return 0;
}

function waitForStop(signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      signal?.removeEventListener('abort', stop);
      resolve();
    };
    if (signal?.aborted) return stop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    signal?.addEventListener('abort', stop, { once: true });
  });
}
