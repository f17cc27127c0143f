import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInputs } from '../../src/bundle/read.js';
import type { ReadProgress } from '../../src/bundle/types.js';
import { RecordingSink } from './helpers.js';

const SEED = new URL('../../samples/seed-incident', import.meta.url).pathname;

function fileBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((sum, e) => sum + (e.isDirectory() ? fileBytes(join(dir, e.name)) : statSync(join(dir, e.name)).size), 0);
}

describe('reading progress', () => {
  it('reports every entry once, with the bytes read so far', async () => {
    const seen: ReadProgress[] = [];
    await readInputs([{ path: SEED }], new RecordingSink(), undefined, { progress: (p) => seen.push({ ...p }) });
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.map((p) => p.entries)).toEqual(seen.map((_, i) => i + 1));
    expect(seen.every((p, i) => i === 0 || p.bytes >= seen[i - 1]!.bytes)).toBe(true);
    expect(seen.at(-1)!.bytes).toBe(fileBytes(SEED));
    expect(new Set(seen.map((p) => p.input))).toEqual(new Set([SEED]));
    expect(seen.some((p) => /cluster-resources\/pods\//.test(p.current))).toBe(true);
  });
});
