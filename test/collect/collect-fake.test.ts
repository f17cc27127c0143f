/**
 * `collect` end to end against a fake kubectl (fixtures/fake-kubectl.mjs + fixtures/model.ts):
 * what it runs, what it writes, how it fails, what it leaves behind.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canaries, model, WORKLOAD_KUBECONFIG } from './fixtures/model.js';
import { collect, fakeKubectl, json, readBundle, relative, REPO, tempDir, type FakeRule, type Manifest } from './helpers.js';

async function run(rules: FakeRule[], options: Parameters<typeof collect>[0] = {}) {
  const dir = tempDir();
  const tmp = join(dir, 'tmp');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(tmp);
  const fake = fakeKubectl(dir, rules);
  const output = join(dir, 'bundle.tgz');
  const result = await collect({ cluster: 'edge-1', kubectl: fake.path, output, tmpDir: tmp, now: new Date('2025-12-27T10:04:11Z'), concurrency: 8, ...options });
  const bundle = existsSync(output) ? relative(await readBundle(output)) : undefined;
  return { ...result, dir, tmp, output, fake, bundle };
}

describe('collect with a fake kubectl', () => {
  it('collects both clusters into the bundle layout, with a complete manifest', async () => {
    const r = await run(model());
    expect(r.stderr).not.toMatch(/failed/);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${r.output}\n`);
    const { root, files } = r.bundle!;
    expect(root).toBe('hrp-doctor-edge-1-20251227T100411Z');
    expect([...files.keys()].sort()).toEqual([
      'clusters/edge-1/cluster-info/cluster_version.json',
      'clusters/edge-1/cluster-resources/configmaps/kube-system.json',
      'clusters/edge-1/cluster-resources/daemonsets/default.json',
      'clusters/edge-1/cluster-resources/daemonsets/kube-system.json',
      'clusters/edge-1/cluster-resources/deployments/default.json',
      'clusters/edge-1/cluster-resources/deployments/kube-system.json',
      'clusters/edge-1/cluster-resources/events/default.json',
      'clusters/edge-1/cluster-resources/events/kube-system.json',
      'clusters/edge-1/cluster-resources/jobs/default.json',
      'clusters/edge-1/cluster-resources/jobs/kube-system.json',
      'clusters/edge-1/cluster-resources/namespaces.json',
      'clusters/edge-1/cluster-resources/nodes.json',
      'clusters/edge-1/cluster-resources/pods/default.json',
      'clusters/edge-1/cluster-resources/pods/kube-system.json',
      'clusters/edge-1/cluster-resources/pods/logs/kube-system/ccm-abc/ccm-previous.log',
      'clusters/edge-1/cluster-resources/pods/logs/kube-system/ccm-abc/ccm.log',
      'clusters/edge-1/cluster-resources/replicasets/default.json',
      'clusters/edge-1/cluster-resources/replicasets/kube-system.json',
      'clusters/edge-1/cluster-resources/secrets/default.json',
      'clusters/edge-1/cluster-resources/secrets/kube-system.json',
      'clusters/edge-1/cluster-resources/services/default.json',
      'clusters/edge-1/cluster-resources/services/kube-system.json',
      'clusters/edge-1/cluster-resources/statefulsets/default.json',
      'clusters/edge-1/cluster-resources/statefulsets/kube-system.json',
      'clusters/mgmt/cluster-info/cluster_version.json',
      'clusters/mgmt/cluster-resources/custom-resources/clusters.cluster.x-k8s.io/ws.json',
      'clusters/mgmt/cluster-resources/custom-resources/extensionconfigs.runtime.cluster.x-k8s.io.json',
      'clusters/mgmt/cluster-resources/custom-resources/helmchartproxies.addons.cluster.x-k8s.io/ws.json',
      'clusters/mgmt/cluster-resources/custom-resources/helmreleaseproxies.addons.cluster.x-k8s.io/ws.json',
      'clusters/mgmt/cluster-resources/custom-resources/machines.cluster.x-k8s.io/ws.json',
      'clusters/mgmt/cluster-resources/deployments/caaph-system.json',
      'clusters/mgmt/cluster-resources/events/caaph-system.json',
      'clusters/mgmt/cluster-resources/events/ws.json',
      'clusters/mgmt/cluster-resources/namespaces.json',
      'clusters/mgmt/cluster-resources/nodes.json',
      'clusters/mgmt/cluster-resources/pods/caaph-system.json',
      'clusters/mgmt/cluster-resources/pods/logs/caaph-system/caaph-controller-manager-1/manager.log',
      'clusters/mgmt/cluster-resources/replicasets/caaph-system.json',
      'manifest.json',
    ]);
    const manifest = json<Manifest>(files, 'manifest.json');
    expect(manifest.format).toBe('hrp-doctor.bundle/v1');
    expect(manifest.clusters).toEqual([
      { name: 'mgmt', role: 'management', dir: 'clusters/mgmt', context: 'mgmt-admin@mgmt' },
      { name: 'edge-1', role: 'workload', dir: 'clusters/edge-1', capiCluster: { namespace: 'ws', name: 'edge-1' }, kubeconfig: 'secret:ws/edge-1-kubeconfig' },
    ]);
    // Every call, in the order it was started, each with its output.
    expect(manifest.collection).toHaveLength(r.fake.calls().length);
    expect(manifest.collection.every((c) => c.exitCode === 0 && c.error === undefined && c.durationMs >= 0)).toBe(true);
    const pods = manifest.collection.find((c) => c.output === 'clusters/edge-1/cluster-resources/pods/kube-system.json')!;
    expect(pods.command).toEqual([r.fake.path, '--kubeconfig=secret:ws/edge-1-kubeconfig', '--request-timeout=30s', 'get', 'pods', '-n', 'kube-system', '-o', 'json']);
    expect(manifest.collection.find((c) => c.command.includes('--previous'))?.output).toBe('clusters/edge-1/cluster-resources/pods/logs/kube-system/ccm-abc/ccm-previous.log');
    expect(manifest.redaction.applied).toBe(true);
    expect(manifest.redaction.replacements).toBeGreaterThanOrEqual(6);
    // The server version is the cluster's /version.
    expect(json(files, 'clusters/edge-1/cluster-info/cluster_version.json')).toMatchObject({ gitVersion: 'v1.30.2' });
  });

  it('keeps only the HelmChartProxies that concern the cluster, and strips managedFields', async () => {
    const r = await run(model());
    const hcps = json<{ items: { metadata: { name: string } }[] }>(r.bundle!.files, 'clusters/mgmt/cluster-resources/custom-resources/helmchartproxies.addons.cluster.x-k8s.io/ws.json');
    expect(hcps.items.map((i) => i.metadata.name)).toEqual(['cilium']);
    const pods = json<{ kind: string; items: { metadata: Record<string, unknown> }[] }>(r.bundle!.files, 'clusters/edge-1/cluster-resources/pods/kube-system.json');
    expect(pods.kind).toBe('List');
    expect(pods.items[0]!.metadata).not.toHaveProperty('managedFields');
  });

  it('never writes a credential: Secret data, passwords, tokens, bearer headers, the kubeconfig', async () => {
    const r = await run(model());
    const all = Buffer.concat([...r.bundle!.files.values()]).toString('utf8');
    for (const canary of Object.values(canaries)) {
      expect(all).not.toContain(canary);
      expect(all).not.toContain(Buffer.from(canary).toString('base64'));
    }
    expect(all).not.toContain('inline-values-secret');
    expect(all).not.toContain('abc123def456');
    expect(all).not.toContain(Buffer.from(WORKLOAD_KUBECONFIG).toString('base64').slice(0, 40));
    expect(all).not.toContain('edge-1-admin@edge-1');
    const secrets = json<{ items: Record<string, unknown>[] }>(r.bundle!.files, 'clusters/edge-1/cluster-resources/secrets/default.json');
    expect(secrets.items[0]).not.toHaveProperty('data');
    expect(secrets.items[0]).not.toHaveProperty('stringData');
    expect(secrets.items[0]!['metadata']).toMatchObject({ labels: { owner: 'helm', name: 'app', status: 'failed', version: '2' } });
    // IPs are evidence: kept.
    expect(all).toContain('dial tcp 10.96.0.1:443: i/o timeout');
    expect(all).toContain('"value": "10.0.12.20"');
  });

  it('writes the workload kubeconfig to a 0600 temp file for the workload calls only, and removes it', async () => {
    const r = await run(model());
    const workloadCalls = r.fake.calls().filter((c) => c.kubeconfig?.path.endsWith('edge-1.kubeconfig'));
    expect(workloadCalls.length).toBeGreaterThan(10);
    for (const call of workloadCalls) {
      expect(call.kubeconfig).toMatchObject({ exists: true, mode: 0o600, content: WORKLOAD_KUBECONFIG });
      expect(call.args).not.toContain('--context');
      expect(call.args.some((a) => a.startsWith('--context='))).toBe(false);
    }
    expect(existsSync(workloadCalls[0]!.kubeconfig!.path)).toBe(false);
    expect(readdirSync(r.tmp)).toEqual([]);
  });

  it('passes --kubeconfig/--context to the management calls only when given, and always --request-timeout', async () => {
    const plain = await run(model(), { env: { ...process.env, KUBECONFIG: '/home/me/.kube/mgmt.conf' }, requestTimeout: '45s' });
    const mgmtCalls = plain.fake.calls().filter((c) => !c.kubeconfig);
    expect(mgmtCalls.length).toBeGreaterThan(10);
    for (const call of mgmtCalls) {
      expect(call.args.some((a) => a.startsWith('--context'))).toBe(false);
      expect(call.args[0]).toBe('--request-timeout=45s');
      expect(call.env.KUBECONFIG).toBe('/home/me/.kube/mgmt.conf');
    }
    const manifest = json<Manifest>(plain.bundle!.files, 'manifest.json');
    expect(manifest.clusters[0]).toMatchObject({ kubeconfig: '/home/me/.kube/mgmt.conf', context: 'mgmt-admin@mgmt' });

    const given = await run(model(), { mgmtKubeconfig: '/etc/mgmt.conf', mgmtContext: 'admin@prod' });
    const first = given.fake.calls().find((c) => c.args.includes('config'))!;
    expect(first.args.slice(0, 3)).toEqual(['--kubeconfig=/etc/mgmt.conf', '--context=admin@prod', '--request-timeout=30s']);
    expect(json<Manifest>(given.bundle!.files, 'manifest.json').clusters[0]).toMatchObject({ kubeconfig: '/etc/mgmt.conf', context: 'admin@prod' });
  });

  it('uses --workload-kubeconfig instead of the secret', async () => {
    const dir = tempDir();
    const kubeconfig = join(dir, 'edge-1-given.conf');
    writeFileSync(kubeconfig, WORKLOAD_KUBECONFIG);
    const r = await run(model({ workload: 'edge-1-given\\.conf' }), { workloadKubeconfig: kubeconfig });
    expect(r.status).toBe(0);
    expect(r.fake.calls().some((c) => c.args.includes('secret'))).toBe(false);
    expect(json<Manifest>(r.bundle!.files, 'manifest.json').clusters[1]).toMatchObject({ kubeconfig });
  });

  it('goes on past failures: exit 1, each failure in the manifest and in the *-errors.json next to the data', async () => {
    const r = await run(model({ overrides: [
      { match: 'edge-1\\.kubeconfig.* get pods -n default', stderr: 'Error from server (Forbidden): pods is forbidden: User "bob" cannot list resource "pods" in the namespace "default"\n', exit: 1 },
      { match: 'get machines\\.cluster\\.x-k8s\\.io', stderr: 'Error from server (InternalError): an error on the server ("boom") has prevented the request from succeeding\n', exit: 1 },
      { match: 'get nodes -o json', killSelf: 'SIGKILL' },
      { match: 'logs -n kube-system ccm-abc -c ccm --tail=\\d+ --limit-bytes=\\d+$', stderr: 'Error from server (BadRequest): container "ccm" in pod "ccm-abc" is waiting to start\n', exit: 1 },
    ] }));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/failed \[\d+\/\d+\] edge-1: pods -n default: Error from server \(Forbidden\)/);
    const { files } = r.bundle!;
    expect(json(files, 'clusters/edge-1/cluster-resources/pods-errors.json')).toEqual({ default: expect.stringContaining('forbidden') });
    expect(files.has('clusters/edge-1/cluster-resources/pods/default.json')).toBe(false);
    expect(files.has('clusters/edge-1/cluster-resources/pods/kube-system.json')).toBe(true);
    expect(json(files, 'clusters/mgmt/cluster-resources/custom-resources/machines.cluster.x-k8s.io-errors.json')).toEqual({ ws: expect.stringContaining('InternalError') });
    expect(json(files, 'clusters/edge-1/cluster-resources/nodes-errors.json')).toEqual([expect.stringContaining('killed by SIGKILL')]);
    expect(json(files, 'clusters/mgmt/cluster-resources/nodes-errors.json')).toEqual([expect.stringContaining('killed by SIGKILL')]);
    expect(files.get('clusters/edge-1/cluster-resources/pods/logs/kube-system/ccm-abc/ccm-logs-errors.log')?.toString()).toMatch(/waiting to start/);
    expect(files.has('clusters/edge-1/cluster-resources/pods/logs/kube-system/ccm-abc/ccm-previous.log')).toBe(true);
    const manifest = json<Manifest>(files, 'manifest.json');
    const failed = manifest.collection.filter((c) => c.error);
    expect(failed).toHaveLength(5);
    expect(failed.find((c) => c.command.includes('nodes') && c.cluster === 'edge-1')).toMatchObject({ exitCode: 137 });
    expect(failed.every((c) => c.exitCode !== 0 && c.output === undefined)).toBe(true);
  });

  it('records a missing workload kubeconfig secret and what it means for the workload cluster', async () => {
    const r = await run(model({ overrides: [{ match: 'get secret edge-1-kubeconfig', stderr: 'Error from server (NotFound): secrets "edge-1-kubeconfig" not found\n', exit: 1 }] }));
    expect(r.status).toBe(1);
    const { files } = r.bundle!;
    for (const resource of ['nodes', 'pods', 'events']) {
      expect(files.get(`clusters/edge-1/cluster-resources/${resource}-errors.json`)?.toString()).toMatch(/no kubeconfig for workload cluster edge-1: Error from server \(NotFound\)/);
    }
    const manifest = json<Manifest>(files, 'manifest.json');
    expect(manifest.collection.find((c) => c.command.includes('secret'))).toMatchObject({ cluster: 'mgmt', exitCode: 1 });
    expect(files.has('clusters/mgmt/cluster-resources/custom-resources/helmreleaseproxies.addons.cluster.x-k8s.io/ws.json')).toBe(true);
  });

  it('exits 2 with one line when the management cluster cannot be reached; nothing is left behind', async () => {
    const refused = 'The connection to the server 10.9.9.9:6443 was refused - did you specify the right host or port?\n';
    const r = await run([{ match: '', stderr: refused, exit: 1 }]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n').filter((l) => l.startsWith('hrp-doctor:'))).toEqual([
      'hrp-doctor: cannot list CAPI Clusters on the management cluster: The connection to the server 10.9.9.9:6443 was refused - did you specify the right host or port?',
    ]);
    expect(existsSync(r.output)).toBe(false);
    expect(readdirSync(r.dir).filter((f) => f.startsWith('bundle'))).toEqual([]);
    expect(readdirSync(r.tmp)).toEqual([]);
  });

  it('exits 2 when the CAPI Cluster does not exist', async () => {
    const r = await run(model(), { cluster: 'edge-2', quiet: true });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('hrp-doctor: CAPI Cluster edge-2 not found in any namespace on the management cluster\n');
    expect(existsSync(r.output)).toBe(false);
  });

  it('exits 2 on bad usage', async () => {
    expect((await collect({})).status).toBe(2);
    expect((await collect({ cluster: 'x', concurrency: 0 })).stderr).toMatch(/--concurrency/);
    expect((await collect({ cluster: 'x', requestTimeout: 'soon' })).stderr).toMatch(/not a duration/);
    expect((await collect({ allClusters: true, workloadKubeconfig: '/x' })).stderr).toMatch(/cannot be used with --all-clusters/);
    expect((await collect({ cluster: 'x', output: '/proc/nonexistent/b.tgz', kubectl: '/bin/false' })).stderr).toMatch(/cannot write/);
  });

  it('cuts an output at the byte cap, keeping whole items, and says so', async () => {
    const many = { apiVersion: 'v1', kind: 'List', items: Array.from({ length: 2000 }, (_, i) => ({ apiVersion: 'v1', kind: 'Event', metadata: { name: `e${i}`, namespace: 'kube-system' }, message: 'x'.repeat(200) })) };
    const r = await run(model({ overrides: [{ match: 'edge-1\\.kubeconfig.* get events -n kube-system', json: many }] }), { maxOutputBytes: 100_000 });
    expect(r.status).toBe(1);
    const events = json<{ items: unknown[] }>(r.bundle!.files, 'clusters/edge-1/cluster-resources/events/kube-system.json');
    expect(events.items.length).toBeGreaterThan(100);
    expect(events.items.length).toBeLessThan(2000);
    expect(json(r.bundle!.files, 'clusters/edge-1/cluster-resources/events-errors.json')).toEqual({ 'kube-system': expect.stringMatching(/output larger than 100000 bytes: kept the first \d+ items/) });
  });

  it('collects every Cluster of the namespace with --all-clusters', async () => {
    const rules = model({ overrides: [
      { match: 'get clusters\\.cluster\\.x-k8s\\.io -n ws -o json', json: { apiVersion: 'v1', kind: 'List', items: [
        { apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', metadata: { namespace: 'ws', name: 'edge-1', labels: { env: 'prod' } } },
        { apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', metadata: { namespace: 'ws', name: 'edge-2', labels: { env: 'dev' } } },
      ] } },
      { match: 'get secret edge-2-kubeconfig -n ws', stdout: Buffer.from(WORKLOAD_KUBECONFIG).toString('base64') },
    ] });
    // edge-2's calls carry edge-2.kubeconfig: route them to the same workload answers.
    const r = await run(rules.map((rule) => ({ ...rule, match: rule.match.replace('edge-1\\.kubeconfig', 'edge-[12]\\.kubeconfig') })), { cluster: undefined, allClusters: true, namespace: 'ws' });
    expect(r.status).toBe(0);
    expect(r.bundle!.root).toBe('hrp-doctor-ws-20251227T100411Z');
    const manifest = json<Manifest>(r.bundle!.files, 'manifest.json');
    expect(manifest.clusters.map((c) => `${c.role}:${c.name}`)).toEqual(['management:mgmt', 'workload:edge-1', 'workload:edge-2']);
    // Every Cluster of the namespace is collected: no label selector needed.
    expect(manifest.collection.some((c) => c.command.includes('-l') && c.command.some((a) => a.startsWith('cluster.x-k8s.io/cluster-name')))).toBe(false);
    const hcps = json<{ items: { metadata: { name: string } }[] }>(r.bundle!.files, 'clusters/mgmt/cluster-resources/custom-resources/helmchartproxies.addons.cluster.x-k8s.io/ws.json');
    expect(hcps.items.map((i) => i.metadata.name)).toEqual(['cilium', 'dev-only']);
    expect(r.bundle!.files.has('clusters/edge-2/cluster-resources/pods/kube-system.json')).toBe(true);
  });

  it('selects a namespace\'s CAPI objects by cluster-name label when other Clusters share it', async () => {
    const r = await run(model({ overrides: [
      { match: 'get clusters\\.cluster\\.x-k8s\\.io -A -o json', json: { apiVersion: 'v1', kind: 'List', items: [
        { apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', metadata: { namespace: 'ws', name: 'edge-1', labels: { env: 'prod' } } },
        { apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', metadata: { namespace: 'ws', name: 'edge-9' } },
      ] } },
    ] }));
    const manifest = json<Manifest>(r.bundle!.files, 'manifest.json');
    const hrp = manifest.collection.find((c) => c.command.includes('helmreleaseproxies.addons.cluster.x-k8s.io'))!;
    expect(hrp.command.slice(-6)).toEqual(['-n', 'ws', '-l', 'cluster.x-k8s.io/cluster-name=edge-1', '-o', 'json']);
    const clusters = json<{ items: { metadata: { name: string } }[] }>(r.bundle!.files, 'clusters/mgmt/cluster-resources/custom-resources/clusters.cluster.x-k8s.io/ws.json');
    expect(clusters.items.map((c) => c.metadata.name)).toEqual(['edge-1']);
  });
});

describe('kubectl\'s environment and the order of calls', () => {
  const bare = () => {
    const env = { ...process.env };
    delete env['GOGC'];
    delete env['GOMEMLIMIT'];
    delete env['GOMAXPROCS'];
    return env;
  };

  it('runs every kubectl with GOGC=off under a GOMEMLIMIT, and a GOMAXPROCS, unless the user set them', async () => {
    const own = await run(model(), { env: bare() });
    expect(own.status).toBe(0);
    const calls = own.fake.calls();
    expect(calls.length).toBeGreaterThan(20);
    for (const call of calls) {
      expect(call.env).toMatchObject({ GOGC: 'off', GOMEMLIMIT: expect.stringMatching(/^\d+MiB$/), GOMAXPROCS: expect.stringMatching(/^[1-9]\d*$/) });
    }
    const users = await run(model(), { env: { ...bare(), GOGC: '150', GOMAXPROCS: '3' } });
    expect(users.status).toBe(0);
    for (const call of users.fake.calls()) expect(call.env).toMatchObject({ GOGC: '150', GOMEMLIMIT: null, GOMAXPROCS: '3' });
    const limit = await run(model(), { env: { ...bare(), GOMEMLIMIT: '3GiB' } });
    for (const call of limit.fake.calls()) expect(call.env).toMatchObject({ GOGC: null, GOMEMLIMIT: '3GiB' });
  });

  it('reads the workload kubeconfig and namespaces before the management lists, and logs before the lists nothing waits for', async () => {
    // One call at a time: the order of the calls is the order of the pool's queue.
    const r = await run(model(), { concurrency: 1 });
    expect(r.status).toBe(0);
    const calls = r.fake.calls().sort((a, b) => a.start - b.start);
    const at = (pattern: RegExp, workload: boolean) => {
      const index = calls.findIndex((c) => pattern.test(c.args.join(' ')) && c.args.some((a) => a.includes('edge-1.kubeconfig')) === workload);
      expect(index, String(pattern)).toBeGreaterThanOrEqual(0);
      return index;
    };
    const secret = at(/get secret edge-1-kubeconfig/, false);
    const mgmtNodes = at(/get nodes/, false);
    expect(secret).toBeLessThan(mgmtNodes);
    expect(at(/get namespaces/, true)).toBeLessThan(mgmtNodes);
    // The crash-looping pod's logs come before the workload's events, replicasets, jobs and -A lists.
    const lastLog = Math.max(at(/logs -n kube-system ccm-abc .*--previous/, true), at(/logs -n kube-system ccm-abc -c ccm --tail=\d+ --limit-bytes=\d+$/, true));
    for (const leaf of [/get events -n default/, /get replicasets -n default/, /get jobs -n default/, /get services -A/]) {
      expect(lastLog).toBeLessThan(at(leaf, true));
    }
  });

  it('asks for API discovery from kubectl\'s cache after the Clusters lookup, and starts the lists that need none at once', async () => {
    const r = await run(model({ overrides: [
      { match: 'api-resources --namespaced=true -o name --cached$', sleepMs: 1500, stdout: 'pods\nclusters.cluster.x-k8s.io\nmachines.cluster.x-k8s.io\n' },
    ] }), { concurrency: 4 });
    expect(r.status).toBe(0);
    const calls = r.fake.calls();
    const find = (pattern: RegExp) => calls.filter((c) => pattern.test(c.args.join(' ')) && !c.args.some((a) => a.includes('edge-1.kubeconfig')));
    const lookup = find(/get clusters\.cluster\.x-k8s\.io/)[0]!;
    const discovery = find(/ api-resources /);
    expect(discovery.map((c) => c.args.slice(-4).join(' ')).sort()).toEqual(['--namespaced=false -o name --cached', '--namespaced=true -o name --cached']);
    for (const call of discovery) expect(call.start).toBeGreaterThanOrEqual(lookup.end);
    const slow = discovery.find((c) => c.args.includes('--namespaced=true'))!;
    // The management cluster's nodes, namespaces and pods do not wait for discovery; its CAPI kinds do.
    for (const pattern of [/get nodes -o json/, /get namespaces -o json/, /get pods -A -o json/]) expect(find(pattern)[0]!.start).toBeLessThan(slow.end);
    expect(find(/get machines\.cluster\.x-k8s\.io/)[0]!.start).toBeGreaterThanOrEqual(slow.end);
  });
});

describe('interruption', () => {
  it('SIGINT stops kubectl, removes the temporary kubeconfig and the partial bundle, exits 130', async () => {
    const dir = tempDir();
    const tmp = join(dir, 'tmp');
    (await import('node:fs')).mkdirSync(tmp);
    const fake = fakeKubectl(dir, model({ overrides: [{ match: 'edge-1\\.kubeconfig.* get pods -n', sleepMs: 60_000 }] }));
    const output = join(dir, 'bundle.tgz');
    const options = { cluster: 'edge-1', kubectl: fake.path, output, tmpDir: tmp };
    const child = spawn(process.execPath, [join(REPO, 'test', 'collect', 'fixtures', 'run-collect.mjs'), JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Wait until the workload kubeconfig exists and a workload call hangs.
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && !readdirSync(tmp).some((f) => f.startsWith('hrp-doctor-kubeconfig-'))) await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(tmp).some((f) => f.startsWith('hrp-doctor-kubeconfig-'))).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(readdirSync(dir).some((f) => f.startsWith('bundle.tgz.tmp-'))).toBe(true);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/hrp-doctor: interrupted: no bundle written/);
    expect(readdirSync(tmp)).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.startsWith('bundle'))).toEqual([]);
  });
});
