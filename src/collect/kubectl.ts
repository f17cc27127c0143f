/**
 * Runs the user's own `kubectl` (so every auth plugin, proxy and kubeconfig setting works) with a
 * hard deadline, and a concurrency pool to run several calls at once.
 */
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { availableParallelism, constants as osConstants, totalmem } from 'node:os';

export interface KubectlOutcome {
  /** kubectl's exit status; 124 when it was killed for running past its deadline, 128+N when killed by signal N, 127 when it could not be started. */
  exitCode: number;
  durationMs: number;
  /** What went wrong, in one or a few lines (kubectl's stderr, or why it was killed); absent on success. */
  error?: string;
  /** stdout, when no consumer was given (capped). */
  stdout?: string;
  timedOut: boolean;
}

export interface RunOptions {
  /** Kill kubectl after this many milliseconds (0: never). */
  deadlineMs: number;
  /**
   * Reads stdout as it arrives. When it throws, kubectl is killed and the error becomes the
   * outcome's error. Without one, stdout is collected as text (up to `maxTextBytes`).
   */
  consume?: (stdout: Readable) => Promise<void>;
  maxTextBytes?: number;
  signal?: AbortSignal;
}

const MAX_STDERR = 64 * 1024;
/** Time between SIGTERM and SIGKILL when kubectl is stopped. */
const KILL_ESCALATION_MS = 2000;

export class KubectlRunner {
  constructor(
    readonly binary: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  run(args: string[], options: RunOptions): Promise<KubectlOutcome> {
    const started = Date.now();
    return new Promise<KubectlOutcome>((resolve) => {
      if (options.signal?.aborted) {
        resolve({ exitCode: 130, durationMs: 0, error: 'not run: collection interrupted', timedOut: false });
        return;
      }
      let child;
      try {
        child = spawn(this.binary, args, { env: this.env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
      } catch (error) {
        resolve({ exitCode: 127, durationMs: Date.now() - started, error: `cannot run ${this.binary}: ${messageOf(error)}`, timedOut: false });
        return;
      }
      const stderr: Buffer[] = [];
      let stderrBytes = 0;
      const stdoutText: Buffer[] = [];
      let stdoutBytes = 0;
      let timedOut = false;
      let interrupted = false;
      let spawnError: Error | undefined;
      let consumerError: unknown;
      let escalation: NodeJS.Timeout | undefined;

      const stop = () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        escalation ??= setTimeout(() => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        }, KILL_ESCALATION_MS);
        escalation.unref?.();
      };
      const deadline = options.deadlineMs > 0
        ? setTimeout(() => {
          timedOut = true;
          stop();
        }, options.deadlineMs)
        : undefined;
      const onAbort = () => {
        interrupted = true;
        stop();
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });

      child.stderr.on('data', (chunk: Buffer) => {
        if (stderrBytes < MAX_STDERR) stderr.push(chunk);
        stderrBytes += chunk.length;
      });
      const consumed: Promise<void> = options.consume
        ? options.consume(child.stdout).catch((error: unknown) => {
          consumerError = error;
          stop();
          child.stdout.destroy();
        })
        : new Promise<void>((done) => {
          const cap = options.maxTextBytes ?? 16 * 1024 * 1024;
          child.stdout.on('data', (chunk: Buffer) => {
            stdoutBytes += chunk.length;
            if (stdoutBytes <= cap) stdoutText.push(chunk);
            else if (consumerError === undefined) {
              consumerError = new Error(`output larger than ${cap} bytes`);
              stop();
            }
          });
          child.stdout.on('close', () => done());
          child.stdout.on('error', () => done());
        });

      let closed = false;
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
        child.on('error', (error) => {
          spawnError = error;
          // 'close' may not follow a failed spawn.
          setTimeout(() => {
            if (!closed) done({ code: null, signal: null });
          }, 50).unref?.();
        });
        child.on('close', (code, signal) => {
          closed = true;
          done({ code, signal });
        });
      });

      void Promise.all([exited, consumed]).then(([{ code, signal }]) => {
        if (deadline) clearTimeout(deadline);
        if (escalation) clearTimeout(escalation);
        options.signal?.removeEventListener('abort', onAbort);
        const durationMs = Date.now() - started;
        const stderrText = Buffer.concat(stderr).toString('utf8');
        const outcome: KubectlOutcome = { exitCode: 0, durationMs, timedOut };
        if (spawnError) {
          outcome.exitCode = 127;
          outcome.error = `cannot run ${this.binary}: ${spawnError.message}`;
        } else if (timedOut) {
          outcome.exitCode = 124;
          outcome.error = `timed out: kubectl did not finish within ${Math.round(options.deadlineMs / 100) / 10}s and was killed${tail(stderrText) ? ` (${tail(stderrText)})` : ''}`;
        } else if (interrupted) {
          outcome.exitCode = 130;
          outcome.error = 'interrupted';
        } else if (consumerError !== undefined) {
          outcome.exitCode = code ?? signalStatus(signal);
          outcome.error = messageOf(consumerError);
        } else if (signal) {
          outcome.exitCode = signalStatus(signal);
          outcome.error = `kubectl was killed by ${signal}${tail(stderrText) ? `: ${tail(stderrText)}` : ''}`;
        } else if (code !== 0) {
          outcome.exitCode = code ?? 1;
          outcome.error = tail(stderrText) || `kubectl exited with status ${code}`;
        }
        if (!options.consume) outcome.stdout = Buffer.concat(stdoutText).toString('utf8');
        resolve(outcome);
      });
    });
  }
}

