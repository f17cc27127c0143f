/**
 * Crafting hostile bundles inside the tests (never committed as binaries, never written outside a
 * temporary folder) and running the built CLI on them as a user would.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { extract } from 'tar-stream';
import { expect } from 'vitest';
import type { JsonReport } from '../../src/schema/generated.js';
import type { TarEntrySpec } from '../bundle/helpers.js';

export { gzip, makeTar, type TarEntrySpec } from '../bundle/helpers.js';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(REPO, 'bin', 'hrp-doctor.js');
const RSS_PROBE = join(REPO, 'test', 'hostile', 'rss-probe.mjs');
export const SEED = join(REPO, 'samples', 'seed-incident.tgz');

const temps: string[] = [];
/** A fresh temporary folder, removed by cleanupTemps(). */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hrp-doctor-hostile-'));
  temps.push(dir);
  return dir;
}
export function cleanupTemps(): void {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
}

// ---- native bundles ----

export const TOP = 'hrp-doctor-hostile-20260101T000000Z';

export interface ClusterSpec {
  name: string;
  /** Its folder under clusters/ (default: the name). */
  dir?: string;
  role: 'management' | 'workload';
  capiCluster?: { namespace: string; name: string };
  kubeconfig?: string;
  context?: string;
  /** Path under cluster-resources/ → a list of objects (written as a kubectl List) or raw file text. */
  files: Record<string, unknown[] | string | Buffer>;
}

export const list = (items: unknown[]) => ({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items });

/** The entries of a native hrp-doctor bundle (`<TOP>/manifest.json`, `<TOP>/clusters/<name>/...`). */
export function nativeBundle(clusters: ClusterSpec[], extra: TarEntrySpec[] = []): TarEntrySpec[] {
  const manifest = {
    format: 'hrp-doctor.bundle/v1',
    createdAt: '2026-01-01T00:00:00Z',
    tool: { name: 'hrp-doctor', version: '0.1.0' },
    clusters: clusters.map((c) => ({
      name: c.name, role: c.role, dir: `clusters/${c.dir ?? c.name}`,
      ...(c.kubeconfig ? { kubeconfig: c.kubeconfig } : {}),
      ...(c.context ? { context: c.context } : {}),
      ...(c.capiCluster ? { capiCluster: c.capiCluster } : {}),
    })),
  };
  const entries: TarEntrySpec[] = [{ name: `${TOP}/manifest.json`, content: JSON.stringify(manifest, null, 2) }];
  for (const c of clusters) {
    const root = `${TOP}/clusters/${c.dir ?? c.name}`;
    entries.push({ name: `${root}/cluster-info/cluster_version.json`, content: '{"info":{"gitVersion":"v1.31.4"}}' });
    for (const [path, content] of Object.entries(c.files)) {
      const text = Array.isArray(content) ? JSON.stringify(list(content), null, 2) : content;
      entries.push({ name: `${root}/cluster-resources/${path}`, content: text });
    }
  }
  return [...entries, ...extra];
}

/** The entries of a .tgz in memory, in archive order (files only, with their content). */
export async function readTgzEntries(path: string): Promise<{ name: string; content: Buffer }[]> {
  const ex = extract();
  const out: { name: string; content: Buffer }[] = [];
  const done = (async () => {
    for await (const entry of ex) {
      const parts: Buffer[] = [];
      for await (const chunk of entry) parts.push(chunk as Buffer);
      if (entry.header.type === 'file') out.push({ name: entry.header.name, content: Buffer.concat(parts) });
    }
  })();
  ex.end(gunzipSync(readFileSync(path)));
  await done;
  return out;
}

// ---- running the CLI ----

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
  /** Wall time of the child process. */
  ms: number;
  /** Peak resident set size of the child, in KiB (only with `measure`). */
  maxRssKiB?: number;
}

/** Runs `node bin/hrp-doctor.js ARGS` (the build `npm test` made), optionally measuring its peak RSS. */
export function runCli(args: string[], opts: { measure?: boolean; timeoutMs?: number; cwd?: string } = {}): CliRun {
  const rssFile = opts.measure ? join(tempDir(), 'rss') : undefined;
  const nodeArgs = rssFile ? ['--import', RSS_PROBE, BIN, ...args] : [BIN, ...args];
  const started = Date.now();
  const result = spawnSync(process.execPath, nodeArgs, {
    cwd: opts.cwd ?? REPO,
    encoding: 'utf8',
    env: { ...process.env, SOURCE_DATE_EPOCH: '1766830000', NO_COLOR: '1', ...(rssFile ? { HRP_DOCTOR_RSS_FILE: rssFile } : {}) },
    timeout: opts.timeoutMs ?? 120_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = Date.now() - started;
  const run: CliRun = { status: result.status ?? -1, stdout: result.stdout ?? '', stderr: result.stderr ?? '', ms };
  if (rssFile && existsSync(rssFile)) run.maxRssKiB = Number(readFileSync(rssFile, 'utf8'));
  return run;
}

/** A line of a JavaScript stack trace. */
export const STACK_TRACE = /^\s+at .+(?:\(.*:\d+:\d+\)|:\d+:\d+)$/m;

/**
 * What every run must look like, whatever the input: exit 0, 1 or 2; never a stack trace; on exit 2,
 * exactly one line on stderr that starts with `hrp-doctor: `.
 */
export function expectCleanExit(run: Pick<CliRun, 'status' | 'stderr'>, context = ''): void {
  expect([0, 1, 2], `${context} exit status ${run.status}; stderr: ${run.stderr}`).toContain(run.status);
  expect(run.stderr, context).not.toMatch(STACK_TRACE);
  expect(run.stderr, context).not.toMatch(/unexpected error/);
  if (run.status === 2) {
    expect(run.stderr.split('\n').filter(Boolean), `${context} stderr: ${run.stderr}`).toHaveLength(1);
    expect(run.stderr, context).toMatch(/^hrp-doctor: /);
  }
}

/** Analyzes bundles to the three formats in a fresh folder; returns the run and the reports it wrote. */
export function analyzeAll(bundles: string[], extraArgs: string[] = []): { run: CliRun; json?: JsonReport; md?: string; html?: string; out: string } {
  const out = join(tempDir(), 'reports');
  const run = runCli(['analyze', ...bundles, '-f', 'md', '-f', 'html', '-f', 'json', '-o', out, ...extraArgs]);
  const read = (name: string) => (existsSync(join(out, name)) ? readFileSync(join(out, name), 'utf8') : undefined);
  const json = read('report.json');
  return { run, json: json === undefined ? undefined : (JSON.parse(json) as JsonReport), md: read('report.md'), html: read('report.html'), out };
}

/** Every file under a folder (relative paths, sorted), to show nothing was written where it should not be. */
export function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const child = rel ? `${rel}/${name}` : name;
      if (lstatSync(join(dir, child)).isDirectory()) walk(child);
      else out.push(child);
    }
  };
  walk('');
  return out;
}
