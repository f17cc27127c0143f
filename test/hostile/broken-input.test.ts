/**
 * Broken input through the CLI: a partial report with the problems listed wherever something is
 * still readable; exit 2 with one line (file + reason) where nothing is; never a stack trace.
 * Objects without names, wrong types and timestamps that do not parse reach the rules without
 * making any of them throw.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, test } from 'vitest';
import { capiCluster, event, hcp, hrp, node, pod, workload } from '../fixtures/k8s.js';
import { analyzeAll, cleanupTemps, expectCleanExit, gzip, makeTar, nativeBundle, runCli, SEED, tempDir, TOP, type ClusterSpec, type TarEntrySpec } from './helpers.js';

afterAll(cleanupTemps);

const write = (name: string, content: string | Buffer) => {
  const path = join(tempDir(), name);
  writeFileSync(path, content);
  return path;
};

/** Sets a value deep inside a fixture object (the fixtures build valid objects; the tests break them). */
function set(obj: object, path: string, value: unknown): object {
  const keys = path.split('.');
  let at = obj as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) at = at[key] as Record<string, unknown>;
  if (value === undefined) delete at[keys.at(-1)!];
  else at[keys.at(-1)!] = value;
  return obj;
}

const BAD_TIMES = ['yesterday', '', '2025-13-45T99:99:99Z', 'NaN', '0000-00-00T00:00:00Z', '\u0000'];

describe('inputs that cannot be read at all: exit 2, one line naming the file and why', () => {
  const cases: [string, () => Promise<string> | string, RegExp][] = [
    ['a missing path', () => join(tempDir(), 'nope.tgz'), /: no such file or directory$/],
    ['a text file', () => write('notes.tgz', 'this is not an archive\n'.repeat(50)), /: not a tar archive$/],
    ['random bytes', () => write('random.tgz', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256))), /: not a tar archive/],
    ['a PNG', () => write('image.tgz', Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(600, 1)])), /: not a tar archive$/],
    ['a zip', () => write('bundle.zip', Buffer.concat([Buffer.from('504b0304', 'hex'), Buffer.alloc(100)])), /: not a tar archive \(zip data; /],
    ['bzip2', () => write('bundle.tar.bz2', Buffer.concat([Buffer.from('BZh91AY&SY'), Buffer.alloc(100)])), /: not a tar archive \(bzip2 data; /],
    ['an empty file', () => write('empty.tgz', ''), /: empty file$/],
    ['gzip of nothing', () => write('nothing.tgz', gzipSync(Buffer.alloc(0))), /: archive holds no entries$/],
    ['gzip of text', () => write('text.tgz', gzipSync(Buffer.from('hello\n'.repeat(300)))), /: not a tar archive \(gzip-compressed, but what it holds is not tar\)$/],
    ['a gzip header and garbage', () => write('bad.tgz', Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.alloc(64, 0x55)])), /: not a tar archive \(gzip data is corrupt: .+\)$/],
    ['an empty tar (two zero blocks)', () => write('zeros.tar', Buffer.alloc(1024)), /: archive holds no entries$/],
    ['a tar of folders only', async () => write('dirs.tgz', gzip(await makeTar([{ name: 'a/', type: 'directory' }, { name: 'a/b/', type: 'directory' }]))), /: nothing bundle-like in it/],
    ['a tar of links only', async () => write('links.tgz', gzip(await makeTar([{ name: 'a.json', type: 'symlink', linkname: '/etc/passwd' }]))), /: nothing that can be read: its only entry was skipped \(a\.json: symlink to the absolute path \/etc\/passwd; not followed\)$/],
    ['an empty folder', () => { const d = join(tempDir(), 'empty'); mkdirSync(d); return d; }, /: empty directory$/],
    ['a gzip cut inside its header', () => write('cut.tgz', gzipSync(Buffer.alloc(5000, 1)).subarray(0, 5)), /: not a tar archive/],
  ];
  for (const [name, make, reason] of cases) {
    test(name, async () => {
      const path = await make();
      const run = runCli(['analyze', path, '-o', join(tempDir(), 'r.md')]);
      expectCleanExit(run, name);
      expect(run.status, name).toBe(2);
      expect(run.stderr.startsWith(`hrp-doctor: ${path}`), run.stderr).toBe(true);
      expect(run.stderr.trimEnd(), name).toMatch(reason);
    });
  }
});

