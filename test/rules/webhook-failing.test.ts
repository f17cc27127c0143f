import { describe, expect, it } from 'vitest';
import { rule } from '../../src/rules/webhook-failing.js';
import { event, hrp, pod, service, webhookConfiguration, workload } from '../fixtures/k8s.js';
import { snapshotOf } from '../fixtures/snapshot.js';
import { MGMT, NS, WL, WL_KUBECONFIG, diagnoseClusters, mgmtCluster, wlCluster } from './chain-helpers.js';
import { ownedBy } from './helpers.js';

const NO_ENDPOINTS = 'Internal error occurred: failed calling webhook "webhook.cert-manager.io": failed to call webhook: Post "https://cert-manager-webhook.cert-manager.svc:443/validate?timeout=30s": no endpoints available for service "cert-manager-webhook"';

/** cert-manager's webhook: its configuration, Service and a crash-looping pod behind it. */
function certManagerWebhook() {
  const config = webhookConfiguration('ValidatingWebhookConfiguration', 'cert-manager-webhook', [{ name: 'webhook.cert-manager.io', service: { namespace: 'cert-manager', name: 'cert-manager-webhook' } }]);
  const svc = { ...service('cert-manager-webhook', 'cert-manager', '10.96.40.12'), spec: { ...service('x', 'y', '10.96.40.12').spec, selector: { app: 'cert-manager-webhook' } } };
  const deploy = workload('Deployment', 'cert-manager-webhook', 'cert-manager', { desired: 1, ready: 0, images: ['quay.io/jetstack/cert-manager-webhook:v1.16.2'] });
  const rs = workload('ReplicaSet', 'cert-manager-webhook-5d8f', 'cert-manager', { desired: 1, ready: 0, owner: ownedBy(deploy) });
  const p = pod('cert-manager-webhook-5d8f-q7r2s', 'cert-manager', {
    node: 'n1', owner: ownedBy(rs), labels: { app: 'cert-manager-webhook' },
    containers: [{ name: 'cert-manager-webhook', image: 'quay.io/jetstack/cert-manager-webhook:v1.16.2', restartCount: 12, waiting: { reason: 'CrashLoopBackOff' }, lastTerminated: { reason: 'Error', exitCode: 1 } }],
  });
  return [config, svc, deploy, rs, p];
}

/** A Deployment whose ReplicaSet cannot create pods because the webhook fails. */
function blockedApp() {
  const deploy = workload('Deployment', 'ingress-nginx-controller', 'ingress', { desired: 1, ready: 0 });
  const rs = workload('ReplicaSet', 'ingress-nginx-controller-66b', 'ingress', { desired: 1, ready: 0, owner: ownedBy(deploy) });
  const failed = event({ kind: 'ReplicaSet', name: 'ingress-nginx-controller-66b', namespace: 'ingress' }, 'FailedCreate', `Error creating: ${NO_ENDPOINTS}`, { count: 17, component: 'replicaset-controller' });
  return [deploy, rs, failed];
}

const blockedHrp = () => hrp('ingress-wl-7-m3', NS, {
  cluster: WL, hcp: 'ingress', releaseName: 'ingress', releaseNamespace: 'ingress', helmStatus: 'failed',
  conditions: [{ type: 'Ready', status: 'False', reason: 'HelmInstallOrUpgradeFailed', message: NO_ENDPOINTS }, { type: 'HelmReleaseReady', status: 'False', reason: 'HelmInstallOrUpgradeFailed', message: NO_ENDPOINTS }],
});

