import Handlebars from 'handlebars';
import { readAsset } from '../assets.js';
import { colours } from './colour.js';
import { markdownCell, markdownCode, markdownFence, markdownText, terminalSafe } from './escape.js';
import type { DiffReport } from '../diff/compare.js';
import type { ReportModel } from './model.js';

type Render<M> = (model: M) => string;

function compile<M>(file: string, options: { markdown: boolean }): Render<M> {
  const hb = Handlebars.create();
  // Markdown escapers only where they are meant: a helper shadows a field of the same name, and the
  // HTML templates print findings' `{{code}}` (which rendered as "`[object Object]`" otherwise).
  if (options.markdown) {
    hb.registerHelper('md', (text: unknown) => markdownText(String(text ?? '')));
    hb.registerHelper('cell', (text: unknown) => markdownCell(String(text ?? '')));
    hb.registerHelper('code', (text: unknown) => markdownCode(String(text ?? '')));
    hb.registerHelper('fence', function (this: unknown, language: unknown, opts: Handlebars.HelperOptions) {
      return `${markdownFence(opts.fn(this).replace(/^\n+|\n+$/g, ''), typeof language === 'string' ? language : '')}\n\n`;
    });
  }
  hb.registerHelper('raw', (text: unknown) => String(text ?? ''));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('inc', (n: unknown) => Number(n) + 1);
  const source = readAsset(`templates/${file}`);
  // Markdown has no HTML escaping to fall back on: every value goes through md/cell/code/fence explicitly.
  const template = hb.compile(source, { noEscape: options.markdown });
  return (model) => template(withoutControlCharacters(model));
}

/** Control characters and ANSI sequences from the bundle have no place in any report. */
function withoutControlCharacters<T>(value: T): T {
  if (typeof value === 'string') return terminalSafe(value) as T;
  if (Array.isArray(value)) return value.map(withoutControlCharacters) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutControlCharacters(v)])) as T;
  }
  return value;
}

let markdown: Render<ReportModel> | undefined;
let html: Render<ReportModel> | undefined;
let diffMarkdown: Render<DiffReport> | undefined;
let diffHtml: Render<DiffReport> | undefined;

export function renderMarkdown(model: ReportModel): string {
  markdown ??= compile('report.md.hbs', { markdown: true });
  return markdown(model).replace(/\n{3,}/g, '\n\n');
}

export function renderHtml(model: ReportModel): string {
  html ??= compile('report.html.hbs', { markdown: false });
  return html(model);
}

export function renderDiffMarkdown(diff: DiffReport): string {
  diffMarkdown ??= compile('diff.md.hbs', { markdown: true });
  return diffMarkdown(diff).replace(/\n{3,}/g, '\n\n');
}

export function renderDiffHtml(diff: DiffReport): string {
  diffHtml ??= compile('diff.html.hbs', { markdown: false });
  return diffHtml(diff);
}

/**
 * The few lines printed to the terminal after an analysis. With `colour` (a TTY without NO_COLOR,
 * see colour.ts) the status line is red, yellow or green and root-cause headings are bold.
 */
export function renderSummary(model: ReportModel, written: string[], options: { colour?: boolean } = {}): string {
  const c = colours(options.colour === true);
  const lines: string[] = [];
  /** Colour applied to a line after it was made terminal-safe (which would strip the codes). */
  const styles = new Map<number, (safeLine: string) => string>();
  const named = model.affectedClusters.slice(0, 3).join(', ') + (model.affectedClusters.length > 3 ? ` and ${model.affectedClusters.length - 3} more` : '');
  const where = model.affectedClusters.length > 0 ? ` on ${named}` : '';
  const statusColour = model.counts.error > 0 ? c.red : model.counts.warning > 0 ? c.yellow : c.green;
  styles.set(lines.length, statusColour);
  lines.push(`hrp-doctor: ${model.status}${where} (${model.counts.error} error, ${model.counts.warning} warning, ${model.counts.info} info)`);
  if (model.summary.items.length > 0) {
    lines.push(model.summary.intro);
    for (const item of model.summary.items) lines.push(`  - ${item.name ? `${item.name}: ` : ''}${item.text}`);
  }
  const MAX_ROOTS = 5;
  const MAX_EXAMPLES = 2;
  if (model.rootCauses.length > 0) {
    lines.push(model.rootCauses.length === 1 ? 'Root cause:' : 'Root causes:');
    for (const root of model.rootCauses.slice(0, MAX_ROOTS)) {
      const heading = terminalSafe(root.heading);
      styles.set(lines.length, (safeLine) => `  * ${c.bold(heading)}${safeLine.slice(4 + heading.length)}`);
      lines.push(`  * ${root.heading}: ${root.problem}`);
      for (const title of root.findings.slice(0, MAX_EXAMPLES)) lines.push(`      ${title}`);
      if (root.findings.length > MAX_EXAMPLES) lines.push(`      ... and ${root.findings.length - MAX_EXAMPLES} more`);
    }
    if (model.rootCauses.length > MAX_ROOTS) lines.push(`  ... and ${model.rootCauses.length - MAX_ROOTS} more`);
  }
  if (model.chain.steps.length > 1) lines.push(`Chain: ${model.chain.steps.join(' -> ')}`);
  for (const cycle of model.chain.cycles) lines.push(`Deadlock: ${cycle.steps.join(' -> ')}`);
  if (model.problems.length > 0) lines.push(`${model.problems.length} problem${model.problems.length === 1 ? '' : 's'} with the input (listed in the report)`);
  for (const file of written) lines.push(`Report: ${file}`);
  return lines.map((line, i) => (styles.get(i) ?? String)(terminalSafe(line))).join('\n') + '\n';
}
