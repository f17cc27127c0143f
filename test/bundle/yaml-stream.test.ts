/**
 * YAML files larger than maxYamlParseBytes are parsed one unit at a time (a document, or one element
 * of a column-0 sequence): the objects and problems must be those of a whole-file parse, while
 * memory follows the largest unit.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { YamlUnitSplitter, yamlItems, type YamlItem, type YamlProblem, type YamlStreamOptions } from '../../src/bundle/yaml-items.js';

function streamed(text: string | Buffer, options: Partial<YamlStreamOptions> = {}, chunk = 0): { items: YamlItem[]; problems: YamlProblem[] } {
  const items: YamlItem[] = [];
  const problems: YamlProblem[] = [];
  const splitter = new YamlUnitSplitter(
    { item: (value, pointer) => items.push({ value, pointer }), problem: (message, pointer) => problems.push(pointer === undefined ? { message } : { message, pointer }) },
    { maxUnitBytes: 1 << 20, ...options },
  );
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  if (chunk <= 0) splitter.push(bytes);
  else for (let o = 0; o < bytes.length && !splitter.failed; o += chunk) splitter.push(bytes.subarray(o, o + chunk));
  splitter.end();
  return { items, problems };
}

/** yamlItems' pointers, with a first document's `/0` dropped (the splitter cannot know more documents follow). */
function whole(text: string): { items: YamlItem[]; problems: YamlProblem[] } {
  const r = yamlItems(text);
  const multi = parseAllDocuments(text).length > 1;
  const fix = (p: string) => (multi ? p.replace(/^\/0(?=\/|$)/, '') : p);
  return {
    items: r.items.map((i) => ({ value: i.value, pointer: fix(i.pointer) })),
    problems: r.problems.map((p) => (p.pointer === undefined ? p : fix(p.pointer) === '' ? { message: p.message } : { message: p.message, pointer: fix(p.pointer) })),
  };
}

const pod = (i: number) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: 'default', labels: { app: 'x' } }, spec: { containers: [{ name: 'c', args: ['--a', '- not an item', '--- not a document'] }] }, status: { phase: 'Running', message: 'multi\nline\n- dash\n---' } });

describe('the unit splitter reads what a whole-file parse reads', () => {
  const cases: Record<string, string> = {
    'a top-level sequence (troubleshoot custom resources)': stringify([pod(1), pod(2), pod(3)]),
    'a kubectl List with items at column 0 and kind after them': stringify({ apiVersion: 'v1', items: [pod(1), pod(2)], kind: 'List', metadata: { resourceVersion: '' } }),
    'a List whose items are indented (read as one unit)': 'apiVersion: v1\nkind: List\nitems:\n  - kind: Pod\n    metadata: {name: a}\n  - kind: Pod\n    metadata: {name: b}\n',
    'a single object': stringify(pod(7)),
    'several documents, comments, a trailing ---': `# header\n---\n${stringify(pod(1))}---\n${stringify([pod(2), pod(3)])}...\n# between\n${stringify({ kind: 'PodList', items: [pod(4)] })}---\n`,
    'items: null and an empty document': 'kind: PodList\nitems: null\n---\n---\nkind: A\n',
    'items that is not a list': 'kind: PodList\nitems: 5\n',
    'block scalars with dashes and markers inside': '- kind: ConfigMap\n  data:\n    script: |\n      - not an item\n      --- not a doc\n  metadata:\n    name: cm\n- kind: Other\n',
    'unquoted ***HIDDEN*** redactions': '- kind: Engine\n  status:\n    ip: ***HIDDEN***\n    port: ***HIDDEN***:10000\n',
    'anchors and aliases inside one element': '- base: &b {x: 1}\n  use: *b\n- kind: Z\n',
    'CRLF line ends': '- kind: A\r\n  metadata:\r\n    name: a\r\n- kind: B\r\n',
    'a document starting on its marker line': '--- {kind: A}\n--- [1, 2]\n',
  };
  for (const [name, text] of Object.entries(cases)) {
    test(name, () => {
      const expected = whole(text);
      expect(streamed(text)).toEqual(expected);
      expect(streamed(text, {}, 7)).toEqual(expected);
    });
  }

  test('unlike a whole-file parse, a broken element loses only itself (as in JSON files)', () => {
    const text = '- kind: A\n  metadata: {name: a}\n- kind: B\n  metadata: {name: [unclosed\n- kind: C\n';
    expect(yamlItems(text).items).toEqual([]);
    const r = streamed(text);
    expect(r.items.map((i) => [i.pointer, (i.value as { kind: string }).kind])).toEqual([['/0', 'A'], ['/2', 'C']]);
    expect(r.problems).toEqual([{ message: expect.stringMatching(/^invalid YAML: /), pointer: '/1' }]);
    // A key after a root sequence is not YAML: the element it follows takes the blame.
    const bad = streamed('- kind: A\n- kind: B\nkind: C\n');
    expect(bad.items.map((i) => i.pointer)).toEqual(['/0']);
    expect(bad.problems).toEqual([{ message: expect.stringMatching(/^invalid YAML: /), pointer: '/1' }]);
  });

  test('generated lists and sequences, fed in random chunks (fixed seed)', () => {
    const value = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom('- x', '--- y', '...', '# not a comment', 'a: b', '***HIDDEN***'));
    const object = fc.dictionary(fc.constantFrom('kind', 'name', 'spec', 'status', 'items', 'data', '- k', '#'), fc.oneof(value, fc.array(value, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), value, { maxKeys: 3 })), { maxKeys: 5 });
    const doc = fc.oneof(
      fc.array(object, { maxLength: 6 }).map((items) => stringify(items)),
      fc.array(object, { maxLength: 6 }).map((items) => stringify({ apiVersion: 'v1', items, kind: 'List' })),
      object.map((o) => stringify(o)),
    );
    fc.assert(
      fc.property(fc.array(doc, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 64 }), (docs, chunk) => {
        const text = docs.join('---\n');
        expect(streamed(text, {}, chunk)).toEqual(whole(text));
      }),
      { seed: 20260101, numRuns: 300 },
    );
  });
});

