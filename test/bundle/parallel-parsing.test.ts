import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OrderedSink } from '../../src/bundle/ordered-sink.js';
import { readInputs } from '../../src/bundle/read.js';
import type { BundleSink, ClusterFound, CollectionError, LogTail, ManifestFound, Origin, ParallelParsing, Problem, ReaderLimits } from '../../src/bundle/types.js';
import { cleanupTemps, FIXTURES, gzip, makeTar, realBundle, tempDir, treeEntries } from './helpers.js';

const ECHO_WORKER = new URL('./fixtures-workers/echo-parse-worker.mjs', import.meta.url);
const SAMPLES = new URL('../../samples/', import.meta.url).pathname;

/** Every call the reader makes, in order; an element prepared by the echo worker counts as the element itself. */
class CallLog implements BundleSink {
  readonly calls: unknown[][] = [];
  object(raw: unknown, origin: Origin): void { this.calls.push(['object', raw, origin]); }
  preparedObject(prepared: unknown, origin: Origin): void { this.calls.push(['object', prepared, origin]); }
  log(tail: LogTail): void { this.calls.push(['log', tail]); }
  collectionError(error: CollectionError): void { this.calls.push(['collectionError', error]); }
  manifest(found: ManifestFound): void { this.calls.push(['manifest', found]); }
  cluster(found: ClusterFound): void { this.calls.push(['cluster', { ...found, resourcesSeen: [...found.resourcesSeen].sort() }]); }
  problem(problem: Problem): void { this.calls.push(['problem', problem]); }
}

async function calls(path: string, parallel?: ParallelParsing, limits?: Partial<ReaderLimits>): Promise<unknown[][]> {
  const sink = new CallLog();
  await readInputs([{ path }], sink, limits, parallel ? { parallel } : {});
  return sink.calls;
}

const viaWorker = (minFileBytes: number): ParallelParsing => ({ worker: ECHO_WORKER, minFileBytes });

afterAll(cleanupTemps);

