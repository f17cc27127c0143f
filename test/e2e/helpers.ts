import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JsonReport } from '../../src/schema/generated.js';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SAMPLES = join(REPO, 'samples');
export const REAL_BUNDLES = resolve(REPO, '..', 'shared', 'real-bundles');
const BIN = join(REPO, 'bin', 'hrp-doctor.js');

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI the way a user does (`npm test` builds first); `entry`: another build of it (dist/hrp-doctor.mjs). */
export function cli(args: string[], env: Record<string, string> = {}, entry = BIN): CliResult {
  const result = spawnSync(process.execPath, [entry, ...args], {
    cwd: REPO, encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: '1766830000', NO_COLOR: '1', ...env }, timeout: 120_000,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'hrp-doctor-test-'));
}

/** Analyzes bundles and returns the JSON report, failing loudly on an unexpected exit status. */
export function analyzeJson(bundles: string[], expectedStatus = 0): JsonReport {
  const result = cli(['analyze', ...bundles, '--format', 'json', '--output', '-']);
  if (result.status !== expectedStatus) throw new Error(`exit ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout) as JsonReport;
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}