function signalStatus(signal: NodeJS.Signals | null): number {
  if (!signal) return 1;
  const number = (osConstants.signals as Record<string, number | undefined>)[signal];
  return 128 + (number ?? 0);
}

/** The informative end of kubectl's stderr: the last few non-empty lines, without warnings about deprecated APIs. */
export function tail(stderr: string, maxChars = 2000): string {
  const lines = stderr.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !/^Warning: .* deprecated/.test(l));
  const text = lines.slice(-5).join(' | ');
  return text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * At most `size` tasks at once; the rest wait by priority (0 first), in order within a priority.
 * Priorities let the calls that other calls wait for (a workload cluster's kubeconfig and namespace
 * list, pod lists that name the logs to read) overtake the many calls nothing waits for, so the pool
 * stays full until the end instead of draining into one cluster's last calls.
 */
export class Pool {
  private active = 0;
  private readonly waiting: (() => void)[][] = [];
  /** Highest number of tasks that ran at the same time (for tests and the summary). */
  peak = 0;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`concurrency must be a positive integer, not ${size}`);
  }

  async run<T>(task: () => Promise<T>, priority = 0): Promise<T> {
    // A finishing task hands its slot straight to the next waiting one, so `active` never overshoots.
    if (this.active >= this.size) await new Promise<void>((go) => (this.waiting[priority] ??= []).push(go));
    else this.active++;
    this.peak = Math.max(this.peak, this.active);
    try {
      return await task();
    } finally {
      const next = this.next();
      if (next) next();
      else this.active--;
    }
  }

  private next(): (() => void) | undefined {
    for (const queue of this.waiting) {
      if (queue?.length) return queue.shift();
    }
    return undefined;
  }
}

/**
 * Go runtime settings for the kubectl children; each is left alone when the user set it.
 *
 * - `GOGC=off GOMEMLIMIT=<limit>` (unless GOGC or GOMEMLIMIT is set): a kubectl call is short, and
 *   by default Go collects garbage from a 4 MB heap on, 7–8 times during kubectl's start alone,
 *   about a quarter of a small call's CPU. With GOGC=off and a memory limit, a kubectl whose heap
 *   stays under the limit (nearly every call) never collects; one that reaches it collects to stay
 *   near it, so it holds about max(limit, its live data) where Go's default lets it grow to twice
 *   its live data. The limit is an equal share of half the machine's memory per concurrent call,
 *   at most 512 MiB and at least 64 MiB.
 * - `GOMAXPROCS=<cores / concurrency, at least 1>` (unless GOMAXPROCS is set): every Go program
 *   sizes its scheduler to all the machine's cores; `concurrency` kubectls doing so at once
 *   oversubscribe them (threads spinning for work, waking each other), which costs wall time when
 *   the cores are busy.
 */
export function kubectlEnv(env: NodeJS.ProcessEnv, concurrency: number, machine: { memory: number; cores: number } = { memory: totalmem(), cores: availableParallelism() }): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  if (!env['GOGC'] && !env['GOMEMLIMIT']) {
    out['GOGC'] = 'off';
    out['GOMEMLIMIT'] = `${goMemoryLimitMiB(concurrency, machine.memory)}MiB`;
  }
  if (!env['GOMAXPROCS']) out['GOMAXPROCS'] = String(Math.max(1, Math.floor(machine.cores / Math.max(1, concurrency))));
  return out;
}

/** The GOMEMLIMIT of each kubectl, in MiB (see kubectlEnv). */
export function goMemoryLimitMiB(concurrency: number, totalMemory: number): number {
  const share = Math.floor(totalMemory / 2 / Math.max(1, concurrency) / 2 ** 20);
  return Math.min(512, Math.max(64, share));
}
