/**
 * The limit flags of `analyze`: how sizes and counts are written, what a bad value says, and that
 * each flag reaches the reader (its problem names it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { limitsFromArgs, parseCount, parseSize } from '../../src/limits.js';
import type { JsonReport } from '../../src/schema/generated.js';
import { event, node, pod } from '../fixtures/k8s.js';
import { SEED, TOP, cleanupTemps, expectCleanExit, gzip, makeTar, nativeBundle, runCli, tempDir } from './helpers.js';

afterAll(cleanupTemps);

const MiB = 1024 * 1024;

describe('sizes and counts', () => {
  test('sizes: bytes, binary units (K/KiB...), decimal units (KB...)', () => {
    expect(parseSize('512MiB')).toBe(512 * MiB);
    expect(parseSize('8GiB')).toBe(8 * 1024 * MiB);
    expect(parseSize('8g')).toBe(8 * 1024 * MiB);
    expect(parseSize(' 1.5 MiB ')).toBe(1.5 * MiB);
    expect(parseSize('2000000')).toBe(2_000_000);
    expect(parseSize('100B')).toBe(100);
    expect(parseSize('1KB')).toBe(1000);
    expect(parseSize('1TiB')).toBe(1024 ** 4);
    for (const bad of ['8 gigs', '-1', '1e3', '', 'MiB', '0x10', '1.2.3GiB', '9'.repeat(30)]) expect(parseSize(bad), bad).toBeUndefined();
  });

  test('counts: whole numbers, with _ or , between thousands', () => {
    expect(parseCount('200000')).toBe(200_000);
    expect(parseCount('200_000')).toBe(200_000);
    expect(parseCount('1,000,000')).toBe(1_000_000);
    for (const bad of ['1.5', '-3', 'many', '1e6', '', '12,34']) expect(parseCount(bad), bad).toBeUndefined();
  });

  test('limitsFromArgs keeps the flags given, the last of a repeated one', () => {
    expect(limitsFromArgs({ 'max-total-bytes': '1GiB', 'max-depth': ['10', '20'], 'max-yaml-aliases': '0' })).toEqual({ maxTotalBytes: 1024 * MiB, maxDepth: 20, maxYamlAliases: 0 });
    expect(limitsFromArgs({})).toEqual({});
  });
});

describe('bad values: exit 2 with one line', () => {
  for (const [args, message] of [
    [['--max-total-bytes', '8gigs'], 'hrp-doctor: --max-total-bytes: "8gigs" is not a size (give bytes, or a number with a unit: 512MiB, 8GiB)'],
    [['--max-entries', '1.5'], 'hrp-doctor: --max-entries: "1.5" is not a whole number'],
    [['--max-depth', '0'], 'hrp-doctor: --max-depth: must be at least 1'],
    [['--max-entry-bytes'], 'hrp-doctor: --max-entry-bytes: "" is not a size (give bytes, or a number with a unit: 512MiB, 8GiB)'],
  ] as const) {
    test(args.join(' '), () => {
      const run = runCli(['analyze', SEED, '-o', join(tempDir(), 'r.md'), ...args]);
      expectCleanExit(run);
      expect(run.status).toBe(2);
      expect(run.stderr).toBe(`${message}\n`);
    });
  }
});

describe('each flag reaches the reader', () => {
  const report = (args: string[], path = SEED) => {
    const out = join(tempDir(), 'r.json');
    const run = runCli(['analyze', path, '-f', 'json', '-o', out, ...args]);
    expectCleanExit(run, args.join(' '));
    expect(run.status, run.stderr).toBe(0);
    return JSON.parse(readFileSync(out, 'utf8')) as JsonReport;
  };
  const problemsWith = (args: string[], path = SEED) => report(args, path).problems.map((p) => p.message);

  test('--max-total-bytes, --max-entry-bytes, --max-entries, --max-objects-per-file, --max-depth', () => {
    expect(problemsWith(['--max-total-bytes', '1MiB'])).toContain('stopped after 1 MiB decompressed (--max-total-bytes); what was read before is analysed, the rest of the input was not read');
    expect(problemsWith(['--max-entry-bytes', '20KiB']).some((m) => /^entry is .*, larger than the limit of 20 KiB \(--max-entry-bytes\); skipped$/.test(m))).toBe(true);
    expect(problemsWith(['--max-entries', '150'])).toContain('stopped after 150 entries (--max-entries); what was read before is analysed, the rest of the input was not read');
    expect(problemsWith(['--max-objects-per-file', '1'])).toContain('stopped after 1 object (--max-objects-per-file); the rest of the file was not read');
    expect(problemsWith(['--max-depth', '4']).some((m) => m === 'element nests deeper than 4 levels (--max-depth); skipped')).toBe(true);
  });

  test('--max-yaml-aliases and --max-log-bytes', async () => {
    const crashing = pod('ccm-1', 'kube-system', { node: 'n1', containers: [{ name: 'ccm', ready: false, restartCount: 8, waiting: { reason: 'CrashLoopBackOff' }, lastTerminated: { reason: 'Error', exitCode: 1 } }] });
    const entries = nativeBundle(
      [{ name: 'wl', role: 'workload', files: { 'nodes.json': [node('n1')], 'pods/kube-system.json': [crashing], 'events/kube-system.json': [event({ kind: 'Pod', name: 'ccm-1', namespace: 'kube-system' }, 'BackOff', 'Back-off restarting failed container')], 'custom-resources/things.example.com/default.yaml': 'a: &x {kind: Thing}\nb: *x\n' } }],
      [{ name: `${TOP}/clusters/wl/cluster-resources/pods/logs/kube-system/ccm-1/ccm-previous.log`, content: `F1227 main.go:1] failed to connect: dial tcp 10.96.0.1:443: i/o timeout\n${'I1227 main.go:2] shutting down\n'.repeat(100)}` }],
    );
    const path = join(tempDir(), 'b.tgz');
    writeFileSync(path, gzip(await makeTar(entries)));
    expect(problemsWith(['--max-yaml-aliases', '0'], path).some((m) => /^invalid YAML: Alias resolution is disabled/.test(m))).toBe(true);
    // The line that explains the crash is 3 KiB before the end of the log: kept by default, not with 1 KiB.
    const codes = (args: string[]) => report(args, path).findings.map((f) => f.code);
    expect(codes([])).toContain('API_SERVER_UNREACHABLE');
    expect(codes(['--max-log-bytes', '1KiB'])).not.toContain('API_SERVER_UNREACHABLE');
  });
});
