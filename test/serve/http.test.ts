import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultInjector, FaultPlanError, parseFaultPlan } from '../../src/serve/faults.js';
import { startBundleServer, type BundleServer } from '../../src/serve/server.js';
import { CCM_POD, getJson, MGMT, SEED, WORKLOAD } from './helpers.js';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

function send(method: string, url: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the API over the seed incident', () => {
  let server: BundleServer;
  let mgmt: string;
  let workload: string;
  beforeAll(async () => {
    server = await startBundleServer({ bundles: [{ path: SEED }] });
    mgmt = `${server.url}/clusters/${MGMT}`;
    workload = `${server.url}/clusters/${WORKLOAD}`;
  });
  afterAll(() => server?.close());

  it('listens on 127.0.0.1 with one context per cluster', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.clusters).toEqual([MGMT, WORKLOAD]);
    expect(server.kubeconfig).toContain(`server: ${server.url}/clusters/${WORKLOAD}`);
    expect(server.kubeconfig).toContain(`current-context: ${MGMT}`);
  });

  it('/version is the bundle\'s server version', async () => {
    const { body } = await getJson(`${workload}/version`);
    expect(body).toMatchObject({ major: '1', minor: '31', gitVersion: 'v1.31.4' });
  });

  it('legacy discovery: /api, /api/v1, /apis, /apis/<group>/<version>', async () => {
    expect((await getJson(`${workload}/api`)).body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const core = (await getJson(`${workload}/api/v1`)).body;
    expect(core.kind).toBe('APIResourceList');
    expect(core.resources).toContainEqual(expect.objectContaining({ name: 'pods', namespaced: true, kind: 'Pod', verbs: ['get', 'list'], shortNames: ['po'] }));
    expect(core.resources).toContainEqual(expect.objectContaining({ name: 'pods/log', kind: 'Pod', verbs: ['get'] }));
    expect(core.resources).toContainEqual(expect.objectContaining({ name: 'nodes', namespaced: false }));
    const groups = (await getJson(`${mgmt}/apis`)).body;
    expect(groups.kind).toBe('APIGroupList');
    const addons = groups.groups.find((g: { name: string }) => g.name === 'addons.cluster.x-k8s.io');
    expect(addons.preferredVersion).toEqual({ groupVersion: 'addons.cluster.x-k8s.io/v1alpha1', version: 'v1alpha1' });
    const list = (await getJson(`${mgmt}/apis/addons.cluster.x-k8s.io/v1alpha1`)).body;
    expect(list.resources).toContainEqual(expect.objectContaining({ name: 'helmreleaseproxies', kind: 'HelmReleaseProxy', namespaced: true, shortNames: ['hrp'] }));
    expect((await getJson(`${mgmt}/apis/addons.cluster.x-k8s.io`)).body).toMatchObject({ kind: 'APIGroup', name: 'addons.cluster.x-k8s.io' });
    expect((await getJson(`${mgmt}/apis/nope.example.com/v1`)).status).toBe(404);
  });

  it('aggregated discovery (apidiscovery.k8s.io/v2) when the client asks for it, like kubectl ≥ 1.26', async () => {
    const apis = await getJson(`${mgmt}/apis`, AGGREGATED);
    expect(apis.contentType).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    expect(apis.body).toMatchObject({ kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2' });
    const addons = apis.body.items.find((i: { metadata: { name: string } }) => i.metadata.name === 'addons.cluster.x-k8s.io');
    expect(addons.versions[0].resources).toContainEqual(expect.objectContaining({
      resource: 'helmreleaseproxies', scope: 'Namespaced', responseKind: { group: 'addons.cluster.x-k8s.io', version: 'v1alpha1', kind: 'HelmReleaseProxy' },
    }));
    const api = await getJson(`${workload}/api`, AGGREGATED);
    expect(api.body.items).toHaveLength(1);
    const pods = api.body.items[0].versions[0].resources.find((r: { resource: string }) => r.resource === 'pods');
    expect(pods.subresources.map((s: { subresource: string }) => s.subresource)).toEqual(['log', 'status']);
  });

  it('lists and gets, namespaced, all namespaces and cluster-scoped', async () => {
    const pods = (await getJson(`${workload}/api/v1/namespaces/kube-system/pods`)).body;
    expect(pods).toMatchObject({ kind: 'PodList', apiVersion: 'v1' });
    expect(pods.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toContain('cilium-4xk2p');
    const all = (await getJson(`${workload}/api/v1/pods?limit=500`)).body;
    expect(new Set(all.items.map((p: { metadata: { namespace: string } }) => p.metadata.namespace)).size).toBeGreaterThan(1);
    expect(all.metadata.continue).toBeUndefined();
    const node = (await getJson(`${workload}/api/v1/nodes`)).body.items[0];
    expect((await getJson(`${workload}/api/v1/nodes/${node.metadata.name}`)).body).toEqual(node);
    expect((await getJson(`${workload}/api/v1/namespaces/kube-system`)).body).toMatchObject({ kind: 'Namespace', metadata: { name: 'kube-system' } });
    const hrps = (await getJson(`${mgmt}/apis/addons.cluster.x-k8s.io/v1alpha1/namespaces/dm-dev-workspace/helmreleaseproxies`)).body;
    expect(hrps).toMatchObject({ kind: 'HelmReleaseProxyList', apiVersion: 'addons.cluster.x-k8s.io/v1alpha1' });
    expect(hrps.items).toHaveLength(5);
  });

  it('label and field selectors', async () => {
    const names = async (query: string) =>
      (await getJson(`${workload}/api/v1/pods?${query}`)).body.items.map((p: { metadata: { name: string } }) => p.metadata.name);
    const cilium = await names(`labelSelector=${encodeURIComponent('k8s-app=cilium')}`);
    expect(cilium.sort()).toEqual(['cilium-4xk2p', 'cilium-8hj2v', 'cilium-m9csd', 'cilium-qz7lt']);
    expect(await names(`labelSelector=${encodeURIComponent('k8s-app in (cilium),k8s-app!=cilium')}`)).toEqual([]);
    const pending = await names(`fieldSelector=${encodeURIComponent('status.phase=Pending')}`);
    expect(pending).toContain('cilium-operator-6c4f9c8d5b-x5jrn');
    expect(await names(`fieldSelector=${encodeURIComponent(`metadata.name=${CCM_POD}`)}`)).toEqual([CCM_POD]);
  });

  it('an unknown field selector is a 400 BadRequest, like the API server', async () => {
    const { status, body } = await getJson(`${workload}/api/v1/pods?fieldSelector=foo%3Dbar`);
    expect(status).toBe(400);
    expect(body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'BadRequest', code: 400, message: 'field label not supported: foo' });
  });

  it('Table output for kubectl get: pods READY STATUS RESTARTS, CR printer columns', async () => {
    const { body } = await getJson(`${workload}/api/v1/namespaces/kube-system/pods`, TABLE);
    expect(body).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
    expect(body.columnDefinitions.map((c: { name: string }) => c.name).slice(0, 5)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age']);
    const ccm = body.rows.find((r: { cells: string[] }) => r.cells[0] === CCM_POD);
    expect(ccm.cells.slice(1, 3)).toEqual(['0/1', 'CrashLoopBackOff']);
    expect(ccm.object).toMatchObject({ kind: 'PartialObjectMetadata', metadata: { name: CCM_POD, namespace: 'kube-system' } });
    const full = (await getJson(`${workload}/api/v1/namespaces/kube-system/pods/${CCM_POD}?includeObject=Object`, TABLE)).body;
    expect(full.rows).toHaveLength(1);
    expect(full.rows[0].object.kind).toBe('Pod');
    const hrps = (await getJson(`${mgmt}/apis/addons.cluster.x-k8s.io/v1alpha1/helmreleaseproxies`, TABLE)).body;
    expect(hrps.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(['Name', 'Cluster', 'Ready', 'Reason', 'Message', 'Status', 'Revision']);
    expect(hrps.rows.find((r: { cells: string[] }) => r.cells[0] === 'cilium-dm-nkp-workload-1-kbx8x').cells.slice(1, 4)).toEqual([WORKLOAD, 'False', 'HelmInstallOrUpgradeFailed']);
  });

  it('PartialObjectMetadataList when asked; 406 when nothing acceptable is asked', async () => {
    const partial = (await getJson(`${workload}/api/v1/nodes`, 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io')).body;
    expect(partial.kind).toBe('PartialObjectMetadataList');
    expect(partial.items[0]).toMatchObject({ kind: 'PartialObjectMetadata', metadata: { name: expect.any(String) } });
    expect((await getJson(`${workload}/api/v1/nodes`, 'application/vnd.kubernetes.protobuf')).status).toBe(406);
    expect((await getJson(`${workload}/api/v1/nodes`, 'application/vnd.kubernetes.protobuf,application/json')).status).toBe(200);
  });

  it('404s are Status objects shaped like the API server\'s', async () => {
    const pod = await getJson(`${workload}/api/v1/namespaces/kube-system/pods/nope`);
    expect(pod.status).toBe(404);
    expect(pod.body).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'pods "nope" not found', details: { name: 'nope', kind: 'pods' }, code: 404 });
    const hrp = await getJson(`${mgmt}/apis/addons.cluster.x-k8s.io/v1alpha1/namespaces/dm-dev-workspace/helmreleaseproxies/nope`);
    expect(hrp.body.message).toBe('helmreleaseproxies.addons.cluster.x-k8s.io "nope" not found');
    const type = await getJson(`${workload}/api/v1/widgets`);
    expect(type.body).toMatchObject({ code: 404, message: 'the server could not find the requested resource' });
    expect((await getJson(`${server.url}/clusters/nope/version`)).status).toBe(404);
    expect((await getJson(`${workload}/openapi/v2`)).status).toBe(404);
  });

  it('every write is 405 MethodNotAllowed; watch is 405 too', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const { status, body } = await send(method, `${workload}/api/v1/namespaces/kube-system/pods/${CCM_POD}`);
      expect(status, method).toBe(405);
      expect(body).toMatchObject({ kind: 'Status', reason: 'MethodNotAllowed', code: 405 });
    }
    expect((await getJson(`${workload}/api/v1/pods?watch=true`)).status).toBe(405);
    expect((await getJson(`${workload}/api/v1/watch/pods`)).status).toBe(405);
  });

  it('pod logs: container, previous, tailLines, limitBytes', async () => {
    const base = `${workload}/api/v1/namespaces/kube-system/pods/${CCM_POD}/log`;
    const previous = await getJson(`${base}?container=nutanix-cloud-controller-manager&previous=true`);
    expect(previous.status).toBe(200);
    expect(previous.contentType).toMatch(/^text\/plain/);
    expect(previous.body).toContain('dial tcp 10.96.0.1:443: i/o timeout');
    const defaulted = await getJson(`${base}?tailLines=2`); // one container: no need to name it
    expect(defaulted.body.trimEnd().split('\n')).toHaveLength(2);
    expect((await getJson(`${base}?limitBytes=10`)).body).toHaveLength(10);
  });

  it('pod logs that the bundle lacks are a 404 Status; a wrong container a 400', async () => {
    const noPrevious = await getJson(`${workload}/api/v1/namespaces/kube-system/pods/coredns-7c65d6cfc9-b5kxr/log?previous=true`);
    expect(noPrevious.status).toBe(404);
    expect(noPrevious.body).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404 });
    expect((await getJson(`${workload}/api/v1/namespaces/kube-system/pods/nope/log`)).body.message).toBe('pods "nope" not found');
    const wrong = await getJson(`${workload}/api/v1/namespaces/kube-system/pods/${CCM_POD}/log?container=nope`);
    expect(wrong.status).toBe(400);
  });

  it('the management cluster answers the workload cluster\'s kubeconfig Secret, pointing back here', async () => {
    const { status, body } = await getJson(`${mgmt}/api/v1/namespaces/dm-dev-workspace/secrets/${WORKLOAD}-kubeconfig`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ kind: 'Secret', type: 'cluster.x-k8s.io/secret', metadata: { labels: { 'cluster.x-k8s.io/cluster-name': WORKLOAD } } });
    const kubeconfig = Buffer.from(body.data.value, 'base64').toString('utf8');
    expect(kubeconfig).toContain(`server: ${server.url}/clusters/${WORKLOAD}`);
    expect(kubeconfig).toContain(`current-context: ${WORKLOAD}-admin@${WORKLOAD}`);
    // Only there: not in the workload cluster, not in another namespace.
    expect((await getJson(`${workload}/api/v1/namespaces/dm-dev-workspace/secrets/${WORKLOAD}-kubeconfig`)).status).toBe(404);
    expect((await getJson(`${mgmt}/api/v1/namespaces/default/secrets/${WORKLOAD}-kubeconfig`)).status).toBe(404);
  });

  it('serves no secret data the bundle does not have', async () => {
    const secrets = (await getJson(`${workload}/api/v1/secrets`)).body.items as { data?: Record<string, string>; metadata: { name: string } }[];
    for (const secret of secrets) expect(secret.data ?? {}, secret.metadata.name).toEqual({});
  });
});