describe('limits while splitting', () => {
  test('an element larger than a unit may be is skipped with a problem; the others are read', () => {
    const text = `- kind: A\n- kind: Big\n  data: ${'x'.repeat(5000)}\n- kind: C\n`;
    const r = streamed(text, { maxUnitBytes: 1000 }, 100);
    expect(r.items.map((i) => [i.pointer, (i.value as { kind: string }).kind])).toEqual([['/0', 'A'], ['/2', 'C']]);
    expect(r.problems).toEqual([{ message: 'YAML element is 4.9 KiB, larger than the 1000 bytes parsed at once; skipped', pointer: '/1' }]);
  });

  test('an endless line does not grow memory: its unit is skipped', () => {
    const r = streamed(Buffer.concat([Buffer.from('- kind: A\n- data: '), Buffer.alloc(5_000_000, 0x61), Buffer.from('\n- kind: C\n')]), { maxUnitBytes: 4096 }, 65536);
    expect(r.items.map((i) => i.pointer)).toEqual(['/0', '/2']);
    expect(r.problems).toEqual([{ message: 'YAML element is 4.8 MiB, larger than the 4 KiB parsed at once; skipped', pointer: '/1' }]);
  });

  test('objects per file, depth and aliases', () => {
    expect(streamed('- a: 1\n- a: 2\n- a: 3\n', { maxItems: 2 })).toEqual({
      items: [{ value: { a: 1 }, pointer: '/0' }, { value: { a: 2 }, pointer: '/1' }],
      problems: [{ message: 'stopped after 2 objects (--max-objects-per-file); the rest of the file was not read' }],
    });
    const deep = `- ${'['.repeat(50)}${']'.repeat(50)}\n- ok: true\n`;
    expect(streamed(deep, { maxDepth: 20 })).toEqual({
      items: [{ value: { ok: true }, pointer: '/1' }],
      problems: [{ message: 'document nests deeper than 20 levels (--max-depth); skipped', pointer: '/0' }],
    });
    const laughs = ['- a: &a [x, x, x, x, x, x, x, x, x]', '  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', '  c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]', '- ok: true'].join('\n');
    const r = streamed(laughs, { maxAliasCount: 50 });
    expect(r.items.map((i) => i.pointer)).toEqual(['/1']);
    expect(r.problems[0]!.message).toMatch(/alias.*\(more than 50 alias expansions \(--max-yaml-aliases\)\)$/);
  });
});

describe('whole-file limits', () => {
  test('depth: flow and block nesting, and a recursive alias', () => {
    expect(yamlItems(`a: ${'['.repeat(200)}${']'.repeat(200)}\n`, { maxDepth: 100 }).problems).toEqual([{ message: 'document nests deeper than 100 levels (--max-depth); skipped' }]);
    const block = Array.from({ length: 150 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' x\n';
    expect(yamlItems(block, { maxDepth: 100 }).problems).toEqual([{ message: 'document nests deeper than 100 levels (--max-depth); skipped' }]);
    expect(yamlItems(block, { maxDepth: 200 }).items).toHaveLength(1);
    // An alias to its own enclosing node makes a cycle: it never reaches the sink.
    const cyclic = yamlItems('a: &a {b: *a}\n', { maxDepth: 100 });
    expect(cyclic.items).toEqual([]);
    expect(cyclic.problems).toHaveLength(1);
  });

  test('a stack-overflowing nesting is a problem, not a crash', () => {
    const r = yamlItems(`${'['.repeat(200_000)}${']'.repeat(200_000)}`, { maxDepth: 100 });
    expect(r.items).toEqual([]);
    expect(r.problems).toHaveLength(1);
  });

  test('aliases: the budget is a flag; 0 forbids them', () => {
    expect(yamlItems('a: &x 1\nb: *x\n', { maxAliasCount: 0 }).problems[0]!.message).toMatch(/^invalid YAML: Alias resolution is disabled/);
    expect(yamlItems('a: &x 1\nb: *x\n', { maxAliasCount: 100 }).items[0]!.value).toEqual({ a: 1, b: 1 });
  });

  test('tens of thousands of redacted aliases are repaired in linear time', () => {
    const text = Array.from({ length: 40_000 }, (_, i) => `- ip${i}: ***HIDDEN***`).join('\n');
    const started = Date.now();
    const r = yamlItems(text);
    expect(r.problems).toEqual([]);
    expect(r.items).toHaveLength(40_000);
    expect(r.items[39_999]!.value).toEqual({ ip39999: '***HIDDEN***' });
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  test('objects per file', () => {
    expect(yamlItems('- a\n- b\n- c\n', { maxItems: 2 })).toEqual({
      items: [{ value: 'a', pointer: '/0' }, { value: 'b', pointer: '/1' }],
      problems: [{ message: 'stopped after 2 objects (--max-objects-per-file); the rest of the file was not read' }],
    });
  });
});
