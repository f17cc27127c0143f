// `npm pack` makes a package that works without the repository: installed into an empty folder,
// `npx hrp-doctor` analyzes the seed sample, and `kubectl hrp-doctor` works as a kubectl plugin.
import { chmodSync, copyFileSync, existsSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, failedHrps, REPO, run, SAMPLES, SEED_FAILED_HRPS, tempDir, which } from './helpers.js';

const SEED = join(SAMPLES, 'seed-incident.tgz');
const KUBECTL = which('kubectl');

interface PackEntry {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

describe('npm pack', () => {
  let pack: PackEntry;
  let tarball: string;
  let destination: string;
  let installDir: string;
  let packMs = 0;
  let installMs = 0;

  beforeAll(() => {
    expect(existsSync(join(REPO, 'dist', 'cli', 'main.js')), 'dist/ is built by `npm test` (pretest)').toBe(true);
    destination = tempDir();
    let started = Date.now();
    // --ignore-scripts: dist/ was just built by pretest; prepack/prepare would rebuild it (and clean
    // it first) under the other tests' feet. What `npm pack` runs is checked from package.json below.
    const packed = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], { cwd: REPO });
    packMs = Date.now() - started;
    expect(packed.status, packed.stderr).toBe(0);
    pack = (JSON.parse(packed.stdout) as PackEntry[])[0]!;
    tarball = join(destination, pack.filename);

    installDir = tempDir();
    writeFileSync(join(installDir, 'package.json'), '{ "name": "pack-test", "private": true }\n');
    started = Date.now();
    const installed = run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: installDir, timeout: 90_000 });
    installMs = Date.now() - started;
    expect(installed.status, installed.stderr).toBe(0);
  }, 120_000);

  afterAll(() => {
    for (const dir of [destination, installDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ships the built code, the launcher, the templates and the schemas, and nothing else', () => {
    const paths = pack.files.map((f) => f.path);
    for (const needed of ['package.json', 'README.md', 'bin/hrp-doctor.js', 'dist/cli/main.js', 'dist/assets.js', 'templates/report.html.hbs', 'templates/report.md.hbs', 'schemas/report.schema.json', 'schemas/kinds/pod.schema.json']) {
      expect(paths, needed).toContain(needed);
    }
    const unexpected = paths.filter((p) => !/^(package\.json|README\.md|LICENSE[^/]*|bin\/[^/]+|dist\/.+\.js|templates\/[^/]+\.hbs|schemas\/.+\.json)$/.test(p));
    expect(unexpected).toEqual([]);
    expect(paths.some((p) => p.endsWith('.map') || p === 'dist/hrp-doctor.mjs')).toBe(false);
    // eslint-disable-next-line no-console
    console.log(`npm pack: ${pack.filename} ${(pack.size / 1024).toFixed(0)} KiB (${(pack.unpackedSize / 1024).toFixed(0)} KiB unpacked, ${paths.length} files) in ${packMs} ms; install ${installMs} ms`);
    expect(pack.size).toBeLessThan(1024 * 1024);
  });

  it('builds before packing: prepack cleans dist/, prepare compiles it', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string>; bin: Record<string, string> };
    expect(pkg.scripts['prepare']).toBe('npm run build');
    expect(pkg.scripts['prepack']).toMatch(/rmSync\('dist'/);
    expect(pkg.bin).toEqual({ 'hrp-doctor': 'bin/hrp-doctor.js', 'kubectl-hrp_doctor': 'bin/hrp-doctor.js' });
  });

  it('installs into an empty folder, where `npx hrp-doctor analyze` reports the seed incident', () => {
    const installed = join(installDir, 'node_modules', 'hrp-doctor');
    expect(existsSync(join(installed, 'dist', 'cli', 'main.js'))).toBe(true);
    expect(existsSync(join(installed, 'src'))).toBe(false);
    const result = run('npx', ['--no', 'hrp-doctor', 'analyze', SEED, '-f', 'json', '-o', '-'], { cwd: installDir });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(failedHrps(result.stdout)).toEqual(SEED_FAILED_HRPS);
    // Its templates come from the package: the HTML report renders too.
    const html = run('npx', ['--no', 'hrp-doctor', 'analyze', SEED, '-f', 'html', '-o', '-'], { cwd: installDir });
    expect(html.status, html.stderr).toBe(0);
    expect(html.stdout).toContain('<details id="f-1" class="finding error">');
  });

  it('links both bins, and `kubectl hrp-doctor` runs the installed plugin', () => {
    const bin = join(installDir, 'node_modules', '.bin');
    expect(statSync(join(bin, 'hrp-doctor')).isFile()).toBe(true);
    expect(statSync(join(bin, 'kubectl-hrp_doctor')).isFile()).toBe(true);
    if (!KUBECTL) return; // kubectl itself: see the test below
    const result = run(KUBECTL, ['hrp-doctor', 'rules'], { cwd: installDir, env: cleanEnv({ PATH: `${bin}${delimiter}${process.env['PATH']}` }) });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^HRP_FAILED\s+error/m);
  });
});

describe('kubectl plugin', () => {
  it.runIf(process.env['CI'] === 'true')('has kubectl in CI (.ci/run installs kubernetes-client)', () => {
    expect(KUBECTL).toBeDefined();
  });

  it.skipIf(!KUBECTL)('`kubectl hrp-doctor` finds a kubectl-hrp_doctor executable on PATH (skipped without kubectl)', () => {
    const dir = tempDir();
    symlinkSync(join(REPO, 'bin', 'hrp-doctor.js'), join(dir, 'kubectl-hrp_doctor'));
    const env = cleanEnv({ PATH: `${dir}${delimiter}${process.env['PATH']}` });
    const list = run(KUBECTL!, ['plugin', 'list'], { env });
    expect(list.stdout).toContain(join(dir, 'kubectl-hrp_doctor'));
    const rules = run(KUBECTL!, ['hrp-doctor', 'rules'], { env });
    expect(rules.status, rules.stderr).toBe(0);
    expect(rules.stdout).toMatch(/^HRP_FAILED\s+error/m);
    // Help names the command the way it was typed.
    const help = run(KUBECTL!, ['hrp-doctor', '--help'], { env });
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^kubectl hrp-doctor <command>/);
    const analyze = run(KUBECTL!, ['hrp-doctor', 'analyze', SEED, '-f', 'json', '-o', '-'], { env });
    expect(analyze.status, analyze.stderr).toBe(0);
    expect(failedHrps(analyze.stdout)).toEqual(SEED_FAILED_HRPS);
  });

  it.skipIf(!KUBECTL)('works from the single-file build too, linked under the plugin name (skipped without kubectl)', () => {
    const single = join(REPO, 'dist', 'hrp-doctor.mjs');
    expect(existsSync(single), 'built by pretest: npm run build:single').toBe(true);
    const dir = tempDir();
    copyFileSync(single, join(dir, 'hrp-doctor.mjs'));
    chmodSync(join(dir, 'hrp-doctor.mjs'), 0o755);
    symlinkSync('hrp-doctor.mjs', join(dir, 'kubectl-hrp_doctor'));
    const result = run(KUBECTL!, ['hrp-doctor', 'rules', '-f', 'json'], { cwd: dir, env: cleanEnv({ PATH: `${dir}${delimiter}${process.env['PATH']}` }) });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.stringify(JSON.parse(result.stdout))).toContain('HRP_FAILED');
  });
});
