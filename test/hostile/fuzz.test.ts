/**
 * Fuzzing the CLI with mutated valid bundles (fast-check): bytes flipped, archives cut, values of
 * objects swapped for other types, hostile entry names, links, devices and duplicates added, limits
 * lowered at random. Whatever the input, `analyze` exits 0, 1 or 2, prints no stack trace, writes
 * one line on exit 2, throws nothing uncaught, no rule crashes, and each run stays within time.
 *
 * CI runs a fixed seed and a bounded count. A longer run (docs/limits.md):
 *   FUZZ_RUNS=5000 npx vitest run test/hostile/fuzz.test.ts
 * FUZZ_SEED picks another seed; FUZZ_CLI_RUNS sets the child-process runs (default: a tenth of FUZZ_RUNS).
 * A failure prints the seed and path to replay it (fast-check's `seed` and `path`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { XSS_CORPUS } from './corpus.js';
import { REPO, SEED, STACK_TRACE, cleanupTemps, expectCleanExit, makeTar, readTgzEntries, runCli, tempDir, type TarEntrySpec } from './helpers.js';

afterAll(cleanupTemps);

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 60);
const CLI_RUNS = Number(process.env['FUZZ_CLI_RUNS'] ?? Math.max(6, Math.round(RUNS / 10)));
const SEED_VALUE = Number(process.env['FUZZ_SEED'] ?? 20260104);
/** Per run: generous for a 2 MB bundle on a slow CI machine, far below what a hang would take. */
const RUN_BUDGET_MS = 15_000;
const TIMEOUT = Math.max(60_000, RUNS * 2_000);

interface Base {
  name: string;
  entries: { name: string; content: Buffer }[];
}
let bases: Base[] = [];

beforeAll(async () => {
  bases = [
    { name: 'seed-incident', entries: await readTgzEntries(SEED) },
    { name: 'troubleshoot', entries: await readTgzEntries(join(REPO, 'samples', 'imagepull-airgapped', 'workload-troubleshoot.tgz')) },
  ];
});

// ---- mutations ----

type Mutation =
  | { kind: 'swap'; entry: number; path: number[]; value: unknown }
  | { kind: 'garble'; entry: number; at: number; bytes: number[] }
  | { kind: 'drop'; entry: number }
  | { kind: 'yaml'; entry: number }
  | { kind: 'add'; spec: TarEntrySpec; at: number };

const hostileText = fc.oneof(fc.constantFrom(...XSS_CORPUS), fc.string({ unit: 'binary', maxLength: 20 }), fc.string({ maxLength: 40 }));

