import { describe, expect, it } from 'vitest';
import { rule } from '../../src/rules/hrp-chart-source-failed.js';
import { hcp, hrp, type ConditionOpts } from '../fixtures/k8s.js';
import { snapshotOf } from '../fixtures/snapshot.js';
import { MGMT, MGMT_KUBECONFIG, NS, WL, diagnoseClusters, mgmtCluster } from './chain-helpers.js';

function failing(message: string, opts: { repoURL?: string; version?: string; extra?: ConditionOpts[] } = {}) {
  const obj = hrp('cni-wl-7-x1', NS, {
    cluster: WL, hcp: 'cni', releaseName: 'cni', releaseNamespace: 'kube-system', helmStatus: '',
    conditions: [
      { type: 'Ready', status: 'False', reason: 'HelmInstallOrUpgradeFailed', severity: 'Error', message },
      { type: 'HelmReleaseReady', status: 'False', reason: 'HelmInstallOrUpgradeFailed', severity: 'Error', message },
      { type: 'ClusterAvailable', status: 'True' },
      ...(opts.extra ?? []),
    ],
  });
  if (opts.repoURL) obj.spec.repoURL = opts.repoURL;
  if (opts.version) obj.spec.version = opts.version;
  return obj;
}

const notReadyHcp = () => hcp('cni', NS, { conditions: [{ type: 'Ready', status: 'False', reason: 'HelmInstallOrUpgradeFailed', message: 'x' }] });
const check = (...objects: object[]) => rule.check(snapshotOf(mgmtCluster(objects)));

const TLS = 'looks like "https://charts.example.com" is not a valid chart repository or cannot be reached: Get "https://charts.example.com/index.yaml": tls: failed to verify certificate: x509: certificate signed by unknown authority';

