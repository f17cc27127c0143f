/**
 * How the reader words a limit it hit: the amount in units a person reads, and the flag that
 * raises it, e.g. `stopped after 8 GiB decompressed (--max-total-bytes)`.
 */
import { LIMIT_FLAGS, type ReaderLimits } from './types.js';

const UNITS = ['KiB', 'MiB', 'GiB', 'TiB'] as const;

/** `8 GiB`, `1.5 MiB`, `512 bytes`: binary units, at most one decimal, no trailing `.0`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const rounded = Math.round(value * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)} ${UNITS[unit]}`;
}

/** `1,000,000`. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** `1 object`, `1,000,000 objects`; `1 entry`, `500,000 entries`. */
export function counted(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** ` (--max-total-bytes)`, or '' for a limit without a flag. */
export function flagNote(limit: keyof ReaderLimits): string {
  const flag = LIMIT_FLAGS[limit];
  return flag ? ` (${flag})` : '';
}

/**
 * Names in messages come from the bundle: control characters (terminal escapes, newlines) are
 * shown as `\\u001b`-style escapes so that a message stays one harmless line wherever it is printed.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
