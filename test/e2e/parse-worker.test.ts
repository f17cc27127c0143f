import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, REAL_BUNDLES, REPO, SAMPLES } from './helpers.js';

/** The JSON report of `analyze` with the given extra flags, through the given entry point. */
function report(bundles: string[], flags: string[], entry?: string): string {
  const args = ['analyze', ...bundles, '-f', 'json', '-o', '-', ...flags];
  const result = entry ? cli(args, {}, entry) : cli(args);
  expect(result.stderr).not.toMatch(/Error|at .*\.js:\d+/);
  expect([0, 1]).toContain(result.status);
  return result.stdout;
}

describe('analyze with the parsing worker thread', () => {
  const cases: [string, string[]][] = [
    ['seed incident', [join(SAMPLES, 'seed-incident.tgz')]],
    ['air-gapped pair', [join(SAMPLES, 'imagepull-airgapped', 'mgmt.tgz'), `edge-7=${join(SAMPLES, 'imagepull-airgapped', 'workload-troubleshoot.tgz')}`]],
    ['velero (sbctl)', [join(REAL_BUNDLES, 'sbctl-kurl-velero.tar.gz')]],
  ];

  it.each(cases)('writes the same report as parsing on the main thread: %s', (_name, bundles) => {
    const inline = report(bundles, ['--no-parse-worker']);
    expect(JSON.parse(inline).findings.length).toBeGreaterThan(0);
    expect(report(bundles, ['--parse-worker', '--parse-worker-min-bytes', '0'])).toBe(inline);
    expect(report(bundles, ['--parse-worker', '--parse-worker-min-bytes', '2048'])).toBe(inline);
  });

  it('works from the single-file build, whose worker thread runs that same file', () => {
    const bundles = [join(SAMPLES, 'seed-incident.tgz')];
    const single = join(REPO, 'dist', 'hrp-doctor.mjs');
    expect(report(bundles, ['--parse-worker', '--parse-worker-min-bytes', '0'], single)).toBe(report(bundles, ['--no-parse-worker']));
  });

  it('refuses a negative size in one line', () => {
    const result = cli(['analyze', join(SAMPLES, 'seed-incident.tgz'), '--parse-worker-min-bytes', '-1']);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/--parse-worker-min-bytes must be a number of bytes/);
  });
});
