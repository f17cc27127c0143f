import { describe, expect, it } from 'vitest';
import { rule } from '../../src/rules/collection-incomplete.js';
import { SnapshotBuilder } from '../../src/snapshot/build.js';
import { node } from '../fixtures/k8s.js';
import { snapshotOf } from '../fixtures/snapshot.js';

describe('COLLECTION_INCOMPLETE', () => {
  it('names what a management cluster lacks and why it matters', () => {
    const snapshot = snapshotOf({ name: 'mgmt-1', role: 'management', objects: [], resourcesSeen: ['clusters.cluster.x-k8s.io', 'helmchartproxies.addons.cluster.x-k8s.io'] });
    const findings = rule.check(snapshot);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      code: 'COLLECTION_INCOMPLETE', severity: 'warning', cluster: 'mgmt-1', subject: { kind: 'Bundle', name: 'mgmt-1' },
      title: 'The bundle lacks helmreleaseproxies of management cluster mgmt-1',
    });
    expect(findings[0]!.detail).toContain('helmreleaseproxies.addons.cluster.x-k8s.io: absent, so failed add-on releases cannot be found.');
  });

  it('reports a collection error (403) as missing data, never as health', () => {
    const builder = new SnapshotBuilder([{ path: 'b.tgz' }]);
    const key = { input: 'b.tgz', dir: 'b/cluster-resources/..' };
    builder.object(node('n1'), { cluster: key, source: 'b/cluster-resources/nodes.json', pointer: '/items/0' });
    builder.collectionError({ cluster: key, resource: 'pods', message: 'pods is forbidden: User "support" cannot list resource "pods"', source: 'b/cluster-resources/pods-errors.json' });
    builder.cluster({ cluster: key, inputKind: 'troubleshoot', resourcesSeen: new Set(['nodes', 'events']) });
    const snapshot = builder.build();
    const [finding, info] = rule.check(snapshot);
    expect(finding!.detail).toContain('pods: not collected (pods is forbidden: User "support" cannot list resource "pods")');
    expect(info).toMatchObject({ severity: 'info', title: 'No management cluster in the input: HelmReleaseProxies and HelmChartProxies were not checked' });
    expect(snapshot.problems).toContainEqual({ input: 'b.tgz', source: 'b/cluster-resources/pods-errors.json', message: 'collection error for pods: pods is forbidden: User "support" cannot list resource "pods"' });
  });

  it('is silent when everything was collected', () => {
    expect(rule.check(snapshotOf({ name: 'w', role: 'workload', objects: [node('n1')] }, { name: 'm', role: 'management', objects: [] }))).toEqual([]);
  });
});
