/**
 * Kinds of input: folders, plain and gzip-compressed tars (detected by content, not name),
 * broken and hostile archives, folders of plain kubectl outputs, inputs that cannot be read.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { NO_CLUSTER_DATA, readInputs } from '../../src/bundle/read.js';
import { UnreadableInputError, type InputSpec, type ReaderLimits } from '../../src/bundle/types.js';
import {
  FIXTURES,
  NATIVE_FIXTURE,
  RecordingSink,
  cleanupTemps,
  gzip,
  makeTar,
  realBundle,
  tempDir,
  treeEntries,
  type TarEntrySpec,
} from './helpers.js';

afterAll(cleanupTemps);

async function read(path: string, limits?: Partial<ReaderLimits>): Promise<RecordingSink> {
  const sink = new RecordingSink();
  await readInputs([{ path }], sink, limits);
  return sink;
}

async function unreadable(path: string): Promise<UnreadableInputError> {
  const sink = new RecordingSink();
  const err = await readInputs([{ path }], sink).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UnreadableInputError);
  const error = err as UnreadableInputError;
  expect(error.input).toBe(path);
  expect(error.message.startsWith(`${path}: `)).toBe(true);
  expect(error.message).not.toContain('\n');
  return error;
}

function writeFile(path: string, content: string | Buffer): string {
  writeFileSync(path, content);
  return path;
}

/** What a reading amounts to, independent of the input's path. */
function summary(sink: RecordingSink) {
  return {
    manifests: sink.manifests.map((m) => ({ root: m.root, source: m.source, format: (m.manifest as { format?: string }).format })),
    clusters: sink.clusters.map((c) => ({ dir: c.cluster.dir, kind: c.inputKind, version: c.serverVersion, seen: [...c.resourcesSeen].sort() })),
    objects: sink.objects.map((o) => `${o.origin.cluster.dir} ${o.origin.source} ${o.origin.pointer} ${String(o.raw.kind)}`).sort(),
    logs: sink.logs.map((l) => ({ ...l, cluster: l.cluster.dir })).sort((a, b) => a.source.localeCompare(b.source)),
    errors: sink.collectionErrors.map((e) => ({ ...e, cluster: e.cluster.dir })),
    problems: sink.problems.map((p) => ({ ...p, input: '' })),
  };
}

const nativeDir = join(FIXTURES, NATIVE_FIXTURE);
const mgmt = `${NATIVE_FIXTURE}/clusters/dm-nkp-mgmt-1`;
const workload = `${NATIVE_FIXTURE}/clusters/dm-nkp-workload-1`;

