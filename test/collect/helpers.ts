import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { createReadStream } from 'node:fs';
import { extract } from 'tar-stream';
import { runCollectCommand, type CollectOptions } from '../../src/collect/collect.js';
import type { BundleManifest, CollectionRecord, JsonReport } from '../../src/schema/generated.js';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = join(REPO, 'test', 'collect', 'fixtures');
export const SAMPLES = join(REPO, 'samples');
const BIN = join(REPO, 'bin', 'hrp-doctor.js');

export function tempDir(prefix = 'hrp-doctor-collect-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface FakeRule {
  match: string;
  stdout?: string;
  json?: unknown;
  stdoutFile?: string;
  stderr?: string;
  exit?: number;
  sleepMs?: number;
  ignoreTerm?: boolean;
  killSelf?: string;
  repeatStdout?: number;
}

export interface FakeCall {
  pid: number;
  args: string[];
  start: number;
  end: number;
  env: { KUBECONFIG: string | null; GOGC: string | null; GOMEMLIMIT: string | null; GOMAXPROCS: string | null };
  kubeconfig?: { path: string; exists: boolean; mode?: number; content?: string };
  rule: string | null;
}

/** A kubectl stand-in answering from `rules` (see fixtures/fake-kubectl.mjs); `calls()` reads what it was asked. */
export function fakeKubectl(dir: string, rules: FakeRule[]): { path: string; calls: () => FakeCall[] } {
  const rulesFile = join(dir, 'fake-rules.json');
  const logFile = join(dir, 'fake-calls.log');
  writeFileSync(rulesFile, JSON.stringify(rules));
  const path = join(dir, 'kubectl');
  // A shell wrapper, so the fixture needs no executable bit and the environment reaches it whatever collect passes.
  writeFileSync(path, `#!/bin/sh\nFAKE_KUBECTL_RULES='${rulesFile}' FAKE_KUBECTL_LOG='${logFile}' exec '${process.execPath}' '${join(FIXTURES, 'fake-kubectl.mjs')}' "$@"\n`, { mode: 0o755 });
  return {
    path,
    calls: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as FakeCall) : []),
  };
}

export interface CollectRun {
  status: number;
  stderr: string;
  stdout: string;
}

/** Runs collect in-process, capturing its output. */
export async function collect(options: CollectOptions): Promise<CollectRun> {
  let stderr = '';
  let stdout = '';
  const status = await runCollectCommand({
    isTTY: false,
    handleSignals: false,
    ...options,
    stderr: (t) => void (stderr += t),
    stdout: (t) => void (stdout += t),
  });
  return { status, stderr, stdout };
}

/** Every file of a .tgz, by path. */
export async function readBundle(tgz: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const ex = extract();
  createReadStream(tgz).pipe(createGunzip()).pipe(ex);
  for await (const entry of ex) {
    const parts: Buffer[] = [];
    for await (const chunk of entry) parts.push(chunk as Buffer);
    if (entry.header.type === 'file') files.set(entry.header.name, Buffer.concat(parts));
  }
  return files;
}

/** The bundle's files relative to its single top folder. */
export function relative(files: Map<string, Buffer>): { root: string; files: Map<string, Buffer> } {
  const roots = new Set([...files.keys()].map((p) => p.split('/')[0]!));
  if (roots.size !== 1) throw new Error(`expected one top folder, found ${[...roots].join(', ')}`);
  const root = [...roots][0]!;
  return { root, files: new Map([...files].map(([p, b]) => [p.slice(root.length + 1), b])) };
}

export function json<T = unknown>(files: Map<string, Buffer>, path: string): T {
  const body = files.get(path);
  if (!body) throw new Error(`${path} is not in the bundle (it has: ${[...files.keys()].slice(0, 20).join(', ')}...)`);
  return JSON.parse(body.toString('utf8')) as T;
}

/** A `collection` record as collect writes it: the manifest schema's type, with what collect always fills in. */
export type ManifestRecord = CollectionRecord & Required<Pick<CollectionRecord, 'cluster' | 'durationMs'>>;
/** manifest.json as collect writes it (schemas/manifest.schema.json). */
export type Manifest = Omit<BundleManifest, 'collection' | 'redaction'> & { collection: ManifestRecord[]; redaction: { applied: boolean; replacements: number } };

/** The built CLI's `analyze` as JSON (`npm test` builds first). */
export function analyze(bundle: string): { status: number; report: AnalyzeReport; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, 'analyze', bundle, '--format', 'json', '--output', '-'], {
    cwd: REPO, encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: '1766830000', NO_COLOR: '1' }, timeout: 60_000, maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0 && result.status !== 1) throw new Error(`analyze ${bundle}: exit ${result.status}: ${result.stderr}`);
  return { status: result.status, report: JSON.parse(result.stdout) as AnalyzeReport, stderr: result.stderr };
}

export type AnalyzeFinding = JsonReport['findings'][number];
export type AnalyzeReport = JsonReport;

/**
 * What a diagnosis says, independent of finding ids: each finding as code + cluster + subject,
 * with the findings that cause it named the same way; plus the root causes and cycles.
 */
export function signature(report: AnalyzeReport): { findings: string[]; rootCauses: string[]; cycles: string[] } {
  const byId = new Map(report.findings.map((f) => [f.id, f]));
  const key = (id: string) => {
    const f = byId.get(id)!;
    return `${f.code} ${f.cluster} ${f.subject.kind}/${f.subject.namespace ?? ''}/${f.subject.name}`;
  };
  return {
    findings: report.findings.map((f) => `${key(f.id)} <= [${f.causedBy.map(key).sort().join(', ')}]`).sort(),
    rootCauses: report.rootCauses.map(key).sort(),
    cycles: report.cycles.map((c) => c.map(key).sort().join(' -> ')).sort(),
  };
}

/** The real kubectl on PATH (CI installs Debian's kubernetes-client). */
export function realKubectl(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Files left in a folder (recursively), for "nothing left behind" checks. */
export function listTree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: false }) as string[];
}
