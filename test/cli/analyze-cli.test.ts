import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planOutputs } from '../../src/cli/analyze-command.js';
import { cli, SAMPLES, tempDir } from '../e2e/helpers.js';

const SEED = join(SAMPLES, 'seed-incident.tgz');

describe('hrp-doctor analyze: exit statuses', () => {
  it('exits 1 with --fail-on error when errors are found, 0 without a threshold', () => {
    const out = tempDir();
    expect(cli(['analyze', SEED, '--fail-on', 'error', '-o', join(out, 'a.json')]).status).toBe(1);
    expect(cli(['analyze', SEED, '-o', join(out, 'b.json')]).status).toBe(0);
    expect(existsSync(join(out, 'a.json'))).toBe(true);
  });

  it('exits 2 with one line naming the file for a missing path, a file that is no archive, and an empty archive', () => {
    const dir = tempDir();
    const notArchive = join(dir, 'notes.txt');
    writeFileSync(notArchive, 'hello, this is not a bundle\n');
    const empty = join(dir, 'empty.tar');
    writeFileSync(empty, Buffer.alloc(1024));
    for (const [path, reason] of [[join(dir, 'nope.tgz'), 'no such file or directory'], [notArchive, 'not a tar archive'], [empty, '']] as const) {
      const result = cli(['analyze', path, '-o', join(dir, 'r.md')]);
      expect(result.status).toBe(2);
      expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
      expect(result.stderr).toContain(path);
      expect(result.stderr).toContain(reason);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('keeps what a truncated archive still holds and lists the damage as a problem', () => {
    const dir = tempDir();
    const cut = join(dir, 'cut.tgz');
    const bytes = readFileSync(SEED);
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const result = cli(['analyze', cut, '--format', 'json', '--output', '-']);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.problems.some((p: { message: string }) => /truncated|unexpected end/i.test(p.message))).toBe(true);
    expect(report.findings.length).toBeGreaterThan(0);
  });

  it('exits 2 on bad usage, with the reason', () => {
    const noBundle = cli(['analyze']);
    expect(noBundle.status).toBe(2);
    expect(noBundle.stderr).toMatch(/^hrp-doctor: .*argument/);
    const twoToStdout = cli(['analyze', SEED, '-f', 'md', '-f', 'json', '-o', '-']);
    expect(twoToStdout.status).toBe(2);
    expect(twoToStdout.stderr).toBe('hrp-doctor: --output - writes one format to standard output: give exactly one --format\n');
    expect(cli(['analyze', SEED, '--format', 'pdf']).status).toBe(2);
    expect(cli(['frobnicate']).status).toBe(2);
  });
});

describe('hrp-doctor analyze: where reports go', () => {
  it('writes report.md/html/json into a directory when several formats are asked for', () => {
    const out = join(tempDir(), 'reports');
    const result = cli(['analyze', SEED, '-f', 'md', '-f', 'html', '-f', 'json', '-o', out]);
    expect(result.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['report.html', 'report.json', 'report.md']);
    expect(result.stdout).toContain(`Report: ${join(out, 'report.md')}`);
    expect(result.stdout).toContain('Root cause:\n  * Cilium (DaemonSet kube-system/cilium): not ready, crashes\n');
  });

  it('plans outputs as the report contract says', () => {
    expect(planOutputs(['b.tgz'], [], undefined)).toEqual([
      { format: 'md', target: 'b.tgz.report.md' }, { format: 'html', target: 'b.tgz.report.html' }, { format: 'json', target: 'b.tgz.report.json' },
    ]);
    expect(planOutputs(['dir/'], ['json'], undefined)).toEqual([{ format: 'json', target: 'dir.report.json' }]);
    expect(planOutputs(['b.tgz'], [], 'out.html')).toEqual([{ format: 'html', target: 'out.html' }]);
    expect(planOutputs(['b.tgz'], [], '-')).toEqual([{ format: 'md', target: '-' }]);
  });

  it('prints Markdown to standard output with -o - and nothing else', () => {
    const result = cli(['analyze', SEED, '-o', '-']);
    expect(result.status).toBe(0);
    expect(result.stdout.startsWith('# HCP/HRP Failures Debug Report\n')).toBe(true);
    expect(result.stdout).not.toContain('Report: ');
  });

  it('says clearly when the report cannot be written', () => {
    const result = cli(['analyze', SEED, '-o', '/proc/hrp-doctor-cannot-write/r.md']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^hrp-doctor: \/proc\/hrp-doctor-cannot-write\/r\.md: cannot write the report/);
  });
});

describe('hrp-doctor rules and --help', () => {
  it('lists every finding code', () => {
    const result = cli(['rules']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('HRP_FAILED');
    expect(result.stdout).toContain('COLLECTION_INCOMPLETE');
  });

  it('shows examples in the help of analyze', () => {
    const result = cli(['analyze', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('hrp-doctor analyze samples/seed-incident.tgz');
  });
});
