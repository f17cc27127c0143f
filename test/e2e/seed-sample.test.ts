import { join } from 'node:path';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport, ReportFinding } from '../../src/schema/generated.js';
import { analyzeJson, cli, readText, SAMPLES, tempDir } from './helpers.js';

const WORKLOAD = 'dm-nkp-workload-1';
const MGMT = 'dm-nkp-mgmt-1';

let report: JsonReport;
let markdown: string;
let html: string;
const find = (code: string, name?: string | RegExp) =>
  report.findings.filter((f) => f.code === code && (name === undefined || (typeof name === 'string' ? f.subject.name === name : name.test(f.subject.name))));
const byId = (id: string) => report.findings.find((f) => f.id === id)!;

beforeAll(() => {
  const out = tempDir();
  const result = cli(['analyze', join(SAMPLES, 'seed-incident.tgz'), '--output', out]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  report = JSON.parse(readText(join(out, 'report.json')));
  markdown = readText(join(out, 'report.md'));
  html = readText(join(out, 'report.html'));
});

describe('the seed incident sample', () => {
  it('finds the three failed HRPs with their hook phases', () => {
    const hrps = find('HRP_FAILED');
    expect(hrps.map((f) => [f.subject.name, f.cluster, f.targetCluster]).sort()).toEqual([
      ['cilium-dm-nkp-workload-1-kbx8x', MGMT, WORKLOAD],
      ['konnector-agent-dm-nkp-workload-1-6jdqc', MGMT, WORKLOAD],
      ['nutanix-csi-storage-dm-nkp-workload-1-kxh46', MGMT, WORKLOAD],
    ]);
    expect(find('HRP_FAILED', 'cilium-dm-nkp-workload-1-kbx8x')[0]!.detail).toContain('post-upgrade hooks failed: timed out waiting for condition');
    expect(find('HRP_FAILED', 'konnector-agent-dm-nkp-workload-1-6jdqc')[0]!.title).toContain('post-upgrade hooks timed out');
    expect(find('HRP_FAILED', 'nutanix-csi-storage-dm-nkp-workload-1-kxh46')[0]!.title).toContain('pre-upgrade hooks timed out');
  });

  it('finds the three HCPs that are not ready, with their reasons', () => {
    const reasons = Object.fromEntries(find('HCP_NOT_READY').map((f) => [f.subject.name, f.title.replace(/^.*: /, '')]));
    expect(reasons).toEqual({
      'cilium-019afb99-7556-7c79-b02b-f66b91c8f57a': 'HelmReleaseProxySpecsUpdating',
      'konnector-agent-019afb99-7556-7c79-b02b-f66b91c8f57a': 'HelmInstallOrUpgradeFailed',
      'nutanix-csi-019afb99-7556-7c79-b02b-f66b91c8f57a': 'HelmInstallOrUpgradeFailed',
    });
    for (const hcp of find('HCP_NOT_READY')) expect(hcp.causedBy.map((id) => byId(id).code)).toEqual(['HRP_FAILED']);
  });

  it('finds 2 of 4 Cilium pods in CrashLoopBackOff, with the startup probe on port 9879', () => {
    const crashing = find('POD_CRASHLOOP', /^cilium-(?!operator)/);
    expect(crashing).toHaveLength(2);
    for (const f of crashing) expect(f.detail).toMatch(/Startup probe failed on port 9879 \(\/healthz\) \d+ times/);
    const cni = find('CNI_NOT_READY')[0]!;
    expect(cni.subject).toEqual({ kind: 'DaemonSet', namespace: 'kube-system', name: 'cilium' });
    expect(cni.title).toBe('Cilium is not ready on 4 of 4 nodes (DaemonSet kube-system/cilium: 0/4 ready)');
    expect(cni.detail).toMatch(/2 CrashLoopBackOff \(cilium-\w+, cilium-\w+\), 2 Running but not ready/);
    expect(find('PROBE_FAILING', /^cilium-/).every((f) => f.title.startsWith('Startup probe'))).toBe(true);
  });

  it("quotes the CCM's dial tcp 10.96.0.1:443: i/o timeout from its previous log", () => {
    const [ccm] = find('API_SERVER_UNREACHABLE');
    expect(ccm!.subject.name).toMatch(/^nutanix-cloud-controller-manager-/);
    expect(ccm!.title).toContain('dial tcp 10.96.0.1:443: i/o timeout');
    expect(ccm!.evidence[0]!.source).toMatch(/pods\/logs\/kube-system\/nutanix-cloud-controller-manager-[^/]+\/nutanix-cloud-controller-manager-previous\.log$/);
    expect(ccm!.evidence[0]!.text).toContain('dial tcp 10.96.0.1:443: i/o timeout');
  });

  it('finds the uninitialized taints on the control plane and on the workers', () => {
    const nodes = find('NODE_UNINITIALIZED');
    expect(nodes).toHaveLength(4);
    const controlPlane = nodes.filter((f) => !/-md-0-/.test(f.subject.name));
    const workers = nodes.filter((f) => /-md-0-/.test(f.subject.name));
    expect(controlPlane).toHaveLength(1);
    expect(controlPlane[0]!.detail).toContain('carries node.cloudprovider.kubernetes.io/uninitialized:');
    expect(workers).toHaveLength(3);
    for (const w of workers) expect(w.detail).toContain('carries node.cloudprovider.kubernetes.io/uninitialized and node.cluster.x-k8s.io/uninitialized');
  });

  it('finds the Pending konnector-agent, CSI precheck and cilium-operator pods blocked by the taints', () => {
    const pending = find('POD_UNSCHEDULABLE').map((f) => f.subject.name);
    expect(pending).toEqual(expect.arrayContaining([
      expect.stringMatching(/^konnector-agent-/), expect.stringMatching(/^nutanix-csi-precheck-job-/), expect.stringMatching(/^cilium-operator-/),
    ]));
    const csi = find('POD_UNSCHEDULABLE', /^nutanix-csi-precheck-job-/)[0]!;
    expect(csi.detail).toContain('node.cluster.x-k8s.io/uninitialized');
    expect(csi.causedBy.map((id) => byId(id).code)).toContain('NODE_UNINITIALIZED');
    const csiHrp = find('HRP_FAILED', 'nutanix-csi-storage-dm-nkp-workload-1-kxh46')[0]!;
    expect(csiHrp.causedBy).toContain(csi.id);
  });

  it('names Cilium as the root cause and the circular dependency with the edge to break', () => {
    const roots = report.rootCauses.map(byId);
    expect(roots.length).toBeGreaterThan(0);
    for (const root of roots) expect(root.subject.name).toMatch(/^cilium-/);
    expect(report.cycles).toHaveLength(1);
    const cycleCodes = new Set(report.cycles[0]!.map((id) => byId(id).code));
    expect([...cycleCodes].sort()).toEqual(['API_SERVER_UNREACHABLE', 'CNI_NOT_READY', 'NODE_UNINITIALIZED', 'POD_CRASHLOOP', 'POD_UNSCHEDULABLE', 'WORKLOAD_UNAVAILABLE']);
    // The chain, link by link: CNI → API → CCM crash → taints → unschedulable hook pod → HRP.
    const chainOf = (f: ReportFinding, code: string) => f.causedBy.map(byId).find((c) => c.code === code);
    const hook = find('POD_UNSCHEDULABLE', /^nutanix-csi-precheck-job-/)[0]!;
    const node = chainOf(hook, 'NODE_UNINITIALIZED')!;
    const ccmDeployment = chainOf(node, 'WORKLOAD_UNAVAILABLE')!;
    const ccmCrash = chainOf(ccmDeployment, 'POD_CRASHLOOP')!;
    const api = chainOf(ccmCrash, 'API_SERVER_UNREACHABLE')!;
    expect(chainOf(api, 'CNI_NOT_READY')!.subject.name).toBe('cilium');
  });

  it('writes a Markdown report shaped like the hand-written one, with commands that use the real names and kubeconfigs', () => {
    for (const heading of ['## Summary', '## Root Cause Analysis', '## Causal Chain', '### Circular dependency', '## Detailed Findings', '### Failed HRPs', '### Failed HCPs', '## Recommended Fixes', '## Verification Commands', '## Prevention']) {
      expect(markdown).toContain(heading);
    }
    expect(markdown).toContain('Three HelmReleaseProxies (HRPs) are failing on dm-nkp-workload-1:');
    expect(markdown).toContain('Root cause: Cilium (DaemonSet kube-system/cilium)');
    expect(markdown).toMatch(/Cilium not ready, crashes →\ncloud controller manager cannot reach the API, crashes →\n4 nodes stay uninitialized \(taints\) →\n5 pods cannot be scheduled →\nHelm hooks time out →\n3 HelmReleaseProxies failed/);
    expect(markdown).toContain('| cilium-dm-nkp-workload-1-kbx8x | dm-dev-workspace | dm-nkp-workload-1 | failed | HelmInstallOrUpgradeFailed | post-upgrade hooks failed: timed out waiting for condition |');
    expect(markdown).toContain('kubectl rollout restart daemonset/cilium -n kube-system --kubeconfig=/Users/someone/ws/nkp/dm-nkp-workload-1.kubeconfig');
    expect(markdown).toMatch(/kubectl taint nodes dm-nkp-workload-1-md-0-\S+ node\.cluster\.x-k8s\.io\/uninitialized- --kubeconfig=\/Users\/someone\/ws\/nkp\/dm-nkp-workload-1\.kubeconfig/);
    expect(markdown).toContain('kubectl delete helmreleaseproxy nutanix-csi-storage-dm-nkp-workload-1-kxh46 -n dm-dev-workspace --kubeconfig=/Users/someone/ws/nkp/dm-nkp-mgmt-1.conf --context=dm-nkp-mgmt-1-admin@dm-nkp-mgmt-1');
    expect(markdown).toMatch(/```mermaid\nflowchart TD\n  g1\["Cilium not ready, crashes"\]\n/);
    expect(markdown).toContain('  class g1 root');
    const steps = [...markdown.matchAll(/^### Step \d+: (.*)$/gm)].map((m) => m[1]);
    expect(steps).toEqual([
      'Fix Cilium (DaemonSet kube-system/cilium)',
      'Fix cloud controller manager (Deployment kube-system/nutanix-cloud-controller-manager)',
      'Break the circular dependency (workaround): Node taints on dm-nkp-workload-1',
      'Retry the failed HelmReleaseProxies',
    ]);
  });

  it('writes a self-contained HTML report with the same content', () => {
    expect(html).toContain('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'');
    expect(html).not.toMatch(/<script|<link |src="http|href="http|@import|url\((?!#)/i);
    expect(html).toContain('cilium-dm-nkp-workload-1-kbx8x');
    expect(html).toContain('dial tcp 10.96.0.1:443: i/o timeout');
    expect(html).toContain('Circular dependency');
    // The chain as a picture, laid out by the tool: an inline SVG, no script.
    expect(html).toMatch(/<figure class="graph"><svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="chain-graph"/);
    expect(html).toContain('>Cilium not ready, crashes</text>');
  });

  it('produces JSON that follows the report contract schema', async () => {
    const schema = JSON.parse(readText(join(SAMPLES, '..', 'schemas', 'report.schema.json')));
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.inputs).toEqual([{ path: join(SAMPLES, 'seed-incident.tgz'), kind: 'hrp-doctor' }]);
    expect(report.clusters.map((c) => [c.name, c.role])).toEqual([[MGMT, 'management'], [WORKLOAD, 'workload']]);
    expect(report.problems).toEqual([]);
  });

  it('gives the same diagnosis from the directory form as from the .tgz', () => {
    const fromDir = analyzeJson([join(SAMPLES, 'seed-incident')]);
    const diagnosisOf = (r: JsonReport) => ({ findings: r.findings, rootCauses: r.rootCauses, cycles: r.cycles, problems: r.problems });
    expect(diagnosisOf(fromDir)).toEqual(diagnosisOf(report));
  });
});
