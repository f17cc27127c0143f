/**
 * The key acceptance test: collecting the served seed incident with the real kubectl gives a
 * bundle whose analysis says what the seed sample's analysis says.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBundleServer } from '../../src/serve/server.js';
import { analyze, collect, json, readBundle, relative, signature, tempDir, type Manifest } from './helpers.js';
import { copySeed, MGMT, NAMESPACE, readJson, SEED_TGZ, serve, WORKLOAD, writeJson, type Served } from './serve-helpers.js';

describe('collect ↔ serve: the seed incident', () => {
  let served: Served;
  let output: string;
  let result: Awaited<ReturnType<typeof collect>>;
  let files: Map<string, Buffer>;
  let root: string;
  let tmp: string;

  beforeAll(async () => {
    served = await serve(SEED_TGZ);
    const dir = tempDir();
    output = join(dir, 'collected.tgz');
    tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    result = await collect({
      mgmtKubeconfig: served.kubeconfig, mgmtContext: MGMT, cluster: WORKLOAD, output, kubectl: served.kubectl, env: served.env, tmpDir: tmp,
    });
    ({ root, files } = relative(await readBundle(output)));
  }, 60_000);
  afterAll(async () => {
    await served?.server.close();
  });

  it('writes a bundle; the only gaps are the controller logs the sample does not hold', () => {
    const manifest = json<Manifest>(files, 'manifest.json');
    const failed = manifest.collection.filter((c) => c.error !== undefined);
    // The seed sample keeps the CAAPH controller's log only; serve answers 404 for the other controllers'.
    expect(failed.map((c) => `${c.cluster} ${c.command.slice(c.command.indexOf('logs'), c.command.indexOf('logs') + 3).join(' ')}`).sort()).toEqual([
      `${MGMT} logs -n capi-kubeadm-bootstrap-system`,
      `${MGMT} logs -n capi-kubeadm-control-plane-system`,
      `${MGMT} logs -n capi-system`,
      `${MGMT} logs -n capx-system`,
      `${MGMT} logs -n caren-system`,
    ]);
    expect(failed.every((c) => /NotFound/.test(c.error!))).toBe(true);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe(`${output}\n`);
    expect(result.stderr).toMatch(/wrote .*collected\.tgz: 2 clusters, \d+ kubectl calls, 5 failed/);
  });

  it('has the bundle layout: one top folder, manifest, cluster-info, troubleshoot-style resources and logs', () => {
    expect(root).toMatch(new RegExp(`^hrp-doctor-${WORKLOAD}-\\d{8}T\\d{6}Z$`));
    for (const path of [
      'manifest.json',
      `clusters/${MGMT}/cluster-info/cluster_version.json`,
      `clusters/${MGMT}/cluster-resources/custom-resources/clusters.cluster.x-k8s.io/${NAMESPACE}.json`,
      `clusters/${MGMT}/cluster-resources/custom-resources/helmchartproxies.addons.cluster.x-k8s.io/${NAMESPACE}.json`,
      `clusters/${MGMT}/cluster-resources/custom-resources/helmreleaseproxies.addons.cluster.x-k8s.io/${NAMESPACE}.json`,
      `clusters/${MGMT}/cluster-resources/custom-resources/machines.cluster.x-k8s.io/${NAMESPACE}.json`,
      `clusters/${MGMT}/cluster-resources/custom-resources/kubeadmcontrolplanes.controlplane.cluster.x-k8s.io/${NAMESPACE}.json`,
      `clusters/${MGMT}/cluster-resources/custom-resources/nutanixmachines.infrastructure.cluster.x-k8s.io/${NAMESPACE}.json`,
      `clusters/${MGMT}/cluster-resources/events/${NAMESPACE}.json`,
      `clusters/${MGMT}/cluster-resources/pods/caaph-system.json`,
      `clusters/${MGMT}/cluster-resources/pods/logs/caaph-system/caaph-controller-manager-7f4d9b6c58-5tjlz/manager.log`,
      `clusters/${WORKLOAD}/cluster-info/cluster_version.json`,
      `clusters/${WORKLOAD}/cluster-resources/nodes.json`,
      `clusters/${WORKLOAD}/cluster-resources/namespaces.json`,
      `clusters/${WORKLOAD}/cluster-resources/pods/kube-system.json`,
      `clusters/${WORKLOAD}/cluster-resources/events/kube-system.json`,
      `clusters/${WORKLOAD}/cluster-resources/daemonsets/kube-system.json`,
      `clusters/${WORKLOAD}/cluster-resources/configmaps/kube-system.json`,
      `clusters/${WORKLOAD}/cluster-resources/secrets/kube-system.json`,
      `clusters/${WORKLOAD}/cluster-resources/pods/logs/kube-system/cilium-4xk2p/cilium-agent-previous.log`,
      `clusters/${WORKLOAD}/cluster-resources/pods/logs/kube-system/nutanix-cloud-controller-manager-6d9f7c8b5-x2x4z/nutanix-cloud-controller-manager-previous.log`,
    ]) expect(files.has(path), path).toBe(true);
    expect(json(files, `clusters/${WORKLOAD}/cluster-info/cluster_version.json`)).toMatchObject({ gitVersion: 'v1.31.4' });
    // Helm release history: labels, never data.
    const secrets = json<{ items: Record<string, unknown>[] }>(files, `clusters/${WORKLOAD}/cluster-resources/secrets/kube-system.json`);
    expect(secrets.items.length).toBeGreaterThan(0);
    for (const s of secrets.items) {
      expect(s).not.toHaveProperty('data');
      expect(s['metadata']).toMatchObject({ labels: { owner: 'helm' } });
    }
  });

  it('names the clusters, their roles, the kubeconfig and context used and the CAPI Cluster in the manifest', () => {
    const manifest = json<Manifest>(files, 'manifest.json');
    expect(manifest.format).toBe('hrp-doctor.bundle/v1');
    expect(manifest.clusters).toEqual([
      { name: MGMT, role: 'management', dir: `clusters/${MGMT}`, kubeconfig: served.kubeconfig, context: MGMT },
      { name: WORKLOAD, role: 'workload', dir: `clusters/${WORKLOAD}`, kubeconfig: `secret:${NAMESPACE}/${WORKLOAD}-kubeconfig`, capiCluster: { namespace: NAMESPACE, name: WORKLOAD } },
    ]);
    // Every call is recorded with its argv; the discovery calls included.
    const commands = manifest.collection.map((c) => c.command.slice(c.command.findIndex((a) => !a.startsWith('-') && a !== served.kubectl)).join(' '));
    expect(commands).toContain('api-resources --namespaced=true -o name --cached');
    expect(commands).toContain('api-resources --namespaced=false -o name --cached');
    expect(commands).toContain('get clusters.cluster.x-k8s.io -A -o json');
    expect(commands).toContain(`get secret ${WORKLOAD}-kubeconfig -n ${NAMESPACE} -o jsonpath={.data.value}`);
    expect(commands).toContain('get pods -A -o json');
    expect(commands).toContain(`get helmreleaseproxies.addons.cluster.x-k8s.io -n ${NAMESPACE} -l cluster.x-k8s.io/cluster-name=${WORKLOAD} -o json`);
    expect(commands).toContain(`get machines.cluster.x-k8s.io -n ${NAMESPACE} -l cluster.x-k8s.io/cluster-name=${WORKLOAD} -o json`);
    expect(commands).toContain(`get helmchartproxies.addons.cluster.x-k8s.io -n ${NAMESPACE} -o json`);
    expect(commands).toContain('get secrets -A -l owner=helm -o json');
    expect(commands.filter((c) => c.startsWith('logs ') && c.endsWith('--previous')).length).toBe(5);
    expect(manifest.collection.every((c) => c.command.includes('--request-timeout=30s'))).toBe(true);
    // The temporary kubeconfig is gone and its path is nowhere in the bundle.
    expect(readdirSync(tmp)).toEqual([]);
    expect(Buffer.concat([...files.values()]).toString()).not.toContain(tmp);
  });

  it('analyzes to the same diagnosis as the seed sample itself (codes, subjects, causes, root causes, cycles)', () => {
    const original = analyze(SEED_TGZ).report;
    const collected = analyze(output).report;
    expect(collected.inputs).toEqual([{ path: output, kind: 'hrp-doctor' }]);
    expect(collected.clusters.map((c) => `${c.role}:${c.name}`)).toEqual(original.clusters.map((c) => `${c.role}:${c.name}`));
    expect(signature(collected)).toEqual(signature(original));
    expect(collected.findings.length).toBeGreaterThan(20);
    // What differs is listed as problems of the input: the missing controller logs only.
    expect(collected.problems.every((p) => /collection error for pods\/log/.test(p.message))).toBe(true);
  });
});

describe('collect ↔ serve: --all-clusters', () => {
  /**
   * No sample holds two workload clusters, so the test builds one from the seed sample: the
   * workload cluster's folder copied under a second name, a second CAPI Cluster (a copy of the
   * first, renamed) in the management cluster's data, and the second cluster in the manifest.
   * serve then answers `dm-nkp-workload-2-kubeconfig` too.
   */
  it('collects every CAPI Cluster into one bundle that analyzes like the source', async () => {
    const second = 'dm-nkp-workload-2';
    const { dir, root } = copySeed();
    cpSync(join(root, 'clusters', WORKLOAD), join(root, 'clusters', second), { recursive: true });
    const clustersFile = join(root, 'clusters', MGMT, 'cluster-resources/custom-resources/clusters.cluster.x-k8s.io', `${NAMESPACE}.json`);
    const clusters = readJson<{ items: { metadata: { name: string; uid?: string; labels: Record<string, string> } }[] }>(clustersFile);
    const copy = structuredClone(clusters.items[0]!);
    copy.metadata.name = second;
    copy.metadata.uid = '00000000-0000-4000-8000-000000000002';
    copy.metadata.labels = { ...copy.metadata.labels, 'cluster.x-k8s.io/cluster-name': second, 'konvoy.d2iq.io/cluster-name': second };
    clusters.items.push(copy);
    writeJson(clustersFile, clusters);
    const manifestFile = join(root, 'manifest.json');
    const manifest = readJson<Manifest>(manifestFile);
    manifest.clusters.push({ name: second, role: 'workload', dir: `clusters/${second}`, capiCluster: { namespace: NAMESPACE, name: second } });
    writeJson(manifestFile, manifest);

    const served = await serve(dir);
    try {
      const output = join(tempDir(), 'all.tgz');
      const result = await collect({
        mgmtKubeconfig: served.kubeconfig, mgmtContext: MGMT, allClusters: true, namespace: NAMESPACE, output, kubectl: served.kubectl, env: served.env, concurrency: 8,
      });
      expect(result.status).toBe(1); // the controller logs, as above
      const { root: top, files } = relative(await readBundle(output));
      expect(top).toMatch(new RegExp(`^hrp-doctor-${NAMESPACE}-`));
      const collected = json<Manifest>(files, 'manifest.json');
      expect(collected.clusters.map((c) => `${c.role}:${c.name}`)).toEqual([`management:${MGMT}`, `workload:${WORKLOAD}`, `workload:${second}`]);
      expect(collected.collection.filter((c) => c.error).every((c) => c.command.includes('logs'))).toBe(true);
      expect(files.has(`clusters/${second}/cluster-resources/pods/kube-system.json`)).toBe(true);
      expect(json<{ items: unknown[] }>(files, `clusters/${MGMT}/cluster-resources/custom-resources/clusters.cluster.x-k8s.io/${NAMESPACE}.json`).items).toHaveLength(2);

      const fromSource = analyze(dir).report;
      const fromBundle = analyze(output).report;
      expect(fromBundle.findings.some((f) => f.cluster === second)).toBe(true);
      expect(signature(fromBundle)).toEqual(signature(fromSource));
    } finally {
      await served.server.close();
    }
  });
});

