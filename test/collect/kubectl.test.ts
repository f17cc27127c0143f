import { describe, expect, it } from 'vitest';
import { KubectlRunner, Pool, goMemoryLimitMiB, kubectlEnv } from '../../src/collect/kubectl.js';
import { fakeKubectl, tempDir } from './helpers.js';

describe('running kubectl', () => {
  it('returns stdout, the exit status and the duration', async () => {
    const fake = fakeKubectl(tempDir(), [{ match: '^get nodes', json: { items: [] } }]);
    const outcome = await new KubectlRunner(fake.path, process.env).run(['get', 'nodes'], { deadlineMs: 10_000 });
    expect(outcome).toMatchObject({ exitCode: 0, timedOut: false });
    expect(outcome.error).toBeUndefined();
    expect(JSON.parse(outcome.stdout!)).toEqual({ items: [] });
    expect(outcome.durationMs).toBeGreaterThan(0);
  });

  it('reports kubectl\'s error line on failure', async () => {
    const fake = fakeKubectl(tempDir(), [{ match: 'leases', stderr: 'Error from server (Forbidden): leases.coordination.k8s.io is forbidden: User "x" cannot list\n', exit: 1 }]);
    const outcome = await new KubectlRunner(fake.path, process.env).run(['get', 'leases', '-A'], { deadlineMs: 10_000 });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.error).toBe('Error from server (Forbidden): leases.coordination.k8s.io is forbidden: User "x" cannot list');
  });

  it('kills a kubectl that outlives its deadline, even one that ignores SIGTERM', async () => {
    const fake = fakeKubectl(tempDir(), [{ match: 'slow', sleepMs: 20_000, ignoreTerm: true }]);
    const started = Date.now();
    const outcome = await new KubectlRunner(fake.path, process.env).run(['get', 'slow'], { deadlineMs: 400 });
    const took = Date.now() - started;
    expect(outcome.timedOut).toBe(true);
    expect(outcome.exitCode).toBe(124);
    expect(outcome.error).toMatch(/timed out: kubectl did not finish within 0.4s and was killed/);
    expect(took).toBeLessThan(5000); // SIGTERM ignored, SIGKILL 2 s later
    // The process is gone.
    const pid = fake.calls()[0]?.pid;
    if (pid) expect(() => process.kill(pid, 0)).toThrow();
  });

  it('reports a kubectl killed by a signal', async () => {
    const fake = fakeKubectl(tempDir(), [{ match: 'pods', killSelf: 'SIGKILL' }]);
    const outcome = await new KubectlRunner(fake.path, process.env).run(['get', 'pods'], { deadlineMs: 10_000 });
    expect(outcome.exitCode).toBe(137);
    expect(outcome.error).toMatch(/killed by SIGKILL/);
  });

  it('reports a kubectl that cannot be started', async () => {
    const outcome = await new KubectlRunner('/nonexistent/kubectl', process.env).run(['version'], { deadlineMs: 1000 });
    expect(outcome.exitCode).toBe(127);
    expect(outcome.error).toMatch(/cannot run \/nonexistent\/kubectl: .*ENOENT/);
  });

  it('stops kubectl when the stdout consumer fails', async () => {
    const fake = fakeKubectl(tempDir(), [{ match: 'pods', stdout: 'x'.repeat(1_000_000), repeatStdout: 20 }]);
    const outcome = await new KubectlRunner(fake.path, process.env).run(['get', 'pods'], {
      deadlineMs: 10_000,
      consume: async (stdout) => {
        for await (const _ of stdout) throw new Error('not JSON');
      },
    });
    expect(outcome.error).toBe('not JSON');
    expect(outcome.exitCode).not.toBe(0);
  });

  it('stops when the collection is interrupted', async () => {
    const fake = fakeKubectl(tempDir(), [{ match: 'slow', sleepMs: 20_000 }]);
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 200);
    const outcome = await new KubectlRunner(fake.path, process.env).run(['get', 'slow'], { deadlineMs: 30_000, signal: abort.signal });
    expect(outcome).toMatchObject({ exitCode: 130, error: 'interrupted' });
  });

  it('passes the environment through (KUBECONFIG, auth plugins\' variables)', async () => {
    const fake = fakeKubectl(tempDir(), [{ match: '', stdout: '' }]);
    await new KubectlRunner(fake.path, { ...process.env, KUBECONFIG: '/somewhere/config' }).run(['version'], { deadlineMs: 10_000 });
    expect(fake.calls()[0]?.env.KUBECONFIG).toBe('/somewhere/config');
  });
});

