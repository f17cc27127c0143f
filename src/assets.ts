import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Templates and schemas ship as files next to the code (package root, two levels above this
 * module in src/ and dist/). The single-file build embeds them instead, as a map set by the
 * bundle's banner, so the same code reads them either way.
 */
declare global {
  // eslint-disable-next-line no-var
  var __HRP_DOCTOR_ASSETS__: Record<string, string> | undefined;
}

export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** An asset by its path from the package root, e.g. `templates/report.md.hbs`. */
export function readAsset(path: string): string {
  const embedded = globalThis.__HRP_DOCTOR_ASSETS__?.[path];
  return embedded ?? readFileSync(join(PACKAGE_ROOT, path), 'utf8');
}

/** Asset paths under a folder, for the schemas that are loaded as a set. */
export function listAssets(folder: string, suffix: string, readDir: (dir: string) => string[]): string[] {
  const embedded = globalThis.__HRP_DOCTOR_ASSETS__;
  // Direct children only, like readdir: `schemas` must not also list `schemas/kinds/*`.
  if (embedded) return Object.keys(embedded).filter((p) => p.startsWith(`${folder}/`) && !p.slice(folder.length + 1).includes('/') && p.endsWith(suffix)).sort();
  return readDir(join(PACKAGE_ROOT, folder)).filter((f) => f.endsWith(suffix)).sort().map((f) => `${folder}/${f}`);
}