describe('collect ↔ serve: discovery from a stale kubectl cache', () => {
  /**
   * collect runs `kubectl api-resources --cached` after the CAPI Clusters lookup, relying on the
   * lookup to have refreshed kubectl's discovery cache. Here the cache is warm but stale: filled
   * by a server that had no NutanixMachines, then the same URL serves the seed, which has some.
   */
  it('still finds a CAPI kind the cache did not know', async () => {
    const kind = 'nutanixmachines.infrastructure.cluster.x-k8s.io';
    const { dir, root } = copySeed();
    rmSync(join(root, 'clusters', MGMT, 'cluster-resources/custom-resources', kind), { recursive: true });
    const before = await serve(dir);
    const port = Number(new URL(before.server.url).port);
    const env = before.env;
    try {
      // Asynchronously: the server answering it lives in this process.
      const warm = await promisify(execFile)(before.kubectl, [`--kubeconfig=${before.kubeconfig}`, `--context=${MGMT}`, 'api-resources', '-o', 'name'], { env, encoding: 'utf8' });
      expect(warm.stdout).toContain('machines.cluster.x-k8s.io');
      expect(warm.stdout).not.toContain(kind);
    } finally {
      await before.server.close();
    }
    const after = await startBundleServer({ bundles: [{ path: SEED_TGZ }], port });
    try {
      const output = join(tempDir(), 'stale-cache.tgz');
      const result = await collect({ mgmtKubeconfig: before.kubeconfig, mgmtContext: MGMT, cluster: WORKLOAD, output, kubectl: before.kubectl, env, concurrency: 8 });
      expect(result.status).toBe(1); // the controller logs the sample does not hold, as above
      const { files } = relative(await readBundle(output));
      expect(json<{ items: unknown[] }>(files, `clusters/${MGMT}/cluster-resources/custom-resources/${kind}/${NAMESPACE}.json`).items.length).toBeGreaterThan(0);
    } finally {
      await after.close();
    }
  }, 60_000);
});

describe('collect ↔ serve: an unreachable management cluster', () => {
  it('exits 2 with one clear line and writes nothing', async () => {
    const served = await serve(SEED_TGZ);
    await served.server.close(); // the kubeconfig now points at a closed port
    const dir = tempDir();
    const output = join(dir, 'never.tgz');
    const result = await collect({ mgmtKubeconfig: served.kubeconfig, cluster: WORKLOAD, output, kubectl: served.kubectl, env: served.env, quiet: true });
    expect(result.status).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^hrp-doctor: cannot list CAPI Clusters on the management cluster \(context dm-nkp-mgmt-1\): .*(refused|connect)/);
    expect(existsSync(output)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});
