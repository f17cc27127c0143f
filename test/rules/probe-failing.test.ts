import { describe, expect, it } from 'vitest';
import { rule } from '../../src/rules/probe-failing.js';
import { pod } from '../fixtures/k8s.js';
import { CILIUM_PROBE_MESSAGE, KUBECONFIG, WORKLOAD, only, podEvent, run, seedCilium, v1PodEvent } from './helpers.js';

describe('PROBE_FAILING', () => {
  it('reports the seed cilium startup probe: kind, port, path, failures', () => {
    const { ds, pod: p, unhealthy } = seedCilium();
    const f = only(run(rule, [ds, p, unhealthy]));
    expect(f.code).toBe('PROBE_FAILING');
    expect(f.severity).toBe('warning');
    expect(f.subject).toEqual({ kind: 'Pod', namespace: 'kube-system', name: 'cilium-4xk2p' });
    expect(f.title).toBe('Startup probe of cilium-4xk2p is failing');
    expect(f.detail).toContain('Startup probe of container cilium-agent failed on port 9879 (/healthz) 38 times.');
    expect(f.detail).toContain('Last failure: Get "http://127.0.0.1:9879/healthz": dial tcp 127.0.0.1:9879: connect: connection refused');
    expect(f.evidence).toEqual([{ source: 'fixture/clusters/dm-nkp-workload-1/cluster-resources/events.json', text: CILIUM_PROBE_MESSAGE }]);
    expect(f.remediation.map((r) => r.command)).toEqual([
      `kubectl describe pod cilium-4xk2p -n kube-system --kubeconfig=${KUBECONFIG}`,
      `kubectl logs cilium-4xk2p -n kube-system -c cilium-agent --kubeconfig=${KUBECONFIG}`,
    ]);
    expect(f.facts).toEqual({
      pod: { cluster: WORKLOAD, kind: 'Pod', namespace: 'kube-system', name: 'cilium-4xk2p', node: 'worker-1', hostNetwork: true },
      workload: { cluster: WORKLOAD, kind: 'DaemonSet', namespace: 'kube-system', name: 'cilium' },
      component: 'cni',
      product: 'Cilium',
      release: { cluster: WORKLOAD, name: 'cilium', namespace: 'kube-system' },
      probe: { kind: 'startup', port: '9879', path: '/healthz', failures: 38 },
    });
  });

  it('sums several events of one kind and gives one finding per probe kind', () => {
    const p = pod('api-0', 'apps', {
      node: 'n1',
      containers: [{
        name: 'api', ready: false,
        livenessProbe: { httpGet: { path: '/livez', port: 'http' } }, readinessProbe: { tcpSocket: { port: 8080 } },
      }],
    });
    const events = [
      podEvent(p, 'Unhealthy', 'Liveness probe failed: HTTP probe failed with statuscode: 500', { count: 4, last: '2025-12-27T09:10:00Z' }),
      podEvent(p, 'Unhealthy', 'Liveness probe failed: HTTP probe failed with statuscode: 503', { count: 3, last: '2025-12-27T09:20:00Z' }),
      podEvent(p, 'Unhealthy', 'Readiness probe failed: dial tcp 10.244.1.7:8080: connect: connection refused', { count: 12 }),
      podEvent(p, 'BackOff', 'Back-off restarting failed container'),
    ];
    const findings = run(rule, [p, ...events]);
    expect(findings.map((f) => f.facts.probe)).toEqual([
      { kind: 'liveness', path: '/livez', port: 'http', failures: 7 },
      { kind: 'readiness', port: '8080', failures: 12 },
    ]);
    expect(findings[0]?.title).toBe('Liveness probe of api-0 is failing');
    expect(findings[0]?.detail).toContain('Liveness probe of container api failed on port http (/livez) 7 times. Last failure: HTTP probe failed with statuscode: 503');
    expect(findings[0]?.evidence[0]?.text).toBe('Liveness probe failed: HTTP probe failed with statuscode: 503');
    expect(findings[1]?.detail).toContain('Readiness probe of container api failed on port 8080 12 times.');
  });

  it('resolves a named probe port through the container ports', () => {
    const p = pod('web-0', 'apps', {
      node: 'n1',
      containers: [{ name: 'web', ready: false, readinessProbe: { httpGet: { path: '/ready', port: 'https', scheme: 'HTTPS' } } }],
    });
    Object.assign(p.spec.containers[0]!, { ports: [{ name: 'https', containerPort: 8443 }] });
    const f = only(run(rule, [p, podEvent(p, 'Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503')]));
    expect(f.facts.probe).toEqual({ kind: 'readiness', port: '8443', path: '/ready', failures: 1 });
    expect(f.detail).toContain('Readiness probe of container web failed on port 8443 (/ready) 1 time.');
  });

  it('reads events.k8s.io/v1 events (regarding, note, series.count) the same', () => {
    const { ds, pod: p } = seedCilium();
    const f = only(run(rule, [ds, p, v1PodEvent(p, 'Unhealthy', CILIUM_PROBE_MESSAGE, { seriesCount: 38 })]));
    expect(f.facts.probe).toEqual({ kind: 'startup', port: '9879', path: '/healthz', failures: 38 });
    expect(f.title).toBe('Startup probe of cilium-4xk2p is failing');
  });

  it('is info only when the probed container is ready now', () => {
    const p = pod('web-0', 'apps', { node: 'n1', containers: [{ name: 'web', ready: true, readinessProbe: { httpGet: { path: '/ready', port: 8080 } } }] });
    const f = only(run(rule, [p, podEvent(p, 'Unhealthy', 'Readiness probe failed: Get "http://10.244.1.9:8080/ready": context deadline exceeded', { count: 2 })]));
    expect(f.severity).toBe('info');
    expect(f.title).toBe('Readiness probe of web-0 failed 2 times (ready now)');
  });

  it('ignores events of an earlier pod with the same name, other reasons, and healthy pods', () => {
    const p = pod('db-0', 'apps', { node: 'n1', containers: [{ name: 'db', ready: false }] });
    const stale = podEvent({ ...p, metadata: { ...p.metadata, uid: 'another-uid' } }, 'Unhealthy', 'Liveness probe failed: timeout', { count: 5 });
    const other = podEvent(p, 'Pulled', 'Successfully pulled image "postgres:16"');
    const healthy = pod('ok', 'apps', { node: 'n1' });
    expect(run(rule, [p, stale, other, healthy])).toEqual([]);
  });
});
