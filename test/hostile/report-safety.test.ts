/**
 * Report safety: every string from the bundle is escaped for where it lands. A bundle whose names,
 * messages, logs, kubeconfig paths and entry names carry an XSS / Markdown / terminal / shell
 * injection corpus is analysed by the CLI; the HTML, the Markdown, the terminal summary and the
 * copy-pasteable commands are checked directly, and against the same bundle with harmless text in
 * the same places: the layout must be the same.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { JsonReport } from '../../src/schema/generated.js';
import { capiCluster, event, hcp, hrp, node, pod, unschedulablePod, workload } from '../fixtures/k8s.js';
import { XSS_CORPUS } from './corpus.js';
import { TOP, analyzeAll, cleanupTemps, expectCleanExit, gzip, makeTar, nativeBundle, runCli, tempDir, type CliRun, type TarEntrySpec } from './helpers.js';

afterAll(cleanupTemps);

const ALL = XSS_CORPUS.join(' ~ ');
/**
 * The same places with harmless text of the corpus's exact shape (same length, same `/` and line
 * ends, every other special character an `x`): the findings, truncations and de-duplications are
 * the same, so the layout must be identical.
 */
const BENIGN = ALL.replace(/[^A-Za-z0-9 /\n]/g, 'x');
/** For names that become paths (pod, container): everything but `/` and newlines. */
const pathSafe = (text: string) => text.replace(/[/\n\r]/g, '-');

function scenario(text: string): { entries: TarEntrySpec[] } {
  const t = (key: string) => `${key}-${text}`;
  const n = (key: string) => pathSafe(t(key));
  const ns = n('ns');
  const podName = n('cilium-pod');
  const container = n('agent');
  const hookMessage = `post-upgrade hooks failed: timed out waiting for the condition ${t('helm')}`;
  const failedHrp = hrp(n('hrp'), ns, { cluster: 'wl', hcp: n('hcp'), releaseName: n('release'), helmStatus: 'failed', conditions: [{ type: 'Ready', status: 'False', reason: 'HelmInstallOrUpgradeFailed', message: hookMessage }] as never });
  const crashing = pod(podName, 'kube-system', {
    node: n('node'), labels: { 'k8s-app': 'cilium' },
    owner: { kind: 'DaemonSet', name: 'cilium' },
    containers: [{ name: container, ready: false, restartCount: 30, waiting: { reason: 'CrashLoopBackOff', message: t('waiting') }, lastTerminated: { reason: 'Error', exitCode: 1, message: t('terminated') } }],
  });
  const deploy = n('deploy');
  const rs = `${deploy}-5d9f`;
  const taint = { key: 'node.cloudprovider.kubernetes.io/uninitialized', value: t('taint'), effect: 'NoSchedule' };
  const entries = nativeBundle(
    [
      {
        name: t('mgmt'), dir: 'mgmt', role: 'management', kubeconfig: `/home/u/${t('kubeconfig')}.conf`, context: t('context'),
        files: {
          [`custom-resources/helmreleaseproxies.addons.cluster.x-k8s.io/${ns}.json`]: [failedHrp],
          [`custom-resources/helmchartproxies.addons.cluster.x-k8s.io/${ns}.json`]: [hcp(n('hcp'), ns, { conditions: [{ type: 'Ready', status: 'False', reason: 'HelmReleaseProxiesReady', message: t('hcp-message') }] as never })],
          [`custom-resources/clusters.cluster.x-k8s.io/${ns}.json`]: [capiCluster('wl', ns)],
        },
      },
      {
        name: t('wl'), dir: 'wl', role: 'workload', capiCluster: { namespace: ns, name: 'wl' }, kubeconfig: `/home/u/${t('wl-kubeconfig')}.conf`,
        files: {
          'nodes.json': [node(n('node'), { taints: [taint], ready: false, readyMessage: t('node-message') })],
          'pods/kube-system.json': [
            crashing,
            unschedulablePod(`${rs}-x7k2q`, 'kube-system', `0/1 nodes are available: 1 node(s) had untolerated taint {node.cloudprovider.kubernetes.io/uninitialized: true} ${t('sched')}`, { owner: { kind: 'ReplicaSet', name: rs } }),
          ],
          'daemonsets/kube-system.json': [workload('DaemonSet', 'cilium', 'kube-system', { desired: 1, ready: 0 })],
          'deployments/kube-system.json': [workload('Deployment', deploy, 'kube-system', { desired: 1, ready: 0 })],
          'replicasets/kube-system.json': [workload('ReplicaSet', rs, 'kube-system', { desired: 1, ready: 0, owner: { kind: 'Deployment', name: deploy } })],
          'events/kube-system.json': [event({ kind: 'Pod', name: podName, namespace: 'kube-system' }, 'BackOff', `Back-off restarting failed container ${t('event')}`, { count: 40 })],
        },
      },
    ],
    [
      { name: `${TOP}/clusters/wl/cluster-resources/pods/logs/kube-system/${podName}/${container}-previous.log`, content: `level=fatal msg="unable to reach the API server: dial tcp 10.96.0.1:443: i/o timeout ${t('log')}"\n` },
      // Problems whose file names and messages carry the corpus.
      { name: `${TOP}/clusters/wl/cluster-resources/configmaps/${n('entry')}.json`, content: `{"kind": ${t('json')}` },
      { name: `${TOP}/clusters/wl/cluster-resources/secrets/${n('link')}.json`, type: 'symlink', linkname: `/etc/${t('target')}` },
    ],
  );
  return { entries };
}

