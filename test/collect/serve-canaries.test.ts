/**
 * Canaries: credentials planted in a copy of the seed sample, served, collected with the real
 * kubectl. None may reach the bundle's bytes, nor anything of the kubeconfigs used.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, collect, json, readBundle, relative, tempDir, type Manifest } from './helpers.js';
import { copySeed, MGMT, NAMESPACE, readJson, serve, WORKLOAD, writeJson, type Served } from './serve-helpers.js';

const CANARIES = {
  secretData: 'CANARY-SECRET-DATA-3f9c1e',
  otherSecretData: 'CANARY-SECRET-DATA-OTHER-77aa',
  password: 'CANARY-PASSWORD-8d2b4a',
  iniPassword: 'CANARY-PASSWORD-INI-1c5e',
  lastApplied: 'CANARY-PASSWORD-LAST-APPLIED-e41f',
  envToken: 'CANARY-TOKEN-5a7d0c',
  deploymentEnv: 'CANARY-TOKEN-DEPLOY-90ab',
  bearer: 'CANARY-BEARER-b81e2f',
  privateKey: 'CANARYPRIVATEKEYBODY6c3d',
  hrpValues: 'CANARY-HRP-VALUES-44e0',
  kubeconfigToken: 'CANARY-KUBECONFIG-TOKEN-d2e9',
};

const b64 = (s: string) => Buffer.from(s).toString('base64');

interface List {
  items: Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function plant(root: string): void {
  const w = join(root, 'clusters', WORKLOAD, 'cluster-resources');
  const m = join(root, 'clusters', MGMT, 'cluster-resources');

  const secrets = readJson<List>(join(w, 'secrets/kube-system.json'));
  secrets.items.push(
    { apiVersion: 'v1', kind: 'Secret', type: 'helm.sh/release.v1', metadata: { name: 'sh.helm.release.v1.canary.v1', namespace: 'kube-system', labels: { owner: 'helm', name: 'canary', status: 'deployed', version: '1' } }, data: { release: b64(CANARIES.secretData) } },
    { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'app-credentials', namespace: 'kube-system' }, data: { password: b64(CANARIES.otherSecretData) } },
  );
  writeJson(join(w, 'secrets/kube-system.json'), secrets);

  const configmaps = readJson<List>(join(w, 'configmaps/kube-system.json'));
  configmaps.items.push({
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: {
      name: 'app-settings', namespace: 'kube-system',
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-settings' }, data: { password: CANARIES.lastApplied } }) },
    },
    data: { password: CANARIES.password, 'settings.ini': `[db]\nhost = 10.23.130.70\npassword = ${CANARIES.iniPassword}\n` },
  });
  writeJson(join(w, 'configmaps/kube-system.json'), configmaps);

  const pods = readJson<List>(join(w, 'pods/kube-system.json'));
  const ccm = pods.items.find((p) => String(p['metadata'].name).startsWith('nutanix-cloud-controller-manager'))!;
  ccm['spec'].containers[0].env = [...(ccm['spec'].containers[0].env ?? []), { name: 'API_TOKEN', value: CANARIES.envToken }];
  writeJson(join(w, 'pods/kube-system.json'), pods);

  const deployments = readJson<List>(join(w, 'deployments/kube-system.json'));
  const container = deployments.items[0]!['spec'].template.spec.containers[0];
  container.env = [...(container.env ?? []), { name: 'DB_PASSWORD', value: CANARIES.deploymentEnv }];
  writeJson(join(w, 'deployments/kube-system.json'), deployments);

  appendFileSync(join(w, 'pods/logs/kube-system/cilium-4xk2p/cilium-agent.log'),
    `level=debug msg="sending request" header="Authorization: Bearer ${CANARIES.bearer}"\n`);
  appendFileSync(join(w, 'pods/logs/kube-system/nutanix-cloud-controller-manager-6d9f7c8b5-x2x4z/nutanix-cloud-controller-manager-previous.log'),
    `I1227 10:01:53 loaded key\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA${CANARIES.privateKey}\nZm9vYmFyYmF6\n-----END RSA PRIVATE KEY-----\n`);

  const hrpFile = join(m, `custom-resources/helmreleaseproxies.addons.cluster.x-k8s.io/${NAMESPACE}.json`);
  const hrps = readJson<List>(hrpFile);
  hrps.items[0]!['spec'].values = `${hrps.items[0]!['spec'].values ?? ''}\nauth:\n  password: ${CANARIES.hrpValues}\n`;
  writeJson(hrpFile, hrps);
}

describe('collect ↔ serve: canaries', () => {
  let served: Served;
  let bytes: string;
  let files: Map<string, Buffer>;
  let output: string;
  let status: number;

  beforeAll(async () => {
    const { dir, root } = copySeed();
    plant(root);
    // The management kubeconfig carries a token (serve ignores it): it must not reach the bundle either.
    served = await serve(dir, [], (text) => {
      const config = parse(text) as { users: { user: Record<string, string> }[] };
      for (const u of config.users) u.user['token'] = CANARIES.kubeconfigToken;
      return stringify(config);
    });
    output = join(tempDir(), 'canaries.tgz');
    ({ status } = await collect({ mgmtKubeconfig: served.kubeconfig, mgmtContext: MGMT, cluster: WORKLOAD, output, kubectl: served.kubectl, env: served.env }));
    bytes = gunzipSync(readFileSync(output)).toString('latin1');
    files = relative(await readBundle(output)).files;
  }, 60_000);
  afterAll(async () => {
    await served?.server.close();
  });

  it('collected the planted objects (so the test means something)', () => {
    expect(status).toBe(1); // the controller logs the sample does not hold
    expect(bytes).toContain('sh.helm.release.v1.canary.v1');
    expect(bytes).toContain('app-settings');
    expect(bytes).toContain('host = 10.23.130.70');
    expect(bytes).toContain('API_TOKEN');
    expect(bytes).toContain('-----BEGIN RSA PRIVATE KEY-----');
    expect(bytes).not.toContain('app-credentials'); // only Helm's secrets are listed
  });

  it.each(Object.entries(CANARIES))('%s appears nowhere in the bundle, plain or base64', (_name, canary) => {
    expect(bytes).not.toContain(canary);
    expect(bytes).not.toContain(b64(canary));
    expect(bytes).not.toContain(b64(canary).slice(0, 16));
  });

  it('holds nothing of the kubeconfigs: no server URL, no client key, no token', () => {
    expect(bytes).not.toContain(served.server.url);
    expect(bytes).not.toContain(new URL(served.server.url).host);
    expect(bytes).not.toContain('client-key-data');
    expect(bytes).not.toContain('token:');
    expect(bytes).not.toContain(b64(readFileSync(served.kubeconfig, 'utf8')).slice(0, 24));
  });

  it('counts the replacements in the manifest, and the bundle still analyzes', () => {
    const manifest = json<Manifest>(files, 'manifest.json');
    expect(manifest.redaction).toEqual({ applied: true, replacements: expect.any(Number) });
    expect(manifest.redaction.replacements).toBeGreaterThanOrEqual(8);
    const { report } = analyze(output);
    expect(report.findings.some((f) => f.code === 'API_SERVER_UNREACHABLE')).toBe(true);
  });
});
