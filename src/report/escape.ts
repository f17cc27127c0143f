/**
 * Escaping for each place a string from the bundle can land. Bundle text is attacker-controlled
 * (pod names, event messages, Helm errors, logs): it must never change the layout it sits in.
 */

// eslint-disable-next-line no-control-regex
// Bidirectional overrides are stripped too: they make a name display reordered ("Trojan Source").
const CONTROL = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** For the terminal: drops ANSI escape sequences and control characters (keeps newlines and tabs). */
export function terminalSafe(text: string): string {
  return text.replace(CONTROL, '');
}

/** Markdown prose: escapes what starts emphasis, code, links, HTML, entities, tables or (at the start) a block. */
export function markdownText(text: string): string {
  return terminalSafe(text)
    .replace(/\r?\n/g, ' ')
    .replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([#+=-]|\d+[.)])/, (_m, space: string, marker: string) => `${space}${marker.replace(/([#+=.)-])$/, '\\$1')}`)
    // GitHub and GitLab turn bare URLs into links: an escaped colon or dot keeps them text.
    .replace(/\b([a-z][a-z0-9+.-]*):\/\//gi, '$1\\://')
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}\\.`);
}

/** A Markdown table cell: one line, pipes escaped. */
export function markdownCell(text: string): string {
  return markdownText(text);
}

/** Inline code that cannot be closed early: the fence is longer than any backtick run inside. */
export function markdownCode(text: string): string {
  const clean = terminalSafe(text).replace(/\r?\n/g, ' ');
  if (clean === '') return '';
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  // Inside a table cell a pipe would still end the cell, even in code.
  return `${fence}${pad}${clean.replaceAll('|', '\\|')}${pad}${fence}`;
}

/** A fenced code block whose fence no line inside can close. */
export function markdownFence(body: string, language = ''): string {
  const clean = terminalSafe(body);
  const longest = Math.max(2, ...(clean.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${clean}\n${fence}`;
}
