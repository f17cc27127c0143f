/**
 * ANSI colours for the terminal summary, only where they belong: a terminal (isTTY) whose user did
 * not ask for none (NO_COLOR, https://no-color.org: set and not empty) and that can show them.
 */
export interface Colours {
  red: (text: string) => string;
  yellow: (text: string) => string;
  green: (text: string) => string;
  bold: (text: string) => string;
}

const sgr = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const plain = (text: string) => text;

export const ANSI: Colours = { red: sgr(31, 39), yellow: sgr(33, 39), green: sgr(32, 39), bold: sgr(1, 22) };
export const NO_COLOURS: Colours = { red: plain, yellow: plain, green: plain, bold: plain };

/** Whether output to this stream gets colours. */
export function useColour(stream: { isTTY?: boolean }, env: Record<string, string | undefined> = process.env): boolean {
  if (stream.isTTY !== true) return false;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  return env['TERM'] !== 'dumb';
}

export function colours(enabled: boolean): Colours {
  return enabled ? ANSI : NO_COLOURS;
}
