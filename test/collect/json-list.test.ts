import { describe, expect, it } from 'vitest';
import { JsonListSplitter, JsonTooLargeError } from '../../src/collect/json-list.js';

function split(text: string, chunkSize: number) {
  const items: unknown[] = [];
  const s = new JsonListSplitter((t) => items.push(JSON.parse(t)));
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += chunkSize) s.write(bytes.subarray(i, i + chunkSize));
  return { items, result: s.end() };
}

describe('streaming list splitter', () => {
  const list = {
    apiVersion: 'v1',
    items: [
      { kind: 'Pod', metadata: { name: 'a', annotations: { x: 'a "quoted" {brace} [bracket] \\ back' } }, spec: { items: [1, 2] } },
      { kind: 'Pod', metadata: { name: 'ü-ñ-日本' }, list: [[], {}, ''] },
      { kind: 'Pod', metadata: { name: 'c' } },
    ],
    kind: 'List',
    metadata: { resourceVersion: '' },
  };

  it.each([1, 2, 3, 7, 64, 100_000])('splits items whatever the chunk size (%i)', (size) => {
    for (const text of [JSON.stringify(list), JSON.stringify(list, null, 4)]) {
      const { items, result } = split(text, size);
      expect(items).toEqual(list.items);
      expect(result).toEqual({ isList: true, itemCount: 3, frame: { apiVersion: 'v1', items: [], kind: 'List', metadata: { resourceVersion: '' } } });
    }
  });

  it('keeps a non-list value whole', () => {
    const { items, result } = split('{"major":"1","gitVersion":"v1.31.4","items2":[1]}', 5);
    expect(items).toEqual([]);
    expect(result).toEqual({ isList: false, itemCount: 0, frame: { major: '1', gitVersion: 'v1.31.4', items2: [1] } });
  });

  it('accepts "items": null and empty lists', () => {
    expect(split('{"kind":"List","items":null}', 3).result).toMatchObject({ isList: false, itemCount: 0 });
    expect(split('{"kind":"List","items":[]}', 3).result).toMatchObject({ isList: true, itemCount: 0 });
  });

  it('does not mistake a nested items key for the list', () => {
    const { items, result } = split('{"metadata":{"items":[{"a":1}]},"items":[{"b":2}]}', 4);
    expect(items).toEqual([{ b: 2 }]);
    expect(result.frame).toEqual({ metadata: { items: [{ a: 1 }] }, items: [] });
  });

  it('rejects a cut-off document and oversized items', () => {
    expect(() => split('{"items":[{"a":1},{"b"', 4)).toThrow(/middle of a value/);
    const s = new JsonListSplitter(() => undefined, { maxItemBytes: 10, maxFrameBytes: 100 });
    expect(() => s.write(Buffer.from('{"items":[{"aaaaaaaaaaaaaaaa":1}]}'))).toThrow(JsonTooLargeError);
  });

  it('handles a large list without holding it (items are handed over one by one)', () => {
    let seen = 0;
    const s = new JsonListSplitter(() => void seen++);
    s.write(Buffer.from('{"apiVersion":"v1","items":['));
    const item = Buffer.from(JSON.stringify({ kind: 'Pod', metadata: { name: 'x'.repeat(200) }, spec: { containers: [{ image: 'y' }] } }));
    for (let i = 0; i < 20_000; i++) s.write(i === 0 ? item : Buffer.concat([Buffer.from(','), item]));
    s.write(Buffer.from('],"kind":"List"}'));
    expect(s.end().itemCount).toBe(20_000);
    expect(seen).toBe(20_000);
  });
});
