import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SEED = join(REPO, 'samples', 'seed-incident.tgz');
export const SEED_DIR = join(REPO, 'samples', 'seed-incident');
export const REAL_BUNDLES = resolve(REPO, '..', 'shared', 'real-bundles');
export const VELERO = join(REAL_BUNDLES, 'sbctl-kurl-velero.tar.gz');
export const OLD_LAYOUT = join(REAL_BUNDLES, 'troubleshoot-v0.50-old-layout.tar.gz');

export const MGMT = 'dm-nkp-mgmt-1';
export const WORKLOAD = 'dm-nkp-workload-1';
export const CCM_POD = 'nutanix-cloud-controller-manager-6d9f7c8b5-x2x4z';

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'hrp-doctor-serve-test-'));
}

/** The kubectl the tests drive: $KUBECTL, else `kubectl` on the PATH. */
export const KUBECTL = process.env['KUBECTL'] ?? 'kubectl';

function findKubectl(): boolean {
  try {
    execFileSync(KUBECTL, ['version', '--client'], { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

/** False only when kubectl is not installed; CI installs it. */
export const HAVE_KUBECTL = findKubectl();

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A kubeconfig file and a private discovery cache, so runs never touch ~/.kube. */
export class Kubectl {
  readonly dir = tempDir();
  readonly kubeconfig: string;

  constructor(kubeconfigText: string) {
    this.kubeconfig = join(this.dir, 'kubeconfig.yaml');
    writeFileSync(this.kubeconfig, kubeconfigText);
  }

  /** Runs `kubectl --kubeconfig F [--context C] ARGS`; resolves with the exit code and output, never rejects on failure. */
  run(context: string | undefined, args: string[], timeoutMs = 30_000, kubeconfig = this.kubeconfig): Promise<Run> {
    const full = ['--kubeconfig', kubeconfig, '--cache-dir', join(this.dir, 'cache'), ...(context ? ['--context', context] : []), ...args];
    return new Promise((resolvePromise) => {
      execFile(
        KUBECTL,
        full,
        { timeout: timeoutMs, maxBuffer: 64 << 20, env: { ...process.env, KUBECONFIG: '', NO_COLOR: '1' } },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
          resolvePromise({ code, stdout: String(stdout), stderr: String(stderr) });
        },
      );
    });
  }
}

/** GET with an Accept header; the JSON body when there is one. */
export async function getJson(url: string, accept?: string): Promise<{ status: number; contentType: string; body: any }> {
  const res = await fetch(url, accept ? { headers: { accept } } : {});
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // plain text (logs)
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body };
}
