import type { Diagnosis } from '../diagnosis/diagnose.js';
import type { Rule } from '../rules/types.js';
import type { Snapshot } from '../snapshot/snapshot.js';
import { terminalSafe } from './escape.js';
import type { AppliedSuppression } from './suppressions.js';

const xml = (text: string) =>
  terminalSafe(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

/**
 * JUnit XML, so CI systems show findings as failed tests: one suite per cluster, one test case
 * per finding (error and warning fail, info passes, suppressed ones are skipped), and one passing
 * case per rule that found nothing, so the dashboard also shows what was checked.
 */
export function renderJunit(snapshot: Snapshot, diagnosis: Diagnosis, rules: Rule[], generatedAt: Date, suppressed: ReadonlyMap<string, AppliedSuppression>): string {
  const suites = snapshot.clusters.map((cluster) => {
    const findings = diagnosis.findings.filter((f) => f.cluster === cluster.name);
    const cases = findings.map((f) => {
      const name = `${f.code} ${f.subject.kind} ${f.subject.namespace ? `${f.subject.namespace}/` : ''}${f.subject.name}`;
      const body = [f.detail, ...f.evidence.map((e) => `evidence (${e.source}): ${e.text}`), ...f.remediation.map((r) => `fix: ${r.text}${r.command ? `\n  ${r.command}` : ''}`)].join('\n');
      const skip = suppressed.get(f.id);
      let inner = '';
      if (skip) inner = `<skipped message="${xml(`suppressed: ${skip.reason}`)}"/>`;
      else if (f.severity !== 'info') inner = `<failure message="${xml(f.title)}" type="${f.severity}">${xml(body)}</failure>`;
      else inner = `<system-out>${xml(`${f.title}\n${body}`)}</system-out>`;
      return `    <testcase classname="hrp-doctor.${f.code}" name="${xml(name)}">${inner}</testcase>`;
    });
    const found = new Set(findings.map((f) => f.code));
    for (const rule of rules) {
      if (!found.has(rule.meta.code)) cases.push(`    <testcase classname="hrp-doctor.${rule.meta.code}" name="${xml(`${rule.meta.code}: ${rule.meta.title} — nothing found`)}"/>`);
    }
    const failures = findings.filter((f) => f.severity !== 'info' && !suppressed.has(f.id)).length;
    const skipped = findings.filter((f) => suppressed.has(f.id)).length;
    return `  <testsuite name="${xml(cluster.name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" timestamp="${generatedAt.toISOString().slice(0, 19)}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="hrp-doctor">\n${suites.join('\n')}\n</testsuites>\n`;
}