describe('truncated archives: what is still readable is reported, with the damage listed', () => {
  test('the seed sample cut at many points, compressed and not', async () => {
    const { readFileSync } = await import('node:fs');
    const tgz = readFileSync(SEED);
    const tar = (await import('node:zlib')).gunzipSync(tgz);
    const cuts: [string, Buffer][] = [];
    for (const f of [0.001, 0.3, 0.95]) cuts.push([`tgz@${f}`, tgz.subarray(0, Math.floor(tgz.length * f))]);
    for (const at of [100, 513, Math.floor(tar.length / 2)]) cuts.push([`tar@${at}`, tar.subarray(0, at)]);
    for (const [name, bytes] of cuts) {
      const path = write(`${name}.tgz`, bytes);
      const { run, json } = analyzeAll([path]);
      expectCleanExit(run, name);
      if (run.status === 2) {
        expect(run.stderr, name).toMatch(/not a tar archive|truncated|corrupt|nothing bundle-like|no cluster data/);
        continue;
      }
      expect(json, name).toBeDefined();
      expect(json!.problems.some((p) => p.source === '' && /truncated|corrupt/.test(p.message)), name).toBe(true);
      expect(json!.problems.some((p) => /^rule .* failed/.test(p.message)), name).toBe(false);
    }
  });
});

