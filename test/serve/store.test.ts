import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBundles, safeClusterName, type BundleStore, type ClusterStore } from '../../src/serve/store.js';
import { CCM_POD, MGMT, OLD_LAYOUT, SEED, SEED_DIR, tempDir, VELERO, WORKLOAD } from './helpers.js';

const typeOf = (cluster: ClusterStore, group: string, plural: string) => cluster.allTypes().find((t) => t.group === group && t.plural === plural);

describe('store from the seed incident (native bundle, two clusters)', () => {
  let store: BundleStore;
  beforeAll(async () => {
    store = await loadBundles([{ path: SEED }]);
  });

  it('names the clusters from the manifest, management first, with roles and the CAPI link', () => {
    expect(store.names()).toEqual([MGMT, WORKLOAD]);
    const workload = store.cluster(WORKLOAD)!;
    expect(store.cluster(MGMT)!.role).toBe('management');
    expect(workload.role).toBe('workload');
    expect(workload.capiCluster).toEqual({ namespace: 'dm-dev-workspace', name: WORKLOAD });
    expect(workload.managementCluster).toBe(MGMT);
    expect(workload.serverVersion).toBe('v1.31.4');
  });

  it('types custom resources from apiVersion and the custom-resources/<plural>.<group> path', () => {
    const hrp = typeOf(store.cluster(MGMT)!, 'addons.cluster.x-k8s.io', 'helmreleaseproxies')!;
    expect(hrp).toMatchObject({ version: 'v1alpha1', kind: 'HelmReleaseProxy', namespaced: true, shortNames: ['hrp'] });
    const nutanix = typeOf(store.cluster(MGMT)!, 'infrastructure.cluster.x-k8s.io', 'nutanixclusters')!;
    expect(nutanix).toMatchObject({ kind: 'NutanixCluster', namespaced: true });
  });

  it('keeps whole objects (status, managedFields and all), not the pruned snapshot', () => {
    const mgmt = store.cluster(MGMT)!;
    const hrps = mgmt.list(typeOf(mgmt, 'addons.cluster.x-k8s.io', 'helmreleaseproxies')!, 'dm-dev-workspace');
    expect(hrps).toHaveLength(5);
    const cilium = hrps.find((h) => h.metadata.name === 'cilium-dm-nkp-workload-1-kbx8x')!;
    const file = JSON.parse(readFileSync(join(SEED_DIR, 'hrp-doctor-dm-nkp-workload-1-20251227T100411Z/clusters/dm-nkp-mgmt-1/cluster-resources/custom-resources/helmreleaseproxies.addons.cluster.x-k8s.io/dm-dev-workspace.json'), 'utf8'));
    expect(cilium).toEqual(file.items.find((i: { metadata: { name: string } }) => i.metadata.name === cilium.metadata.name));
  });

  it('lists in namespace/name order and gets by name', () => {
    const workload = store.cluster(WORKLOAD)!;
    const pods = typeOf(workload, '', 'pods')!;
    const names = workload.list(pods).map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    expect(names).toEqual([...names].sort());
    expect(workload.list(pods, 'kube-system').map((p) => p.metadata.name)).toContain('cilium-4xk2p');
    expect(workload.get(pods, 'kube-system', CCM_POD)?.metadata.name).toBe(CCM_POD);
    expect(workload.get(pods, 'default', CCM_POD)).toBeUndefined();
    const nodes = typeOf(workload, '', 'nodes')!;
    expect(nodes.namespaced).toBe(false);
    expect(workload.list(nodes).length).toBeGreaterThan(0);
  });

  it('keeps the logs, current and previous', () => {
    const workload = store.cluster(WORKLOAD)!;
    const previous = workload.log('kube-system', CCM_POD, 'nutanix-cloud-controller-manager', true)!;
    expect(previous.join('\n')).toContain('dial tcp 10.96.0.1:443: i/o timeout');
    expect(workload.log('kube-system', CCM_POD, 'nutanix-cloud-controller-manager', false)).toBeDefined();
    expect(workload.log('kube-system', CCM_POD, 'nope', false)).toBeUndefined();
    expect(workload.loggedContainers('kube-system', 'cilium-4xk2p')).toEqual(['cilium-agent']);
  });

  it('the directory form of the sample gives the same clusters and counts', async () => {
    const fromDir = await loadBundles([{ path: SEED_DIR }]);
    expect(fromDir.names()).toEqual(store.names());
    expect(fromDir.clusters.map((c) => c.count())).toEqual(store.clusters.map((c) => c.count()));
  });
});

