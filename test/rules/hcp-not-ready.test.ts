import { describe, expect, it } from 'vitest';
import { rule } from '../../src/rules/hcp-not-ready.js';
import { hcp } from '../fixtures/k8s.js';
import { snapshotOf } from '../fixtures/snapshot.js';

describe('HCP_NOT_READY', () => {
  it('reports a HelmChartProxy whose Ready is False with its reason and failing conditions', () => {
    const proxy = hcp('storage-0a1b', 'team-x', {
      conditions: [
        { type: 'Ready', status: 'False', reason: 'HelmInstallOrUpgradeFailed', severity: 'Error', message: 'pre-upgrade hooks failed: timed out waiting for condition' },
        { type: 'HelmReleaseProxiesReady', status: 'False', reason: 'HelmInstallOrUpgradeFailed', severity: 'Error' },
        { type: 'HelmReleaseProxySpecsUpToDate', status: 'True' },
      ],
    });
    const [finding, ...rest] = rule.check(snapshotOf({ name: 'm', role: 'management', objects: [proxy] }));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      code: 'HCP_NOT_READY', severity: 'error', cluster: 'm',
      subject: { kind: 'HelmChartProxy', namespace: 'team-x', name: 'storage-0a1b' },
      title: 'HelmChartProxy storage-0a1b is not ready: HelmInstallOrUpgradeFailed',
      facts: { helmChartProxy: { cluster: 'm', kind: 'HelmChartProxy', namespace: 'team-x', name: 'storage-0a1b' } },
    });
    expect(finding!.detail).toBe('Ready=False, reason HelmInstallOrUpgradeFailed: pre-upgrade hooks failed: timed out waiting for condition. Other conditions: HelmReleaseProxiesReady=False (HelmInstallOrUpgradeFailed).');
  });

  it('reports a HelmChartProxy that has no Ready condition yet', () => {
    const proxy = hcp('new-proxy', 'team-x', { conditions: [] });
    const [finding] = rule.check(snapshotOf({ name: 'm', role: 'management', objects: [proxy] }));
    expect(finding!.title).toBe('HelmChartProxy new-proxy is not ready');
    expect(finding!.detail).toContain('It has no Ready condition yet.');
  });

  it('says nothing about ready proxies', () => {
    expect(rule.check(snapshotOf({ name: 'm', role: 'management', objects: [hcp('fine', 'team-x')] }))).toEqual([]);
  });
});