describe('parsing in a worker thread', () => {
  const bundles = [
    join(SAMPLES, 'seed-incident.tgz'),
    join(SAMPLES, 'imagepull-airgapped', 'workload-troubleshoot.tgz'),
    realBundle('troubleshoot-k3s-baseline-v0.123.tar.gz'),
    realBundle('sbctl-kurl-velero.tar.gz'),
    realBundle('troubleshoot-v0.50-old-layout.tar.gz'),
  ];

  it.each(bundles)('hands the sink the same calls in the same order as parsing inline: %s', async (bundle) => {
    const inline = await calls(bundle);
    expect(inline.filter(([call]) => call === 'object').length).toBeGreaterThan(10);
    // Every JSON file to the worker; then only the larger ones, so that calls of small files parsed
    // inline have to wait behind files still in the worker.
    expect(await calls(bundle, viaWorker(0))).toEqual(inline);
    expect(await calls(bundle, viaWorker(4096))).toEqual(inline);
  });

  it('reports broken elements, limits and a truncated archive exactly as inline parsing does', async () => {
    const dir = tempDir();
    const root = 'support-bundle/cluster-resources';
    const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'a' } });
    const items = (list: unknown[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items: list }, null, 2);
    const deep = (levels: number): unknown => (levels === 0 ? 1 : { x: deep(levels - 1) });
    const tar = await makeTar([
      { name: `${root}/pods/a.json`, content: items([pod('one'), 42, 'text', null, [1], pod('two')]) },
      // Invalid JSON inside the second element: the element is lost, its neighbours are not.
      { name: `${root}/pods/b.json`, content: `{"kind": "List", "items": [\n  ${JSON.stringify(pod('three'))},\n  { "kind": "Pod", oops },\n  ${JSON.stringify(pod('four'))}\n]}` },
      { name: `${root}/pods/c.json`, content: items([pod('deep'), { ...pod('too-deep'), spec: deep(30) }, pod('after-deep')]) },
      { name: `${root}/pods/d.json`, content: items(Array.from({ length: 130 }, () => 7)) },
      { name: `${root}/pods/e.json`, content: '{"kind": "List", "items": [' },
      { name: `${root}/pods/f.json`, content: items([pod('five')]) },
      ...treeEntries(FIXTURES).slice(0, 12),
    ]);
    const whole = join(dir, 'broken.tar');
    writeFileSync(whole, tar);
    const limits = { maxDepth: 20, maxObjectsPerFile: 120 };
    const inline = await calls(whole, undefined, limits);
    const problems = inline.filter(([call]) => call === 'problem').map(([, p]) => (p as Problem).message);
    expect(problems).toContain('a number where an object was expected; skipped');
    expect(problems.some((m) => /^invalid JSON in element/.test(m))).toBe(true);
    expect(problems.some((m) => /^element nests deeper than 20 levels/.test(m))).toBe(true);
    expect(problems.some((m) => /more problems with elements of this file are not listed/.test(m))).toBe(true);
    expect(await calls(whole, viaWorker(0), limits)).toEqual(inline);

    // Cut in the middle of a file: what came before is read, the same way.
    const cut = join(dir, 'cut.tgz');
    writeFileSync(cut, gzip(tar).subarray(0, Math.floor(gzip(tar).length * 0.6)));
    const cutInline = await calls(cut, undefined, limits);
    expect(cutInline.some(([call, p]) => call === 'problem' && /^archive is (truncated|corrupt)/.test((p as Problem).message))).toBe(true);
    expect(await calls(cut, viaWorker(0), limits)).toEqual(cutInline);
  });

  it('says which file it could not read when the worker cannot start, and reads the rest', async () => {
    const missing: ParallelParsing = { worker: new URL('./fixtures-workers/no-such-worker.mjs', import.meta.url), minFileBytes: 0 };
    const got = await calls(join(SAMPLES, 'healthy.tgz'), missing);
    const problems = got.filter(([call]) => call === 'problem').map(([, p]) => p as Problem);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]!.source).toMatch(/\.json$/);
    expect(problems[0]!.message).toMatch(/^could not be read: the parsing worker (failed|stopped)/);
    expect(got.some(([call]) => call === 'log' || call === 'manifest')).toBe(true);
  });
});

describe('OrderedSink', () => {
  it('keeps calls made while a file is pending behind it, and delivers them once the file is closed', async () => {
    const log = new CallLog();
    const ordered = new OrderedSink(log);
    const origin = (pointer: string): Origin => ({ cluster: { input: 'i', dir: '' }, source: 's', pointer });
    ordered.object({ n: 1 }, origin('/1'));
    const file = ordered.pendingFile();
    ordered.object({ n: 3 }, origin('/3'));
    ordered.problem({ input: 'i', source: 's', message: 'four' });
    file.deliver(() => log.preparedObject({ n: 2 }, origin('/2')));
    expect(log.calls.map((c) => (c[1] as { n?: number; message?: string }).n ?? (c[1] as Problem).message)).toEqual([1, 2]);
    let idle = false;
    void ordered.whenIdle().then(() => (idle = true));
    await Promise.resolve();
    expect(idle).toBe(false);
    file.close();
    await Promise.resolve();
    expect(idle).toBe(true);
    expect(log.calls.map((c) => (c[1] as { n?: number }).n ?? (c[1] as Problem).message)).toEqual([1, 2, 3, 'four']);
  });

  it('holds a second pending file\'s results until the first is closed', () => {
    const log = new CallLog();
    const ordered = new OrderedSink(log);
    const origin: Origin = { cluster: { input: 'i', dir: '' }, source: 's', pointer: '' };
    const first = ordered.pendingFile();
    const second = ordered.pendingFile();
    second.deliver(() => log.object('b', origin));
    second.close();
    first.deliver(() => log.object('a', origin));
    expect(log.calls.map((c) => c[1])).toEqual(['a']);
    first.close();
    expect(log.calls.map((c) => c[1])).toEqual(['a', 'b']);
  });
});
