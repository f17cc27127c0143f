import { writeFileSync } from 'node:fs';
import { analyzeInputs } from '../analyze.js';
import { compareAnalyses } from '../diff/compare.js';
import { renderDiffHtml, renderDiffMarkdown } from '../report/render.js';
import { parseBundleArg } from './analyze-command.js';
import { UsageError } from './errors.js';

export interface DiffOptions {
  before: string;
  after: string;
  format: 'md' | 'html' | 'json';
  output?: string;
  now: Date;
  stdout: (text: string) => void;
}

/** `hrp-doctor diff before.tgz after.tgz`: what a fix changed. Exit 1 when the after side has new findings. */
export async function runDiff(options: DiffOptions): Promise<number> {
  const before = await analyzeInputs([parseBundleArg(options.before)]);
  const after = await analyzeInputs([parseBundleArg(options.after)]);
  const diff = compareAnalyses(before, after, { before: [options.before], after: [options.after] }, options.now);
  const text = options.format === 'json' ? `${JSON.stringify(diff, null, 2)}\n` : options.format === 'html' ? renderDiffHtml(diff) : renderDiffMarkdown(diff);
  if (!options.output || options.output === '-') {
    options.stdout(text);
  } else {
    try {
      writeFileSync(options.output, text);
    } catch (error) {
      throw new UsageError(`${options.output}: cannot write the diff (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    options.stdout(`hrp-doctor: ${diff.resolved.length} resolved, ${diff.new.length} new, ${diff.unchanged.length} still present\nDiff: ${options.output}\n`);
  }
  return diff.new.some((f) => f.severity !== 'info') ? 1 : 0;
}
