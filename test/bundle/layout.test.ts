import { describe, expect, test } from 'vitest';
import { classifyPath, clusterRootOf } from '../../src/bundle/layout.js';

describe('clusterRootOf', () => {
  test('the prefix before the first cluster-resources component', () => {
    expect(clusterRootOf('hrp-doctor-x/clusters/mgmt/cluster-resources/nodes.json')).toBe('hrp-doctor-x/clusters/mgmt');
    expect(clusterRootOf('support-bundle/cluster-resources/pods/kube-system.json')).toBe('support-bundle');
    expect(clusterRootOf('cluster-resources/nodes.json')).toBe('');
    expect(clusterRootOf('support-bundle/analysis.json')).toBeUndefined();
  });

  test('a directory entry may end with cluster-resources; a file may not', () => {
    expect(clusterRootOf('support-bundle/cluster-resources', true)).toBe('support-bundle');
    expect(clusterRootOf('support-bundle/cluster-resources')).toBeUndefined();
  });
});

describe('classifyPath', () => {
  const native = 'hrp-doctor-mgmt-20251227T100411Z/clusters/dm-nkp-mgmt-1';

  test('manifest.json at the root or in the top folder only', () => {
    expect(classifyPath('hrp-doctor-x/manifest.json')).toEqual({ kind: 'manifest', root: 'hrp-doctor-x' });
    expect(classifyPath('manifest.json')).toEqual({ kind: 'manifest', root: '' });
    expect(classifyPath('a/b/manifest.json')).toEqual({ kind: 'plain', format: 'json', resource: 'manifest' });
  });

  test('troubleshoot markers and the server version', () => {
    expect(classifyPath('support-bundle/version.yaml')).toEqual({ kind: 'troubleshoot-marker', file: 'version.yaml' });
    expect(classifyPath('support-bundle/analysis.json')).toEqual({ kind: 'troubleshoot-marker', file: 'analysis.json' });
    expect(classifyPath('support-bundle/cluster-info/cluster_version.json')).toEqual({ kind: 'cluster-version', clusterDir: 'support-bundle' });
    expect(classifyPath(`${native}/cluster-info/cluster_version.json`)).toEqual({ kind: 'cluster-version', clusterDir: native });
  });

  test('cluster-scoped and namespaced resource files', () => {
    expect(classifyPath(`${native}/cluster-resources/nodes.json`)).toEqual({ kind: 'resource', clusterDir: native, resource: 'nodes', format: 'json' });
    expect(classifyPath(`${native}/cluster-resources/pods/kube-system.json`)).toEqual({
      kind: 'resource', clusterDir: native, resource: 'pods', namespace: 'kube-system', format: 'json',
    });
    expect(classifyPath('support-bundle/cluster-resources/clusterRoleBindings.json')).toMatchObject({ kind: 'resource', resource: 'clusterRoleBindings' });
  });

  test('custom resources, JSON and YAML, namespaced and cluster-scoped', () => {
    expect(classifyPath(`${native}/cluster-resources/custom-resources/helmreleaseproxies.addons.cluster.x-k8s.io/dm-dev-workspace.json`)).toEqual({
      kind: 'resource', clusterDir: native, resource: 'helmreleaseproxies.addons.cluster.x-k8s.io', namespace: 'dm-dev-workspace', format: 'json',
    });
    expect(classifyPath('sb/cluster-resources/custom-resources/addons.k3s.cattle.io/kube-system.yaml')).toMatchObject({
      kind: 'resource', resource: 'addons.k3s.cattle.io', namespace: 'kube-system', format: 'yaml',
    });
    expect(classifyPath('sb/cluster-resources/custom-resources/clusterissuers.cert-manager.io.yml')).toEqual({
      kind: 'resource', clusterDir: 'sb', resource: 'clusterissuers.cert-manager.io', format: 'yaml',
    });
  });

  test('error files', () => {
    expect(classifyPath(`${native}/cluster-resources/leases-errors.json`)).toEqual({ kind: 'errors', clusterDir: native, resource: 'leases', keys: 'namespace' });
    expect(classifyPath('sb/cluster-resources/pods/kube-system-errors.json')).toEqual({
      kind: 'errors', clusterDir: 'sb', resource: 'pods', namespace: 'kube-system', keys: 'namespace',
    });
    // troubleshoot names the storage-classes errors storage-errors.json
    expect(classifyPath('sb/cluster-resources/storage-errors.json')).toMatchObject({ kind: 'errors', resource: 'storage-classes' });
    expect(classifyPath('sb/cluster-resources/custom-resources/custom-resources-errors.json')).toEqual({
      kind: 'errors', clusterDir: 'sb', resource: 'custom-resources', keys: 'crd',
    });
    expect(classifyPath('sb/cluster-resources/custom-resources/helmchartproxies.addons.cluster.x-k8s.io-errors.json')).toEqual({
      kind: 'errors', clusterDir: 'sb', resource: 'helmchartproxies.addons.cluster.x-k8s.io', keys: 'namespace',
    });
    expect(classifyPath('sb/cluster-resources/custom-resources/helmchartproxies.addons.cluster.x-k8s.io/default-errors.json')).toEqual({
      kind: 'errors', clusterDir: 'sb', resource: 'helmchartproxies.addons.cluster.x-k8s.io', namespace: 'default', keys: 'namespace',
    });
  });

  test('logs, previous logs and log errors', () => {
    expect(classifyPath('sb/cluster-resources/pods/logs/kube-system/coredns-b96499967-tncf4/coredns-previous.log')).toEqual({
      kind: 'log', clusterDir: 'sb', namespace: 'kube-system', pod: 'coredns-b96499967-tncf4', container: 'coredns', previous: true,
    });
    expect(classifyPath(`${native}/cluster-resources/pods/logs/kube-system/ccm-6d9f7c8b5-x2x4z/nutanix-cloud-controller-manager.log`)).toEqual({
      kind: 'log', clusterDir: native, namespace: 'kube-system', pod: 'ccm-6d9f7c8b5-x2x4z', container: 'nutanix-cloud-controller-manager', previous: false,
    });
    expect(classifyPath('sb/cluster-resources/pods/logs/ns/pod/manager-logs-errors.log')).toEqual({
      kind: 'log-error', clusterDir: 'sb', namespace: 'ns', pod: 'pod', container: 'manager',
    });
    expect(classifyPath('sb/cluster-resources/pods/logs/ns/pod/extra/c.log')).toEqual({ kind: 'ignored', clusterDir: 'sb' });
  });

  test('what is ignored', () => {
    for (const path of [
      'sb/cluster-resources/auth-cani-list/default.json',
      'sb/cluster-resources/groups.json',
      'sb/cluster-resources/resources.json',
      'sb/cluster-resources/image-pull-secrets/default/registry-creds.json',
      'sb/cluster-resources/notes.txt',
      'sb/cluster-resources/a/b/c/d.json',
    ]) {
      expect(classifyPath(path), path).toEqual({ kind: 'ignored', clusterDir: 'sb' });
    }
    expect(classifyPath('sb/execution-data/summary.txt')).toEqual({ kind: 'other' });
    expect(classifyPath('sb/all-logs/coredns/coredns.log')).toEqual({ kind: 'other' });
  });

  test('JSON/YAML outside any cluster folder are plain kubectl outputs, if the input turns out to be such a folder', () => {
    expect(classifyPath('pods.json')).toEqual({ kind: 'plain', format: 'json', resource: 'pods' });
    expect(classifyPath('dump/hrps.yaml')).toEqual({ kind: 'plain', format: 'yaml', resource: 'hrps' });
    expect(classifyPath('support-bundle/helm/errors.json')).toEqual({ kind: 'plain', format: 'json', resource: 'errors' });
  });

  test('a troubleshoot quirk: replicasets written under statefulsets-errors.json/', () => {
    expect(classifyPath('sb/cluster-resources/statefulsets-errors.json/default.json')).toEqual({
      kind: 'resource', clusterDir: 'sb', resource: 'replicasets', namespace: 'default', format: 'json',
    });
  });
});
