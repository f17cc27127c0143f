// What a user sees in a terminal: --help with examples for every command, and colours in the
// summary only on a TTY, never with NO_COLOR.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANSI, colours, NO_COLOURS, useColour } from '../../src/report/colour.js';
import { cleanEnv, REPO, run, SAMPLES, tempDir, which } from './helpers.js';

const BIN = join(REPO, 'bin', 'hrp-doctor.js');
const SEED = join(SAMPLES, 'seed-incident.tgz');
const SCRIPT = which('script');
const ESC = '\u001b';

const cli = (args: string[], env: Record<string, string | undefined> = {}) => run(process.execPath, [BIN, ...args], { cwd: REPO, env: cleanEnv(env) });

/** Runs the CLI under a pseudo-terminal (util-linux `script`), so that stdout.isTTY is true. */
function inTerminal(args: string[], env: Record<string, string | undefined> = {}) {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return run(SCRIPT!, ['-qec', command, '/dev/null'], { cwd: REPO, env: cleanEnv({ TERM: 'xterm', NO_COLOR: undefined, ...env }), stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('--help', () => {
  it('lists every command, with examples and the NO_COLOR note', () => {
    const help = cli(['--help']);
    expect(help.status, help.stderr).toBe(0);
    for (const command of ['analyze <bundles..>', 'diff <before> <after>', 'rules']) expect(help.stdout).toContain(`hrp-doctor ${command}`);
    expect(help.stdout).toContain('Examples:');
    expect(help.stdout).toContain('NO_COLOR');
  });

  it('shows examples in the help of every command it lists', () => {
    const help = cli(['--help']).stdout;
    const commands = [...help.slice(help.indexOf('Commands:'), help.indexOf('Options:')).matchAll(/^ {2}hrp-doctor ([a-z-]+)/gm)].map((m) => m[1]!);
    expect(commands).toEqual(expect.arrayContaining(['analyze', 'diff', 'rules']));
    for (const command of commands) {
      const own = cli([command, '--help']);
      expect(own.status, own.stderr).toBe(0);
      expect(own.stdout, `${command} --help`).toMatch(new RegExp(`Examples:\\n\\s+hrp-doctor ${command}`));
    }
  });
});

describe('colours', () => {
  it('are decided by isTTY, NO_COLOR (set and not empty) and TERM=dumb', () => {
    expect(useColour({ isTTY: false }, {})).toBe(false);
    expect(useColour({}, {})).toBe(false);
    expect(useColour({ isTTY: true }, {})).toBe(true);
    expect(useColour({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColour({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(useColour({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(colours(false)).toBe(NO_COLOURS);
    expect(colours(true).red('x')).toBe(`${ESC}[31mx${ESC}[39m`);
    expect(ANSI.bold('x')).toBe(`${ESC}[1mx${ESC}[22m`);
  });

  it('never reach a pipe: the summary of a non-TTY run has no escape code', () => {
    const out = tempDir();
    const result = cli(['analyze', SEED, '-o', out], { NO_COLOR: undefined });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^hrp-doctor: Multiple failures detected/);
    expect(result.stdout).not.toContain(ESC);
    expect(readdirSync(out).sort()).toEqual(['report.html', 'report.json', 'report.md']);
  });

  it.skipIf(!SCRIPT)('colour the summary on a terminal: red status, bold root-cause headings (skipped without util-linux script)', () => {
    const out = tempDir();
    const result = inTerminal(['analyze', SEED, '-o', out]);
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stdout.split(/\r?\n/);
    expect(lines[0]).toMatch(new RegExp(`^${ESC}\\[31mhrp-doctor: Multiple failures detected .*${ESC}\\[39m$`));
    expect(result.stdout).toContain(`  * ${ESC}[1mCilium (DaemonSet kube-system/cilium)${ESC}[22m: not ready, crashes`);
    expect(existsSync(join(out, 'report.md'))).toBe(true);
    // The reports themselves never carry colours.
    expect(run('grep', ['-rl', ESC, out]).stdout).toBe('');
  });

  it.skipIf(!SCRIPT)('honour NO_COLOR on a terminal', () => {
    const result = inTerminal(['analyze', SEED, '-o', tempDir()], { NO_COLOR: '1' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^hrp-doctor: Multiple failures detected/);
    expect(result.stdout).not.toContain(ESC);
  });

  it.skipIf(!SCRIPT)('show green for a healthy bundle', () => {
    const result = inTerminal(['analyze', join(SAMPLES, 'healthy.tgz'), '-o', tempDir()]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.startsWith(`${ESC}[32mhrp-doctor: `)).toBe(true);
  });
});