describe('concurrency pool', () => {
  it('runs at most N kubectl calls at once, and all of them', async () => {
    const fake = fakeKubectl(tempDir(), [{ match: '', sleepMs: 300, stdout: 'ok' }]);
    const runner = new KubectlRunner(fake.path, process.env);
    const pool = new Pool(3);
    const outcomes = await Promise.all(Array.from({ length: 9 }, (_, i) => pool.run(() => runner.run(['get', `r${i}`], { deadlineMs: 10_000 }))));
    expect(outcomes.every((o) => o.exitCode === 0)).toBe(true);
    expect(pool.peak).toBe(3);
    // From the processes' own clocks: never more than 3 alive at once.
    const calls = fake.calls();
    expect(calls).toHaveLength(9);
    const overlap = Math.max(...calls.map((c) => calls.filter((d) => d.start <= c.start && d.end > c.start).length));
    expect(overlap).toBeLessThanOrEqual(3);
  });

  it('hands a finished slot to the next task without overshooting', async () => {
    const pool = new Pool(2);
    let active = 0;
    let peak = 0;
    const task = async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, Math.random() * 5));
      active--;
    };
    await Promise.all(Array.from({ length: 200 }, () => pool.run(task)));
    expect(peak).toBe(2);
  });

  it('rejects a nonsensical size', () => {
    expect(() => new Pool(0)).toThrow();
  });

  it('starts waiting tasks by priority, in order within a priority', async () => {
    const pool = new Pool(1);
    const order: string[] = [];
    let release!: () => void;
    const blocker = pool.run(() => new Promise<void>((r) => (release = r)));
    const queued = [
      pool.run(async () => void order.push('leaf-1'), 3),
      pool.run(async () => void order.push('unlocks-1'), 1),
      pool.run(async () => void order.push('logs'), 2),
      pool.run(async () => void order.push('unlocks-2'), 1),
      pool.run(async () => void order.push('path'), 0),
      pool.run(async () => void order.push('leaf-2'), 3),
    ];
    release();
    await Promise.all([blocker, ...queued]);
    expect(order).toEqual(['path', 'unlocks-1', 'unlocks-2', 'logs', 'leaf-1', 'leaf-2']);
    expect(pool.peak).toBe(1);
  });
});

describe('Go runtime settings of kubectl', () => {
  const machine = { memory: 24 * 2 ** 30, cores: 2 };

  it('turns the garbage collector off under a memory limit, and shares the cores, when the user set nothing', () => {
    const env = kubectlEnv({ PATH: '/bin', KUBECONFIG: '/k' }, 4, machine);
    expect(env).toEqual({ PATH: '/bin', KUBECONFIG: '/k', GOGC: 'off', GOMEMLIMIT: '512MiB', GOMAXPROCS: '1' });
    expect(kubectlEnv({}, 4, { memory: 16 * 2 ** 30, cores: 16 })['GOMAXPROCS']).toBe('4');
  });

  it('leaves GOGC and GOMEMLIMIT alone when the user set either, and GOMAXPROCS when set', () => {
    expect(kubectlEnv({ GOGC: '150' }, 4, machine)).toEqual({ GOGC: '150', GOMAXPROCS: '1' });
    expect(kubectlEnv({ GOMEMLIMIT: '2GiB' }, 4, machine)).toEqual({ GOMEMLIMIT: '2GiB', GOMAXPROCS: '1' });
    expect(kubectlEnv({ GOMAXPROCS: '8' }, 4, machine)).toEqual({ GOGC: 'off', GOMEMLIMIT: '512MiB', GOMAXPROCS: '8' });
    // An empty value is unset, for Go too.
    expect(kubectlEnv({ GOGC: '' }, 4, machine)['GOGC']).toBe('off');
  });

  it('gives each concurrent kubectl a share of half the memory, from 64 to 512 MiB', () => {
    expect(goMemoryLimitMiB(4, 24 * 2 ** 30)).toBe(512);
    expect(goMemoryLimitMiB(16, 4 * 2 ** 30)).toBe(128);
    expect(goMemoryLimitMiB(64, 2 * 2 ** 30)).toBe(64);
  });
});
