// dist/hrp-doctor.mjs (npm run build:single, run by pretest): the whole CLI in one file that runs
// with plain `node`, alone in a folder with no node_modules anywhere above it.
import { chmodSync, copyFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, failedHrps, nodeModulesAbove, REPO, run, SAMPLES, SEED_FAILED_HRPS, tempDir } from './helpers.js';

const SINGLE = join(REPO, 'dist', 'hrp-doctor.mjs');
const SEED = join(SAMPLES, 'seed-incident.tgz');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('the single-file build', () => {
  let dir: string;
  let copy: string;
  const node = (args: string[]) => run(process.execPath, [copy, ...args], { cwd: dir, env: cleanEnv({ NODE_PATH: undefined }) });

  beforeAll(() => {
    expect(existsSync(SINGLE), 'dist/hrp-doctor.mjs is built by `npm test` (pretest: npm run build:single)').toBe(true);
    dir = tempDir();
    copy = join(dir, 'hrp-doctor.mjs');
    copyFileSync(SINGLE, copy);
    chmodSync(copy, 0o755);
  });

  it('sits alone, with no node_modules in its folder or above', () => {
    expect(readdirSync(dir)).toEqual(['hrp-doctor.mjs']);
    expect(nodeModulesAbove(dir)).toBeUndefined();
    expect(readFileSync(copy, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const size = statSync(SINGLE).size;
    // eslint-disable-next-line no-console
    console.log(`single file: dist/hrp-doctor.mjs ${(size / 1024).toFixed(0)} KiB`);
    expect(size).toBeLessThan(5 * 1024 * 1024);
  });

  it('embeds every template and schema, as they are on disk', () => {
    const banner = /^globalThis\.__HRP_DOCTOR_ASSETS__ = (.*);$/m.exec(readFileSync(SINGLE, 'utf8'));
    expect(banner, 'the banner sets globalThis.__HRP_DOCTOR_ASSETS__').not.toBeNull();
    const embedded = JSON.parse(banner![1]!) as Record<string, string>;
    const onDisk = ['templates', 'schemas'].flatMap((folder) => filesUnder(join(REPO, folder))).map((f) => relative(REPO, f).split(sep).join('/')).sort();
    expect(Object.keys(embedded).sort()).toEqual(onDisk);
    for (const path of onDisk) expect(embedded[path], `${path} is stale: npm run build:single`).toBe(readFileSync(join(REPO, path), 'utf8'));
  });

  it('answers --help with the commands, and --version', () => {
    const help = node(['--help']);
    expect(help.status, help.stderr).toBe(0);
    for (const command of ['analyze <bundles..>', 'diff <before> <after>', 'rules']) expect(help.stdout).toContain(`hrp-doctor ${command}`);
    const version = node(['--version']);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version);
  });

  it('analyzes the seed incident like the installed CLI does', () => {
    const result = node(['analyze', SEED, '-f', 'json', '-o', '-']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(failedHrps(result.stdout)).toEqual(SEED_FAILED_HRPS);
    const reference = run(process.execPath, [join(REPO, 'bin', 'hrp-doctor.js'), 'analyze', SEED, '-f', 'json', '-o', '-'], { cwd: dir });
    expect(reference.status, reference.stderr).toBe(0);
    expect(result.stdout).toBe(reference.stdout);
  });

  it('renders the Markdown and HTML reports and the rule catalog from the embedded templates', () => {
    const md = node(['analyze', SEED, '-f', 'md', '-o', '-']);
    expect(md.status, md.stderr).toBe(0);
    expect(md.stdout).toMatch(/^# HCP\/HRP Failures Debug Report/m);
    const html = node(['analyze', SEED, '-f', 'html', '-o', '-']);
    expect(html.status, html.stderr).toBe(0);
    expect(html.stdout).toContain('id="show-warning"');
    const rules = node(['rules']);
    expect(rules.status, rules.stderr).toBe(0);
    expect(rules.stdout).toMatch(/^HRP_FAILED\s+error/m);
  });
});
