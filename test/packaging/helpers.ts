import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import type { JsonReport } from '../../src/schema/generated.js';

export { REPO, SAMPLES, tempDir } from '../e2e/helpers.js';

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * The environment of a child process as a user's shell would have it: without the npm_* variables
 * that `npm test` sets (an npm started from a test must not think it runs a lifecycle script), and
 * with a fixed report time.
 */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
  env['SOURCE_DATE_EPOCH'] = '1766830000';
  env['NO_UPDATE_NOTIFIER'] = '1';
  env['npm_config_update_notifier'] = 'false';
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export function run(command: string, args: string[], options: SpawnSyncOptions & { env?: NodeJS.ProcessEnv } = {}): Run {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 120_000, env: cleanEnv(), ...options });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** The first executable with this name on PATH (or at one of the given paths). */
export function which(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** Whether a folder or any folder above it has node_modules (the single file must run without). */
export function nodeModulesAbove(dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    if (existsSync(join(current, 'node_modules'))) return join(current, 'node_modules');
    if (dirname(current) === current) return undefined;
  }
}

/** The three HRPs the seed incident must report as failed. */
export const SEED_FAILED_HRPS = [
  'cilium-dm-nkp-workload-1-kbx8x',
  'konnector-agent-dm-nkp-workload-1-6jdqc',
  'nutanix-csi-storage-dm-nkp-workload-1-kxh46',
];

export function failedHrps(stdout: string): string[] {
  const report = JSON.parse(stdout) as JsonReport;
  return report.findings.filter((f) => f.code === 'HRP_FAILED').map((f) => f.subject.name).sort();
}
