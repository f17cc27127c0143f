import type { LogTail } from '../../bundle/types.js';

/** Optional `kubectl logs --timestamps` prefix. */
const TIMESTAMP = String.raw`(?:\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d)?\s+)?`;
const TELLING: RegExp[] = [
  /\b(?:error|fatal|panic)\b/i,
  /\blevel=(?:error|fatal|panic)\b/i,
  new RegExp(`^${TIMESTAMP}[EF]\\d{4}\\s`),
];

export function isTellingLine(line: string): boolean {
  return TELLING.some((re) => re.test(line));
}

/**
 * The most telling lines of a log: the last ones that report an error, fatal or panic (plain
 * words, logfmt `level=error`, klog `E1227`/`F1227`), oldest first, at most `max`; each capped in length.
 */
export function tellingLines(log: LogTail | undefined, max = 3, maxLength = 400): string[] {
  if (!log) return [];
  const picked: string[] = [];
  for (let i = log.lines.length - 1; i >= 0 && picked.length < max; i--) {
    const line = log.lines[i]?.trim() ?? '';
    if (line && isTellingLine(line)) picked.unshift(line.length > maxLength ? `${line.slice(0, maxLength - 1)}…` : line);
  }
  return picked;
}