describe('an hrp-doctor bundle as a folder', () => {
  test('manifest, two clusters, objects, logs, collection errors, problems', async () => {
    // The folder holding the bundle's top folder is the input.
    const sink = await read(FIXTURES);
    expect(sink.manifests).toEqual([
      { input: FIXTURES, root: NATIVE_FIXTURE, source: `${NATIVE_FIXTURE}/manifest.json`, manifest: JSON.parse(readFileSync(join(nativeDir, 'manifest.json'), 'utf8')) },
    ]);
    expect(summary(sink).clusters).toEqual([
      { dir: mgmt, kind: 'hrp-doctor', version: 'v1.31.4', seen: ['helmchartproxies.addons.cluster.x-k8s.io', 'helmreleaseproxies.addons.cluster.x-k8s.io', 'nodes'] },
      { dir: workload, kind: 'hrp-doctor', version: 'v1.30.5', seen: ['pods'] },
    ]);
    const hrps = sink.ofKind('HelmReleaseProxy');
    expect(hrps.map((o) => o.origin)).toEqual([
      { cluster: { input: FIXTURES, dir: mgmt }, source: `${mgmt}/cluster-resources/custom-resources/helmreleaseproxies.addons.cluster.x-k8s.io/dm-dev-workspace.json`, pointer: '/items/0' },
      { cluster: { input: FIXTURES, dir: mgmt }, source: `${mgmt}/cluster-resources/custom-resources/helmreleaseproxies.addons.cluster.x-k8s.io/dm-dev-workspace.json`, pointer: '/items/1' },
    ]);
    expect((hrps[0]!.raw.status as { conditions: { message: string }[] }).conditions[0]!.message).toBe('error installing: context deadline exceeded "timeout" {braces} [brackets]');
    expect(sink.ofKind('HelmChartProxy').map((o) => o.origin.pointer)).toEqual(['/items/0']);
    expect(sink.names('Node')).toEqual(['dm-nkp-mgmt-1-cp-abcde']);

    expect(sink.logs).toEqual([
      {
        cluster: { input: FIXTURES, dir: workload },
        source: `${workload}/cluster-resources/pods/logs/kube-system/nutanix-cloud-controller-manager-6d9f7c8b5-x2x4z/nutanix-cloud-controller-manager-previous.log`,
        namespace: 'kube-system',
        pod: 'nutanix-cloud-controller-manager-6d9f7c8b5-x2x4z',
        container: 'nutanix-cloud-controller-manager',
        previous: true,
        lines: [
          'I1227 10:00:00.000000       1 main.go:10] starting',
          'E1227 10:00:05.000000       1 main.go:42] failed to get Prism Central credentials: secret "nutanix-credentials" not found',
        ],
        truncated: false,
      },
    ]);
    expect(sink.collectionErrors).toEqual([
      { cluster: { input: FIXTURES, dir: mgmt }, resource: 'leases', message: 'Error from server (Forbidden): leases.coordination.k8s.io is forbidden', source: `${mgmt}/cluster-resources/leases-errors.json` },
      {
        cluster: { input: FIXTURES, dir: workload },
        resource: 'nodes',
        message: 'Error from server (Forbidden): nodes is forbidden: User "x" cannot list resource "nodes"',
        source: `${workload}/cluster-resources/nodes-errors.json`,
      },
    ]);
    // pods/kube-system.json holds a stray 42 among its items: reported, the pod before it is kept.
    expect(sink.names('Pod')).toEqual(['nutanix-cloud-controller-manager-6d9f7c8b5-x2x4z']);
    expect(sink.problems).toEqual([
      { input: FIXTURES, source: `${workload}/cluster-resources/pods/kube-system.json`, pointer: '/items/1', message: 'a number where an object was expected; skipped' },
    ]);
  });

  test('the bundle folder itself as the input: root is ""', async () => {
    const sink = await read(nativeDir);
    expect(sink.manifests.map((m) => [m.root, m.source])).toEqual([['', 'manifest.json']]);
    expect(sink.clusters.map((c) => c.cluster.dir)).toEqual(['clusters/dm-nkp-mgmt-1', 'clusters/dm-nkp-workload-1']);
  });
});

describe('archives are recognised by content, not by name', () => {
  test('an uncompressed tar named .tgz and a gzip-compressed tar named .tar read like the folder', async () => {
    const dir = tempDir();
    const tar = await makeTar(treeEntries(FIXTURES));
    const plainTar = writeFile(join(dir, 'bundle.tgz'), tar);
    const gzTar = writeFile(join(dir, 'bundle.tar'), gzip(tar));
    const expected = summary(await read(FIXTURES));
    expect(summary(await read(plainTar))).toEqual(expected);
    expect(summary(await read(gzTar))).toEqual(expected);
  });

  test('entries named ./x and directory entries are normalised', async () => {
    const dir = tempDir();
    const tar = await makeTar([
      { name: './', type: 'directory' },
      { name: './sb/', type: 'directory' },
      { name: './sb/cluster-resources/', type: 'directory' },
      { name: './sb/cluster-resources/nodes.json', content: '{"kind":"NodeList","items":[{"kind":"Node","metadata":{"name":"n1"}}]}' },
    ]);
    const sink = await read(writeFile(join(dir, 'b.tar'), tar));
    expect(sink.objects.map((o) => o.origin.source)).toEqual(['sb/cluster-resources/nodes.json']);
    expect(sink.clusters.map((c) => [c.cluster.dir, c.inputKind])).toEqual([['sb', 'troubleshoot']]);
  });
});

