import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeInputs } from '../analyze.js';
import type { InputSpec } from '../bundle/types.js';
import { buildJsonReport } from '../report/json.js';
import { buildReportModel } from '../report/model.js';
import { renderHtml, renderMarkdown, renderSummary } from '../report/render.js';
import type { Severity } from '../schema/generated.js';
import { UsageError } from './errors.js';

export type Format = 'md' | 'html' | 'json';
export const FORMATS: Format[] = ['md', 'html', 'json'];
const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export interface AnalyzeOptions {
  bundles: string[];
  formats: Format[];
  output?: string;
  failOn?: Severity;
  now: Date;
  stdout: (text: string) => void;
}

/** `NAME=PATH` names the single cluster of a foreign bundle; a path may itself contain '=' only after a slash. */
export function parseBundleArg(arg: string): InputSpec {
  const match = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?)=(.+)$/.exec(arg);
  return match ? { path: match[3]!, clusterName: match[1]! } : { path: arg };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Decides which files get which format, following report-contract.md. */
export function planOutputs(bundles: string[], formats: Format[], output: string | undefined): { format: Format; target: string }[] {
  const explicit = formats.length > 0 ? [...new Set(formats)] : undefined;
  if (output === '-') {
    const chosen = explicit ?? ['md'];
    if (chosen.length > 1) throw new UsageError('--output - writes one format to standard output: give exactly one --format');
    return [{ format: chosen[0]!, target: '-' }];
  }
  if (output !== undefined) {
    const byExtension = /\.(md|html|json)$/i.exec(output)?.[1]?.toLowerCase() as Format | undefined;
    const chosen = explicit ?? (byExtension ? [byExtension] : FORMATS);
    if (chosen.length === 1 && !isDirectory(output)) return [{ format: chosen[0]!, target: output }];
    return chosen.map((format) => ({ format, target: join(output, `report.${format}`) }));
  }
  const base = bundles[0]!.replace(/\/+$/, '');
  return (explicit ?? FORMATS).map((format) => ({ format, target: `${base}.report.${format}` }));
}

export async function runAnalyze(options: AnalyzeOptions): Promise<number> {
  const inputs = options.bundles.map(parseBundleArg);
  const plan = planOutputs(options.bundles, options.formats, options.output);
  const { snapshot, diagnosis } = await analyzeInputs(inputs);
  const model = buildReportModel(snapshot, diagnosis, options.now);
  const render: Record<Format, () => string> = {
    md: () => renderMarkdown(model),
    html: () => renderHtml(model),
    json: () => `${JSON.stringify(buildJsonReport(snapshot, diagnosis, options.now), null, 2)}\n`,
  };

  const written: string[] = [];
  for (const { format, target } of plan) {
    const text = render[format]();
    if (target === '-') {
      options.stdout(text);
      continue;
    }
    try {
      if (plan.length > 1 && options.output !== undefined) mkdirSync(options.output, { recursive: true });
      writeFileSync(target, text);
    } catch (error) {
      throw new UsageError(`${target}: cannot write the report (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    written.push(target);
  }
  if (written.length > 0) options.stdout(renderSummary(model, written));

  const threshold = options.failOn;
  if (threshold && diagnosis.findings.some((f) => SEVERITY_RANK[f.severity] <= SEVERITY_RANK[threshold])) return 1;
  return 0;
}
