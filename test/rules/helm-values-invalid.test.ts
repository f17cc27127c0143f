import { describe, expect, it } from 'vitest';
import { rule } from '../../src/rules/helm-values-invalid.js';
import { capiCluster, hcp, hrp, kcp } from '../fixtures/k8s.js';
import { snapshotOf } from '../fixtures/snapshot.js';
import { MGMT, MGMT_KUBECONFIG, NS, WL, diagnoseClusters, mgmtCluster } from './chain-helpers.js';

const MISSING_KEY = `error executing template string 'k8sServiceHost: {{ .Cluster.spec.controlPlaneEndpoint.hostt }}' on cluster '${WL}': template: cilium-${WL}:1:52: executing "cilium-${WL}" at <.Cluster.spec.controlPlaneEndpoint.hostt>: map has no entry for key "hostt"`;

function parsingFailed(message: string) {
  return hcp('cilium', NS, {
    conditions: [
      { type: 'Ready', status: 'False', reason: 'ValueParsingFailed', severity: 'Error', message },
      { type: 'HelmReleaseProxySpecsUpToDate', status: 'False', reason: 'ValueParsingFailed', severity: 'Error', message },
    ],
  });
}

describe('HELM_VALUES_INVALID', () => {
  it('reports a valuesTemplate that reads a key a Cluster does not have, and is the root cause of HCP_NOT_READY', () => {
    const objects = [capiCluster(WL, NS), parsingFailed(MISSING_KEY)];
    const [f, ...rest] = rule.check(snapshotOf(mgmtCluster(objects)));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      code: 'HELM_VALUES_INVALID', severity: 'error', cluster: MGMT, targetCluster: WL,
      subject: { kind: 'HelmChartProxy', namespace: NS, name: 'cilium' },
      title: `HelmChartProxy cilium: values cannot be rendered for cluster ${WL}`,
      facts: { helmChartProxy: { cluster: MGMT, kind: 'HelmChartProxy', namespace: NS, name: 'cilium' }, capiCluster: { cluster: MGMT, kind: 'Cluster', namespace: NS, name: WL } },
    });
    expect(f!.detail).toContain('(HelmReleaseProxySpecsUpToDate=False, ValueParsingFailed), so it does not create or update the HelmReleaseProxy there.');
    expect(f!.detail).toContain('The template reads <.Cluster.spec.controlPlaneEndpoint.hostt>, but there is no key "hostt" there for this cluster');
    expect(f!.evidence[0]!.text).toBe(`HelmReleaseProxySpecsUpToDate=False ValueParsingFailed: ${MISSING_KEY}`);
    expect(f!.remediation.map((r) => r.command)).toEqual([
      `kubectl get helmchartproxy cilium -n ${NS} -o 'jsonpath={.spec.valuesTemplate}' --kubeconfig=${MGMT_KUBECONFIG}`,
      `kubectl edit helmchartproxy cilium -n ${NS} --kubeconfig=${MGMT_KUBECONFIG}`,
    ]);

    const d = diagnoseClusters(mgmtCluster(objects));
    expect(d.causes(d.one('HCP_NOT_READY'))).toEqual(['HELM_VALUES_INVALID cilium']);
    expect(d.rootCauses.map((r) => r.code)).toEqual(['HELM_VALUES_INVALID']);
  });

  it('says when the KubeadmControlPlane a .ControlPlane template reads is missing', () => {
    const cluster = { ...capiCluster(WL, NS), spec: { ...capiCluster(WL, NS).spec, controlPlaneRef: { apiVersion: 'controlplane.cluster.x-k8s.io/v1beta1', kind: 'KubeadmControlPlane', name: `${WL}-cp`, namespace: NS } } };
    const message = `error executing template string 'x' on cluster '${WL}': template: kcp-${WL}:1:12: executing "kcp-${WL}" at <.ControlPlane.spec.kubeadmConfigSpec.clusterConfiguration>: nil pointer evaluating interface {}.clusterConfiguration`;
    const [f] = rule.check(snapshotOf(mgmtCluster([cluster, kcp('other-cp', NS, 'other'), parsingFailed(message)])));
    expect(f!.detail).toContain('reads <.ControlPlane.spec.kubeadmConfigSpec.clusterConfiguration> through a field that is not set (nil)');
    expect(f!.detail).toContain(`KubeadmControlPlane ${NS}/${WL}-cp (spec.controlPlaneRef of Cluster ${WL}) is not in the management cluster`);
  });

  it('reports values Helm cannot parse on an HRP, as the cause of its HRP_FAILED', () => {
    const message = 'failed to parse values: error converting YAML to JSON: yaml: line 3: mapping values are not allowed in this context';
    const bad = hrp('metrics-wl-7-q2', NS, {
      cluster: WL, hcp: 'metrics', releaseName: 'metrics-server', releaseNamespace: 'kube-system', helmStatus: '',
      conditions: [{ type: 'Ready', status: 'False', reason: 'HelmInstallOrUpgradeFailed', severity: 'Error', message }, { type: 'HelmReleaseReady', status: 'False', reason: 'HelmInstallOrUpgradeFailed', severity: 'Error', message }],
    });
    const d = diagnoseClusters(mgmtCluster([bad]));
    const f = d.one('HELM_VALUES_INVALID');
    expect(f.subject).toEqual({ kind: 'HelmReleaseProxy', namespace: NS, name: 'metrics-wl-7-q2' });
    expect(f.title).toBe('HelmReleaseProxy metrics-wl-7-q2: Helm rejects the values');
    expect(f.detail).toContain('not valid YAML');
    expect(f.facts.managedRelease).toEqual({ cluster: WL, name: 'metrics-server', namespace: 'kube-system' });
    expect(d.causes(d.one('HRP_FAILED'))).toEqual(['HELM_VALUES_INVALID metrics-wl-7-q2']);
    expect(d.isRoot(f)).toBe(true);
  });

  it('says nothing about ready proxies or other failures', () => {
    const other = hrp('x', NS, { cluster: WL, releaseName: 'x', conditions: [{ type: 'Ready', status: 'False', message: 'post-install hooks failed: timed out waiting for the condition' }] });
    expect(rule.check(snapshotOf(mgmtCluster([hcp('ok', NS), hrp('ok', NS, { cluster: WL, releaseName: 'ok' }), other])))).toEqual([]);
  });
});
