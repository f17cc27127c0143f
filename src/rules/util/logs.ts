import type { LogTail } from '../../bundle/types.js';

/** Optional `kubectl logs --timestamps` prefix. */
const TIMESTAMP = String.raw`(?:\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d)?\s+)?`;

/** Lines that declare an error level: klog E/F, logfmt or JSON level, `[ERROR]`, or a line that starts with `Error:`, `panic:`, `fatal`. */
const EXPLICIT_ERROR: RegExp[] = [
  new RegExp(`^${TIMESTAMP}[EF]\\d{4}\\s`),
  /\blevel=(?:error|err|fatal|panic|crit|critical)\b/i,
  /"(?:level|severity|lvl)"\s*:\s*"(?:error|err|fatal|panic|crit|critical)"/i,
  new RegExp(`^${TIMESTAMP}(?:\\S+\\s+){0,3}\\[?(?:ERROR|FATAL|PANIC|CRIT(?:ICAL)?|ERR)\\]?[\\s:]`),
  new RegExp(`^${TIMESTAMP}(?:Error|ERROR|error|panic|fatal error|Fatal|FATAL)\\b:?`),
];

/** Lines that declare a lower level: whatever words they hold, they are not the error. */
const LOWER_LEVEL: RegExp[] = [
  new RegExp(`^${TIMESTAMP}[IWD]\\d{4}\\s`),
  /\blevel=(?:info|debug|warn|warning|trace)\b/i,
  /"(?:level|severity|lvl)"\s*:\s*"(?:info|debug|warn|warning|trace)"/i,
  new RegExp(`^${TIMESTAMP}(?:\\S+\\s+){0,3}\\[?(?:INFO|DEBUG|WARN|WARNING|TRACE|NOTICE)\\]?[\\s:]`),
];

/** Words that mention errors without reporting one. */
const NOT_AN_ERROR = /standard error|\bstderr\b|\berrors?[=:]\s*(?:nil|null|none|0|""|<nil>)|\b(?:0|no) errors?\b|without errors?/gi;
/** Usage text a CLI prints after a bad flag: its lines describe flags (`  --logtostderr  log to standard error ...`). */
const FLAG_HELP = /^\s*(?:-\w,\s+)?--[\w.-]+(?:[\s=]|$)/;
const ERROR_WORD = /\b(?:error|fatal|panic)\b/i;

/** How telling a log line is: 2 when it declares an error level, 1 when it only mentions an error, 0 otherwise. */
export function tellingScore(line: string): 0 | 1 | 2 {
  if (FLAG_HELP.test(line)) return 0;
  if (EXPLICIT_ERROR.some((re) => re.test(line))) return 2;
  if (LOWER_LEVEL.some((re) => re.test(line))) return 0;
  return ERROR_WORD.test(line.replace(NOT_AN_ERROR, '')) ? 1 : 0;
}

export function isTellingLine(line: string): boolean {
  return tellingScore(line) > 0;
}

/**
 * The most telling lines of a log: the last ones that declare an error level (klog `E1227`/`F1227`,
 * logfmt `level=error`, JSON levels, `Error:`/`panic:` at the start), else the last ones that mention
 * an error; usage text and lines of a lower level are never picked. Oldest first, at most `max`,
 * each capped in length.
 */
export function tellingLines(log: LogTail | undefined, max = 3, maxLength = 400): string[] {
  if (!log) return [];
  const pick = (minScore: 1 | 2) => {
    const picked: string[] = [];
    for (let i = log.lines.length - 1; i >= 0 && picked.length < max; i--) {
      const line = log.lines[i]?.trim() ?? '';
      if (line && tellingScore(line) >= minScore) picked.unshift(line.length > maxLength ? `${line.slice(0, maxLength - 1)}…` : line);
    }
    return picked;
  };
  const explicit = pick(2);
  return explicit.length > 0 ? explicit : pick(1);
}
