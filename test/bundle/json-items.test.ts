import { describe, expect, test } from 'vitest';
import { JsonItemSplitter, splitJsonBuffer } from '../../src/bundle/json-items.js';

const opts = { maxObjectBytes: 1 << 20 };

interface Result {
  items: { value: unknown; pointer: string }[];
  problems: { message: string; pointer?: string }[];
}

/** Feeds `chunks` one by one. */
function feed(chunks: Buffer[], maxObjectBytes = opts.maxObjectBytes): Result {
  const result: Result = { items: [], problems: [] };
  const splitter = new JsonItemSplitter(
    {
      item: (value, pointer) => result.items.push({ value, pointer }),
      problem: (message, pointer) => result.problems.push(pointer === undefined ? { message } : { message, pointer }),
    },
    { maxObjectBytes },
  );
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return result;
}

describe('JsonItemSplitter: shapes', () => {
  test('a List yields its items with /items/<i> pointers', () => {
    const r = splitJsonBuffer('{"apiVersion":"v1","kind":"List","items":[{"kind":"Pod","metadata":{"name":"a"}},{"kind":"Pod","metadata":{"name":"b"}}]}', opts);
    expect(r.problems).toEqual([]);
    expect(r.items).toEqual([
      { value: { kind: 'Pod', metadata: { name: 'a' } }, pointer: '/items/0' },
      { value: { kind: 'Pod', metadata: { name: 'b' } }, pointer: '/items/1' },
    ]);
  });

  test('a typed list with keys before and after items, pretty-printed', () => {
    const text = JSON.stringify(
      { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '687' }, items: [{ a: 1 }, { b: [1, 2, { c: null }] }], trailing: { x: [1, 2] } },
      null,
      4,
    );
    const r = splitJsonBuffer(text, opts);
    expect(r.problems).toEqual([]);
    expect(r.items.map((i) => i.value)).toEqual([{ a: 1 }, { b: [1, 2, { c: null }] }]);
  });

  test('a bare array yields /<i> pointers, including non-object elements', () => {
    const r = splitJsonBuffer('[ {"a":1} , 2, "three", null, true, -1.5e3, [4] ]', opts);
    expect(r.problems).toEqual([]);
    expect(r.items).toEqual([
      { value: { a: 1 }, pointer: '/0' },
      { value: 2, pointer: '/1' },
      { value: 'three', pointer: '/2' },
      { value: null, pointer: '/3' },
      { value: true, pointer: '/4' },
      { value: -1500, pointer: '/5' },
      { value: [4], pointer: '/6' },
    ]);
  });

  test('"items": null and "items": [] yield nothing and no problem', () => {
    for (const text of ['{"kind":"PodList","apiVersion":"v1","metadata":{},"items":null}', '{"kind":"List","items":[]}', '[]', '  [ ]  ']) {
      expect(splitJsonBuffer(text, opts)).toEqual({ items: [], problems: [] });
    }
  });

  test('a top-level object without items is emitted whole, pointer ""', () => {
    const r = splitJsonBuffer('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","items":[1]},"data":{"k":"v"}}', opts);
    expect(r.problems).toEqual([]);
    expect(r.items).toEqual([{ value: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', items: [1] }, data: { k: 'v' } }, pointer: '' }]);
  });

  test('only the top-level items key counts, even when spelled with an escape', () => {
    const r = splitJsonBuffer('{"metadata":{"items":[{"no":1}]},"it\\u0065ms":[{"yes":1}]}', opts);
    expect(r.items).toEqual([{ value: { yes: 1 }, pointer: '/items/0' }]);
  });

  test('brackets, braces and escaped quotes inside strings, unicode', () => {
    const item = { s: 'a}]"{[\\', t: '\\', u: '"', k: 'ünïcødé ✓ 😀 日本', esc: '\u00e9\n\t', 'key "with" quotes': '}' };
    const text = `{"items":[${JSON.stringify(item)},{"after":"ok"}]}`;
    const r = splitJsonBuffer(text, opts);
    expect(r.problems).toEqual([]);
    expect(r.items.map((i) => i.value)).toEqual([item, { after: 'ok' }]);
    // \u escapes written by other tools
    expect(splitJsonBuffer('[{"x":"\\u00e9\\ud83d\\ude00"}]', opts).items[0]!.value).toEqual({ x: 'é😀' });
  });

  test('a UTF-8 byte order mark is skipped', () => {
    const r = feed([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"items":[{"a":1}]}')]);
    expect(r).toEqual({ items: [{ value: { a: 1 }, pointer: '/items/0' }], problems: [] });
  });
});

describe('JsonItemSplitter: chunk boundaries', () => {
  const doc = JSON.stringify(
    {
      kind: 'List',
      metadata: { note: 'items: [ { " \\ ' },
      items: [
        { s: 'a}]"{[\\', n: 1 },
        { deep: [[[{ x: '\\\\"' }]]], u: 'ü✓😀' },
        'str"ing',
        12345,
        null,
        { last: '\\' },
      ],
      after: [1, { items: [] }],
    },
    null,
    1,
  );
  const whole = splitJsonBuffer(doc, opts);

  test('the whole document parses as expected', () => {
    expect(whole.problems).toEqual([]);
    expect(whole.items.map((i) => i.pointer)).toEqual(['/items/0', '/items/1', '/items/2', '/items/3', '/items/4', '/items/5']);
    expect(whole.items.map((i) => i.value)).toEqual(JSON.parse(doc).items);
  });

  test('split in two at every byte position', () => {
    const bytes = Buffer.from(doc, 'utf8');
    for (let p = 0; p <= bytes.length; p++) {
      expect(feed([bytes.subarray(0, p), bytes.subarray(p)]), `split at ${p}`).toEqual(whole);
    }
  });

  test('one byte at a time', () => {
    const bytes = Buffer.from(doc, 'utf8');
    const chunks = [...bytes].map((b) => Buffer.from([b]));
    expect(feed(chunks)).toEqual(whole);
  });

  test('a whole object without items, split at every byte position', () => {
    const obj = '{"kind":"Secret","data":{"a":"\\"}{"},"list":[1,2]}';
    const expected = splitJsonBuffer(obj, opts);
    expect(expected.items).toHaveLength(1);
    const bytes = Buffer.from(obj);
    for (let p = 0; p <= bytes.length; p++) expect(feed([bytes.subarray(0, p), bytes.subarray(p)])).toEqual(expected);
  });

  test('runs of backslashes straddling chunk ends', () => {
    for (let slashes = 1; slashes <= 6; slashes++) {
      const value = `${'\\'.repeat(slashes)}"x`;
      const text = JSON.stringify([{ v: value }, { w: 1 }]);
      const bytes = Buffer.from(text);
      for (let p = 0; p <= bytes.length; p++) {
        const r = feed([bytes.subarray(0, p), bytes.subarray(p)]);
        expect(r.problems, `${slashes} backslashes, split at ${p}`).toEqual([]);
        expect(r.items.map((i) => i.value)).toEqual([{ v: value }, { w: 1 }]);
      }
    }
  });
});

describe('JsonItemSplitter: defects', () => {
  test('a broken item in the middle is reported and the next ones are still read', () => {
    const r = splitJsonBuffer('{"items":[{"a":1},{"b":tru},{"c":3}]}', opts);
    expect(r.items).toEqual([
      { value: { a: 1 }, pointer: '/items/0' },
      { value: { c: 3 }, pointer: '/items/2' },
    ]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.pointer).toBe('/items/1');
    expect(r.problems[0]!.message).toMatch(/invalid JSON in element/);
  });

  test('a truncated file keeps the complete items and names the byte offset', () => {
    const text = '{"kind":"PodList","items":[{"a":1},{"b":{"c":';
    const r = splitJsonBuffer(text, opts);
    expect(r.items).toEqual([{ value: { a: 1 }, pointer: '/items/0' }]);
    expect(r.problems).toEqual([{ message: `truncated JSON: the file ends at byte ${text.length} inside the element`, pointer: '/items/1' }]);
  });

  test('a file cut between items, and one cut inside the top-level object', () => {
    expect(splitJsonBuffer('[{"a":1},', opts).problems[0]!.message).toMatch(/truncated JSON: the file ends at byte 9 after 1 element/);
    expect(splitJsonBuffer('{"kind":"Pod","metadata":{"na', opts)).toEqual({
      items: [],
      problems: [{ message: 'truncated JSON: the file ends at byte 29 inside the top-level object' }],
    });
  });

  test('garbage: not JSON at all, and broken structure after an item', () => {
    expect(splitJsonBuffer('hello', opts)).toEqual({ items: [], problems: [{ message: "not a JSON object or array: found 'h' at byte 0" }] });
    const r = splitJsonBuffer('{"items":[{"a":1} {"b":2}]}', opts);
    expect(r.items).toEqual([{ value: { a: 1 }, pointer: '/items/0' }]);
    expect(r.problems).toEqual([{ message: "invalid JSON: expected , or ] after element 0 but found '{' at byte 18" }]);
  });

  test('data after the end of the value is one problem; the items before are kept', () => {
    const r = splitJsonBuffer('{"items":[{"a":1}]}\n{"items":[{"b":2}]}', opts);
    expect(r.items).toEqual([{ value: { a: 1 }, pointer: '/items/0' }]);
    expect(r.problems).toEqual([{ message: "unexpected data after the end of the JSON value: '{' at byte 20" }]);
  });

  test('empty and whitespace-only files', () => {
    expect(splitJsonBuffer('', opts).problems).toEqual([{ message: 'empty file' }]);
    expect(splitJsonBuffer(' \n ', opts).problems).toEqual([{ message: 'no JSON value in the file (only whitespace)' }]);
  });

  test('items larger than maxObjectBytes are skipped with a problem, in one chunk or many', () => {
    const big = { name: 'x'.repeat(200) };
    const text = JSON.stringify({ items: [{ a: 1 }, big, { c: 3 }] });
    const expected: Result = {
      items: [
        { value: { a: 1 }, pointer: '/items/0' },
        { value: { c: 3 }, pointer: '/items/2' },
      ],
      problems: [{ message: `element is ${JSON.stringify(big).length} bytes, larger than the limit of 100 bytes; skipped`, pointer: '/items/1' }],
    };
    expect(feed([Buffer.from(text)], 100)).toEqual(expected);
    const bytes = Buffer.from(text);
    const chunks: Buffer[] = [];
    for (let o = 0; o < bytes.length; o += 7) chunks.push(bytes.subarray(o, o + 7));
    expect(feed(chunks, 100)).toEqual(expected);
  });

  test('a whole object larger than maxObjectBytes is skipped with a problem', () => {
    const r = feed([Buffer.from(JSON.stringify({ kind: 'ConfigMap', data: { k: 'v'.repeat(500) } }))], 100);
    expect(r.items).toEqual([]);
    expect(r.problems[0]!.message).toMatch(/^object is \d+ bytes, larger than the limit of 100 bytes; skipped$/);
  });

  test('"items" that is not an array is reported', () => {
    expect(splitJsonBuffer('{"kind":"List","items":{"a":1}}', opts)).toEqual({
      items: [],
      problems: [{ message: '"items" is not an array; nothing read from it', pointer: '/items' }],
    });
  });

  test('a large list streams without a single huge string', () => {
    // 20,000 items fed in 4 KiB chunks: every item comes out, in order.
    const parts = ['{"kind":"PodList","items":['];
    for (let i = 0; i < 20_000; i++) parts.push(`${i ? ',' : ''}{"kind":"Pod","metadata":{"name":"p-${i}","namespace":"n"},"status":{"phase":"Running"}}`);
    parts.push(']}');
    const bytes = Buffer.from(parts.join(''));
    const chunks: Buffer[] = [];
    for (let o = 0; o < bytes.length; o += 4096) chunks.push(bytes.subarray(o, o + 4096));
    const r = feed(chunks);
    expect(r.problems).toEqual([]);
    expect(r.items).toHaveLength(20_000);
    expect(r.items[19_999]).toEqual({ value: { kind: 'Pod', metadata: { name: 'p-19999', namespace: 'n' }, status: { phase: 'Running' } }, pointer: '/items/19999' });
  });
});
