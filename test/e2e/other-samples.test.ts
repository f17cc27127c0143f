import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeJson, cli, readText, SAMPLES, tempDir } from './helpers.js';

describe('the healthy sample (other names, metav1 conditions)', () => {
  it('yields no error and no warning, and says so', () => {
    const report = analyzeJson([join(SAMPLES, 'healthy.tgz')]);
    expect(report.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(report.rootCauses).toEqual([]);
    expect(report.clusters.map((c) => c.name)).toEqual(['acme-mgmt', 'acme-prod-eu-1']);
    const out = tempDir();
    const result = cli(['analyze', join(SAMPLES, 'healthy'), '-o', join(out, 'r.md')]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('hrp-doctor: No failures detected (0 error, 0 warning, 0 info)');
    expect(readText(join(out, 'r.md'))).toContain('No failing HelmReleaseProxies, HelmChartProxies, pods, nodes or workloads were found.');
  });

  it('passes a CI gate at --fail-on warning', () => {
    expect(cli(['analyze', join(SAMPLES, 'healthy.tgz'), '--fail-on', 'warning', '-o', join(tempDir(), 'r.json')]).status).toBe(0);
  });
});

describe('the air-gapped image pull sample (native management bundle + troubleshoot workload bundle)', () => {
  const bundles = [join(SAMPLES, 'imagepull-airgapped', 'mgmt.tgz'), join(SAMPLES, 'imagepull-airgapped', 'workload-troubleshoot.tgz')];

  it('links the nameless troubleshoot bundle to its CAPI Cluster by evidence and says how', () => {
    const report = analyzeJson(bundles);
    expect(report.inputs.map((i) => i.kind)).toEqual(['hrp-doctor', 'troubleshoot']);
    const edge = report.clusters.find((c) => c.name === 'edge-17')!;
    expect(edge.role).toBe('workload');
    expect(edge.linkedBy).toContain('kubeadm-config clusterName is edge-17');
  });

  it('names the image pull failure of the hook pod as the root cause of the failed HRP (Helm ≥ 3.12 error form)', () => {
    const report = analyzeJson(bundles);
    const hrp = report.findings.find((f) => f.code === 'HRP_FAILED')!;
    expect(hrp.subject.name).toBe('metrics-server-edge-17-abcde');
    expect(hrp.detail).toContain('Helm: post-install hooks failed: timed out waiting for the condition');
    const causes = hrp.causedBy.map((id) => report.findings.find((f) => f.id === id)!);
    expect(causes.map((c) => c.code)).toContain('IMAGE_PULL_FAILED');
    const hookPull = report.findings.find((f) => f.code === 'IMAGE_PULL_FAILED' && f.subject.name.startsWith('metrics-server-post-install-check-'))!;
    expect(hookPull.detail).toContain('lookup registry.internal.example on 10.0.0.10:53: no such host');
    expect(report.rootCauses).toContain(hookPull.id);
    expect(report.findings.find((f) => f.code === 'HCP_NOT_READY')!.causedBy).toEqual([hrp.id]);
  });

  it('lists the forbidden resources as problems of the input', () => {
    const report = analyzeJson(bundles);
    expect(report.problems.some((p) => /poddisruptionbudgets\.policy is forbidden/.test(p.message))).toBe(true);
  });

  it('gives the same answer when the workload cluster is named on the command line', () => {
    const report = analyzeJson([bundles[0]!, `edge-17=${bundles[1]}`]);
    const edge = report.clusters.find((c) => c.name === 'edge-17')!;
    expect(edge.linkedBy).toContain('named on the command line');
    expect(report.findings.find((f) => f.code === 'HRP_FAILED')!.causedBy.length).toBeGreaterThan(0);
  });
});