describe('WEBHOOK_FAILING', () => {
  it('reports a webhook without endpoints, with the Service and failing pods behind it and what it blocks', () => {
    const [f, ...rest] = rule.check(snapshotOf(mgmtCluster([blockedHrp()]), wlCluster([...certManagerWebhook(), ...blockedApp()])));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      code: 'WEBHOOK_FAILING', severity: 'error', cluster: WL,
      subject: { kind: 'ValidatingWebhookConfiguration', name: 'cert-manager-webhook' },
      title: 'Admission webhook webhook.cert-manager.io is unreachable',
      facts: {
        blockedReleases: [{ cluster: WL, name: 'ingress', namespace: 'ingress' }],
        blockedWorkloads: [{ cluster: WL, kind: 'Deployment', namespace: 'ingress', name: 'ingress-nginx-controller' }],
      },
    });
    expect(f!.facts.dependsOn).toEqual([
      { cluster: WL, kind: 'Pod', namespace: 'cert-manager', name: 'cert-manager-webhook-5d8f-q7r2s' },
      { cluster: WL, kind: 'Deployment', namespace: 'cert-manager', name: 'cert-manager-webhook' },
    ]);
    expect(f!.detail).toContain('It is served by Service cert-manager/cert-manager-webhook, whose pods are not all ready: cert-manager-webhook-5d8f-q7r2s (CrashLoopBackOff).');
    expect(f!.detail).toContain('Helm releases blocked: ingress/ingress.');
    expect(f!.evidence.map((e) => e.text)).toContain('ValidatingWebhookConfiguration cert-manager-webhook: webhook webhook.cert-manager.io → service cert-manager/cert-manager-webhook, failurePolicy Fail, timeoutSeconds 10');
    expect(f!.remediation.map((r) => r.command)).toContain(`kubectl get endpoints cert-manager-webhook -n cert-manager --kubeconfig=${WL_KUBECONFIG}`);
    const workaround = f!.remediation.find((r) => r.workaround);
    expect(workaround?.command).toBe(`kubectl patch validatingwebhookconfiguration cert-manager-webhook --type=json -p '[{"op":"replace","path":"/webhooks/0/failurePolicy","value":"Ignore"}]' --kubeconfig=${WL_KUBECONFIG}`);
  });

  it('chains the webhook\'s crashing pods → WEBHOOK_FAILING → the HRP and the Deployment it blocks', () => {
    const d = diagnoseClusters(mgmtCluster([blockedHrp()]), wlCluster([...certManagerWebhook(), ...blockedApp()]));
    const webhook = d.one('WEBHOOK_FAILING');
    expect(d.causes(webhook)).toEqual(['WORKLOAD_UNAVAILABLE cert-manager-webhook']);
    expect(d.causes(d.one('HRP_FAILED'))).toEqual(['WEBHOOK_FAILING cert-manager-webhook']);
    expect(d.one('HRP_FAILED').cluster).toBe(MGMT);
    expect(d.causes(d.one('WORKLOAD_UNAVAILABLE', 'ingress-nginx-controller'))).toEqual(['WEBHOOK_FAILING cert-manager-webhook']);
    expect(d.rootCauses.map((r) => `${r.code} ${r.subject.name}`)).toEqual(['POD_CRASHLOOP cert-manager-webhook-5d8f-q7r2s']);
  });

  it('tells a webhook that denies the request from one that cannot be called', () => {
    const denied = 'admission webhook "validation.gatekeeper.sh" denied the request: [psp-privileged-container] Privileged container is not allowed: cilium-agent';
    const e = event({ kind: 'DaemonSet', name: 'cilium', namespace: 'kube-system' }, 'FailedCreate', `Error creating: ${denied}`, { component: 'daemonset-controller' });
    const [f] = rule.check(snapshotOf(wlCluster([e])));
    expect(f!.title).toBe('Admission webhook validation.gatekeeper.sh denies the request');
    expect(f!.subject).toEqual({ kind: 'Webhook', name: 'validation.gatekeeper.sh' });
    expect(f!.detail).toContain('rejects the objects (denied the request)');
    expect(f!.facts.timedOut).toBeUndefined();
  });

  it('marks a webhook that times out, and says nothing without webhook errors', () => {
    const timeout = 'Internal error occurred: failed calling webhook "mpod.kyverno.svc": failed to call webhook: Post "https://kyverno-svc.kyverno.svc:443/mutate?timeout=10s": context deadline exceeded';
    const [f] = rule.check(snapshotOf(wlCluster([event({ kind: 'ReplicaSet', name: 'x', namespace: 'apps' }, 'FailedCreate', `Error creating: ${timeout}`)])));
    expect(f!.facts.timedOut).toBe(true);
    expect(f!.title).toBe('Admission webhook mpod.kyverno.svc times out');
    expect(f!.detail).toContain('It is served by Service kyverno/kyverno-svc (not found in the bundle).');
    expect(rule.check(snapshotOf(wlCluster([event({ kind: 'Pod', name: 'p', namespace: 'a' }, 'BackOff', 'Back-off restarting failed container')])))).toEqual([]);
  });
});
