import { describe, expect, it } from 'vitest';
import type { ClusterKey } from '../../src/bundle/types.js';
import { SnapshotBuilder } from '../../src/snapshot/build.js';
import { releaseOf } from '../../src/snapshot/helm.js';
import { capiCluster, configMap, event, helmAnnotations, job, machine, node, pod, workload } from '../fixtures/k8s.js';
import { snapshotOf } from '../fixtures/snapshot.js';

const key = (input: string, dir = 'bundle'): ClusterKey => ({ input, dir });
const origin = (k: ClusterKey, source: string, pointer = '/items/0') => ({ cluster: k, source, pointer });

describe('snapshot builder', () => {
  it('leaves out an object that breaks its schema, with file and JSON pointer, and keeps the rest', () => {
    const builder = new SnapshotBuilder([{ path: 'b.tgz' }]);
    const k = key('b.tgz');
    const broken = pod('broken', 'ns', { node: 'n1' }) as { status: Record<string, unknown> };
    broken.status['containerStatuses'] = 'not-a-list';
    builder.object(broken, origin(k, 'bundle/cluster-resources/pods/ns.json', '/items/3'));
    builder.object(pod('fine', 'ns', { node: 'n1' }), origin(k, 'bundle/cluster-resources/pods/ns.json', '/items/4'));
    builder.object({ apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { containers: [] } }, origin(k, 'bundle/cluster-resources/pods/ns.json', '/items/5'));
    builder.cluster({ cluster: k, inputKind: 'troubleshoot', resourcesSeen: new Set(['pods']) });
    const snapshot = builder.build();
    expect(snapshot.clusters[0]!.list('Pod').map((p) => p.metadata.name)).toEqual(['fine']);
    expect(snapshot.problems).toEqual([
      { input: 'b.tgz', source: 'bundle/cluster-resources/pods/ns.json', pointer: '/items/3/status/containerStatuses', message: 'Pod broken left out: must be array,null' },
      { input: 'b.tgz', source: 'bundle/cluster-resources/pods/ns.json', pointer: '/items/5/metadata', message: "Pod left out: must have property 'name'" },
    ]);
  });

  it('lists at most 100 problems of one file, then says how many more there were', () => {
    const builder = new SnapshotBuilder([{ path: 'b.tgz' }]);
    const k = key('b.tgz');
    for (let i = 0; i < 250; i++) builder.object({ apiVersion: 'v1', kind: 'Pod', metadata: { name: '' }, spec: { containers: [] } }, origin(k, 'bundle/cluster-resources/pods/x.json', `/items/${i}`));
    builder.cluster({ cluster: k, inputKind: 'troubleshoot', resourcesSeen: new Set(['pods']) });
    const problems = builder.build().problems;
    expect(problems).toHaveLength(101);
    expect(problems[0]!.message).toBe('Pod left out: must NOT have fewer than 1 characters');
    expect(problems[100]).toEqual({ input: 'b.tgz', source: 'bundle/cluster-resources/pods/x.json', message: '150 more schema problems in this file are not listed' });
  });

  it('prunes fields no rule reads, so memory follows what is kept', () => {
    const builder = new SnapshotBuilder([{ path: 'b' }]);
    const k = key('b');
    const raw = { ...pod('p', 'ns', { node: 'n1' }), extra: 'x'.repeat(1000) } as Record<string, unknown>;
    (raw['spec'] as Record<string, unknown>)['securityContext'] = { runAsUser: 1000, seLinuxOptions: { level: 's0:c123,c456' } };
    builder.object(raw, origin(k, 'bundle/cluster-resources/pods/ns.json'));
    builder.cluster({ cluster: k, inputKind: 'troubleshoot', resourcesSeen: new Set() });
    const kept = builder.build().clusters[0]!.list('Pod')[0] as unknown as Record<string, unknown>;
    expect(kept['extra']).toBeUndefined();
    expect((kept['spec'] as Record<string, unknown>)['securityContext']).toBeUndefined();
  });

  it('keeps one copy of JSON/YAML twins and identifies kinds by apiVersion, not by file', () => {
    const builder = new SnapshotBuilder([{ path: 'b' }]);
    const k = key('b');
    const cluster = capiCluster('c1', 'ns');
    builder.object(structuredClone(cluster), origin(k, 'bundle/cluster-resources/custom-resources/clusters.cluster.x-k8s.io/ns.json'));
    builder.object(structuredClone(cluster), origin(k, 'bundle/cluster-resources/custom-resources/clusters.cluster.x-k8s.io/ns.yaml'));
    // A "Cluster" of another API group is not a CAPI Cluster.
    builder.object({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'db', namespace: 'ns' } }, origin(k, 'bundle/cluster-resources/custom-resources/clusters.postgresql.cnpg.io/ns.json'));
    builder.cluster({ cluster: k, inputKind: 'troubleshoot', resourcesSeen: new Set() });
    const snapshot = builder.build();
    expect(snapshot.clusters[0]!.list('Cluster').map((c) => c.metadata.name)).toEqual(['c1']);
    expect(snapshot.clusters[0]!.role).toBe('management');
  });
});

