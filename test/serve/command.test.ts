import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UnreadableInputError } from '../../src/bundle/types.js';
import { UsageError } from '../../src/cli/errors.js';
import { runServeCommand } from '../../src/serve/server.js';
import { getJson, MGMT, SEED, tempDir, VELERO, WORKLOAD } from './helpers.js';

/** Starts the command, waits for its cluster lines, and returns what it printed and how to stop it. */
async function start(args: { bundles: string[]; kubeconfigOut?: string; env?: NodeJS.ProcessEnv }, clusters: number) {
  const out: string[] = [];
  const controller = new AbortController();
  const done = runServeCommand({ ...args, stdout: (s) => out.push(s), signal: controller.signal, env: args.env ?? {} });
  const failed = done.then(() => 'finished early');
  for (let i = 0; i < 300 && out.filter((l) => /context \S+: kubectl/.test(l)).length < clusters; i++) {
    const early = await Promise.race([failed, new Promise((r) => setTimeout(() => r(undefined), 20))]);
    if (early) throw new Error(`serve ended before printing its clusters: ${out.join('')}`);
  }
  const url = /http:\/\/127\.0\.0\.1:\d+/.exec(out.join(''))![0];
  return { out, url, stop: () => controller.abort(), done };
}

describe('runServeCommand', () => {
  it('writes the kubeconfig, prints one line per context, serves until stopped, returns 0', async () => {
    const kubeconfigOut = join(tempDir(), 'kubeconfig.yaml');
    const { out, url, stop, done } = await start({ bundles: [SEED, `edge-17=${VELERO}`], kubeconfigOut }, 3);
    const text = out.join('');
    expect(text).toContain(`kubeconfig written to ${kubeconfigOut}`);
    for (const context of [MGMT, WORKLOAD, 'edge-17']) {
      expect(text).toContain(`context ${context}: kubectl --kubeconfig ${kubeconfigOut} --context ${context} get pods -A`);
    }
    const kubeconfig = readFileSync(kubeconfigOut, 'utf8');
    expect(kubeconfig).toContain(`server: ${url}/clusters/edge-17`);
    expect(statSync(kubeconfigOut).mode & 0o077).toBe(0);
    expect((await getJson(`${url}/clusters/edge-17/version`)).body.gitVersion).toBe('v1.23.5');
    stop();
    expect(await done).toBe(0);
    await expect(fetch(`${url}/clusters/${MGMT}/version`)).rejects.toThrow();
  });

  it('without --kubeconfig-out, stdout is the kubeconfig followed by YAML comments', async () => {
    const { out, stop, done } = await start({ bundles: [SEED] }, 2);
    const text = out.join('');
    expect(text).toMatch(/^apiVersion: v1\nkind: Config\n/);
    const after = text.slice(text.indexOf('preferences: {}\n') + 'preferences: {}\n'.length);
    for (const line of after.trim().split('\n')) expect(line).toMatch(/^# /);
    stop();
    expect(await done).toBe(0);
  });

  it('reads fault rules from HRP_DOCTOR_SERVE_FAULTS', async () => {
    const faults = JSON.stringify([{ cluster: WORKLOAD, pathRegex: '^/api/v1/nodes$', status: 403 }]);
    const { out, url, stop, done } = await start({ bundles: [SEED], env: { HRP_DOCTOR_SERVE_FAULTS: faults } }, 2);
    expect(out.join('')).toContain('1 fault rule(s) from HRP_DOCTOR_SERVE_FAULTS');
    const { status, body } = await getJson(`${url}/clusters/${WORKLOAD}/api/v1/nodes`);
    expect(status).toBe(403);
    expect(body.message).toBe('nodes is forbidden: User "system:anonymous" cannot list resource "nodes" in API group "" at the cluster scope');
    stop();
    expect(await done).toBe(0);
  });

  it('bad fault rules, ports and kubeconfig paths are usage errors; unreadable bundles are UnreadableInputError', async () => {
    const base = { bundles: [SEED], stdout: () => {}, env: {} };
    await expect(runServeCommand({ ...base, env: { HRP_DOCTOR_SERVE_FAULTS: '[{"pathRegex":"x"}]' } })).rejects.toThrow(UsageError);
    await expect(runServeCommand({ ...base, env: { HRP_DOCTOR_SERVE_FAULTS: 'nope' } })).rejects.toThrow(/HRP_DOCTOR_SERVE_FAULTS: fault plan is not valid JSON/);
    await expect(runServeCommand({ ...base, port: 70000 })).rejects.toThrow(UsageError);
    await expect(runServeCommand({ ...base, kubeconfigOut: join(tempDir(), 'missing', 'dir', 'kc.yaml') })).rejects.toThrow(/cannot write the kubeconfig/);
    await expect(runServeCommand({ ...base, bundles: [join(tempDir(), 'nope.tgz')] })).rejects.toThrow(UnreadableInputError);
  });
});
