import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, readText, SAMPLES, tempDir } from '../e2e/helpers.js';

const SEED = join(SAMPLES, 'seed-incident.tgz');

function suppressionFile(yaml: string): string {
  const path = join(tempDir(), 'suppress.yaml');
  writeFileSync(path, yaml);
  return path;
}

describe('suppressions (.hrp-doctor.yaml)', () => {
  it('silences matching findings for --fail-on but keeps them listed as suppressed', () => {
    const file = suppressionFile([
      'suppressions:',
      '  - code: PROBE_FAILING',
      '    subject: { kind: Pod, namespace: kube-system, name: "cilium-*" }',
      '    reason: slow start on this hardware, JIRA-123',
      '    expires: "2099-01-01"',
    ].join('\n'));
    const result = cli(['analyze', SEED, '--suppressions', file, '-f', 'json', '-o', '-', '--fail-on', 'warning']);
    // Errors remain, so the gate still fails; the four probe warnings are suppressed, not dropped.
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout);
    const probes = report.findings.filter((f: { code: string }) => f.code === 'PROBE_FAILING');
    expect(probes).toHaveLength(4);
    for (const p of probes) expect(p.suppressed).toEqual({ reason: 'slow start on this hardware, JIRA-123', expires: '2099-01-01' });
  });

  it('can make a CI gate pass, and lists expired suppressions without applying them', () => {
    const file = suppressionFile([
      'suppressions:',
      '  - cluster: "dm-nkp-*"',
      '    code: PROBE_FAILING',
      '    reason: known',
      '  - code: POD_CRASHLOOP',
      '    reason: was fixed once',
      '    expires: "2020-01-01"',
    ].join('\n'));
    const out = join(tempDir(), 'r.md');
    const result = cli(['analyze', SEED, '--suppressions', file, '-o', out, '--fail-on', 'warning']);
    expect(result.status).toBe(1);
    const md = readText(out);
    expect(md).toContain('_(suppressed: known)_');
    expect(md).toContain('### Expired suppressions (no longer applied)');
    expect(md).toContain('- POD\\_CRASHLOOP (expired 2020-01-01): was fixed once');
    expect(md).toMatch(/\*\*Status:\*\* Multiple failures detected \(26 error, 1 warning, 0 info\)/);
  });

  it('rejects an invalid suppression file with one line naming it', () => {
    const noReason = suppressionFile('suppressions:\n  - code: POD_CRASHLOOP\n');
    const result = cli(['analyze', SEED, '--suppressions', noReason, '-o', '-']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`hrp-doctor: ${noReason}: invalid suppressions at /suppressions/0: must have property 'reason'\n`);
    const everything = suppressionFile('suppressions:\n  - reason: shut up\n');
    expect(cli(['analyze', SEED, '--suppressions', everything, '-o', '-']).stderr).toContain('names neither a code nor a subject');
  });
});

describe('JUnit XML', () => {
  it('shows errors and warnings as failed test cases, one suite per cluster, and the rules that found nothing as passing', () => {
    const result = cli(['analyze', SEED, '-f', 'junit', '-o', '-']);
    expect(result.status).toBe(0);
    const xml = result.stdout;
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="hrp-doctor">')).toBe(true);
    expect(xml).toMatch(/<testsuite name="dm-nkp-mgmt-1" tests="\d+" failures="10" errors="0" skipped="0"/);
    expect(xml).toMatch(/<testsuite name="dm-nkp-workload-1" tests="\d+" failures="21" errors="0" skipped="0"/);
    expect(xml).toContain('<testcase classname="hrp-doctor.HRP_FAILED" name="HRP_FAILED HelmReleaseProxy dm-dev-workspace/cilium-dm-nkp-workload-1-kbx8x"><failure message="HelmReleaseProxy cilium-dm-nkp-workload-1-kbx8x failed: post-upgrade hooks timed out" type="error">');
    expect(xml).toContain('name="CILIUM_API_ENDPOINT_MISMATCH: Cilium points at the wrong API server — nothing found"/>');
  });

  it('is written as report.junit.xml beside the others when asked for with other formats', () => {
    const out = join(tempDir(), 'reports');
    expect(cli(['analyze', SEED, '-f', 'json', '-f', 'junit', '-o', out]).status).toBe(0);
    expect(readText(join(out, 'report.junit.xml'))).toContain('<testsuites name="hrp-doctor">');
  });
});
