import { RULES } from '../rules/index.js';

/** The rule catalog, for `hrp-doctor rules` and docs/rules.md. */
export function renderRuleCatalog(format: 'text' | 'md' | 'json'): string {
  const metas = RULES.map((r) => r.meta);
  if (format === 'json') return `${JSON.stringify(metas, null, 2)}\n`;
  if (format === 'md') {
    const rows = metas.map((m) => `| \`${m.code}\` | ${m.severity} | ${m.title} | ${m.docs.replaceAll('|', '\\|')} |`);
    return ['| Code | Default severity | Title | What it means |', '|------|------------------|-------|---------------|', ...rows].join('\n') + '\n';
  }
  const width = Math.max(...metas.map((m) => m.code.length));
  return metas.map((m) => `${m.code.padEnd(width)}  ${m.severity.padEnd(7)}  ${m.title}\n${' '.repeat(width + 11)}${m.docs}`).join('\n') + '\n';
}
