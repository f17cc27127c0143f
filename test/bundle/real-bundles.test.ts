/**
 * The reader against real support bundles produced by troubleshoot / sbctl
 * (../shared/real-bundles, read in place, never copied into the repository).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NO_CLUSTER_DATA, readInputs } from '../../src/bundle/read.js';
import { RecordingSink, REAL_BUNDLES, cleanupTemps, realBundle, tempDir } from './helpers.js';

afterAll(cleanupTemps);

async function read(name: string): Promise<RecordingSink> {
  const sink = new RecordingSink();
  await readInputs([{ path: realBundle(name) }], sink);
  return sink;
}

const K3S = 'troubleshoot-k3s-baseline-v0.123.tar.gz';
const OLD = 'troubleshoot-v0.50-old-layout.tar.gz';
const SBCTL = 'sbctl-kurl-velero.tar.gz';
const MISSING = 'troubleshoot-missing-version.tar.gz';

test('every real bundle has its expectations here', () => {
  const bundles = readdirSync(REAL_BUNDLES).filter((f) => /\.(tgz|tar\.gz|tar)$/.test(f)).sort();
  expect(bundles).toEqual([SBCTL, K3S, MISSING, OLD].sort());
});

describe(K3S, () => {
  let sink!: RecordingSink;
  beforeAll(async () => {
    sink = await read(K3S);
  });
  const input = realBundle(K3S);
  const cr = 'supportbundle/cluster-resources/';

  test('one troubleshoot cluster rooted at the top folder, with its server version', () => {
    expect(sink.clusters).toHaveLength(1);
    const cluster = sink.clusters[0]!;
    expect(cluster.cluster).toEqual({ input, dir: 'supportbundle' });
    expect(cluster.inputKind).toBe('troubleshoot');
    expect(cluster.serverVersion).toBe('v1.31.2+k3s1');
    expect(sink.manifests).toEqual([]);
  });

  test('resourcesSeen names the resource files, not the discovery or auth files', () => {
    const seen = sink.clusters[0]!.resourcesSeen;
    for (const r of ['nodes', 'pods', 'events', 'deployments', 'namespaces', 'leases', 'helmcharts.helm.cattle.io', 'addons.k3s.cattle.io', 'ingressroutes.traefik.io']) {
      expect(seen, r).toContain(r);
    }
    for (const r of ['auth-cani-list', 'groups', 'resources', 'logs']) expect(seen, r).not.toContain(r);
    expect(seen.size).toBe(34);
  });

  test('nodes, pods by namespace, events (items: null files yield nothing)', () => {
    expect(sink.names('Node', `${cr}nodes.json`)).toEqual(['primary-node']);
    expect(sink.names('Pod', `${cr}pods/kube-system.json`)).toEqual([
      'coredns-56f6fc8fd7-p4x9z',
      'helm-install-traefik-5wnn9',
      'helm-install-traefik-crd-nrgzd',
      'local-path-provisioner-5cf85fd84d-jntjc',
      'metrics-server-5985cbc9d7-9jgk6',
      'svclb-traefik-a6edc2ef-c2sjr',
      'traefik-57b79cf995-qn4jm',
    ]);
    expect(sink.ofKind('Pod', `${cr}pods/default.json`)).toEqual([]); // "items": null
    expect(sink.ofKind('Event', `${cr}events/default.json`)).toHaveLength(12);
    expect(sink.ofKind('Event', `${cr}events/kube-system.json`)).toHaveLength(85);
    const coredns = sink.ofKind('Pod').find((o) => (o.raw.metadata as { name: string }).name.startsWith('coredns-'))!;
    expect(coredns.origin).toEqual({ cluster: { input, dir: 'supportbundle' }, source: `${cr}pods/kube-system.json`, pointer: '/items/0' });
  });

  test('custom resources arrive twice, from the JSON file and its YAML twin (bare arrays: pointer /<i>)', () => {
    const charts = sink.ofKind('HelmChart');
    expect(charts.map((o) => `${o.origin.source.replace(cr, '')} ${o.origin.pointer} ${(o.raw.metadata as { name: string }).name}`)).toEqual([
      'custom-resources/helmcharts.helm.cattle.io/kube-system.json /0 traefik',
      'custom-resources/helmcharts.helm.cattle.io/kube-system.json /1 traefik-crd',
      'custom-resources/helmcharts.helm.cattle.io/kube-system.yaml /0 traefik',
      'custom-resources/helmcharts.helm.cattle.io/kube-system.yaml /1 traefik-crd',
    ]);
    expect(charts[0]!.raw).toEqual(charts[2]!.raw);
    expect(sink.ofKind('Addon', `${cr}custom-resources/addons.k3s.cattle.io/kube-system.json`)).toHaveLength(13);
    expect(sink.ofKind('Addon', `${cr}custom-resources/addons.k3s.cattle.io/kube-system.yaml`)).toHaveLength(13);
  });

  test('pod logs; the run-example symlinks to them are skipped silently', () => {
    expect(sink.logs.map((l) => `${l.namespace}/${l.pod}/${l.container}`).sort()).toEqual(['default/run-example/collector', 'default/run-pod-example/example']);
    expect(sink.findLog('default', 'run-example', 'collector')).toMatchObject({
      source: `${cr}pods/logs/default/run-example/collector.log`,
      previous: false,
      lines: ['hello from run'],
      truncated: false,
    });
  });

  test('nothing outside cluster-resources/ is taken for cluster data; no collection errors, no problems', () => {
    // The bundle has no cluster-resources/*-errors.json. Its configmaps-errors/ and secrets-errors/
    // come from the configMap/secret collectors (a named object was not found), not from a failed listing.
    expect(sink.collectionErrors).toEqual([]);
    expect(sink.objects.every((o) => o.origin.source.startsWith(cr))).toBe(true);
    expect(sink.problems).toEqual([]);
  });
});

describe(OLD, () => {
  let sink!: RecordingSink;
  beforeAll(async () => {
    sink = await read(OLD);
  });
  const input = realBundle(OLD);
  const cr = 'support-bundle/cluster-resources/';

  test('one troubleshoot cluster', () => {
    expect(sink.clusters.map((c) => ({ ...c, resourcesSeen: c.resourcesSeen.size }))).toEqual([
      { cluster: { input, dir: 'support-bundle' }, inputKind: 'troubleshoot', serverVersion: 'v1.24.4+k3s1', resourcesSeen: 26 },
    ]);
  });

  test('custom resources in YAML only', () => {
    const crs = sink.objects.filter((o) => o.origin.source.includes('/custom-resources/'));
    expect(crs).toHaveLength(15);
    expect(crs.every((o) => o.origin.source.endsWith('.yaml'))).toBe(true);
    expect(sink.names('Addon')).toHaveLength(12);
    expect(sink.names('HelmChart')).toEqual(['traefik', 'traefik-crd']);
    const route = sink.ofKind('IngressRoute')[0]!;
    expect(route.raw.apiVersion).toBe('traefik.containo.us/v1alpha1');
    expect(route.origin).toMatchObject({ source: `${cr}custom-resources/ingressroutes.traefik.containo.us/kube-system.yaml`, pointer: '/0' });
  });

  test('nodes and pods', () => {
    expect(sink.names('Node')).toEqual(['k3d-mycluster-server-0']);
    expect(sink.names('Pod', `${cr}pods/default.json`)).toEqual(['nginx-deployment-7986654d4-ztx2g']);
    expect(sink.names('Pod', `${cr}pods/kube-system.json`)).toHaveLength(7);
  });

  test('current and previous logs; coredns-previous.log is container coredns, previous', () => {
    expect(sink.logs).toHaveLength(19);
    expect(sink.logs.filter((l) => l.previous)).toHaveLength(8);
    const prev = sink.findLog('kube-system', 'coredns-b96499967-tncf4', 'coredns', true)!;
    expect(prev.source).toBe(`${cr}pods/logs/kube-system/coredns-b96499967-tncf4/coredns-previous.log`);
    expect(prev.lines).toHaveLength(58);
    expect(prev.lines.at(-1)).toBe('[WARNING] No files matching import glob pattern: /etc/coredns/custom/*.server');
    expect(sink.findLog('kube-system', 'coredns-b96499967-tncf4', 'coredns', false)!.lines).toHaveLength(967);
    expect(sink.findLog('kube-system', 'traefik-7cd4fcff68-9blj6', 'traefik', true)!.lines.at(-1)).toMatch(/Provider connection error/);
  });

  test('a long log keeps its last 2000 lines', () => {
    const hello = sink.findLog('default', 'nginx-deployment-7986654d4-ztx2g', 'hello')!;
    expect(hello.truncated).toBe(true);
    expect(hello.lines).toHaveLength(2000);
    expect(hello.lines.at(-1)).toBe('Hello from k3s (Evans Secret): Wed Dec 21 16:44:43 UTC 2022');
  });

  test('the 19 all-logs/ and static-hi.log symlinks are skipped without problems', () => {
    expect(sink.logs.every((l) => l.source.startsWith(`${cr}pods/logs/`))).toBe(true);
    expect(sink.problems).toEqual([]);
  });

  test('quirk kept for the consumer: v1beta1 CRD items carry no apiVersion/kind', () => {
    const crds = sink.objects.filter((o) => o.origin.source === `${cr}custom-resource-definitions.json`);
    expect(crds).toHaveLength(12);
    expect(crds.every((o) => o.raw.kind === undefined && o.raw.apiVersion === undefined)).toBe(true);
  });
});

describe(SBCTL, () => {
  let sink!: RecordingSink;
  beforeAll(async () => {
    sink = await read(SBCTL);
  });
  const input = realBundle(SBCTL);
  const cr = 'support-bundle/cluster-resources/';

  test('a cluster without version.yaml is still a troubleshoot cluster', () => {
    expect(sink.clusters).toHaveLength(1);
    expect(sink.clusters[0]).toMatchObject({ cluster: { input, dir: 'support-bundle' }, inputKind: 'troubleshoot', serverVersion: 'v1.23.5' });
  });

  test('three nodes, 58 pods in six namespaces, velero events', () => {
    expect(sink.names('Node', `${cr}nodes.json`)).toEqual(['troubleshoot-demo-001', 'troubleshoot-demo-002', 'troubleshoot-demo-003']);
    const podsByNs = new Map<string, number>();
    for (const pod of sink.ofKind('Pod')) {
      const ns = (pod.raw.metadata as { namespace: string }).namespace;
      podsByNs.set(ns, (podsByNs.get(ns) ?? 0) + 1);
    }
    expect(Object.fromEntries(podsByNs)).toEqual({ 'kube-system': 15, kurl: 3, 'longhorn-system': 28, minio: 1, projectcontour: 6, velero: 5 });
    expect(sink.ofKind('Event', `${cr}events/velero.json`)).toHaveLength(67);
  });

  test('YAML-only custom resources, with unquoted ***HIDDEN*** redactions read as text', () => {
    expect(sink.ofKind('Setting')).toHaveLength(46);
    expect(sink.ofKind('Node', `${cr}custom-resources/nodes.longhorn.io/`)).toHaveLength(3);
    const engine = sink.ofKind('Engine')[0]!;
    expect((engine.raw.status as { ip: unknown }).ip).toBe('***HIDDEN***');
    expect(sink.names('BackupStorageLocation')).toEqual(['default']);
  });

  test('logs, including velero-previous.log', () => {
    expect(sink.logs).toHaveLength(7);
    const prev = sink.findLog('velero', 'velero-6996dd565b-xl44t', 'velero', true)!;
    expect(prev.lines).toEqual([
      'Error: unknown command "server-junk" for "velero"',
      "Run 'velero --help' for usage.",
      'An error occurred: unknown command "server-junk" for "velero"',
    ]);
    expect(sink.findLog('velero', 'velero-6996dd565b-xl44t', 'velero-velero-plugin-for-aws')).toBeDefined();
  });

  test('image-pull-secrets and auth-cani-list are not read; no problems', () => {
    expect(sink.objects.some((o) => o.origin.source.includes('image-pull-secrets') || o.origin.source.includes('auth-cani-list'))).toBe(false);
    expect(sink.problems).toEqual([]);
  });
});

describe(MISSING, () => {
  test('readable, but no cluster: one problem for the whole input', async () => {
    const sink = await read(MISSING);
    expect(sink.clusters).toEqual([]);
    expect(sink.objects).toEqual([]);
    expect(sink.problems).toEqual([{ input: realBundle(MISSING), source: '', message: NO_CLUSTER_DATA }]);
  });
});

describe('the same bundles extracted to a folder', () => {
  for (const name of [OLD, K3S, SBCTL]) {
    test(`${name}: the folder reads like the archive (symlinks not followed)`, async () => {
      const dir = tempDir();
      execFileSync('tar', ['xzf', realBundle(name), '-C', dir]);
      const fromDir = new RecordingSink();
      await readInputs([{ path: dir }], fromDir);
      const fromArchive = await read(name);
      const summary = (s: RecordingSink) => ({
        clusters: s.clusters.map((c) => ({ dir: c.cluster.dir, kind: c.inputKind, version: c.serverVersion, seen: [...c.resourcesSeen].sort() })),
        objects: s.objects.map((o) => `${o.origin.source} ${o.origin.pointer}`).sort(),
        logs: s.logs.map((l) => `${l.source} ${l.lines.length}`).sort(),
        problems: s.problems.map((p) => p.message),
      });
      expect(summary(fromDir)).toEqual(summary(fromArchive));
    });
  }
});
