/**
 * Decompression bombs through the CLI, run as a child process with its peak RSS measured: reading
 * stops at the limit with a problem that names the flag, in bounded memory and time.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, test } from 'vitest';
import { node } from '../fixtures/k8s.js';
import { analyzeAll, cleanupTemps, expectCleanExit, makeTar, nativeBundle, runCli, tempDir } from './helpers.js';

afterAll(cleanupTemps);

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** A ustar header for a regular file of `size` bytes (base-256 size field beyond what 11 octal digits hold). */
function tarHeader(name: string, size: number): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write('0000644\0', 100, 'latin1');
  h.write('0000000\0', 108, 'latin1');
  h.write('0000000\0', 116, 'latin1');
  if (size < 8 * GiB) {
    h.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  } else {
    h[124] = 0x80;
    let n = size;
    for (let i = 135; i > 124; i--, n = Math.floor(n / 256)) h[i] = n % 256;
  }
  h.write('00000000000\0', 136, 'latin1');
  h.write('0', 156, 'latin1');
  h.write('ustar\0' + '00', 257, 'latin1');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return h;
}

/** 64 MiB of zeros as one gzip member (~64 KB): concatenated members are one valid gzip stream. */
let zeros64: Buffer | undefined;
const zeroMember = () => (zeros64 ??= gzipSync(Buffer.alloc(64 * MiB), { level: 9 }));

/**
 * A .tgz: `head` (a tar, gzip-compressed as is), then each bomb entry: a header declaring `size`
 * bytes and that many zeros, as repeated gzip members. Nothing of it is ever held uncompressed.
 */
function bombFile(head: Buffer | undefined, bombs: { name: string; size: number }[]): { path: string; bytes: number } {
  const parts: Buffer[] = head ? [gzipSync(head)] : [];
  for (const bomb of bombs) {
    parts.push(gzipSync(tarHeader(bomb.name, bomb.size)));
    for (let left = bomb.size; left > 0; left -= 64 * MiB) parts.push(left >= 64 * MiB ? zeroMember() : gzipSync(Buffer.alloc(left)));
  }
  const path = join(tempDir(), 'bomb.tgz');
  const data = Buffer.concat(parts);
  writeFileSync(path, data);
  return { path, bytes: data.length };
}

const TOP = 'hrp-doctor-hostile-20260101T000000Z';
const LOGS = `${TOP}/clusters/wl/cluster-resources/pods/logs/kube-system/bomb`;

async function headTar(): Promise<Buffer> {
  return makeTar(nativeBundle([{ name: 'wl', role: 'workload', files: { 'nodes.json': [node('n1'), node('n2', { ready: false })] } }]));
}

describe('a gzip bomb at the default limits', () => {
  test('expands past 8 GiB: stops at the limit with a problem naming the flag, in bounded memory and time', async () => {
    const head = await headTar();
    // Six logs of 1.5 GiB of zeros each (9 GiB in all), under the per-entry limit: each is read.
    const bomb = bombFile(head, Array.from({ length: 6 }, (_, i) => ({ name: `${LOGS}/c${i}.log`, size: 1.5 * GiB })));
    expect(bomb.bytes).toBeLessThan(12 * MiB);

    const baselinePath = join(tempDir(), 'head.tgz');
    writeFileSync(baselinePath, gzipSync(head));
    const out = tempDir();
    const baseline = runCli(['analyze', baselinePath, '-f', 'json', '-o', join(out, 'base.json')], { measure: true });
    expect(baseline.status).toBe(0);

    const run = runCli(['analyze', bomb.path, '-f', 'json', '-o', join(out, 'bomb.json')], { measure: true });
    console.log(
      `gzip bomb: ${(bomb.bytes / MiB).toFixed(1)} MiB file declaring 9 GiB; exit ${run.status} after ${run.ms} ms; ` +
        `peak RSS ${Math.round(run.maxRssKiB! / 1024)} MiB (same bundle without the bomb: ${Math.round(baseline.maxRssKiB! / 1024)} MiB in ${baseline.ms} ms)`,
    );
    expectCleanExit(run);
    expect(run.status).toBe(0);
    const report = JSON.parse((await import('node:fs')).readFileSync(join(out, 'bomb.json'), 'utf8')) as { problems: { source: string; message: string }[]; clusters: { name: string }[] };
    expect(report.problems.filter((p) => p.source === '').map((p) => p.message)).toEqual([
      'stopped after 8 GiB decompressed (--max-total-bytes); what was read before is analysed, the rest of the input was not read',
    ]);
    // What came before the bomb is analysed.
    expect(report.clusters.map((c) => c.name)).toEqual(['wl']);
    // Bounded memory: the bomb adds next to nothing to what the bundle costs anyway.
    expect(run.maxRssKiB).toBeDefined();
    expect(run.maxRssKiB! / 1024).toBeLessThan(300);
    expect(run.maxRssKiB! - baseline.maxRssKiB!).toBeLessThan(128 * 1024);
    // Bounded time: the limit is reached at gunzip speed.
    expect(run.ms).toBeLessThan(60_000);
  });
});