interface Rendered {
  run: CliRun;
  json: JsonReport;
  md: string;
  html: string;
}

async function render(text: string): Promise<Rendered> {
  const dir = tempDir();
  const path = join(dir, 'bundle.tgz');
  writeFileSync(path, gzip(await makeTar(scenario(text).entries)));
  const { run, json, md, html } = analyzeAll([path]);
  expectCleanExit(run);
  expect(run.status).toBe(0);
  return { run, json: json!, md: md!, html: html! };
}

let hostile: Rendered;
let benign: Rendered;
beforeAll(async () => {
  [hostile, benign] = await Promise.all([render(ALL), render(BENIGN)]);
});

// ---- HTML ----

/** Every tag with its attribute names and the values of the attributes that are structure, not text. */
function tags(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<\/?([a-zA-Z][\w-]*)([^>]*)>/g)) {
    const attrs = [...m[2]!.matchAll(/([\w-]+)(?:="([^"]*)")?/g)].map((a) => (['class', 'href', 'id', 'http-equiv', 'name', 'charset', 'lang'].includes(a[1]!) ? `${a[1]}=${a[2] ?? ''}` : a[1]!));
    out.push(`${m[0].startsWith('</') ? '/' : ''}${m[1]!.toLowerCase()}[${attrs.join(',')}]`);
  }
  return out;
}

