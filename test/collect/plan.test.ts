import { describe, expect, it } from 'vitest';
import {
  capiResources, capiSelector, errorsPath, hcpConcerns, isControllerPod, logErrorPath, logPath, logTargets, parseByteSize, parseDuration,
  resourcePath, segment, selectClusters, selectorMatches, utcStamp, type KubeObject,
} from '../../src/collect/plan.js';

const cluster = (namespace: string, name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'cluster.x-k8s.io/v1beta1', kind: 'Cluster', metadata: { namespace, name, labels },
});

describe('bundle paths (troubleshoot layout)', () => {
  it('places core, namespaced and custom resources', () => {
    expect(resourcePath('nodes')).toBe('cluster-resources/nodes.json');
    expect(resourcePath('pods', 'kube-system')).toBe('cluster-resources/pods/kube-system.json');
    expect(resourcePath('helmreleaseproxies.addons.cluster.x-k8s.io', 'ws')).toBe('cluster-resources/custom-resources/helmreleaseproxies.addons.cluster.x-k8s.io/ws.json');
    expect(resourcePath('extensionconfigs.runtime.cluster.x-k8s.io')).toBe('cluster-resources/custom-resources/extensionconfigs.runtime.cluster.x-k8s.io.json');
    expect(errorsPath('pods')).toBe('cluster-resources/pods-errors.json');
    expect(errorsPath('machines.cluster.x-k8s.io')).toBe('cluster-resources/custom-resources/machines.cluster.x-k8s.io-errors.json');
    expect(logPath('kube-system', 'cilium-4xk2p', 'cilium-agent', true)).toBe('cluster-resources/pods/logs/kube-system/cilium-4xk2p/cilium-agent-previous.log');
    expect(logErrorPath('ns', 'p', 'c', false)).toBe('cluster-resources/pods/logs/ns/p/c-logs-errors.log');
  });

  it('never lets a name climb out of its folder', () => {
    expect(segment('..')).not.toBe('..');
    expect(segment('../etc')).not.toContain('/');
    expect(resourcePath('pods', '../../x')).toMatch(/^cluster-resources\/pods\/[^/]+\.json$/);
  });
});

describe('choosing the CAPI Clusters', () => {
  const items = [cluster('ws-a', 'one'), cluster('ws-a', 'two'), cluster('ws-b', 'one'), cluster('ws-b', 'three')];

  it('finds one Cluster by name, in a namespace or across all', () => {
    expect(selectClusters(items, { name: 'three', all: false })).toEqual({ selected: [items[3]] });
    expect(selectClusters(items, { name: 'one', namespace: 'ws-b', all: false })).toEqual({ selected: [items[2]] });
  });

  it('explains a missing or ambiguous Cluster', () => {
    expect(selectClusters(items, { name: 'nope', all: false })).toEqual({ error: 'CAPI Cluster nope not found in any namespace on the management cluster' });
    expect(selectClusters(items, { name: 'two', namespace: 'ws-b', all: false })).toEqual({ error: 'CAPI Cluster two not found in namespace ws-b on the management cluster' });
    expect(selectClusters(items, { name: 'one', all: false })).toEqual({ error: 'CAPI Cluster one exists in several namespaces (ws-a, ws-b): give --namespace' });
  });

  it('--all-clusters takes every Cluster of the namespace, or of all', () => {
    expect(selectClusters(items, { namespace: 'ws-a', all: true })).toEqual({ selected: [items[0], items[1]] });
    expect(selectClusters(items, { all: true })).toEqual({ selected: items });
    expect(selectClusters(items, { namespace: 'empty', all: true })).toEqual({ error: 'no CAPI Cluster found in namespace empty on the management cluster' });
  });

  it('selects by cluster-name label, except with --all-clusters', () => {
    const all = items.map((c) => ({ namespace: c.metadata!.namespace!, name: c.metadata!.name! }));
    expect(capiSelector('ws-a', [all[0]!], false)).toBe('cluster.x-k8s.io/cluster-name=one');
    expect(capiSelector('ws-b', [all[0]!, all[2]!], false)).toBe('cluster.x-k8s.io/cluster-name=one');
    expect(capiSelector('ws-a', [all[0]!, all[1]!], false)).toBe('cluster.x-k8s.io/cluster-name in (one,two)');
    expect(capiSelector('ws-a', [all[0]!, all[1]!], true)).toBeUndefined();
  });

  it('finds CAPI kinds by group suffix in api-resources output', () => {
    const out = 'pods\nclusters.cluster.x-k8s.io\nhelmreleaseproxies.addons.cluster.x-k8s.io\nnutanixmachines.infrastructure.cluster.x-k8s.io\nfoo.notcluster.x-k8s.io.example\nclusters.example.com\n';
    expect(capiResources(out)).toEqual(['clusters.cluster.x-k8s.io', 'helmreleaseproxies.addons.cluster.x-k8s.io', 'nutanixmachines.infrastructure.cluster.x-k8s.io']);
  });
});

