import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeInputs, type AnalyzeProgress } from '../analyze.js';
import type { InputSpec, ReaderLimits } from '../bundle/types.js';
import { buildJsonReport } from '../report/json.js';
import { renderJunit } from '../report/junit.js';
import { applySuppressions, loadSuppressions } from '../report/suppressions.js';
import { RULES } from '../rules/index.js';
import { buildReportModel } from '../report/model.js';
import { renderHtml, renderMarkdown, renderSummary } from '../report/render.js';
import type { Severity } from '../schema/generated.js';
import { UsageError } from './errors.js';
import { describeProgress, ProgressLine, type Terminal } from './progress-line.js';

export type Format = 'md' | 'html' | 'json' | 'junit';
export const FORMATS: Format[] = ['md', 'html', 'json', 'junit'];
/** What is written when no format is asked for. */
const DEFAULT_FORMATS: Format[] = ['md', 'html', 'json'];
/** File name endings per format. */
const EXTENSION: Record<Format, string> = { md: 'md', html: 'html', json: 'json', junit: 'junit.xml' };
const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const DEFAULT_SUPPRESSIONS = '.hrp-doctor.yaml';

export interface AnalyzeOptions {
  bundles: string[];
  formats: Format[];
  output?: string;
  failOn?: Severity;
  /** A suppression file; undefined: `.hrp-doctor.yaml` in the working directory when there is one. */
  suppressions?: string;
  /** Ignore every suppression file. */
  noSuppressions?: boolean;
  now: Date;
  stdout: (text: string) => void;
  /** ANSI colours in the terminal summary (the caller decides: a TTY without NO_COLOR). */
  colour?: boolean;
  /** From the limit flags (--max-total-bytes...); the rest are the defaults. */
  limits?: Partial<ReaderLimits>;
  /** JSON files from this size are parsed in a worker thread; undefined: none. */
  parseWorkerMinBytes?: number;
  /** Where to show what a long analysis is doing (a terminal's stderr); absent: nowhere. */
  progress?: Terminal;
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

function formatOfPath(path: string): Format | undefined {
  if (/\.xml$/i.test(path)) return 'junit';
  return /\.(md|html|json)$/i.exec(path)?.[1]?.toLowerCase() as Format | undefined;
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
    const byExtension = formatOfPath(output);
    const chosen = explicit ?? (byExtension ? [byExtension] : DEFAULT_FORMATS);
    if (chosen.length === 1 && !isDirectory(output)) return [{ format: chosen[0]!, target: output }];
    return chosen.map((format) => ({ format, target: join(output, `report.${EXTENSION[format]}`) }));
  }
  const base = bundles[0]!.replace(/\/+$/, '');
  return (explicit ?? DEFAULT_FORMATS).map((format) => ({ format, target: `${base}.report.${EXTENSION[format]}` }));
}

export async function runAnalyze(options: AnalyzeOptions): Promise<number> {
  const inputs = options.bundles.map(parseBundleArg);
  const plan = planOutputs(options.bundles, options.formats, options.output);
  const suppressionFile = options.noSuppressions ? undefined : (options.suppressions ?? (existsSync(DEFAULT_SUPPRESSIONS) ? DEFAULT_SUPPRESSIONS : undefined));
  const suppressions = suppressionFile ? loadSuppressions(suppressionFile) : [];
  const line = options.progress ? new ProgressLine(options.progress) : undefined;
  let analysis;
  try {
    analysis = await analyzeInputs(inputs, {
      limits: options.limits,
      parseWorkerMinBytes: options.parseWorkerMinBytes,
      ...(line ? { progress: (p: AnalyzeProgress) => line.update(describeProgress(p), p.phase === 'diagnosing') } : {}),
    });
  } finally {
    line?.clear();
  }
  const { snapshot, diagnosis } = analysis;
  const suppression = applySuppressions(diagnosis, suppressions, options.now.toISOString().slice(0, 10));
  const model = buildReportModel(snapshot, diagnosis, options.now, suppression);
  const render: Record<Format, () => string> = {
    md: () => renderMarkdown(model),
    html: () => renderHtml(model),
    json: () => `${JSON.stringify(buildJsonReport(snapshot, diagnosis, options.now, suppression.suppressed), null, 2)}\n`,
    junit: () => renderJunit(snapshot, diagnosis, RULES, options.now, suppression.suppressed),
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
  if (written.length > 0) options.stdout(renderSummary(model, written, { colour: options.colour === true }));

  const threshold = options.failOn;
  const counting = diagnosis.findings.filter((f) => !suppression.suppressed.has(f.id));
  if (threshold && counting.some((f) => SEVERITY_RANK[f.severity] <= SEVERITY_RANK[threshold])) return 1;
  return 0;
}
