import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../cli/errors.js';
import type { Diagnosis, Finding } from '../diagnosis/diagnose.js';
import type { Suppression, SuppressionConfig } from '../schema/generated.js';
import { validatorFor } from '../schema/validate.js';

export interface AppliedSuppression {
  reason: string;
  expires?: string;
}

export interface SuppressionResult {
  /** Finding id → why it is suppressed. */
  suppressed: Map<string, AppliedSuppression>;
  /** Suppressions past their expiry date, which no longer apply: the report says so. */
  expired: Suppression[];
}

/** Reads and validates a suppression file; a bad file is a usage error naming the file and the reason. */
export function loadSuppressions(path: string): Suppression[] {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'), { maxAliasCount: 100 }) ?? {};
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message.split('\n')[0];
    throw new UsageError(`${path}: cannot read suppressions (${reason})`);
  }
  const issues = validatorFor('suppressions.schema.json')(raw);
  if (issues.length > 0) throw new UsageError(`${path}: invalid suppressions at ${issues[0]!.pointer || '/'}: ${issues[0]!.message}`);
  const suppressions = (raw as SuppressionConfig).suppressions ?? [];
  suppressions.forEach((s, i) => {
    if (!s.code && !s.subject) throw new UsageError(`${path}: suppression ${i + 1} names neither a code nor a subject`);
  });
  return suppressions;
}

function glob(pattern: string | undefined, value: string | undefined): boolean {
  if (pattern === undefined) return true;
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.')}$`);
  return re.test(value ?? '');
}

function matches(s: Suppression, f: Finding): boolean {
  return (s.code === undefined || s.code === f.code) &&
    glob(s.cluster, f.cluster) &&
    (s.subject?.kind === undefined || s.subject.kind === f.subject.kind) &&
    glob(s.subject?.namespace, f.subject.namespace) &&
    glob(s.subject?.name, f.subject.name);
}

/** Which findings the suppressions silence, as of `today` (YYYY-MM-DD). */
export function applySuppressions(diagnosis: Diagnosis, suppressions: Suppression[], today: string): SuppressionResult {
  const active = suppressions.filter((s) => !s.expires || s.expires > today);
  const expired = suppressions.filter((s) => s.expires && s.expires <= today);
  const suppressed = new Map<string, AppliedSuppression>();
  for (const finding of diagnosis.findings) {
    const rule = active.find((s) => matches(s, finding));
    if (rule) suppressed.set(finding.id, { reason: rule.reason, ...(rule.expires ? { expires: rule.expires } : {}) });
  }
  return { suppressed, expired };
}