describe('HRP_CHART_SOURCE_FAILED', () => {
  it('recognises an untrusted repository certificate, says so, and is the root of HRP_FAILED and HCP_NOT_READY', () => {
    const [f, ...rest] = check(failing(TLS), notReadyHcp());
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      code: 'HRP_CHART_SOURCE_FAILED', severity: 'error', cluster: MGMT, targetCluster: WL,
      subject: { kind: 'HelmReleaseProxy', namespace: NS, name: 'cni-wl-7-x1' },
      title: 'HelmReleaseProxy cni-wl-7-x1 cannot fetch chart cni 1.0.0: the repository\'s TLS certificate is not trusted',
      facts: { sourceFailure: 'tls', managedRelease: { cluster: WL, name: 'cni', namespace: 'kube-system' } },
    });
    expect(f!.detail).toContain('CAAPH could not fetch chart cni 1.0.0 from https://charts.example.com (tls)');
    expect(f!.detail).toContain('x509: certificate signed by unknown authority');
    expect(f!.evidence).toEqual([{ source: `fixture/clusters/${MGMT}/cluster-resources/helmreleaseproxys.json`, text: `HelmReleaseReady=False HelmInstallOrUpgradeFailed: ${TLS}` }]);
    const commands = f!.remediation.map((r) => r.command ?? '');
    expect(commands).toContain(`kubectl create secret generic cni-repo-ca -n ${NS} --from-file=ca.crt=./repo-ca.crt --kubeconfig=${MGMT_KUBECONFIG}`);
    expect(commands).toContain(`kubectl patch helmchartproxy cni -n ${NS} --type=merge -p '{"spec":{"tlsConfig":{"caSecret":{"name":"cni-repo-ca","namespace":"${NS}"}}}}' --kubeconfig=${MGMT_KUBECONFIG}`);

    const d = diagnoseClusters(mgmtCluster([failing(TLS), notReadyHcp()]));
    const source = d.one('HRP_CHART_SOURCE_FAILED');
    expect(d.causes(d.one('HRP_FAILED'))).toEqual(['HRP_CHART_SOURCE_FAILED cni-wl-7-x1']);
    expect(d.causes(d.one('HCP_NOT_READY'))).toEqual(['HRP_FAILED cni-wl-7-x1']);
    expect(d.rootCauses).toEqual([source]);
  });

  it('points at the CA Secret already named in spec.tlsConfig', () => {
    const h = { ...notReadyHcp(), spec: { ...notReadyHcp().spec, tlsConfig: { caSecret: { name: 'corp-ca', namespace: 'certs' } } } };
    const [f] = check(failing(TLS), h);
    expect(f!.remediation[0]!.text).toContain('spec.tlsConfig.caSecret names Secret certs/corp-ca');
    expect(f!.remediation[0]!.command).toBe(`kubectl get secret corp-ca -n certs -o 'jsonpath={.data.ca\\.crt}' --kubeconfig=${MGMT_KUBECONFIG} | base64 -d | openssl x509 -noout -subject -issuer -enddate`);
  });

  it('recognises refused OCI credentials and gives the spec.credentials fix', () => {
    const message = 'failed to authorize: failed to fetch oauth token: unexpected status from GET request to https://registry.example.com/service/token?scope=repository%3Acharts%2Fcni%3Apull: 401 Unauthorized';
    const [f] = check(failing(message, { repoURL: 'oci://registry.example.com/charts' }), notReadyHcp());
    expect(f!.facts.sourceFailure).toBe('auth');
    expect(f!.title).toContain('the repository refused the credentials');
    expect(f!.remediation.map((r) => r.command)).toContain(`kubectl patch helmchartproxy cni -n ${NS} --type=merge -p '{"spec":{"credentials":{"secret":{"name":"cni-registry-creds","namespace":"${NS}"},"key":"config.json"}}}' --kubeconfig=${MGMT_KUBECONFIG}`);
    expect(f!.remediation[0]!.command).toMatch(/^helm registry login registry\.example\.com --registry-config registry-config\.json && kubectl create secret generic cni-registry-creds/);
  });

  it('reads the chart source Secrets CAAPH fails to get from ClusterAvailable (GetCredentialsFailed)', () => {
    const obj = hrp('cni-wl-7-x1', NS, {
      cluster: WL, releaseName: 'cni',
      conditions: [{ type: 'Ready', status: 'False', reason: 'GetCredentialsFailed', message: 'failed to get credentials for cluster: Secret "oci-creds" not found' },
        { type: 'ClusterAvailable', status: 'False', reason: 'GetCredentialsFailed', message: 'failed to get credentials for cluster: Secret "oci-creds" not found' }],
    });
    const [f] = check(obj);
    expect(f!.facts.sourceFailure).toBe('auth');
  });

  it('recognises a chart version that does not exist, with helm show chart to check it', () => {
    const [f] = check(failing('chart "cni" version "1.2.3" not found in https://charts.example.com repository', { version: '1.2.3' }));
    expect(f!.facts.sourceFailure).toBe('not-found');
    expect(f!.title).toBe('HelmReleaseProxy cni-wl-7-x1 cannot fetch chart cni 1.2.3: the chart or version does not exist in the repository');
    expect(f!.remediation[0]!.command).toBe('helm show chart cni --repo https://charts.example.com --version 1.2.3');
  });

  it('reads a missing OCI tag as not found, and builds the oci:// reference', () => {
    const [f] = check(failing('failed to download "oci://registry.example/charts/cni" at version "1.2.3"', { repoURL: 'oci://registry.example/charts', version: '1.2.3' }));
    expect(f!.facts.sourceFailure).toBe('not-found');
    expect(f!.remediation[0]!.command).toBe('helm show chart oci://registry.example/charts/cni --version 1.2.3');
  });

  it('recognises an unreachable repository (DNS) and checks it from the management cluster', () => {
    const message = 'looks like "https://charts.example.com" is not a valid chart repository or cannot be reached: Get "https://charts.example.com/index.yaml": dial tcp: lookup charts.example.com on 10.96.0.10:53: no such host';
    const [f] = check(failing(message));
    expect(f!.facts.sourceFailure).toBe('unreachable');
    expect(f!.remediation[0]!.command).toBe(`kubectl run repo-check --rm -i --restart=Never --image=curlimages/curl --kubeconfig=${MGMT_KUBECONFIG} -- curl -sSIv https://charts.example.com/index.yaml`);
  });

  it('leaves hook timeouts, unreachable clusters and values errors to their own codes', () => {
    expect(check(failing('post-upgrade hooks failed: timed out waiting for the condition'))).toEqual([]);
    expect(check(failing('Kubernetes cluster unreachable: Get "https://10.0.0.100:6443/version": dial tcp 10.0.0.100:6443: connect: connection refused'))).toEqual([]);
    expect(check(failing('failed to parse values: error converting YAML to JSON: yaml: line 3: mapping values are not allowed in this context'))).toEqual([]);
    expect(check(hrp('ok', NS, { cluster: WL, releaseName: 'ok' }))).toEqual([]);
  });
});