describe('linking workload clusters to CAPI Clusters', () => {
  function twoBundles(workloadObjects: object[], mgmtObjects: object[], clusterName?: string) {
    const builder = new SnapshotBuilder([{ path: 'mgmt.tgz' }, { path: 'wl.tgz', ...(clusterName ? { clusterName } : {}) }]);
    const m = key('mgmt.tgz', 'm');
    const w = key('wl.tgz', 'w');
    mgmtObjects.forEach((o, i) => builder.object(o, origin(m, 'm/cluster-resources/x.json', `/items/${i}`)));
    workloadObjects.forEach((o, i) => builder.object(o, origin(w, 'w/cluster-resources/y.json', `/items/${i}`)));
    builder.cluster({ cluster: m, inputKind: 'troubleshoot', resourcesSeen: new Set() });
    builder.cluster({ cluster: w, inputKind: 'troubleshoot', resourcesSeen: new Set() });
    return builder.build();
  }
  const mgmt = [capiCluster('alpha', 'fleet', { host: '10.1.0.10' }), capiCluster('beta', 'fleet', { host: '10.2.0.10' }),
    machine('beta-md-0-abc', 'fleet', 'beta', { nodeRef: 'beta-md-0-abc' })];

  it('by the kubeadm-config clusterName', () => {
    const kubeadm = configMap('kubeadm-config', 'kube-system', { ClusterConfiguration: 'apiVersion: kubeadm.k8s.io/v1beta3\nclusterName: alpha\ncontrolPlaneEndpoint: 10.1.0.10:6443\n' });
    const wl = twoBundles([kubeadm, node('n1')], mgmt).cluster('alpha')!;
    expect(wl.identity.capiCluster).toEqual({ namespace: 'fleet', name: 'alpha' });
    expect(wl.identity.linkedBy).toContain('kubeadm-config clusterName is alpha');
  });

  it('by node names equal to Machine nodeRefs', () => {
    const wl = twoBundles([node('beta-md-0-abc')], mgmt).cluster('beta')!;
    expect(wl.identity.linkedBy).toContain('its node names match the Machines of that Cluster');
  });

  it('by the API endpoint', () => {
    const kubeadm = configMap('kubeadm-config', 'kube-system', { ClusterConfiguration: 'controlPlaneEndpoint: 10.2.0.10:6443\n' });
    expect(twoBundles([kubeadm], mgmt).cluster('beta')!.identity.linkedBy).toContain('API endpoint 10.2.0.10 matches');
  });

  it('as the only workload Cluster, saying there was no direct evidence, and never the management cluster itself', () => {
    const selfHosted = [capiCluster('mgmt', 'default'), capiCluster('gamma', 'fleet')];
    const snapshot = twoBundles([node('n1')], selfHosted, undefined);
    const wl = snapshot.workloadClusters()[0]!;
    // The management bundle is named after its file, "mgmt", which is also its own CAPI Cluster's name.
    expect(snapshot.managementClusters()[0]!.name).toBe('mgmt');
    expect(wl.identity.capiCluster).toEqual({ namespace: 'fleet', name: 'gamma' });
    expect(wl.identity.linkedBy).toContain('no direct evidence');
  });

  it('by NAME=PATH, and reports a workload cluster it cannot match', () => {
    expect(twoBundles([node('n1')], mgmt, 'beta').cluster('beta')!.identity.capiCluster).toEqual({ namespace: 'fleet', name: 'beta' });
    const unmatched = twoBundles([node('n1')], mgmt);
    expect(unmatched.problems).toContainEqual({ input: 'wl.tgz', source: '', message: 'workload cluster could not be matched to a CAPI Cluster: name it on the command line as NAME=PATH' });
  });
});

describe('cluster index', () => {
  const rs = workload('ReplicaSet', 'web-5d9', 'app', { owner: { kind: 'Deployment', name: 'web' } });
  const deploy = workload('Deployment', 'web', 'app', { annotations: helmAnnotations('web', 'app') });
  const webPod = pod('web-5d9-x', 'app', { node: 'n1', owner: { kind: 'ReplicaSet', name: 'web-5d9' }, labels: { app: 'web' } });
  const hook = job('storage-precheck', 'storage', { annotations: { 'helm.sh/hook': 'pre-upgrade', 'helm.sh/hook-weight': '1' }, labels: { 'app.kubernetes.io/instance': 'storage' } });
  const hookPod = pod('storage-precheck-abc', 'storage', { owner: { kind: 'Job', name: 'storage-precheck', apiVersion: 'batch/v1' } });
  const snapshot = snapshotOf({ name: 'w', role: 'workload', objects: [deploy, rs, webPod, hook, hookPod, node('n1'), event({ kind: 'Pod', name: 'web-5d9-x', namespace: 'app' }, 'BackOff', 'Back-off restarting failed container')] });
  const cluster = snapshot.clusters[0]!;

  it('follows owner chains Pod → ReplicaSet → Deployment and Pod → Job', () => {
    expect(cluster.topOwner(cluster.get('Pod', 'app', 'web-5d9-x')!).metadata.name).toBe('web');
    expect(cluster.topOwner(cluster.get('Pod', 'storage', 'storage-precheck-abc')!).metadata.name).toBe('storage-precheck');
  });

  it('ties pods to their Helm release through the owner chain, with the hook they implement', () => {
    expect(releaseOf(cluster, cluster.get('Pod', 'app', 'web-5d9-x')!)).toMatchObject({ release: 'web', namespace: 'app' });
    expect(releaseOf(cluster, cluster.get('Pod', 'storage', 'storage-precheck-abc')!)).toMatchObject({ release: 'storage', hook: 'pre-upgrade' });
  });

  it('indexes pods by node and events by involved object', () => {
    expect(cluster.podsOnNode('n1').map((p) => p.metadata.name)).toEqual(['web-5d9-x']);
    expect(cluster.eventsFor('Pod', 'app', 'web-5d9-x').map((e) => e.reason)).toEqual(['BackOff']);
  });
});
