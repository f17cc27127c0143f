import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonItemSplitter, type JsonSplitterOptions } from '../../src/bundle/json-items.js';

interface Result {
  items: { value: unknown; pointer: string }[];
  problems: { message: string; pointer?: string }[];
}

function split(chunks: Buffer[], options: JsonSplitterOptions): Result {
  const result: Result = { items: [], problems: [] };
  const splitter = new JsonItemSplitter({
    item: (value, pointer) => result.items.push({ value, pointer }),
    problem: (message, pointer) => result.problems.push(pointer === undefined ? { message } : { message, pointer }),
  }, options);
  for (const chunk of chunks) {
    splitter.push(chunk);
    if (splitter.failed) break;
  }
  if (!splitter.failed) splitter.end();
  return result;
}

function chunked(text: string, cuts: number[]): Buffer[] {
  const bytes = Buffer.from(text);
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const cut of [...at, bytes.length]) {
    chunks.push(bytes.subarray(from, cut));
    from = cut;
  }
  return chunks.filter((c) => c.length > 0);
}

/** Both ways of finding elements give the same elements and the same problems. */
function same(text: string, cuts: number[], options: Omit<JsonSplitterOptions, 'indentedFastPath'>): void {
  const fast = split(chunked(text, cuts), { ...options, indentedFastPath: true });
  const scanned = split(chunked(text, cuts), { ...options, indentedFastPath: false });
  expect(fast).toEqual(scanned);
}

const pod = (i: number, extra: unknown = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${i}`, labels: { app: 'x', note: 'a } b { [ ]' } }, spec: { containers: [{ name: 'c', args: ['--x={"a":[1]}', ''] }] }, status: { phase: 'Running', conditions: [] }, ...extra as object });
const list = (items: unknown[], indent: number | string) => JSON.stringify({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } }, null, indent);
const deep = (levels: number): unknown => (levels === 0 ? 'bottom' : { x: deep(levels - 1) });

describe('pretty-printed Lists: the fast path finds what the byte scan finds', () => {
  it('on kubectl-like output, in chunks of every size', () => {
    const text = list(Array.from({ length: 40 }, (_, i) => pod(i)), 4);
    fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 30 }), (cuts) => same(text, cuts, { maxObjectBytes: 1 << 20, maxDepth: 100 })), { numRuns: 200 });
  });

  it('on defects: invalid elements, non-objects, too deep, too large, too many, hidden depth on one line, truncation', () => {
    const pretty = list([pod(0), 42, pod(1, { spec: deep(30) }), pod(2), 'text', null, pod(3, { big: 'y'.repeat(3000) }), {}, [], pod(4)], 2);
    const broken = pretty.replace('"p-2"', '"p-2" oops');
    // Deep nesting on one line inside a pretty-printed element: indentation says nothing of it.
    const hidden = pretty.replace('"phase": "Running"', `"phase": "Running", "hidden": ${JSON.stringify(deep(40))}`);
    // A key given twice: the text nests deeply, the value (last one wins) does not.
    const twice = pretty.replace('"kind": "Pod",', `"kind": "Pod", "d": ${JSON.stringify(deep(40))}, "d": 1,`);
    const truncated = pretty.slice(0, Math.floor(pretty.length * 0.7));
    for (const text of [pretty, broken, hidden, truncated, list([pod(0)], '\t'), list([pod(0), pod(1)], 0)]) {
      fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 12 }), fc.constantFrom(2000, 1 << 20), fc.constantFrom(8, 20, 100), fc.constantFrom(3, 100), (cuts, maxObjectBytes, maxDepth, maxItems) =>
        same(text, cuts, { maxObjectBytes, maxDepth, maxItems })), { numRuns: 60 });
    }
    // The one difference, and why it is harmless: the duplicate key's deep value never reaches the
    // sink (JSON.parse keeps the last), so the fast path keeps the element the scan would skip.
    const fast = split([Buffer.from(twice)], { maxObjectBytes: 1 << 20, maxDepth: 20, indentedFastPath: true });
    const scanned = split([Buffer.from(twice)], { maxObjectBytes: 1 << 20, maxDepth: 20, indentedFastPath: false });
    expect(scanned.problems.filter((p) => /nests deeper/.test(p.message))).toHaveLength(2);
    expect(fast.problems.filter((p) => /nests deeper/.test(p.message))).toHaveLength(1);
    expect(fast.items.find((i) => i.pointer === '/items/0')?.value).toMatchObject({ d: 1 });
  });

  it('gives up on files it keeps missing in (all elements empty, or closers indented otherwise)', () => {
    const misindented = list(Array.from({ length: 60 }, (_, i) => pod(i)), 4).replace(/\n {8}\}/g, '\n      }');
    same(misindented, [], { maxObjectBytes: 1 << 20, maxDepth: 100 });
    same(list(Array.from({ length: 60 }, () => ({})), 4), [], { maxObjectBytes: 1 << 20, maxDepth: 100 });
  });
});
