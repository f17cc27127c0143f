/**
 * Temporary files the collector must never leave behind: the workload kubeconfig taken from the
 * CAPI secret (credentials!), the spool folder, the unfinished bundle. Each is registered in a
 * `Cleanup` and removed on every exit path: normal end, error, SIGINT/SIGTERM, process exit.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class Cleanup {
  private readonly paths = new Set<string>();
  private readonly onExit = () => this.runSync();

  constructor() {
    process.on('exit', this.onExit);
  }

  /** Removes `path` (file or folder) at the latest when the collection ends. */
  add(path: string): void {
    this.paths.add(path);
  }

  /** Removes one registered path now. */
  remove(path: string): void {
    rmSync(path, { recursive: true, force: true });
    this.paths.delete(path);
  }

  /** Removes everything still registered (synchronous: also usable from an 'exit' handler). */
  runSync(): void {
    for (const path of this.paths) {
      try {
        rmSync(path, { recursive: true, force: true });
      } catch {
        // best effort: nothing else can be done while exiting
      }
    }
    this.paths.clear();
  }

  dispose(): void {
    this.runSync();
    process.off('exit', this.onExit);
  }
}

/** A private folder (0700) under the system temp folder, removed with the cleanup. */
export function privateTempDir(cleanup: Cleanup, prefix: string, base = tmpdir()): string {
  const dir = mkdtempSync(join(base, prefix));
  cleanup.add(dir);
  return dir;
}

/**
 * Decodes the `value` key of a CAPI `<cluster>-kubeconfig` secret (base64, as
 * `kubectl get secret -o jsonpath={.data.value}` prints it) and writes it to a 0600 file in its own
 * 0700 folder. Returns the file's path; the folder is registered for removal.
 */
export function writeWorkloadKubeconfig(cleanup: Cleanup, base64Value: string, clusterName: string, base = tmpdir()): string {
  const text = Buffer.from(base64Value.trim(), 'base64').toString('utf8');
  if (!/\bclusters\s*:/.test(text) && !/"clusters"\s*:/.test(text)) {
    throw new Error('the secret\'s value is not a kubeconfig');
  }
  const dir = privateTempDir(cleanup, 'hrp-doctor-kubeconfig-', base);
  const file = join(dir, `${clusterName.replace(/[^A-Za-z0-9._-]/g, '_')}.kubeconfig`);
  writeFileSync(file, text, { mode: 0o600, flag: 'wx' });
  return file;
}