describe('legacy discovery only (aggregatedDiscovery: false)', () => {
  let server: BundleServer;
  beforeAll(async () => {
    server = await startBundleServer({ bundles: [{ path: SEED }], aggregatedDiscovery: false });
  });
  afterAll(() => server?.close());

  it('answers the aggregated Accept with the plain APIGroupList', async () => {
    const { contentType, body } = await getJson(`${server.url}/clusters/${MGMT}/apis`, AGGREGATED);
    expect(contentType).toBe('application/json');
    expect(body.kind).toBe('APIGroupList');
  });
});

describe('fault rules', () => {
  it('apply in order, count `times`, match the path with and without query and prefix', () => {
    const faults = new FaultInjector([
      { cluster: 'a', pathRegex: '^/api/v1/nodes$', status: 500, times: 2 },
      { pathRegex: 'previous=true', status: 403 },
      { pathRegex: '/pods', delayMs: 100 },
      { pathRegex: '/pods$', dropConnection: true, times: 1 },
      { pathRegex: '^/clusters/b/version', status: 503 },
    ]);
    expect(faults.decide('b', '/api/v1/nodes', '')).toEqual({ delayMs: 0, drop: false });
    expect(faults.decide('a', '/api/v1/nodes', '?limit=500')).toEqual({ delayMs: 0, drop: false, status: 500 });
    expect(faults.decide('a', '/api/v1/nodes', '').status).toBe(500);
    expect(faults.decide('a', '/api/v1/nodes', '').status).toBeUndefined(); // fails twice, then succeeds
    expect(faults.decide('a', '/api/v1/namespaces/x/pods/p/log', '?previous=true')).toEqual({ delayMs: 0, drop: false, status: 403 });
    expect(faults.decide('a', '/api/v1/pods', '')).toEqual({ delayMs: 100, drop: true });
    expect(faults.decide('a', '/api/v1/pods', '')).toEqual({ delayMs: 100, drop: false });
    expect(faults.decide('b', '/version', '').status).toBe(503);
  });

  it('bad plans are refused with the rule that is wrong', () => {
    expect(() => parseFaultPlan('{')).toThrow(FaultPlanError);
    expect(() => parseFaultPlan('{}')).toThrow('a fault plan is a JSON array of rules');
    expect(() => parseFaultPlan('[{"pathRegex":"("}]')).toThrow(/fault rule 0: pathRegex is not a valid regular expression/);
    expect(() => parseFaultPlan('[{"pathRegex":"x"}]')).toThrow(/fault rule 0: give status, delayMs or dropConnection/);
    expect(() => parseFaultPlan('[{"pathRegex":"x","status":200}]')).toThrow(/status must be an HTTP error status/);
    expect(() => parseFaultPlan('[{"pathRegex":"x","status":500,"tims":2}]')).toThrow(/unknown field "tims"/);
    expect(parseFaultPlan('[{"pathRegex":"x","status":500,"times":2}]')).toEqual([{ pathRegex: 'x', status: 500, times: 2 }]);
  });
});

