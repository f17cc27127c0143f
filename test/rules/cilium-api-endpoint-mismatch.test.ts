import { describe, expect, it } from 'vitest';
import { rule } from '../../src/rules/cilium-api-endpoint-mismatch.js';
import { capiCluster, configMap, workload } from '../fixtures/k8s.js';
import { snapshotOf } from '../fixtures/snapshot.js';

const IMAGE = 'quay.io/cilium/cilium:v1.16.5';

function snapshot(opts: { env?: { name: string; value: string }[]; config?: Record<string, string>; endpoint?: string }) {
  const ds = workload('DaemonSet', 'cilium', 'kube-system', { desired: 2, ready: 0, images: [IMAGE], env: opts.env });
  return snapshotOf(
    { name: 'm', role: 'management', objects: [capiCluster('c1', 'ws', { host: opts.endpoint ?? '10.23.130.62', port: 6443 })] },
    { name: 'c1', role: 'workload', capiCluster: { namespace: 'ws', name: 'c1' }, objects: [ds, configMap('cilium-config', 'kube-system', opts.config ?? {})] },
  );
}

describe('CILIUM_API_ENDPOINT_MISMATCH', () => {
  it('compares KUBERNETES_SERVICE_HOST with the CAPI control-plane endpoint', () => {
    const [finding, ...rest] = rule.check(snapshot({ env: [{ name: 'KUBERNETES_SERVICE_HOST', value: '10.23.130.99' }, { name: 'KUBERNETES_SERVICE_PORT', value: '6443' }] }));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      code: 'CILIUM_API_ENDPOINT_MISMATCH', severity: 'error', cluster: 'c1',
      subject: { kind: 'DaemonSet', namespace: 'kube-system', name: 'cilium' },
      title: 'Cilium talks to 10.23.130.99:6443, but the control-plane endpoint is 10.23.130.62:6443',
    });
    expect(finding!.evidence[0]!.text).toBe('env KUBERNETES_SERVICE_HOST of container cilium = 10.23.130.99:6443');
  });

  it('falls back to k8s-service-host and k8s-api-server-urls in the Cilium ConfigMap', () => {
    expect(rule.check(snapshot({ config: { 'k8s-service-host': '10.0.0.5', 'k8s-service-port': '6443' } }))[0]!.evidence[0]!.text)
      .toBe('k8s-service-host in ConfigMap cilium-config = 10.0.0.5:6443');
    expect(rule.check(snapshot({ config: { 'k8s-api-server-urls': 'https://10.0.0.6:6443', 'kube-proxy-replacement': 'true' } }))[0]!.title)
      .toBe('Cilium talks to 10.0.0.6:6443, but the control-plane endpoint is 10.23.130.62:6443');
  });

  it('is silent when the addresses agree or when nothing is configured', () => {
    expect(rule.check(snapshot({ env: [{ name: 'KUBERNETES_SERVICE_HOST', value: '10.23.130.62' }] }))).toEqual([]);
    expect(rule.check(snapshot({ config: { 'k8s-service-host': '10.23.130.62', 'k8s-service-port': '6443' } }))).toEqual([]);
    expect(rule.check(snapshot({}))).toEqual([]);
  });
});
