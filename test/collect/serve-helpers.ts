/** Shared by the collect ↔ serve integration tests: a served bundle, the real kubectl, sample copies. */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBundleServer, type BundleServer, type FaultRule } from '../../src/serve/server.js';
import { realKubectl, SAMPLES, tempDir } from './helpers.js';

export const SEED_TGZ = join(SAMPLES, 'seed-incident.tgz');
export const SEED_DIR = join(SAMPLES, 'seed-incident');
export const MGMT = 'dm-nkp-mgmt-1';
export const WORKLOAD = 'dm-nkp-workload-1';
export const NAMESPACE = 'dm-dev-workspace';

export interface Served {
  server: BundleServer;
  kubeconfig: string;
  dir: string;
  /** Environment for kubectl: its discovery cache in the test's folder, not in ~/.kube. */
  env: NodeJS.ProcessEnv;
  kubectl: string;
}

export function kubectlOrFail(): string {
  const kubectl = realKubectl();
  if (!kubectl) throw new Error('kubectl is not on PATH: the collect ↔ serve tests run the real kubectl (Debian/Ubuntu: apt-get install kubernetes-client)');
  return kubectl;
}

export async function serve(bundle: string, faults: FaultRule[] = [], kubeconfigText?: (served: string) => string): Promise<Served> {
  const kubectl = kubectlOrFail();
  const server = await startBundleServer({ bundles: [{ path: bundle }], port: 0, faults });
  const dir = tempDir();
  const kubeconfig = join(dir, 'served.kubeconfig');
  writeFileSync(kubeconfig, kubeconfigText ? kubeconfigText(server.kubeconfig) : server.kubeconfig, { mode: 0o600 });
  return { server, kubeconfig, dir, env: { ...process.env, KUBECONFIG: '', KUBECACHEDIR: join(dir, 'kube-cache') }, kubectl };
}

/** A private copy of the seed sample's bundle directory (the folder holding manifest.json). */
export function copySeed(): { dir: string; root: string } {
  const dir = tempDir();
  cpSync(SEED_DIR, dir, { recursive: true });
  const top = readdirSync(dir)[0]!;
  return { dir, root: join(dir, top) };
}

export function readJson<T = any>(path: string): T { // eslint-disable-line @typescript-eslint/no-explicit-any
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}