describe('faults and latency over HTTP', () => {
  let server: BundleServer;
  let workload: string;
  beforeAll(async () => {
    server = await startBundleServer({
      bundles: [{ path: SEED }],
      latencyMs: 20,
      faults: [
        { cluster: WORKLOAD, pathRegex: '^/api/v1/namespaces/kube-system/pods$', status: 403 },
        { cluster: WORKLOAD, pathRegex: '^/api/v1/nodes$', status: 500, times: 1 },
        { cluster: WORKLOAD, pathRegex: '^/api/v1/namespaces$', dropConnection: true },
        { cluster: WORKLOAD, pathRegex: '^/api/v1/services$', delayMs: 60_000 },
        { cluster: WORKLOAD, pathRegex: '^/version$', status: 403 },
        { cluster: WORKLOAD, pathRegex: '/log', status: 429, times: 1 },
      ],
    });
    workload = `${server.url}/clusters/${WORKLOAD}`;
  });
  afterAll(() => server?.close());

  it('403 is the API server\'s Forbidden for the anonymous user', async () => {
    const { status, body } = await getJson(`${workload}/api/v1/namespaces/kube-system/pods`);
    expect(status).toBe(403);
    expect(body).toMatchObject({
      kind: 'Status',
      reason: 'Forbidden',
      code: 403,
      message: 'pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" in the namespace "kube-system"',
      details: { group: '', kind: 'pods' },
    });
    expect((await getJson(`${workload}/version`)).body.message).toBe('forbidden: User "system:anonymous" cannot get path "/version"');
    // Other namespaces and clusters are untouched.
    expect((await getJson(`${workload}/api/v1/namespaces/default/pods`)).status).toBe(200);
    expect((await getJson(`${server.url}/clusters/${MGMT}/version`)).status).toBe(200);
  });

  it('500 with times: 1 fails once, then succeeds', async () => {
    const first = await getJson(`${workload}/api/v1/nodes`);
    expect(first.status).toBe(500);
    expect(first.body).toMatchObject({ reason: 'InternalError', code: 500 });
    expect((await getJson(`${workload}/api/v1/nodes`)).status).toBe(200);
  });

  it('429 carries Retry-After', async () => {
    const res = await fetch(`${workload}/api/v1/namespaces/kube-system/pods/${CCM_POD}/log`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
  });

  it('dropConnection closes the socket without an answer', async () => {
    await expect(fetch(`${workload}/api/v1/namespaces`)).rejects.toThrow();
  });

  it('a delay is felt by a client with a timeout, and close() does not wait for it', async () => {
    const started = Date.now();
    await expect(fetch(`${workload}/api/v1/services`, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('latencyMs delays every request', async () => {
    const started = Date.now();
    await getJson(`${workload}/version`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(18);
  });
});

describe('binding', () => {
  it('refuses a non-loopback host', async () => {
    await expect(startBundleServer({ bundles: [{ path: SEED }], host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });

  it('close() ends a request that is waiting on a delay', async () => {
    const server = await startBundleServer({ bundles: [{ path: SEED }], faults: [{ pathRegex: '/version', delayMs: 60_000 }] });
    const pending = fetch(`${server.url}/clusters/${MGMT}/version`).then(
      () => 'answered',
      () => 'failed',
    );
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await pending).toBe('failed');
  });
});