describe('broken archives', () => {
  test('a .tgz cut in half: a problem, the entries before the cut, no exception', async () => {
    const dir = tempDir();
    const whole = readFileSync(realBundle('troubleshoot-k3s-baseline-v0.123.tar.gz'));
    const half = writeFile(join(dir, 'half.tgz'), whole.subarray(0, Math.floor(whole.length / 2)));
    const full = await read(realBundle('troubleshoot-k3s-baseline-v0.123.tar.gz'));
    const sink = await read(half);
    expect(sink.objects.length).toBeGreaterThan(0);
    expect(sink.objects.length).toBeLessThan(full.objects.length);
    const broken = sink.problems.filter((p) => p.source === '');
    expect(broken).toHaveLength(1);
    expect(broken[0]!.input).toBe(half);
    expect(broken[0]!.message).toMatch(/^archive is truncated \(unexpected end of file\) at or after entry \d+ \(supportbundle\/.+\); the entries before it were read/);
    // what was read is reported as usual
    expect(sink.clusters.map((c) => c.cluster.dir)).toEqual(['supportbundle']);
  });

  test('an uncompressed tar cut inside an entry', async () => {
    const dir = tempDir();
    const tar = await makeTar(treeEntries(FIXTURES));
    // The last entry is manifest.json: cut in the middle of its content.
    const cut = writeFile(join(dir, 'cut.tar'), tar.subarray(0, tar.length - 1024 - 512));
    const sink = await read(cut);
    expect(sink.ofKind('HelmReleaseProxy')).toHaveLength(2);
    expect(sink.manifests).toEqual([]);
    expect(sink.problems.filter((p) => p.source === '').map((p) => p.message)).toEqual([
      `archive is truncated (Unexpected end of data) at or after entry 25 (${NATIVE_FIXTURE}/manifest.json); the entries before it were read, the rest of the archive was not`,
    ]);
  });

  test('a gzip stream corrupt in the middle', async () => {
    const dir = tempDir();
    const data = Buffer.from(readFileSync(realBundle('troubleshoot-v0.50-old-layout.tar.gz')));
    for (let i = Math.floor(data.length * 0.6); i < data.length - 8; i++) data[i] = (data[i]! + 77) & 0xff;
    const sink = await read(writeFile(join(dir, 'corrupt.tgz'), data));
    const broken = sink.problems.filter((p) => p.source === '');
    expect(broken).toHaveLength(1);
    expect(broken[0]!.message).toMatch(/^archive is (corrupt \((gzip: .+|invalid tar header)\)|truncated \(.+\)) at or after entry \d+ \(support-bundle\/.+\); the entries before it were read/);
    expect(sink.objects.length).toBeGreaterThan(0);
  });
});

describe('inputs that cannot be read at all', () => {
  test('a missing path', async () => {
    const path = join(tempDir(), 'nope.tgz');
    expect((await unreadable(path)).message).toBe(`${path}: no such file or directory`);
  });

  test('a text file, gzip-compressed text, corrupt gzip, other compressions, an empty file', async () => {
    const dir = tempDir();
    expect((await unreadable(writeFile(join(dir, 'notes.tgz'), 'just some text, long enough to fill a tar header? no.\n'.repeat(20)))).message).toMatch(/: not a tar archive$/);
    expect((await unreadable(writeFile(join(dir, 'text.gz'), gzip(Buffer.from('hello\n'.repeat(200)))))).message).toMatch(
      /: not a tar archive \(gzip-compressed, but what it holds is not tar\)$/,
    );
    expect((await unreadable(writeFile(join(dir, 'bad.tgz'), Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])))).message).toMatch(
      /: not a tar archive \(gzip data is corrupt: .+\)$/,
    );
    expect((await unreadable(writeFile(join(dir, 'b.tar.xz'), Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0, 0])))).message).toMatch(/: not a tar archive \(xz data; /);
    expect((await unreadable(writeFile(join(dir, 'empty.tgz'), ''))).message).toMatch(/: empty file$/);
  });

  test('an archive with no entries, an empty folder, a folder with nothing bundle-like', async () => {
    const dir = tempDir();
    expect((await unreadable(writeFile(join(dir, 'none.tar'), await makeTar([])))).message).toMatch(/: archive holds no entries$/);
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expect((await unreadable(empty)).message).toMatch(/: empty directory$/);
    const texts = join(dir, 'texts');
    mkdirSync(texts);
    writeFileSync(join(texts, 'README.txt'), 'hello');
    expect((await unreadable(texts)).message).toMatch(/: nothing bundle-like in it/);
  });

  test('readInputs stops at the unreadable input, after reading the ones before it', async () => {
    const sink = new RecordingSink();
    const missing = join(tempDir(), 'missing');
    const inputs: InputSpec[] = [{ path: nativeDir }, { path: missing }];
    await expect(readInputs(inputs, sink)).rejects.toThrow(`${missing}: no such file or directory`);
    expect(sink.clusters).toHaveLength(2);
  });
});

