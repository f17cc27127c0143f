import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, readText, SAMPLES, tempDir } from '../e2e/helpers.js';

const BEFORE = join(SAMPLES, 'seed-incident.tgz');
const AFTER = join(SAMPLES, 'seed-incident-fixed.tgz');
const HRPS = ['cilium-dm-nkp-workload-1-kbx8x', 'konnector-agent-dm-nkp-workload-1-6jdqc', 'nutanix-csi-storage-dm-nkp-workload-1-kxh46'];

describe('hrp-doctor diff', () => {
  it('lists the three HRPs of the seed incident as resolved once it is fixed, with their status change', () => {
    const result = cli(['diff', BEFORE, AFTER, '--format', 'json']);
    expect(result.status).toBe(0);
    const diff = JSON.parse(result.stdout);
    expect(diff.format).toBe('hrp-doctor.diff/v1');
    const resolvedHrps = diff.resolved.filter((f: { code: string }) => f.code === 'HRP_FAILED').map((f: { subject: string }) => f.subject);
    expect(resolvedHrps).toEqual(HRPS.map((n) => `HelmReleaseProxy dm-dev-workspace/${n}`));
    expect(diff.new).toEqual([]);
    expect(diff.unchanged).toEqual([]);
    expect(diff.objects).toContainEqual({
      cluster: 'dm-nkp-mgmt-1', kind: 'HelmReleaseProxy', name: 'dm-dev-workspace/cilium-dm-nkp-workload-1-kbx8x',
      before: 'failed, Ready=False (HelmInstallOrUpgradeFailed)', after: 'deployed, Ready=True',
    });
    expect(diff.objects.find((o: { kind: string; name: string }) => o.kind === 'Node' && o.name.includes('-md-0-'))).toMatchObject({
      before: 'node.cloudprovider.kubernetes.io/uninitialized:NoSchedule, node.cluster.x-k8s.io/uninitialized:NoSchedule', after: '(none)',
    });
  });

  it('reads the other way round as new findings, and exits 1 for a regression', () => {
    const result = cli(['diff', AFTER, BEFORE]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('**0 resolved, 31 new, 0 still present.**');
    expect(result.stdout).toContain('## New');
  });

  it('writes Markdown and self-contained HTML to a file', () => {
    const dir = tempDir();
    expect(cli(['diff', BEFORE, AFTER, '-o', join(dir, 'd.md')]).stdout).toContain('31 resolved, 0 new, 0 still present');
    expect(readText(join(dir, 'd.md'))).toContain('| HRP\\_FAILED | dm-nkp-mgmt-1 | HelmReleaseProxy dm-dev-workspace/cilium-dm-nkp-workload-1-kbx8x |');
    expect(cli(['diff', BEFORE, AFTER, '-f', 'html', '-o', join(dir, 'd.html')]).status).toBe(0);
    const html = readText(join(dir, 'd.html'));
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('<td>failed, Ready&#x3D;False (HelmInstallOrUpgradeFailed)</td><td>deployed, Ready&#x3D;True</td>');
  });
});
