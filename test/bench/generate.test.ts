import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The benchmark's bundle generator (scripts/bench/generate.mjs), at its tiny size: fast, and
// enough to check the layout, the determinism and that broken objects are what the summary says.

const GENERATOR = path.resolve('scripts/bench/generate.mjs');
const ARGS = ['--size', 'tiny', '--broken-share', '0.05', '--seed', '7', '--quiet'];

interface Summary {
  root: string;
  clusters: { management: string; workload: string };
  counts: { workload: Record<string, number>; management: Record<string, number> };
  broken: { total: number; byKind: Record<string, number>; examples: { kind: string; source: string; how: string }[] };
  crashLoopPods: number;
  crashLoopExamples: string[];
  failedHrps: number;
  uninitializedNodes: number;
  files: number;
  avgPodBytes: number;
}

let work: string;
const generate = (out: string, extra: string[] = []) => execFileSync(process.execPath, [GENERATOR, ...ARGS, ...extra, '--out', out], { stdio: 'pipe' });
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const items = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as { kind: string; items: Record<string, any>[] });

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'hrp-bench-gen-'));
  generate(path.join(work, 'a.tgz'));
  generate(path.join(work, 'b.tgz'));
  generate(path.join(work, 'tree'));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('scripts/bench/generate.mjs', () => {
  it('is deterministic for a seed, and another seed gives another bundle', () => {
    expect(sha(path.join(work, 'a.tgz'))).toBe(sha(path.join(work, 'b.tgz')));
    generate(path.join(work, 'c.tgz'), ['--seed', '8']);
    expect(sha(path.join(work, 'c.tgz'))).not.toBe(sha(path.join(work, 'a.tgz')));
  });

  it('writes a native bundle: one top folder, a manifest naming both clusters, the per-namespace layout', () => {
    const summary = JSON.parse(readFileSync(path.join(work, 'tree.gen.json'), 'utf8')) as Summary;
    expect(readdirSync(path.join(work, 'tree'))).toEqual([summary.root]);
    const root = path.join(work, 'tree', summary.root);
    const manifest = JSON.parse(readFileSync(path.join(root, 'manifest.json'), 'utf8'));
    expect(manifest.format).toBe('hrp-doctor.bundle/v1');
    expect(manifest.clusters.map((c: { name: string; role: string }) => [c.name, c.role])).toEqual([
      [summary.clusters.management, 'management'],
      [summary.clusters.workload, 'workload'],
    ]);
    expect(manifest.clusters[1].capiCluster.name).toBe(summary.clusters.workload);
    // Every file the manifest says was written is there.
    for (const record of manifest.collection) expect(existsSync(path.join(root, record.output)), record.output).toBe(true);

    const wl = path.join(root, 'clusters', summary.clusters.workload, 'cluster-resources');
    for (const dir of ['pods', 'events', 'deployments', 'replicasets', 'daemonsets']) {
      expect(readdirSync(path.join(wl, dir)).filter((f) => f.endsWith('.json')).length).toBeGreaterThan(3);
    }
    const mgmt = path.join(root, 'clusters', summary.clusters.management, 'cluster-resources', 'custom-resources');
    expect(readdirSync(mgmt).sort()).toEqual(['clusters.cluster.x-k8s.io', 'helmchartproxies.addons.cluster.x-k8s.io', 'helmreleaseproxies.addons.cluster.x-k8s.io']);
  });

  it('holds the asked-for numbers of objects, kubectl-sized pods, crash-looping pods with logs', () => {
    const summary = JSON.parse(readFileSync(path.join(work, 'tree.gen.json'), 'utf8')) as Summary;
    const wl = path.join(work, 'tree', summary.root, 'clusters', summary.clusters.workload, 'cluster-resources');
    const list = (dir: string) => readdirSync(path.join(wl, dir)).filter((f) => f.endsWith('.json')).flatMap((f) => items(path.join(wl, dir, f)).items);
    expect(list('pods')).toHaveLength(240);
    expect(list('events')).toHaveLength(480);
    expect(items(path.join(wl, 'nodes.json')).items).toHaveLength(8);
    expect(summary.counts.workload).toMatchObject({ pods: 240, events: 480, nodes: 8 });
    expect(summary.counts.management.helmReleaseProxies).toBe(4 * 5);
    expect(summary.avgPodBytes).toBeGreaterThan(4000);
    expect(summary.avgPodBytes).toBeLessThan(16000);

    const crashing = list('pods').filter((p) => (p.status?.containerStatuses ?? []).some?.((s: any) => s.state?.waiting?.reason === 'CrashLoopBackOff'));
    expect(crashing).toHaveLength(summary.crashLoopPods);
    expect(summary.crashLoopPods).toBeGreaterThanOrEqual(2);
    for (const p of crashing) {
      const container = p.status.containerStatuses.find((s: any) => s.state?.waiting).name;
      const log = readFileSync(path.join(wl, 'pods', 'logs', p.metadata.namespace, p.metadata.name, `${container}-previous.log`), 'utf8');
      expect(log).toMatch(/panic|fatal/);
    }
    expect(summary.failedHrps).toBeGreaterThanOrEqual(1);
    expect(summary.uninitializedNodes).toBeGreaterThanOrEqual(1);
  });

  it('breaks as many objects as the summary says, each in one schema-visible way', () => {
    const summary = JSON.parse(readFileSync(path.join(work, 'tree.gen.json'), 'utf8')) as Summary;
    const wl = path.join(work, 'tree', summary.root, 'clusters', summary.clusters.workload, 'cluster-resources');
    const pods = readdirSync(path.join(wl, 'pods')).filter((f) => f.endsWith('.json')).flatMap((f) => items(path.join(wl, 'pods', f)).items);
    const brokenPods = pods.filter((p) =>
      typeof p.metadata.name !== 'string' || !Array.isArray(p.spec.containers) || p.status.containerStatuses.some((s: any) => typeof s.restartCount !== 'number'));
    expect(summary.broken.total).toBeGreaterThan(0);
    expect(brokenPods).toHaveLength(summary.broken.byKind.Pod ?? 0);
    const events = readdirSync(path.join(wl, 'events')).filter((f) => f.endsWith('.json')).flatMap((f) => items(path.join(wl, 'events', f)).items);
    const brokenEvents = events.filter((e) => typeof e.metadata.name !== 'string' || typeof e.count !== 'number' || typeof e.involvedObject !== 'object');
    expect(brokenEvents).toHaveLength(summary.broken.byKind.Event ?? 0);
    // Still valid JSON that jq reads: breaking never touches the syntax (the lists parsed above).
    for (const example of summary.broken.examples) expect(example.how).toMatch(/missing metadata\.name| is an? /);
  });
});
