import { describe, expect, it } from 'vitest';
import { rule } from '../../src/rules/pod-crashloop.js';
import { pod, workload } from '../fixtures/k8s.js';
import { KUBECONFIG, WORKLOAD, only, ownedBy, run, seedCcm, seedCilium, v1PodEvent, CILIUM_PROBE_MESSAGE } from './helpers.js';

describe('POD_CRASHLOOP', () => {
  it('reports the seed cilium pod with its startup probe failures', () => {
    const { ds, pod: p, unhealthy } = seedCilium();
    const f = only(run(rule, [ds, p, unhealthy]));
    expect(f.code).toBe('POD_CRASHLOOP');
    expect(f.severity).toBe('error');
    expect(f.cluster).toBe(WORKLOAD);
    expect(f.subject).toEqual({ kind: 'Pod', namespace: 'kube-system', name: 'cilium-4xk2p' });
    expect(f.title).toBe('cilium-4xk2p is in CrashLoopBackOff');
    expect(f.detail).toContain('Container cilium-agent is waiting in CrashLoopBackOff after 14 restarts');
    expect(f.detail).toContain('last terminated: Error (exit code 137)');
    expect(f.detail).toContain('Startup probe failed on port 9879 (/healthz) 38 times');
    expect(f.evidence).toContainEqual({
      source: 'fixture/clusters/dm-nkp-workload-1/cluster-resources/pods.json',
      text: expect.stringContaining('container cilium-agent: waiting: CrashLoopBackOff'),
    });
    expect(f.evidence).toContainEqual({ source: 'fixture/clusters/dm-nkp-workload-1/cluster-resources/events.json', text: CILIUM_PROBE_MESSAGE });
    expect(f.remediation.map((r) => r.command)).toEqual([
      `kubectl logs cilium-4xk2p -n kube-system -c cilium-agent --previous --kubeconfig=${KUBECONFIG}`,
      `kubectl describe pod cilium-4xk2p -n kube-system --kubeconfig=${KUBECONFIG}`,
    ]);
    expect(f.facts).toEqual({
      pod: { cluster: WORKLOAD, kind: 'Pod', namespace: 'kube-system', name: 'cilium-4xk2p', node: 'worker-1', hostNetwork: true },
      workload: { cluster: WORKLOAD, kind: 'DaemonSet', namespace: 'kube-system', name: 'cilium' },
      component: 'cni',
      product: 'Cilium',
      release: { cluster: WORKLOAD, name: 'cilium', namespace: 'kube-system' },
      restarts: 14,
    });
  });

  it('quotes the telling lines of the CCM previous log (dial tcp 10.96.0.1:443: i/o timeout)', () => {
    const { deploy, rs, pod: p, log } = seedCcm();
    const f = only(run(rule, [deploy, rs, p], [log]));
    expect(f.title).toBe('nutanix-cloud-controller-manager-6d9f7c8b5-x2x4z is in CrashLoopBackOff');
    expect(f.detail).toContain('last terminated: Error (exit code 255)');
    const logEvidence = f.evidence.find((e) => e.source.endsWith('-previous.log'));
    expect(logEvidence?.source).toBe(
      'fixture/clusters/dm-nkp-workload-1/cluster-resources/pods/logs/kube-system/nutanix-cloud-controller-manager-6d9f7c8b5-x2x4z/nutanix-cloud-controller-manager-previous.log',
    );
    const lines = logEvidence?.text.split('\n') ?? [];
    expect(lines).toHaveLength(3);
    expect(lines.at(-1)).toMatch(/^F1227 .*error running controller manager.*dial tcp 10\.96\.0\.1:443: i\/o timeout$/);
    expect(lines.every((l) => /^[EF]1227/.test(l))).toBe(true);
    expect(lines.join('\n')).not.toContain('failed to acquire lease');
    expect(f.facts.workload).toEqual({ cluster: WORKLOAD, kind: 'Deployment', namespace: 'kube-system', name: 'nutanix-cloud-controller-manager' });
    expect(f.facts.component).toBe('ccm');
    expect(f.facts.release).toEqual({ cluster: WORKLOAD, name: 'nutanix-ccm', namespace: 'kube-system' });
    expect(f.facts.pod).toMatchObject({ node: 'cp-1', hostNetwork: true });
  });

  it('picks up logfmt level=error lines', () => {
    const p = pod('agent-1', 'default', {
      node: 'n1', containers: [{ name: 'agent', restartCount: 3, waiting: { reason: 'CrashLoopBackOff' }, lastTerminated: { reason: 'Error', exitCode: 1 } }],
    });
    const log = {
      namespace: 'default', pod: 'agent-1', container: 'agent', previous: true,
      lines: ['level=info msg="starting"', 'level=error msg="unable to connect to etcd" error="context deadline exceeded"', 'level=info msg="shutting down"'],
    };
    const f = only(run(rule, [p], [log]));
    expect(f.evidence.at(-1)?.text).toBe('level=error msg="unable to connect to etcd" error="context deadline exceeded"');
  });

  it('reports an init container in CrashLoopBackOff', () => {
    const p = pod('web-1', 'apps', {
      node: 'n1',
      initContainers: [{ name: 'wait-db', restartCount: 6, waiting: { reason: 'CrashLoopBackOff' }, lastTerminated: { reason: 'Error', exitCode: 2 } }],
      containers: [{ name: 'web', ready: false, waiting: { reason: 'PodInitializing' } }],
    });
    const f = only(run(rule, [p]));
    expect(f.severity).toBe('error');
    expect(f.detail).toContain('Init container wait-db is waiting in CrashLoopBackOff after 6 restarts; last terminated: Error (exit code 2)');
    expect(f.remediation[0]?.command).toContain('kubectl logs web-1 -n apps -c wait-db --previous');
    expect(f.facts.workload).toBeUndefined();
  });

  it('reads the probe from an events.k8s.io/v1 event (regarding, note, series)', () => {
    const { ds, pod: p } = seedCilium();
    const f = only(run(rule, [ds, p, v1PodEvent(p, 'Unhealthy', CILIUM_PROBE_MESSAGE, { seriesCount: 21, container: 'cilium-agent' })]));
    expect(f.detail).toContain('Startup probe failed on port 9879 (/healthz) 21 times');
  });

  it('warns about a running, ready container with 5 or more restarts', () => {
    const ds = workload('DaemonSet', 'node-agent', 'monitoring', { desired: 1 });
    const p = pod('node-agent-abc', 'monitoring', {
      node: 'n1', owner: ownedBy(ds), containers: [{ name: 'agent', ready: true, restartCount: 7, lastTerminated: { reason: 'OOMKilled', exitCode: 137 } }],
    });
    const f = only(run(rule, [ds, p]));
    expect(f.severity).toBe('warning');
    expect(f.title).toBe('node-agent-abc has restarted 7 times');
    expect(f.detail).toContain('Container agent is running and ready now after 7 restarts; last terminated: OOMKilled (exit code 137)');
    expect(f.facts.restarts).toBe(7);
  });

  it('says nothing about a healthy pod or one with a few restarts', () => {
    const healthy = pod('ok', 'default', { node: 'n1' });
    const fewRestarts = pod('few', 'default', { node: 'n1', containers: [{ name: 'main', ready: true, restartCount: 2 }] });
    const notReady = pod('starting', 'default', { node: 'n1', containers: [{ name: 'main', ready: false, restartCount: 9 }] });
    const pending = pod('pending', 'default');
    expect(run(rule, [healthy, fewRestarts, notReady, pending])).toEqual([]);
  });
});