describe('hostile entries', () => {
  test('links out of the bundle, absolute paths and ".." are skipped with a problem and never read', async () => {
    const dir = tempDir();
    const entries: TarEntrySpec[] = [
      { name: 'sb/cluster-resources/nodes.json', content: '{"kind":"NodeList","items":[{"kind":"Node","metadata":{"name":"n1"}}]}' },
      { name: 'sb/cluster-resources/pods/logs/ns/p/c.log', type: 'symlink', linkname: '../../../../../../../etc/passwd' },
      { name: 'sb/cluster-resources/pods/logs/ns/p/d.log', type: 'symlink', linkname: '/etc/passwd' },
      { name: 'sb/cluster-resources/pods/logs/ns/p/e.log', type: 'link', linkname: '../outside.log' },
      { name: '/etc/cluster-resources/pods/x.json', content: '{"kind":"Pod","metadata":{"name":"abs"}}' },
      { name: 'sb/../../cluster-resources/pods/y.json', content: '{"kind":"Pod","metadata":{"name":"dotdot"}}' },
      // a link that stays inside (troubleshoot's all-logs/): skipped silently
      { name: 'sb/all-logs/p/c.log', type: 'symlink', linkname: '../../cluster-resources/pods/logs/ns/p/c.log' },
    ];
    const sink = await read(writeFile(join(dir, 'hostile.tar'), await makeTar(entries)));
    expect(sink.objects.map((o) => (o.raw.metadata as { name: string }).name)).toEqual(['n1']);
    expect(sink.logs).toEqual([]);
    expect(sink.problems.map((p) => [p.source, p.message])).toEqual([
      ['sb/cluster-resources/pods/logs/ns/p/c.log', 'symlink to ../../../../../../../etc/passwd, outside the bundle; not followed'],
      ['sb/cluster-resources/pods/logs/ns/p/d.log', 'symlink to the absolute path /etc/passwd; not followed'],
      ['sb/cluster-resources/pods/logs/ns/p/e.log', 'hard link to ../outside.log, outside the bundle; not followed'],
      ['/etc/cluster-resources/pods/x.json', 'absolute path /etc/cluster-resources/pods/x.json; skipped'],
      ['sb/../../cluster-resources/pods/y.json', 'path sb/../../cluster-resources/pods/y.json climbs out of the bundle with ".."; skipped'],
    ]);
    expect(sink.clusters.map((c) => c.cluster.dir)).toEqual(['sb']);
  });

  test('in a folder, symlinks are not followed, not even into folders', async () => {
    const dir = tempDir();
    const outside = join(dir, 'outside');
    mkdirSync(join(outside, 'pods'), { recursive: true });
    writeFileSync(join(outside, 'pods', 'secret.json'), '{"kind":"PodList","items":[{"kind":"Pod","metadata":{"name":"outside"}}]}');
    const bundle = join(dir, 'bundle');
    mkdirSync(join(bundle, 'sb', 'cluster-resources'), { recursive: true });
    writeFileSync(join(bundle, 'sb', 'cluster-resources', 'nodes.json'), '[{"kind":"Node","metadata":{"name":"n1"}}]');
    symlinkSync(outside, join(bundle, 'sb', 'cluster-resources', 'linked'));
    symlinkSync(join(outside, 'pods', 'secret.json'), join(bundle, 'sb', 'cluster-resources', 'pods.json'));
    symlinkSync('nodes.json', join(bundle, 'sb', 'cluster-resources', 'nodes-again.json'));
    const sink = await read(bundle);
    expect(sink.objects.map((o) => `${o.origin.source} ${o.origin.pointer}`)).toEqual(['sb/cluster-resources/nodes.json /0']);
    expect(sink.problems.map((p) => [p.source, p.message.replace(dir, '<tmp>')])).toEqual([
      ['sb/cluster-resources/linked', 'symlink to the absolute path <tmp>/outside; not followed'],
      // a link inside the bundle, where a resource file would be read: not followed either, and said so
      ['sb/cluster-resources/nodes-again.json', 'symlink to nodes.json inside the bundle; not followed (links are never followed, only files are read)'],
      ['sb/cluster-resources/pods.json', 'symlink to the absolute path <tmp>/outside/pods/secret.json; not followed'],
    ]);
  });
});