describe('broken content in a readable native bundle', () => {
  test('invalid JSON/YAML, wrong types, objects without names, timestamps that do not parse: a report with the problems', async () => {
    const ns = 'caaph-system';
    const crash = pod('cilium-x1', 'kube-system', { node: 'n1', containers: [{ name: 'agent', ready: false, restartCount: 12, waiting: { reason: 'CrashLoopBackOff', message: 'back-off' }, lastTerminated: { reason: 'Error', exitCode: 1 } }] });
    set(crash, 'metadata.creationTimestamp', 'not a time');
    const pending = pod('konnector-1', 'kube-system', { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available: 1 node(s) had untolerated taint {node.cloudprovider.kubernetes.io/uninitialized: true}', lastTransitionTime: 'whenever' }] });
    const events = BAD_TIMES.map((t, i) => set(set(event({ kind: 'Pod', name: 'cilium-x1', namespace: 'kube-system' }, 'BackOff', `Back-off restarting failed container ${i}`), 'lastTimestamp', t), 'firstTimestamp', BAD_TIMES[(i + 1) % BAD_TIMES.length]));
    const wrongTypes = [
      set(pod('wrong-1', 'kube-system'), 'spec.containers', 5),
      set(pod('wrong-2', 'kube-system'), 'status.containerStatuses', 'many'),
      set(pod('wrong-3', 'kube-system'), 'metadata.creationTimestamp', 12345),
      set(pod('wrong-4', 'kube-system'), 'metadata.labels', { a: { b: 1 } }),
      set(pod('nameless', 'kube-system'), 'metadata.name', undefined),
      set(pod('empty-name', 'kube-system'), 'metadata.name', ''),
      set(pod('number-name', 'kube-system'), 'metadata.name', 42),
      set(pod('no-meta', 'kube-system'), 'metadata', 'a string'),
    ];
    const taintedNode = node('n1', { ready: false, taints: [{ key: 'node.cloudprovider.kubernetes.io/uninitialized', value: 'true', effect: 'NoSchedule' }] });
    set(taintedNode, 'status.conditions', [{ type: 'Ready', status: 'False', reason: 'KubeletNotReady', lastTransitionTime: 'soon', lastHeartbeatTime: 'never' }]);
    const failedHrp = hrp('cilium-wl-abc', ns, {
      cluster: 'wl', hcp: 'cilium', releaseName: 'cilium', helmStatus: 'failed',
      conditions: [{ type: 'Ready', status: 'False', reason: 'HelmInstallOrUpgradeFailed', message: 'post-upgrade hooks failed: timed out waiting for the condition', lastTransitionTime: 'not-a-date' } as never],
    });
    const clusters: ClusterSpec[] = [
      {
        name: 'mgmt', role: 'management' as const,
        files: {
          'custom-resources/helmreleaseproxies.addons.cluster.x-k8s.io/caaph-system.json': [failedHrp, set(hrp('nameless-hrp', ns, { cluster: 'wl', releaseName: 'x' }), 'metadata.name', undefined)],
          'custom-resources/helmchartproxies.addons.cluster.x-k8s.io/caaph-system.json': [hcp('cilium', ns, { conditions: [{ type: 'Ready', status: 'False', reason: 'HelmReleaseProxiesReady' } as never] }), set(hcp('bad', ns), 'status.conditions', 'nope')],
          'custom-resources/clusters.cluster.x-k8s.io/caaph-system.json': [capiCluster('wl', ns), set(capiCluster('bad-cluster', ns), 'spec.controlPlaneEndpoint.port', 'six')],
          'custom-resources/machines.cluster.x-k8s.io/caaph-system.yaml': '- kind: Machine\n  apiVersion: cluster.x-k8s.io/v1beta1\n  metadata: {name: [unclosed\n',
        },
      },
      {
        name: 'wl', role: 'workload' as const, capiCluster: { namespace: ns, name: 'wl' },
        files: {
          'nodes.json': [taintedNode, set(node('nameless-node'), 'metadata.name', undefined), set(node('n2'), 'status.conditions', [{ type: 'Ready', status: 'True', lastHeartbeatTime: 17 }])],
          'pods/kube-system.json': [crash, pending, ...wrongTypes],
          'pods/default.json': '{"kind":"PodList","items":[{"kind":"Pod","metadata":{"name":"cut"',
          'events/kube-system.json': events,
          'deployments/kube-system.json': [set(workload('Deployment', 'konnector', 'kube-system', { desired: 1, ready: 0 }), 'status.replicas', 'three'), workload('Deployment', 'ok', 'kube-system', { desired: 1, ready: 0 })],
          'daemonsets/kube-system.json': [workload('DaemonSet', 'cilium', 'kube-system', { desired: 1, ready: 0 })],
          'services/default.json': 'null',
          'configmaps/default.json': '"just a string"',
          'namespaces.json': '[1, "two", null, [], {"kind":"Namespace","apiVersion":"v1"}]',
          'custom-resources/things.example.com/default.yaml': 'a: &a [*a]\n',
        },
      },
    ];
    const extra: TarEntrySpec[] = [
      { name: `${TOP}/clusters/wl/cluster-resources/pods/logs/kube-system/cilium-x1/agent-previous.log`, content: 'level=fatal msg="boom"\n\u0000\u0001binary\u00ff\n' },
    ];
    const entries = nativeBundle(clusters, extra).map((e) => (e.name === `${TOP}/clusters/wl/cluster-info/cluster_version.json` ? { ...e, content: '{"info": {"gitVersion": 131}}' } : e));
    const path = write('broken.tgz', gzip(await makeTar(entries)));
    const { run, json, md, html } = analyzeAll([path], ['--fail-on', 'error']);
    expectCleanExit(run);
    expect(run.status).toBe(1); // a report, and errors were found
    expect(md && html && json).toBeTruthy();

    // No rule threw on what it was given.
    expect(json!.problems.filter((p) => /^rule .* failed/.test(p.message))).toEqual([]);
    // The rules still found what the readable objects show.
    const codes = new Set(json!.findings.map((f) => f.code));
    for (const code of ['HRP_FAILED', 'POD_CRASHLOOP', 'NODE_NOT_READY']) expect(codes, code).toContain(code);

    // Every defect is listed with its file (and pointer where it is inside one).
    const listed = json!.problems.map((p) => `${p.source.replace(/^.*cluster-resources\//, '')} ${p.pointer ?? ''} ${p.message}`);
    const expectListed = (re: RegExp) => expect(listed.some((l) => re.test(l)), `${re} in\n${listed.join('\n')}`).toBe(true);
    expectListed(/^pods\/kube-system\.json \/items\/2\/spec\/containers Pod wrong-1 left out: must be array/);
    expectListed(/^pods\/kube-system\.json \/items\/4\/metadata\/creationTimestamp Pod wrong-3 left out/);
    expectListed(/^pods\/kube-system\.json \/items\/6\/metadata Pod left out: must have property 'name'/);
    expectListed(/^pods\/kube-system\.json \/items\/7\/metadata\/name Pod +left out: must NOT have fewer than 1 characters/);
    expectListed(/^pods\/kube-system\.json \/items\/9\/metadata Pod left out: must be object/);
    expectListed(/^pods\/default\.json \/items\/0 truncated JSON/);
    expectListed(/^nodes\.json \/items\/1\/metadata Node left out: must have property 'name'/);
    expectListed(/^nodes\.json \/items\/2\/status\/conditions\/0\/lastHeartbeatTime Node n2 left out: must be string,null/);
    expectListed(/^services\/default\.json {2}not a JSON object or array/);
    expectListed(/^namespaces\.json \/0 a number where an object was expected; skipped/);
    expectListed(/^custom-resources\/machines\.cluster\.x-k8s\.io\/caaph-system\.yaml {2}invalid YAML/);
    expectListed(/^custom-resources\/things\.example\.com\/default\.yaml {2}document nests deeper than 100 levels/);
    expectListed(/cluster_version\.json {2}no gitVersion in the server version file/);
    // The Markdown report lists them too.
    expect(md).toContain('### Problems with the input');
  });
});

describe('a manifest that is not what it should be', () => {
  for (const [name, manifest] of [
    ['invalid JSON', '{"format": "hrp-doctor.bundle/v1", "clusters": ['],
    ['wrong types', '{"format": "hrp-doctor.bundle/v1", "clusters": "wl"}'],
    ['an array', '[]'],
    ['clusters without names', '{"format": "hrp-doctor.bundle/v1", "clusters": [{"role": "workload", "dir": "clusters/wl"}, {"name": 5}]}'],
  ] as const) {
    test(name, async () => {
      const entries = nativeBundle([{ name: 'wl', role: 'workload', files: { 'nodes.json': [node('n1', { ready: false })] } }]).map((e) => (e.name.endsWith('/manifest.json') ? { ...e, content: manifest } : e));
      const { run, json } = analyzeAll([write('m.tgz', gzip(await makeTar(entries)))]);
      expectCleanExit(run, name);
      expect(run.status, name).toBe(0);
      expect(json!.problems.some((p) => p.source.endsWith('manifest.json')), name).toBe(true);
      expect(json!.findings.some((f) => f.code === 'NODE_NOT_READY'), name).toBe(true);
    });
  }
});
