/**
 * The real kubectl against `hrp-doctor serve`: what a user sees. Skipped only when kubectl is not
 * installed (CI installs it); set $KUBECTL to use another binary.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBundleServer, type BundleServer } from '../../src/serve/server.js';
import { CCM_POD, HAVE_KUBECTL, Kubectl, MGMT, SEED, VELERO, WORKLOAD } from './helpers.js';

const WHY = HAVE_KUBECTL ? '' : ' [skipped: kubectl not found on PATH or $KUBECTL]';

describe.skipIf(!HAVE_KUBECTL)(`kubectl against the seed incident and a troubleshoot bundle${WHY}`, () => {
  let server: BundleServer;
  let kubectl: Kubectl;
  beforeAll(async () => {
    server = await startBundleServer({ bundles: [{ path: SEED }, { path: VELERO }] });
    kubectl = new Kubectl(server.kubeconfig);
  });
  afterAll(() => server?.close());

  it('get pods -n kube-system lists the cilium pods with their status', async () => {
    const { code, stdout, stderr } = await kubectl.run(WORKLOAD, ['get', 'pods', '-n', 'kube-system']);
    expect(code, stderr).toBe(0);
    const header = stdout.split('\n')[0]!;
    expect(header).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    for (const pod of ['cilium-4xk2p', 'cilium-8hj2v', 'cilium-m9csd', 'cilium-qz7lt']) expect(stdout).toContain(pod);
    expect(stdout).toMatch(new RegExp(`${CCM_POD}\\s+0/1\\s+CrashLoopBackOff\\s+18 `));
  });

  it('get helmreleaseproxies -o json returns the 3 failing HRPs with their status', async () => {
    const { code, stdout, stderr } = await kubectl.run(MGMT, ['get', 'helmreleaseproxies', '-n', 'dm-dev-workspace', '-o', 'json']);
    expect(code, stderr).toBe(0);
    const list = JSON.parse(stdout) as { items: { metadata: { name: string }; status: { conditions: { type: string; status: string; message?: string }[] } }[] };
    expect(list.items).toHaveLength(5);
    const failing = list.items.filter((h) => h.status.conditions.some((c) => c.type === 'Ready' && c.status === 'False'));
    expect(failing.map((h) => h.metadata.name).sort()).toEqual([
      'cilium-dm-nkp-workload-1-kbx8x',
      'konnector-agent-dm-nkp-workload-1-6jdqc',
      'nutanix-csi-storage-dm-nkp-workload-1-kxh46',
    ]);
    for (const hrp of failing) {
      expect(hrp.status.conditions.find((c) => c.type === 'Ready')!.message).toMatch(/hooks failed: timed out waiting for condition/);
    }
  });

  it('short names and printer columns: get hrp', async () => {
    const { code, stdout, stderr } = await kubectl.run(MGMT, ['get', 'hrp', '-n', 'dm-dev-workspace']);
    expect(code, stderr).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(/^NAME\s+CLUSTER\s+READY\s+REASON\s+STATUS\s+REVISION$/);
    expect(stdout).toMatch(/cilium-dm-nkp-workload-1-kbx8x\s+dm-nkp-workload-1\s+False\s+HelmInstallOrUpgradeFailed\s+failed/);
  });

  it('get pods -A -l k8s-app=cilium -o name', async () => {
    const { code, stdout, stderr } = await kubectl.run(WORKLOAD, ['get', 'pods', '-A', '-l', 'k8s-app=cilium', '-o', 'name']);
    expect(code, stderr).toBe(0);
    expect(stdout.trim().split('\n').sort()).toEqual(['pod/cilium-4xk2p', 'pod/cilium-8hj2v', 'pod/cilium-m9csd', 'pod/cilium-qz7lt']);
  });

  it('get pods --field-selector status.phase=Pending -A', async () => {
    const { code, stdout, stderr } = await kubectl.run(WORKLOAD, ['get', 'pods', '--field-selector', 'status.phase=Pending', '-A']);
    expect(code, stderr).toBe(0);
    const rows = stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS/);
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows.slice(1)) expect(row).toMatch(/\sPending\s/);
    expect(stdout).toContain('cilium-operator-6c4f9c8d5b-x5jrn');
  });

  it('an unsupported field selector is the API server\'s BadRequest', async () => {
    const { code, stderr } = await kubectl.run(WORKLOAD, ['get', 'pods', '-A', '--field-selector', 'foo=bar']);
    expect(code).not.toBe(0);
    expect(stderr).toContain('Error from server (BadRequest)');
    expect(stderr).toContain('field label not supported: foo');
  });

  it('describe pod shows the container state and the pod\'s events', async () => {
    const { code, stdout, stderr } = await kubectl.run(WORKLOAD, ['describe', 'pod', CCM_POD, '-n', 'kube-system']);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^Name:\s+nutanix-cloud-controller-manager-6d9f7c8b5-x2x4z$/m);
    expect(stdout).toMatch(/Reason:\s+CrashLoopBackOff/);
    expect(stdout).toMatch(/Restart Count:\s+18/);
    expect(stdout).toMatch(/Events:\s*\n\s+Type\s+Reason/);
    expect(stdout).toContain('Back-off restarting failed container');
  });

  it('describe node works (pods on the node by field selector; no Lease is fine)', async () => {
    const nodes = await kubectl.run(WORKLOAD, ['get', 'nodes', '-o', 'name']);
    const node = nodes.stdout.trim().split('\n')[0]!;
    const { code, stdout, stderr } = await kubectl.run(WORKLOAD, ['describe', node]);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/Non-terminated Pods:\s+\(\d+ in total\)/);
  });

  it('logs --previous of the CCM pod prints the i/o timeout', async () => {
    const { code, stdout, stderr } = await kubectl.run(WORKLOAD, ['logs', CCM_POD, '-n', 'kube-system', '--previous']);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('dial tcp 10.96.0.1:443: i/o timeout');
    const tail = await kubectl.run(WORKLOAD, ['logs', CCM_POD, '-n', 'kube-system', '--tail=1']);
    expect(tail.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('logs --previous of a container that never restarted is an error from the server', async () => {
    const { code, stderr } = await kubectl.run(WORKLOAD, ['logs', 'coredns-7c65d6cfc9-b5kxr', '-n', 'kube-system', '--previous']);
    expect(code).not.toBe(0);
    expect(stderr).toContain('Error from server (NotFound)');
  });

  it('the kubeconfig Secret of the workload cluster decodes to a kubeconfig that works with kubectl', async () => {
    const secret = await kubectl.run(MGMT, ['get', 'secret', `${WORKLOAD}-kubeconfig`, '-n', 'dm-dev-workspace', '-o', 'jsonpath={.data.value}']);
    expect(secret.code, secret.stderr).toBe(0);
    const text = Buffer.from(secret.stdout, 'base64').toString('utf8');
    expect(text).toContain(`${server.url}/clusters/${WORKLOAD}`);
    const file = join(kubectl.dir, 'workload.kubeconfig');
    writeFileSync(file, text);
    // No --context: the Secret's kubeconfig has its own current-context, as Cluster API writes it.
    const nodes = await kubectl.run(undefined, ['get', 'nodes'], 30_000, file);
    expect(nodes.code, nodes.stderr).toBe(0);
    expect(nodes.stdout).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/m);
    expect(nodes.stdout).toContain('dm-nkp-workload-1-md-0-7xkq2-pbnfm-4x9qd');
  });

  it('get nodes on the workload context', async () => {
    const { code, stdout, stderr } = await kubectl.run(WORKLOAD, ['get', 'nodes']);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/dm-nkp-workload-1-2h7dk-q9vzl\s+Ready\s+control-plane/);
  });

  it('delete pod x fails: the server is read-only', async () => {
    const { code, stderr } = await kubectl.run(WORKLOAD, ['delete', 'pod', 'x', '-n', 'kube-system']);
    expect(code).not.toBe(0);
    expect(stderr).toContain('Error from server (MethodNotAllowed)');
  });

  it('get -w lists, then fails on the watch', async () => {
    const { code, stdout, stderr } = await kubectl.run(WORKLOAD, ['get', 'pods', '-n', 'kube-system', '-w']);
    expect(code).not.toBe(0);
    expect(stdout).toContain('cilium-4xk2p');
    expect(stderr).toContain('MethodNotAllowed');
  });

  it('version and api-resources', async () => {
    const version = await kubectl.run(WORKLOAD, ['version']);
    expect(version.code, version.stderr).toBe(0);
    expect(version.stdout).toContain('Server Version: v1.31.4');
    const resources = await kubectl.run(MGMT, ['api-resources']);
    expect(resources.code, resources.stderr).toBe(0);
    expect(resources.stdout).toMatch(/helmreleaseproxies\s+hrp\s+addons\.cluster\.x-k8s\.io\/v1alpha1\s+true\s+HelmReleaseProxy/);
  });

  it('a troubleshoot bundle: pods, custom resources with the CRD\'s columns, logs of a deployment', async () => {
    const pods = await kubectl.run('sbctl-kurl-velero', ['get', 'pods', '-n', 'velero']);
    expect(pods.code, pods.stderr).toBe(0);
    expect(pods.stdout).toMatch(/velero-6996dd565b-xl44t\s+0\/1\s+CrashLoopBackOff/);
    const bsl = await kubectl.run('sbctl-kurl-velero', ['get', 'backupstoragelocations', '-n', 'velero']);
    expect(bsl.code, bsl.stderr).toBe(0);
    expect(bsl.stdout).toMatch(/^NAME\s+PHASE\s+LAST VALIDATED\s+AGE\s+DEFAULT$/m);
    expect(bsl.stdout).toMatch(/^default\s+Available\s/m);
    const logs = await kubectl.run('sbctl-kurl-velero', ['logs', 'velero-6996dd565b-xl44t', '-n', 'velero', '-c', 'velero', '--previous']);
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout.length).toBeGreaterThan(0);
  });
});

describe.skipIf(!HAVE_KUBECTL)(`kubectl falls back to legacy discovery${WHY}`, () => {
  let server: BundleServer;
  let kubectl: Kubectl;
  beforeAll(async () => {
    server = await startBundleServer({ bundles: [{ path: SEED }], aggregatedDiscovery: false });
    kubectl = new Kubectl(server.kubeconfig);
  });
  afterAll(() => server?.close());

  it('walks /api/v1 and /apis/<group>/<version> when /apis answers a plain APIGroupList', async () => {
    const { code, stdout, stderr } = await kubectl.run(MGMT, ['get', 'hrp', '-A', '-v=6']);
    expect(code, stderr).toBe(0);
    expect(stderr).toContain(`/clusters/${MGMT}/apis/addons.cluster.x-k8s.io/v1alpha1`);
    expect(stdout).toContain('cilium-dm-nkp-workload-1-kbx8x');
  });
});

describe.skipIf(!HAVE_KUBECTL)(`kubectl against injected faults${WHY}`, () => {
  let server: BundleServer;
  let kubectl: Kubectl;
  beforeAll(async () => {
    server = await startBundleServer({
      bundles: [{ path: SEED }],
      faults: [
        { cluster: WORKLOAD, pathRegex: '^/api/v1/namespaces/kube-system/pods$', status: 403 },
        { cluster: WORKLOAD, pathRegex: '^/api/v1/nodes$', status: 500 },
        { cluster: WORKLOAD, pathRegex: '^/api/v1/namespaces/kube-system/services$', delayMs: 10_000 },
        { cluster: MGMT, pathRegex: '/helmreleaseproxies$', status: 500, times: 1 },
      ],
    });
    kubectl = new Kubectl(server.kubeconfig);
  });
  afterAll(() => server?.close());

  it('403 gives kubectl\'s Error from server (Forbidden)', async () => {
    const { code, stderr } = await kubectl.run(WORKLOAD, ['get', 'pods', '-n', 'kube-system']);
    expect(code).not.toBe(0);
    expect(stderr).toContain(
      'Error from server (Forbidden): pods is forbidden: User "system:anonymous" cannot list resource "pods" in API group "" in the namespace "kube-system"',
    );
    // Only that path: other namespaces are served.
    expect((await kubectl.run(WORKLOAD, ['get', 'pods', '-n', 'ntnx-system'])).code).toBe(0);
  });

  it('500 gives an error', async () => {
    const { code, stderr } = await kubectl.run(WORKLOAD, ['get', 'nodes']);
    expect(code).not.toBe(0);
    expect(stderr).toContain('Error from server (InternalError)');
  });

  it('times: 1 fails the first request only', async () => {
    const first = await kubectl.run(MGMT, ['get', 'hrp', '-A']);
    expect(first.code).not.toBe(0);
    const second = await kubectl.run(MGMT, ['get', 'hrp', '-A']);
    expect(second.code, second.stderr).toBe(0);
  });

  it('a delay beyond --request-timeout=1s times out', async () => {
    const started = Date.now();
    const { code, stderr } = await kubectl.run(WORKLOAD, ['get', 'services', '-n', 'kube-system', '--request-timeout=1s']);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/timeout|deadline exceeded/i);
    expect(Date.now() - started).toBeLessThan(9_000);
  });
});