describe('folders of plain kubectl outputs', () => {
  function plainTree(root: string): void {
    mkdirSync(join(root, 'more'), { recursive: true });
    writeFileSync(join(root, 'pods.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p1', namespace: 'default' } }] }, null, 4));
    writeFileSync(
      join(root, 'more', 'hrps.yaml'),
      'apiVersion: addons.cluster.x-k8s.io/v1alpha1\nkind: HelmReleaseProxy\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: addons.cluster.x-k8s.io/v1alpha1\n  kind: HelmChartProxy\n  metadata:\n    name: b\n',
    );
    // `kubectl version -o yaml > version.yaml` is not a troubleshoot marker
    writeFileSync(join(root, 'version.yaml'), 'clientVersion:\n  gitVersion: v1.31.0\nserverVersion:\n  gitVersion: v1.30.5\n');
    writeFileSync(join(root, 'notes.txt'), 'collected by hand');
  }

  test('one cluster at the root, kind directory, every JSON/YAML file a resource file', async () => {
    const root = tempDir();
    plainTree(root);
    const sink = await read(root);
    expect(summary(sink).clusters).toEqual([{ dir: '', kind: 'directory', version: undefined, seen: ['hrps', 'pods', 'version'] }]);
    expect(sink.objects.map((o) => `${o.origin.source} ${o.origin.pointer} ${String(o.raw.kind)}`)).toEqual([
      'more/hrps.yaml /0 HelmReleaseProxy',
      'more/hrps.yaml /1/items/0 HelmChartProxy',
      'pods.json /items/0 Pod',
      'version.yaml  undefined',
    ]);
    expect(sink.problems).toEqual([]);
  });

  test('the same as a .tgz with a top folder (read in two passes)', async () => {
    const root = tempDir();
    plainTree(join(root, 'dump'));
    const tgz = writeFile(join(root, 'dump.tgz'), gzip(await makeTar(treeEntries(join(root, 'dump'), 'dump/'))));
    const sink = await read(tgz);
    expect(sink.clusters.map((c) => [c.cluster.dir, c.inputKind, [...c.resourcesSeen].sort()])).toEqual([['', 'directory', ['hrps', 'pods', 'version']]]);
    expect(sink.objects).toHaveLength(4);
  });
});

