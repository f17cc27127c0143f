/**
 * Archive safety through the CLI: entries that climb out with `..` or absolute paths, links
 * (symbolic and hard, relative and absolute) pointing at a canary planted outside the bundle,
 * devices, duplicates. Nothing is written outside the report folder, and the canary's text never
 * appears in any report: it was never read.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { node, pod } from '../fixtures/k8s.js';
import { TOP, cleanupTemps, expectCleanExit, gzip, listTree, makeTar, nativeBundle, runCli, tempDir, type TarEntrySpec } from './helpers.js';

afterAll(cleanupTemps);

const CANARY = `CANARY-${Math.random().toString(36).slice(2)}-do-not-read`;

/** A folder outside any bundle holding files that would be analysed if they were ever read. */
function plantCanary(root: string): { dir: string; json: string; log: string; text: string; files: Record<string, string> } {
  const dir = join(root, 'outside');
  mkdirSync(join(dir, 'pods'), { recursive: true });
  const files: Record<string, string> = {
    'canary.json': JSON.stringify({ kind: 'PodList', items: [pod(CANARY, 'kube-system', { containers: [{ name: 'c', ready: false, restartCount: 9, waiting: { reason: 'CrashLoopBackOff', message: CANARY } }] })] }),
    'canary.log': `fatal: ${CANARY}\n`,
    'canary.txt': CANARY,
    'pods/kube-system.json': JSON.stringify({ kind: 'PodList', items: [pod(`${CANARY}-2`, 'kube-system')] }),
  };
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return { dir, json: join(dir, 'canary.json'), log: join(dir, 'canary.log'), text: CANARY, files };
}

function expectCanaryIntact(canary: ReturnType<typeof plantCanary>): void {
  for (const [name, content] of Object.entries(canary.files)) expect(readFileSync(join(canary.dir, name), 'utf8'), name).toBe(content);
}

function expectNoCanary(texts: (string | undefined)[]): void {
  for (const text of texts) {
    expect(text).toBeDefined();
    expect(text).not.toContain(CANARY);
  }
}

const wl = (files: Record<string, unknown[] | string>) => ({
  name: 'wl', role: 'workload' as const,
  files: { 'nodes.json': [node('n1')], ...files },
});
const CR = `${TOP}/clusters/wl/cluster-resources`;

describe('a hostile archive', () => {
  test('links at the canary, ".." and absolute paths, devices and duplicates: reported, never followed, nothing written', async () => {
    const root = tempDir();
    const canary = plantCanary(root);
    const work = join(root, 'work'); // the CLI's working folder: a relative write would land here
    const bundleDir = join(root, 'bundles');
    const out = join(root, 'reports');
    mkdirSync(work);
    mkdirSync(bundleDir);
    // From the archive's point of view (as if extracted into bundleDir), the relative way to the canary.
    const up = (entryDir: string, target: string) => relative(join(bundleDir, entryDir), target);

    const hostile: TarEntrySpec[] = [
      // symbolic links, absolute and relative, at paths the reader would read
      { name: `${CR}/pods/kube-system.json`, type: 'symlink', linkname: canary.json },
      { name: `${CR}/pods/default.json`, type: 'symlink', linkname: up(`${CR}/pods`, canary.json) },
      { name: `${CR}/pods/logs/kube-system/p/c-previous.log`, type: 'symlink', linkname: canary.log },
      { name: `${CR}/pods/logs/kube-system/p/c.log`, type: 'symlink', linkname: '../../../../../../../../../../../../../../../../../../..' + canary.log },
      // a whole folder linked out, then a file "through" it: a path, never a directory to enter
      { name: `${CR}/linked`, type: 'symlink', linkname: canary.dir },
      { name: `${CR}/linked/pods/kube-system.json`, content: JSON.stringify({ kind: 'PodList', items: [] }) },
      // hard links, relative to the archive root and absolute
      { name: `${CR}/events/default.json`, type: 'link', linkname: up('.', canary.json) },
      { name: `${CR}/events/kube-system.json`, type: 'link', linkname: canary.json },
      // entries that an extracting tool would write over the canary, or next to it
      { name: join(canary.dir, "canary.txt"), content: 'OVERWRITTEN' },
      { name: `${TOP}/../../outside/canary.txt`, content: 'OVERWRITTEN' },
      { name: `../${relative(root, canary.dir)}/new-file.txt`, content: 'WRITTEN' },
      { name: `..\\..\\outside\\canary.txt`, content: 'OVERWRITTEN' },
      { name: `${relative('/', work)}/../../relative-to-root.txt`.replace(/^/, '/'), content: 'WRITTEN' },
      // devices and a FIFO where data would be read
      { name: `${CR}/configmaps/default.json`, type: 'character-device' },
      { name: `${CR}/configmaps/kube-system.json`, type: 'block-device' },
      { name: `${CR}/services/default.json`, type: 'fifo' },
      // a second nodes.json that would replace the first
      { name: `${CR}/nodes.json`, content: JSON.stringify({ kind: 'NodeList', items: [node(`${CANARY}-node`)] }) },
    ];
    const bundle = join(bundleDir, 'hostile.tgz');
    writeFileSync(bundle, gzip(await makeTar(nativeBundle([wl({})], hostile))));
    const before = listTree(root);

    const run = runCli(['analyze', bundle, '-f', 'md', '-f', 'html', '-f', 'json', '-o', out], { cwd: work });
    expectCleanExit(run);
    expect(run.status).toBe(0);

    // Nothing written anywhere but the report folder; the canary untouched.
    expect(listTree(root)).toEqual([...before, 'reports/report.html', 'reports/report.json', 'reports/report.md'].sort());
    expectCanaryIntact(canary);

    // The canary's text is in no report and not on the terminal: it was never read.
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const jsonText = readFileSync(join(out, 'report.json'), 'utf8');
    expectNoCanary([md, html, jsonText, run.stdout, run.stderr]);

    // Every hostile entry is a problem of the input.
    const report = JSON.parse(jsonText) as { problems: { source: string; message: string }[] };
    const problem = (source: string) => report.problems.filter((p) => p.source === source).map((p) => p.message);
    expect(problem(`${CR}/pods/kube-system.json`)).toEqual([`symlink to the absolute path ${canary.json}; not followed`]);
    expect(problem(`${CR}/pods/default.json`)[0]).toMatch(/^symlink to \.\.\/.*outside the bundle; not followed$/);
    expect(problem(`${CR}/pods/logs/kube-system/p/c-previous.log`)).toEqual([`symlink to the absolute path ${canary.log}; not followed`]);
    expect(problem(`${CR}/pods/logs/kube-system/p/c.log`)[0]).toMatch(/outside the bundle; not followed$/);
    expect(problem(`${CR}/linked`)).toEqual([`symlink to the absolute path ${canary.dir}; not followed`]);
    expect(problem(`${CR}/events/default.json`)[0]).toMatch(/^hard link to \.\.\/.*outside the bundle; not followed$/);
    expect(problem(`${CR}/events/kube-system.json`)).toEqual([`hard link to the absolute path ${canary.json}; not followed`]);
    expect(problem(join(canary.dir, "canary.txt"))).toEqual([`absolute path ${join(canary.dir, "canary.txt")}; skipped`]);
    expect(problem(`${TOP}/../../outside/canary.txt`)[0]).toMatch(/climbs out of the bundle with "\.\."; skipped$/);
    expect(problem(`..\\..\\outside\\canary.txt`)[0]).toMatch(/climbs out of the bundle/);
    expect(problem(`${CR}/configmaps/default.json`)).toEqual(['a character device; skipped']);
    expect(problem(`${CR}/configmaps/kube-system.json`)).toEqual(['a block device; skipped']);
    expect(problem(`${CR}/services/default.json`)).toEqual(['a FIFO (named pipe); skipped']);
    expect(problem(`${CR}/nodes.json`)).toEqual(['a second entry with the same path (after normalising); the first one was read, this one is skipped']);
    // The first nodes.json is the one analysed; so is the file "through" the linked folder (it is in the archive).
    expect(md).toContain('1/1 nodes Ready');
  });
});