describe('HelmChartProxies of a cluster', () => {
  const c = cluster('ws', 'edge-17', { env: 'prod', 'cluster.x-k8s.io/cluster-name': 'edge-17' });
  const hcp = (spec: Record<string, unknown>, labels: Record<string, string> = {}, status: Record<string, unknown> = {}): KubeObject =>
    ({ kind: 'HelmChartProxy', metadata: { namespace: 'ws', name: 'h', labels }, spec, status });

  it('by clusterSelector, label or matchingClusters', () => {
    expect(hcpConcerns(hcp({ clusterSelector: { matchLabels: { env: 'prod' } } }), [c])).toBe(true);
    expect(hcpConcerns(hcp({ clusterSelector: { matchLabels: { env: 'dev' } } }), [c])).toBe(false);
    expect(hcpConcerns(hcp({ clusterSelector: { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'stage'] }] } }), [c])).toBe(true);
    expect(hcpConcerns(hcp({ clusterSelector: { matchLabels: { env: 'dev' } } }, { 'cluster.x-k8s.io/cluster-name': 'edge-17' }), [c])).toBe(true);
    expect(hcpConcerns(hcp({ clusterSelector: { matchLabels: { env: 'dev' } } }, {}, { matchingClusters: [{ name: 'edge-17', namespace: 'ws' }] }), [c])).toBe(true);
  });

  it('label selector semantics', () => {
    expect(selectorMatches({}, { a: '1' })).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'Exists' }] }, { a: '1' })).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, { a: '1' })).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, { a: '1' })).toBe(false);
    expect(selectorMatches(undefined, {})).toBe(false);
  });
});

describe('pods', () => {
  const pod = (statuses: unknown[], init: unknown[] = [], labels: Record<string, string> = {}, image = 'busybox'): KubeObject =>
    ({ kind: 'Pod', metadata: { namespace: 'ns', name: 'p', labels }, spec: { containers: [{ image }] }, status: { containerStatuses: statuses, initContainerStatuses: init } } as KubeObject);

  it('logs of failing containers: current when it ran, previous after a restart', () => {
    const targets = logTargets(pod([
      { name: 'crashing', ready: false, restartCount: 19, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1 } } },
      { name: 'probe-failing', ready: false, restartCount: 0, state: { running: {} } },
      { name: 'healthy', ready: true, restartCount: 0, state: { running: {} } },
      { name: 'restarted-once', ready: true, restartCount: 1, state: { running: {} } },
      { name: 'never-started', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff' } } },
      { name: 'completed', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
      { name: 'failed', ready: false, restartCount: 0, state: { terminated: { exitCode: 2 } } },
    ], [{ name: 'init-ok', ready: true, restartCount: 0, state: { terminated: { exitCode: 0 } } }, { name: 'init-stuck', ready: false, restartCount: 0, state: { running: {} } }]), 'failing');
    expect(targets.map((t) => `${t.container}${t.previous ? ' (previous)' : ''}`)).toEqual([
      'init-stuck', 'crashing', 'crashing (previous)', 'probe-failing', 'restarted-once', 'restarted-once (previous)', 'failed',
    ]);
  });

  it('controllers: every container that ran', () => {
    const targets = logTargets(pod([{ name: 'manager', ready: true, restartCount: 0, state: { running: {} } }]), 'all');
    expect(targets).toEqual([{ namespace: 'ns', pod: 'p', container: 'manager', previous: false }]);
  });

  it('recognises CAPI/CAAPH controllers by label or image', () => {
    expect(isControllerPod(pod([], [], { 'cluster.x-k8s.io/provider': 'addon-helm' }))).toBe(true);
    expect(isControllerPod(pod([], [], {}, 'registry.k8s.io/cluster-api-helm/cluster-api-helm-controller:v0.3.1'))).toBe(true);
    expect(isControllerPod(pod([], [], {}, 'registry.k8s.io/cluster-api/cluster-api-controller:v1.9.4'))).toBe(true);
    expect(isControllerPod(pod([], [], {}, 'quay.io/jetstack/cert-manager-controller:v1.16.2'))).toBe(false);
  });
});

describe('flags', () => {
  it('durations in kubectl syntax', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('2')).toBe(2000);
    expect(parseDuration('0')).toBe(0);
    expect(() => parseDuration('soon')).toThrow(/not a duration/);
  });

  it('sizes', () => {
    expect(parseByteSize('2MiB')).toBe(2 * 1024 * 1024);
    expect(parseByteSize('512k')).toBe(512 * 1024);
    expect(parseByteSize('1G')).toBe(1024 ** 3);
    expect(parseByteSize('1048576')).toBe(1048576);
    expect(parseByteSize(100)).toBe(100);
    expect(() => parseByteSize('lots')).toThrow(/not a size/);
  });

  it('UTC stamp', () => {
    expect(utcStamp(new Date('2025-12-27T10:04:11.123Z'))).toBe('20251227T100411Z');
  });
});