describe('HTML', () => {
  test('the corpus is in the page, as text', () => {
    expect(hostile.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(hostile.html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(2)&gt;');
  });

  test('no element, attribute or URL came from the bundle: the markup is the one of the harmless bundle', () => {
    expect(tags(hostile.html)).toEqual(tags(benign.html));
    expect(hostile.html).not.toMatch(/<(script|img|iframe|frame|base|object|embed|link|foreignObject|animate|set)\b/i);
    expect(hostile.html.match(/<svg\b/g)?.length ?? 0).toBe(benign.html.match(/<svg\b/g)?.length ?? 0);
    // Inside tags (a `<` in text is escaped, so every `<` opens a tag the template wrote):
    expect(hostile.html).not.toMatch(/<[^>]*\son\w+\s*=/i);
    expect(hostile.html).not.toMatch(/<[^>]*(href|src|action)\s*=\s*["']?\s*(javascript|data|https?):/i);
    expect(hostile.html.match(/<style\b/g)).toHaveLength(1);
  });

  test('one Content-Security-Policy that forbids script and loads nothing external, before any bundle text', () => {
    const csp = [...hostile.html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/g)];
    expect(csp).toHaveLength(1);
    const policy = csp[0]![1]!;
    expect(policy).toContain("default-src 'none'");
    expect(policy).not.toMatch(/script-src|unsafe-eval|https?:|\*/);
    expect(csp[0]!.index).toBeLessThan(hostile.html.indexOf('<title>'));
  });

  test('no control characters or terminal escapes', () => {
    // eslint-disable-next-line no-control-regex
    expect(hostile.html).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});

// ---- Markdown ----

/** The Markdown with code spans and fenced blocks removed (inside them text is shown, not interpreted). */
function outsideCode(md: string): string {
  return md.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '').replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, '');
}

/**
 * What each line is, as a Markdown renderer sees its start: heading level, table row and its cells,
 * fence, list, quote, text. The lines inside one fenced block count as one (a quoted argument may
 * hold line ends; inside a fence they are code).
 */
function layout(md: string): string[] {
  let fence = '';
  const kinds = md.split('\n').map((line) => {
    const f = /^(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (f && f[0] === fence[0] && f.length >= fence.length && line.trim() === f) fence = '';
      return fence ? 'code' : 'fence-end';
    }
    if (f) {
      fence = f;
      return 'fence-start'; // its length grows with the backtick runs inside: that is the escaping
    }
    if (/^#{1,6}\s/.test(line)) return `h${/^#+/.exec(line)![0].length}`;
    if (line.startsWith('|')) return `row:${line.replace(/`+[^`]*`+/g, '').replace(/\\\|/g, '').split('|').length}`;
    if (/^\s*([-*+]|\d+[.)])\s/.test(line)) return 'list';
    if (/^\s*>/.test(line)) return 'quote';
    if (/^\s{4}/.test(line)) return 'indented-code';
    return line.trim() === '' ? 'blank' : 'text';
  });
  return kinds.filter((kind, i) => kind !== 'code' || kinds[i - 1] !== 'code');
}

describe('Markdown', () => {
  test('the layout is the one of the harmless bundle: no heading, row, cell, fence, list or quote added', () => {
    expect(layout(hostile.md)).toEqual(layout(benign.md));
  });

  test('outside code, no raw HTML, no link or image syntax, no entity, no emphasis from the bundle', () => {
    const text = outsideCode(hostile.md);
    expect(text).not.toMatch(/(?<!\\)</);
    expect(text).not.toMatch(/(?<!\\)\[/);
    expect(text).not.toMatch(/(?<!\\)\]\(/);
    expect(text).not.toMatch(/(?<!\\)&/);
    expect(text).not.toMatch(/(?<![\\*])\*(?!\*)(bold|x)/);
    expect(text).toContain('\\<script\\>alert(1)\\</script\\>');
  });

  test('inside code spans and fences the corpus is shown as text, and cannot close them early', () => {
    expect(hostile.md).toContain('<script>alert(1)</script>');
    // eslint-disable-next-line no-control-regex
    expect(hostile.md).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    const fences = layout(hostile.md).filter((l) => l.startsWith('fence'));
    expect(fences.length % 2).toBe(0);
  });

  // GitHub-flavoured Markdown turns bare URLs into live links: they must stay text.
  test('a bare URL from the bundle is not turned into a link by GFM autolinks', () => {
    const text = outsideCode(hostile.md);
    expect(text).not.toMatch(/(?<![\\\w])(https?:\/\/|www\.)evil\.example/);
  });

  test('a workload name from the bundle is in the Mermaid chart, inside its quotes', () => {
    const chart = /^```mermaid\n([\s\S]*?)\n```$/m.exec(hostile.md)?.[1];
    expect(chart).toBeDefined();
    const lines = chart!.split('\n');
    const named = lines.filter((l) => l.includes('deploy-'));
    expect(named).toHaveLength(1);
    // One node statement: `  gN["..."]`, no quote, backtick, angle bracket or line end inside the label.
    expect(named[0]).toMatch(/^ {2}g\d+\["[^"`<>]*"\]$/);
    expect(lines.length).toBe(/^```mermaid\n([\s\S]*?)\n```$/m.exec(benign.md)![1]!.split('\n').length);
  });

  // %% starts a Mermaid directive or comment: a label must not carry one.
  test('no Mermaid directive from the bundle reaches the chart', async () => {
    const directive = await render("%%{init: {'securityLevel': 'loose'}}%%");
    const chart = /^```mermaid\n([\s\S]*?)\n```$/m.exec(directive.md)![1]!;
    expect(chart).not.toContain('%%{');
  });
});

// ---- the terminal ----

describe('the terminal', () => {
  test('the summary carries no control characters or escape sequences', () => {
    expect(hostile.run.stdout).toContain('Report:');
    // eslint-disable-next-line no-control-regex
    expect(hostile.run.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });

  // Bidirectional overrides make a name display reordered (Trojan Source): they are stripped.
  test('bidirectional controls from the bundle do not reach the terminal', async () => {
    const spoof = await render('\u202eevil\u202c');
    expect(spoof.run.stdout).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
  });

  test('an unreadable input whose entry names carry escapes: one clean line on stderr', async () => {
    const dir = tempDir();
    const manifest = JSON.stringify({ format: 'hrp-doctor.bundle/v1', clusters: [] });
    const tar = await makeTar([{ name: 'b/manifest.json', content: manifest }, { name: 'b/\u001b[2J\u001b]0;pwned\u0007\nx.json', content: 'x'.repeat(4096) }]);
    const path = join(dir, 'cut.tar');
    writeFileSync(path, tar.subarray(0, 512 * 4));
    const run = runCli(['analyze', path, '-o', join(dir, 'r.md')]);
    expectCleanExit(run);
    expect(run.status).toBe(2);
    // eslint-disable-next-line no-control-regex
    expect(run.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(run.stderr).toContain('\\u001b[2J');
  });
});

// ---- commands ----

describe('copy-pasteable commands', () => {
  test('names from the bundle cannot run anything when a command is pasted into a shell', () => {
    // Each command of the JSON report, and each bash block of the Markdown as the script it is.
    const commands = [
      ...hostile.json.findings.flatMap((f) => f.remediation.flatMap((r) => (r.command ? [r.command] : []))),
      ...[...hostile.md.matchAll(/^(`{3,})bash\n([\s\S]*?)\n\1$/gm)].map((m) => m[2]!),
    ];
    expect(commands.length).toBeGreaterThan(5);
    expect(commands.some((c) => c.includes('PWNED'))).toBe(true); // the corpus is in them
    const cwd = tempDir();
    mkdirSync(join(cwd, 'sub'));
    for (const command of commands) {
      // kubectl is a no-op function here: only what the shell itself would run matters.
      execFileSync('bash', ['-c', `kubectl() { :; }\n${command}`], { cwd: join(cwd, 'sub'), stdio: 'pipe' });
    }
    expect(readdirSync(join(cwd, 'sub'))).toEqual([]);
    expect(existsSync(join(cwd, 'PWNED'))).toBe(false);
  });
});