describe('a hostile folder', () => {
  test('symlinks to the canary (files, folders, loops) and a FIFO: reported, never followed or opened', () => {
    const root = tempDir();
    const canary = plantCanary(root);
    const bundle = join(root, 'bundle');
    const cr = join(bundle, 'clusters', 'wl', 'cluster-resources');
    mkdirSync(join(cr, 'pods', 'logs', 'kube-system', 'p'), { recursive: true });
    writeFileSync(join(bundle, 'manifest.json'), JSON.stringify({ format: 'hrp-doctor.bundle/v1', clusters: [{ name: 'wl', role: 'workload', dir: 'clusters/wl' }] }));
    writeFileSync(join(cr, 'nodes.json'), JSON.stringify({ kind: 'NodeList', items: [node('n1')] }));
    symlinkSync(canary.json, join(cr, 'pods', 'kube-system.json'));
    symlinkSync(relative(join(cr, 'pods'), canary.json), join(cr, 'pods', 'default.json'));
    symlinkSync(canary.log, join(cr, 'pods', 'logs', 'kube-system', 'p', 'c-previous.log'));
    symlinkSync(canary.dir, join(cr, 'events'));
    symlinkSync('loop', join(cr, 'loop'));
    let fifo = false;
    try {
      execFileSync('mkfifo', [join(cr, 'services.json')]);
      fifo = true;
    } catch {
      // no mkfifo: the rest still holds
    }
    const out = join(root, 'reports');
    const before = listTree(root);
    const run = runCli(['analyze', bundle, '-f', 'md', '-f', 'html', '-f', 'json', '-o', out], { timeoutMs: 30_000 });
    expectCleanExit(run);
    expect(run.status).toBe(0);
    expect(listTree(root)).toEqual([...before, 'reports/report.html', 'reports/report.json', 'reports/report.md'].sort());
    expectCanaryIntact(canary);
    const texts = ['report.md', 'report.html', 'report.json'].map((f) => readFileSync(join(out, f), 'utf8'));
    expectNoCanary([...texts, run.stdout, run.stderr]);
    const report = JSON.parse(texts[2]!) as { problems: { source: string; message: string }[] };
    const messages = Object.fromEntries(report.problems.map((p) => [p.source.replace('clusters/wl/cluster-resources/', ''), p.message]));
    expect(messages).toMatchObject({
      'pods/kube-system.json': `symlink to the absolute path ${canary.json}; not followed`,
      'pods/default.json': expect.stringMatching(/outside the bundle; not followed$/),
      'pods/logs/kube-system/p/c-previous.log': `symlink to the absolute path ${canary.log}; not followed`,
      events: `symlink to the absolute path ${canary.dir}; not followed`,
      ...(fifo ? { 'services.json': 'a FIFO (named pipe); skipped' } : {}),
    });
  });
});