describe('store from troubleshoot bundles', () => {
  it('names the cluster after the file, or NAME=PATH; types come from the bundle\'s CRDs', async () => {
    const store = await loadBundles([{ path: VELERO }]);
    expect(store.names()).toEqual(['sbctl-kurl-velero']);
    const cluster = store.cluster('sbctl-kurl-velero')!;
    expect(cluster.role).toBe('unknown');
    const bsl = typeOf(cluster, 'velero.io', 'backupstoragelocations')!;
    expect(bsl).toMatchObject({ kind: 'BackupStorageLocation', namespaced: true, version: 'v1' });
    expect(bsl.columns?.map((c) => c.name)).toContain('Phase');
    expect(cluster.list(bsl, 'velero').map((o) => o.metadata.name)).toEqual(['default']);
    expect(typeOf(cluster, '', 'persistentvolumeclaims')).toBeDefined(); // pvcs/<ns>.json
    expect(typeOf(cluster, 'storage.k8s.io', 'storageclasses')).toBeDefined(); // storage-classes.json
    expect(cluster.log('velero', 'velero-6996dd565b-xl44t', 'velero', true)?.length).toBeGreaterThan(0);

    const named = await loadBundles([{ path: VELERO, clusterName: 'edge-17' }]);
    expect(named.names()).toEqual(['edge-17']);
  });

  it('objects without apiVersion/kind get them from their file (old troubleshoot CRD lists)', async () => {
    const store = await loadBundles([{ path: OLD_LAYOUT }]);
    const cluster = store.clusters[0]!;
    const crds = typeOf(cluster, 'apiextensions.k8s.io', 'customresourcedefinitions')!;
    const items = cluster.list(crds);
    expect(items.length).toBeGreaterThan(0);
    expect(items[0]).toMatchObject({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' });
    // The k3s HelmChart CRs are typed by that CRD.
    expect(typeOf(cluster, 'helm.cattle.io', 'helmcharts')?.namespaced).toBe(true);
  });
});

describe('store from a folder in troubleshoot layout', () => {
  let store: BundleStore;
  beforeAll(async () => {
    const dir = tempDir();
    const res = join(dir, 'cluster-resources');
    mkdirSync(join(res, 'pods', 'logs', 'default', 'big-1'), { recursive: true });
    mkdirSync(join(res, 'statefulsets'), { recursive: true });
    mkdirSync(join(res, 'custom-resources', 'widgets.example.com'), { recursive: true });
    // Items without kind/apiVersion, as some collectors write typed lists.
    writeFileSync(join(res, 'pods', 'default.json'), JSON.stringify({ items: [{ metadata: { name: 'big-1' }, spec: { containers: [{ name: 'app' }] } }] }));
    writeFileSync(join(res, 'statefulsets', 'default.json'), JSON.stringify({ kind: 'StatefulSetList', apiVersion: 'apps/v1', items: [] }));
    const widget = { apiVersion: 'example.com/v1beta1', kind: 'Widget', metadata: { name: 'w1', namespace: 'default' }, spec: { size: 3 } };
    // troubleshoot writes custom resources twice, JSON and YAML: one copy is served.
    writeFileSync(join(res, 'custom-resources', 'widgets.example.com', 'default.json'), JSON.stringify([widget]));
    writeFileSync(join(res, 'custom-resources', 'widgets.example.com', 'default.yaml'), `- apiVersion: example.com/v1beta1\n  kind: Widget\n  metadata: {name: w1, namespace: default}\n  spec: {size: 3}\n`);
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i + 1}`);
    writeFileSync(join(res, 'pods', 'logs', 'default', 'big-1', 'app.log'), `${lines.join('\n')}\n`);
    store = await loadBundles([{ path: dir, clusterName: 'My_Cluster' }]);
  });

  it('fills apiVersion, kind and namespace from the path', () => {
    const cluster = store.clusters[0]!;
    expect(cluster.name).toBe('my-cluster');
    const pod = cluster.get(typeOf(cluster, '', 'pods')!, 'default', 'big-1')!;
    expect(pod).toMatchObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'big-1', namespace: 'default' } });
  });

  it('an empty resource file still makes its type known (empty list, not "no such resource")', () => {
    const cluster = store.clusters[0]!;
    const sts = typeOf(cluster, 'apps', 'statefulsets')!;
    expect(sts).toMatchObject({ version: 'v1', kind: 'StatefulSet' });
    expect(cluster.list(sts)).toEqual([]);
  });

  it('JSON/YAML twins are served once; the plural comes from the folder name', () => {
    const cluster = store.clusters[0]!;
    const widgets = typeOf(cluster, 'example.com', 'widgets')!;
    expect(widgets).toMatchObject({ version: 'v1beta1', kind: 'Widget', namespaced: true });
    expect(cluster.list(widgets)).toHaveLength(1);
  });

  it('logs are kept whole, beyond the analyzer\'s 2000-line tail', () => {
    const lines = store.clusters[0]!.log('default', 'big-1', 'app', false)!;
    expect(lines).toHaveLength(5000);
    expect(lines[0]).toBe('line 1');
  });
});

describe('cluster names', () => {
  it('are usable as one URL path segment', () => {
    expect(safeClusterName('dm-nkp-workload-1')).toBe('dm-nkp-workload-1');
    expect(safeClusterName('My Cluster/#2')).toBe('my-cluster-2');
    expect(safeClusterName('---')).toBe('cluster');
  });

  it('two bundles of the same cluster are told apart', async () => {
    const store = await loadBundles([{ path: SEED }, { path: SEED_DIR }]);
    expect(store.names()).toEqual([MGMT, WORKLOAD, `${MGMT}-2`, `${WORKLOAD}-2`]);
  });
});