/** Values that break a schema or a rule's expectations. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, 0, -1, 1e308, NaN, '', 'yesterday', '2025-13-45T99:99:99Z', [], {}, [[[[[[[[[[[]]]]]]]]]]], { kind: 'Pod' }),
  hostileText,
  fc.integer(),
  fc.array(hostileText, { maxLength: 3 }),
  fc.dictionary(fc.constantFrom('name', 'namespace', 'kind', 'status', 'type', 'message', '__proto__', 'constructor'), hostileText, { maxKeys: 3 }),
  fc.integer({ min: 1, max: 300 }).map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown),
  fc.constant('x'.repeat(70_000)),
);

const hostileName = fc.oneof(
  fc.constantFrom(
    '../../../../tmp/hrp-doctor-fuzz-escape', '/etc/passwd', 'C:\\Windows\\x.json', 'a/../../b.json', './', '', '.',
    'b/clusters/x/cluster-resources/pods/kube-system.json', 'b/clusters/x/cluster-resources/pods/logs/ns/p/c.log',
    'b/clusters/x/cluster-resources/custom-resources/x.example.com/ns.yaml', 'b/manifest.json', 'manifest.json',
  ),
  fc.tuple(fc.constantFrom('', 'b/', 'b/clusters/x/cluster-resources/', '../'), hostileText, fc.constantFrom('.json', '.yaml', '.log', '')).map(([a, b, c]) => `${a}${b}${c}`),
  fc.string({ minLength: 101, maxLength: 300 }).map((s) => `b/clusters/x/cluster-resources/${s}.json`),
);

const addedEntry: fc.Arbitrary<TarEntrySpec> = fc.oneof(
  fc.record({ name: hostileName, content: fc.oneof(hostileText, fc.constant('{"kind":"PodList","items":[{"kind":"Pod","apiVersion":"v1","metadata":{"name":"p"}}]}'), fc.constant('- kind: Pod\n  metadata: {name: y}\n')) }),
  fc.record({ name: hostileName, type: fc.constantFrom('symlink' as const, 'link' as const), linkname: fc.oneof(hostileName, fc.constantFrom('/etc/passwd', '../../../../etc/shadow', '.', '..', '')) }),
  fc.record({ name: hostileName, type: fc.constantFrom('character-device' as const, 'block-device' as const, 'fifo' as const, 'directory' as const) }),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('swap' as const), entry: fc.nat(), path: fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), value: hostileValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('garble' as const), entry: fc.nat(), at: fc.nat(), bytes: fc.array(fc.nat({ max: 255 }), { minLength: 1, maxLength: 8 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), entry: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('yaml' as const), entry: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('add' as const), spec: addedEntry, at: fc.nat() }) },
);

/** Byte-level damage to the archive as a whole, after packing. */
type Damage = { kind: 'none' } | { kind: 'flip'; at: number[]; xor: number } | { kind: 'cut'; fraction: number };
const damage: fc.Arbitrary<Damage> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 }).map((a) => a.map((x) => x)), xor: fc.integer({ min: 1, max: 255 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cut' as const), fraction: fc.double({ min: 0, max: 1, noNaN: true }) }) },
);

/** Random lowered limits: the limit paths are fuzzed too. */
const limitFlags = fc.array(
  fc.oneof(
    fc.integer({ min: 64, max: 64 * 1024 }).map((k) => ['--max-total-bytes', `${k}KiB`]),
    fc.integer({ min: 1, max: 4096 }).map((k) => ['--max-entry-bytes', `${k}KiB`]),
    fc.integer({ min: 1, max: 400 }).map((n) => ['--max-entries', String(n)]),
    fc.integer({ min: 1, max: 500 }).map((n) => ['--max-objects-per-file', String(n)]),
    fc.integer({ min: 1, max: 64 }).map((n) => ['--max-depth', String(n)]),
    fc.integer({ min: 0, max: 50 }).map((n) => ['--max-yaml-aliases', String(n)]),
    fc.integer({ min: 1, max: 64 }).map((k) => ['--max-log-bytes', `${k}KiB`]),
  ),
  { maxLength: 3 },
);

const fuzzCase = fc.record({
  base: fc.nat(),
  mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
  damage,
  gzip: fc.boolean(),
  limits: limitFlags,
});
type FuzzCase = typeof fuzzCase extends fc.Arbitrary<infer T> ? T : never;

function setAt(root: unknown, path: number[], value: unknown): unknown {
  if (root === null || typeof root !== 'object') return value;
  let at = root as Record<string, unknown>;
  for (let i = 0; i < path.length; i++) {
    const keys = Object.keys(at);
    if (keys.length === 0) break;
    const key = keys[path[i]! % keys.length]!;
    const next = at[key];
    if (i === path.length - 1 || next === null || typeof next !== 'object') {
      at[key] = value;
      return root;
    }
    at = next as Record<string, unknown>;
  }
  return root;
}

const toYaml = (value: unknown): string => (Array.isArray(value) ? value.map((v) => `- ${JSON.stringify(v)}`).join('\n') : JSON.stringify(value));

/** The archive a case describes, written to a temp file. */
async function build(c: FuzzCase): Promise<string> {
  const base = bases[c.base % bases.length]!;
  const entries: TarEntrySpec[] = base.entries.map((e) => ({ name: e.name, content: e.content }));
  for (const m of c.mutations) {
    if (m.kind === 'add') {
      entries.splice(m.at % (entries.length + 1), 0, m.spec);
      continue;
    }
    if (entries.length === 0) continue;
    const i = m.entry % entries.length;
    const target = entries[i]!;
    const content = Buffer.isBuffer(target.content) ? target.content : Buffer.from(target.content ?? '');
    if (m.kind === 'drop') entries.splice(i, 1);
    else if (m.kind === 'garble') {
      const bytes = Buffer.from(content);
      m.bytes.forEach((b, k) => {
        if (bytes.length > 0) bytes[(m.at + k * 7919) % bytes.length] = b;
      });
      target.content = bytes;
    } else {
      let value: unknown;
      try {
        value = JSON.parse(content.toString('utf8'));
      } catch {
        continue; // logs and YAML: garble is their mutation
      }
      if (m.kind === 'swap') target.content = JSON.stringify(setAt(value, m.path, m.value));
      else {
        // The same objects as YAML (troubleshoot writes custom resources so), under a .yaml name.
        const list = (value as { items?: unknown }).items ?? value;
        target.content = toYaml(list);
        target.name = target.name.replace(/\.json$/, '.yaml');
      }
    }
  }
  let data = await makeTar(entries);
  if (c.gzip) data = gzipSync(data, { level: 1 });
  if (c.damage.kind === 'flip') {
    data = Buffer.from(data);
    for (const f of c.damage.at) data[Math.floor(f * (data.length - 1))]! ^= c.damage.xor;
  } else if (c.damage.kind === 'cut') {
    data = data.subarray(0, Math.floor(c.damage.fraction * data.length));
  }
  const path = join(tempDir(), c.gzip ? 'fuzz.tgz' : 'fuzz.tar');
  writeFileSync(path, data);
  return path;
}

/** main() in this process, with its output captured: what a user would see, and its exit status. */
async function runInProcess(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  const stderrWrite = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => (err.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    const status = await main(args);
    return { status, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
  }
}

/** What must hold after every run, whatever the input. */
function checkRun(run: { status: number; stderr: string }, reportPath: string, context: string): void {
  expectCleanExit(run, context);
  expect(run.stderr, context).not.toMatch(STACK_TRACE);
  if (run.status === 2) return;
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as { problems: { message: string }[] };
  const crashed = report.problems.filter((p) => /^rule \S+ failed/.test(p.message));
  expect(crashed, `${context}: a rule threw`).toEqual([]);
}

const describeCase = (c: FuzzCase) => JSON.stringify(c, (_k, v: unknown) => (typeof v === 'string' && v.length > 80 ? `${v.slice(0, 80)}…(${v.length})` : v));

describe(`fuzzing analyze (seed ${SEED_VALUE})`, () => {
  test(`${RUNS} mutated bundles, in process: exit 0/1/2, no stack trace, no rule crash, bounded time`, async () => {
    const statuses: Record<number, number> = { 0: 0, 1: 0, 2: 0 };
    await fc.assert(
      fc.asyncProperty(fuzzCase, async (c) => {
        const path = await build(c);
        const report = join(tempDir(), 'r.json');
        const started = Date.now();
        const run = await runInProcess(['analyze', path, '-f', 'json', '-o', report, ...c.limits.flat()]);
        const ms = Date.now() - started;
        statuses[run.status] = (statuses[run.status] ?? 0) + 1;
        checkRun(run, report, describeCase(c));
        expect(ms, describeCase(c)).toBeLessThan(RUN_BUDGET_MS);
      }),
      { seed: SEED_VALUE, numRuns: RUNS, endOnFailure: true },
    );
    console.log(`fuzz (in process, seed ${SEED_VALUE}): ${RUNS} runs, exit statuses ${JSON.stringify(statuses)}`);
  }, TIMEOUT);

  test(`${CLI_RUNS} mutated bundles through the real CLI process: exit 0/1/2, nothing uncaught`, async () => {
    await fc.assert(
      fc.asyncProperty(fuzzCase, async (c) => {
        const path = await build(c);
        const report = join(tempDir(), 'r.json');
        const run = runCli(['analyze', path, '-f', 'json', '-o', report, ...c.limits.flat()], { timeoutMs: RUN_BUDGET_MS * 2 });
        checkRun(run, report, describeCase(c));
        expect(run.ms, describeCase(c)).toBeLessThan(RUN_BUDGET_MS * 2);
      }),
      { seed: SEED_VALUE + 1, numRuns: CLI_RUNS, endOnFailure: true },
    );
  }, Math.max(60_000, CLI_RUNS * 5_000));
});
