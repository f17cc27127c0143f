import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeJson, cli, readText, REAL_BUNDLES, tempDir } from './helpers.js';

/**
 * Real support bundles from public projects (../shared/real-bundles), diagnosed as an engineer
 * reading them would: what they contain shows up, damaged parts become problems, healthy parts
 * are not flagged.
 */
const bundle = (name: string) => join(REAL_BUNDLES, name);

describe('real support bundles', () => {
  it('are all present beside the repository', () => {
    expect(existsSync(REAL_BUNDLES)).toBe(true);
    expect(readdirSync(REAL_BUNDLES).filter((f) => f.endsWith('.tar.gz')).sort()).toEqual([
      'sbctl-kurl-velero.tar.gz', 'troubleshoot-k3s-baseline-v0.123.tar.gz', 'troubleshoot-missing-version.tar.gz', 'troubleshoot-v0.50-old-layout.tar.gz',
    ]);
  });

  it('sbctl kURL: finds velero crash-looping on an unknown command and nothing else wrong', () => {
    const report = analyzeJson([bundle('sbctl-kurl-velero.tar.gz')]);
    expect(report.inputs).toEqual([{ path: bundle('sbctl-kurl-velero.tar.gz'), kind: 'troubleshoot' }]);
    const serious = report.findings.filter((f) => f.severity !== 'info');
    expect(serious.map((f) => [f.code, f.subject.namespace, f.subject.name])).toEqual([['POD_CRASHLOOP', 'velero', 'velero-6996dd565b-xl44t']]);
    expect(serious[0]!.evidence.map((e) => e.text).join('\n')).toContain('unknown command "server-junk" for "velero"');
    expect(report.rootCauses).toEqual([serious[0]!.id]);
  });

  it('troubleshoot v0.123 k3s baseline: a healthy one-node cluster with no error or warning', () => {
    const out = join(tempDir(), 'k3s.md');
    const result = cli(['analyze', bundle('troubleshoot-k3s-baseline-v0.123.tar.gz'), '-o', out]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('No failures detected (0 error, 0 warning');
    const markdown = readText(out);
    expect(markdown).toContain('| v1.31.2+k3s1 | 1/1 nodes Ready, 7/7 pods running and ready (or completed)');
    expect(markdown).toContain('No management cluster in the input');
  });

  it('troubleshoot v0.50 old layout: restarts explained by the API at 10.43.0.1 timing out, all recovered', () => {
    const report = analyzeJson([bundle('troubleshoot-v0.50-old-layout.tar.gz')]);
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const unreachable = report.findings.filter((f) => f.code === 'API_SERVER_UNREACHABLE');
    expect(unreachable.map((f) => f.subject.name).sort()).toEqual(['local-path-provisioner-7b7dc8d6f5-45btl', 'metrics-server-668d979685-wttxd', 'traefik-7cd4fcff68-9blj6']);
    for (const f of unreachable) {
      expect(f.title).toContain('dial tcp 10.43.0.1:443: i/o timeout');
      expect(f.detail).toContain('The pod is ready now: it has recovered.');
    }
    const coredns = report.findings.find((f) => f.code === 'POD_CRASHLOOP' && f.subject.name === 'coredns-b96499967-tncf4')!;
    expect(coredns.severity).toBe('warning');
    expect(coredns.title).toBe('coredns-b96499967-tncf4 has restarted 96 times');
    // The crash of local-path-provisioner is explained by the API timeout in its previous log.
    const provisioner = report.findings.find((f) => f.code === 'POD_CRASHLOOP' && f.subject.name.startsWith('local-path-provisioner-'))!;
    expect(provisioner.causedBy.map((id) => report.findings.find((f) => f.id === id)!.code)).toEqual(['API_SERVER_UNREACHABLE']);
  });

  it('troubleshoot bundle without cluster data: exit 2 and one line naming the file and the reason', () => {
    const result = cli(['analyze', bundle('troubleshoot-missing-version.tar.gz'), '-o', join(tempDir(), 'r.md')]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`hrp-doctor: ${bundle('troubleshoot-missing-version.tar.gz')}: no cluster data (no cluster-resources/ folder)\n`);
  });

  it('merges several real bundles into one snapshot without mixing their clusters', () => {
    const report = analyzeJson([bundle('sbctl-kurl-velero.tar.gz'), bundle('troubleshoot-v0.50-old-layout.tar.gz')]);
    expect(report.clusters.map((c) => c.name)).toEqual(['sbctl-kurl-velero', 'troubleshoot-v0.50-old-layout']);
    expect(report.findings.find((f) => f.subject.name === 'velero-6996dd565b-xl44t')!.cluster).toBe('sbctl-kurl-velero');
    expect(report.findings.find((f) => f.subject.name === 'coredns-b96499967-tncf4')!.cluster).toBe('troubleshoot-v0.50-old-layout');
  });
});