describe('bombs at lowered limits', () => {
  test('a bomb before anything bundle-like: exit 2, one line naming the file, the limit and the flag', () => {
    const bomb = bombFile(undefined, [{ name: 'huge.bin', size: 2 * GiB }]);
    const run = runCli(['analyze', bomb.path, '--max-total-bytes', '128MiB', '-o', join(tempDir(), 'r.md')], { measure: true });
    expectCleanExit(run);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`hrp-doctor: ${bomb.path}: stopped after 128 MiB decompressed (--max-total-bytes), before any bundle content was found\n`);
    expect(run.maxRssKiB! / 1024).toBeLessThan(300);
  });

  test('one entry larger than --max-entry-bytes is skipped (its bytes still count toward the total)', async () => {
    const bomb = bombFile(await headTar(), [{ name: `${LOGS}/big.log`, size: 300 * MiB }, { name: `${LOGS}/after.log`, size: 1 * MiB }]);
    const { run, json } = analyzeAll([bomb.path], ['--max-entry-bytes', '256MiB']);
    expectCleanExit(run);
    expect(json!.problems.map((p) => `${p.source}: ${p.message}`)).toEqual([`${LOGS}/big.log: entry is 300 MiB, larger than the limit of 256 MiB (--max-entry-bytes); skipped`]);
  });

  test('an entry declaring more than 8 GiB (base-256 size) is refused by its header alone', async () => {
    const bomb = bombFile(await headTar(), [{ name: `${LOGS}/huge.log`, size: 20 * GiB }]);
    const { run, json } = analyzeAll([bomb.path], ['--max-total-bytes', '256MiB']);
    expectCleanExit(run);
    expect(run.status).toBe(0);
    expect(json!.problems.map((p) => p.message)).toEqual([
      'entry is 20 GiB, larger than the limit of 2 GiB (--max-entry-bytes); skipped',
      'stopped after 256 MiB decompressed (--max-total-bytes); what was read before is analysed, the rest of the input was not read',
    ]);
  });

  test('a JSON resource file of endless whitespace, and one of endless nesting', async () => {
    const head = await headTar();
    const cr = `${TOP}/clusters/wl/cluster-resources`;
    for (const [name, prefix, fill] of [['pods/default.json', '{"kind":"PodList","items":[', 0x20], ['pods/kube-system.json', '[', 0x5b]] as const) {
      const size = 512 * MiB;
      const parts = [gzipSync(head), gzipSync(Buffer.concat([tarHeader(`${cr}/${name}`, size), Buffer.from(prefix)]))];
      const member = gzipSync(Buffer.alloc(64 * MiB, fill), { level: 9 });
      for (let left = size - prefix.length; left > 0; left -= 64 * MiB) parts.push(left >= 64 * MiB ? member : gzipSync(Buffer.alloc(left, fill)));
      const path = join(tempDir(), 'json-bomb.tgz');
      writeFileSync(path, Buffer.concat(parts));
      const run = runCli(['analyze', path, '-f', 'json', '-o', join(tempDir(), 'r.json')], { measure: true });
      expectCleanExit(run, name);
      expect(run.status, name).toBe(0);
      expect(run.maxRssKiB! / 1024, name).toBeLessThan(300);
      expect(run.ms, name).toBeLessThan(30_000);
    }
  });
});