describe('bad content inside a readable bundle', () => {
  test('every defect is a problem with its file and pointer; reading goes on', async () => {
    const dir = tempDir();
    const cr = 'sb/cluster-resources';
    const entries: TarEntrySpec[] = [
      { name: 'sb/version.yaml', content: 'apiVersion: troubleshoot.sh/v1beta2\nkind: SupportBundle\n' },
      { name: `${cr}/nodes.json`, content: '{"kind":"NodeList","items":[{"kind":"Node","metadata":{"name":"n1"}},{"kind":"Node",' },
      { name: `${cr}/pods/default.json`, content: '[{"kind":"Pod","metadata":{"name":"ok"}}, "text", {"kind":"Pod" "metadata":{}}, {"kind":"Pod","metadata":{"name":"ok2"}}]' },
      { name: `${cr}/custom-resources/things.example.com/default.yaml`, content: '- kind: Thing\n  metadata: {name: t1\n' },
      { name: `${cr}/custom-resources/others.example.com.yaml`, content: '- kind: Other\n  metadata: {name: o1}\n' },
      { name: `${cr}/services/default.json`, content: '' },
      { name: `${cr}/events-errors.json`, content: '{broken' },
      { name: `${cr}/deployments-errors.json`, content: '42' },
      { name: `${cr}/pods-errors.json`, content: '{"kube-system":"pods is forbidden: User \\"x\\" cannot list resource \\"pods\\" in the namespace \\"kube-system\\""}' },
      {
        name: `${cr}/custom-resources/custom-resources-errors.json`,
        content: '{"helmreleaseproxies.addons.cluster.x-k8s.io":"forbidden","machines.cluster.x-k8s.io/default":"timeout"}',
      },
      { name: `${cr}/pods/logs/kube-system/capi-controller-manager-1/manager-logs-errors.log`, content: 'container "manager" in pod "capi-controller-manager-1" is waiting to start: ContainerCreating\n' },
      { name: `${cr}/pods/logs/kube-system/capi-controller-manager-1/manager.log`, content: 'line 1\nline 2\nline 3\n' },
      { name: 'sb/cluster-info/cluster_version.json', content: '{"info":{"gitVersion":"v1.29.1"},"string":"v1.29.1"}' },
    ];
    const path = writeFile(join(dir, 'bad.tgz'), gzip(await makeTar(entries)));
    const sink = await read(path, { logTailLines: 2 });

    expect(sink.objects.map((o) => `${o.origin.source.slice(cr.length + 1)} ${o.origin.pointer}`)).toEqual([
      'nodes.json /items/0',
      'pods/default.json /0',
      'pods/default.json /3',
      'custom-resources/others.example.com.yaml /0',
    ]);
    const problems = sink.problems.map((p) => `${p.source.slice(cr.length + 1)} ${p.pointer ?? '-'} ${p.message}`);
    expect(problems).toEqual([
      'nodes.json /items/1 truncated JSON: the file ends at byte 84 inside the element',
      'pods/default.json /1 a string where an object was expected; skipped',
      expect.stringMatching(/^pods\/default\.json \/2 invalid JSON in element: /),
      expect.stringMatching(/^custom-resources\/things\.example\.com\/default\.yaml - invalid YAML: /),
      'services/default.json - empty file',
      expect.stringMatching(/^events-errors\.json - invalid JSON: /),
      'deployments-errors.json - not an array, object or string of error messages (number)',
    ]);
    expect(sink.collectionErrors.map((e) => [e.resource, e.namespace, e.message])).toEqual([
      ['pods', 'kube-system', 'pods is forbidden: User "x" cannot list resource "pods" in the namespace "kube-system"'],
      ['helmreleaseproxies.addons.cluster.x-k8s.io', undefined, 'forbidden'],
      ['machines.cluster.x-k8s.io', 'default', 'timeout'],
      ['pods/log', 'kube-system', 'capi-controller-manager-1/manager: container "manager" in pod "capi-controller-manager-1" is waiting to start: ContainerCreating'],
    ]);
    expect(sink.logs.map((l) => [l.container, l.lines, l.truncated])).toEqual([['manager', ['line 2', 'line 3'], true]]);
    expect(sink.clusters).toEqual([
      {
        cluster: { input: path, dir: 'sb' },
        inputKind: 'troubleshoot',
        serverVersion: 'v1.29.1',
        resourcesSeen: new Set(['nodes', 'pods', 'things.example.com', 'others.example.com', 'services']),
      },
    ]);
  });

  test('size limits: YAML files and JSON elements larger than the limits are skipped with a problem', async () => {
    const dir = tempDir();
    const big = 'x'.repeat(2000);
    const entries: TarEntrySpec[] = [
      { name: 'sb/cluster-resources/configmaps/default.json', content: JSON.stringify({ kind: 'List', items: [{ kind: 'ConfigMap', data: { big } }, { kind: 'ConfigMap', metadata: { name: 'small' } }] }) },
      { name: 'sb/cluster-resources/custom-resources/big.example.com.yaml', content: `- kind: Big\n  data: ${big}\n` },
    ];
    const sink = await read(writeFile(join(dir, 'limits.tar'), await makeTar(entries)), { maxObjectBytes: 1000, maxYamlBytes: 1000 });
    expect(sink.objects.map((o) => o.origin.pointer)).toEqual(['/items/1']);
    expect(sink.problems.map((p) => `${p.pointer ?? '-'} ${p.message}`)).toEqual([
      expect.stringMatching(/^\/items\/0 element is \d+ bytes, larger than the limit of 1000 bytes; skipped$/),
      expect.stringMatching(/^- YAML file is \d+ bytes, larger than the limit of 1000 bytes; skipped$/),
    ]);
  });
});

describe('several inputs', () => {
  test('each input is read with its own path in every origin', async () => {
    const sink = new RecordingSink();
    const k3s = realBundle('troubleshoot-k3s-baseline-v0.123.tar.gz');
    const missing = realBundle('troubleshoot-missing-version.tar.gz');
    await readInputs([{ path: nativeDir }, { path: k3s, clusterName: 'workload' }, { path: missing }], sink);
    expect(sink.clusters.map((c) => [c.cluster.input, c.cluster.dir, c.inputKind])).toEqual([
      [nativeDir, 'clusters/dm-nkp-mgmt-1', 'hrp-doctor'],
      [nativeDir, 'clusters/dm-nkp-workload-1', 'hrp-doctor'],
      [k3s, 'supportbundle', 'troubleshoot'],
    ]);
    expect(sink.problems.filter((p) => p.input === missing).map((p) => p.message)).toEqual([NO_CLUSTER_DATA]);
    expect(new Set(sink.objects.map((o) => o.origin.cluster.input))).toEqual(new Set([nativeDir, k3s]));
  });
});
