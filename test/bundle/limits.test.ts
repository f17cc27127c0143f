/**
 * The reader's limits and its refusal of hostile entries, one by one, on inputs crafted here.
 * (The same through the CLI, with a gzip bomb at the default limits: test/hostile/.)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { jsonDeeperThan, splitJsonBuffer } from '../../src/bundle/json-items.js';
import { formatBytes } from '../../src/bundle/limits.js';
import { MAX_PROBLEMS_PER_FILE, readInputs } from '../../src/bundle/read.js';
import { UnreadableInputError, type ReaderLimits } from '../../src/bundle/types.js';
import { RecordingSink, cleanupTemps, gzip, makeTar, tempDir, type TarEntrySpec } from './helpers.js';

afterAll(cleanupTemps);

async function read(path: string, limits?: Partial<ReaderLimits>): Promise<RecordingSink> {
  const sink = new RecordingSink();
  await readInputs([{ path }], sink, limits);
  return sink;
}

async function tarFile(entries: TarEntrySpec[], compress = true): Promise<string> {
  const path = join(tempDir(), compress ? 'b.tgz' : 'b.tar');
  const tar = await makeTar(entries);
  writeFileSync(path, compress ? gzip(tar) : tar);
  return path;
}

const CR = 'sb/cluster-resources';
const nodes = (...names: string[]) => JSON.stringify({ kind: 'NodeList', items: names.map((name) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } })) });
const problems = (sink: RecordingSink) => sink.problems.map((p) => `${p.source}${p.pointer === undefined ? '' : ` ${p.pointer}`}: ${p.message}`);
const nodeNames = (sink: RecordingSink) => sink.names('Node');

/** Sets an entry's tar type flag (and fixes the header checksum): types tar-stream cannot write. */
function withTypeFlag(tar: Buffer, headerOffset: number, flag: string): Buffer {
  const out = Buffer.from(tar);
  out[headerOffset + 156] = flag.charCodeAt(0);
  out.fill(0x20, headerOffset + 148, headerOffset + 156);
  let sum = 0;
  for (let i = headerOffset; i < headerOffset + 512; i++) sum += out[i]!;
  out.write(`${sum.toString(8).padStart(6, '0')}\0 `, headerOffset + 148, 'latin1');
  return out;
}

describe('hostile entries', () => {
  test('a duplicate path does not replace what was read: the first one counts, the second is a problem', async () => {
    const sink = await read(
      await tarFile([
        { name: `${CR}/nodes.json`, content: nodes('first') },
        { name: `./${CR}//nodes.json`, content: nodes('second') },
        { name: 'sb/', type: 'directory' },
        { name: 'sb/', type: 'directory' },
      ]),
    );
    expect(nodeNames(sink)).toEqual(['first']);
    expect(problems(sink)).toEqual([`${CR}/nodes.json: a second entry with the same path (after normalising); the first one was read, this one is skipped`]);
  });

  test('devices, FIFOs and unknown entry types are skipped with a problem, never read', async () => {
    const tar = await makeTar([
      { name: `${CR}/pods/default.json`, type: 'character-device' },
      { name: `${CR}/pods/kube-system.json`, type: 'block-device' },
      { name: `${CR}/pods/logs/ns/p/c.log`, type: 'fifo' },
      { name: `${CR}/events/default.json`, content: '[{"kind":"Event"}]' },
      { name: `${CR}/nodes.json`, content: nodes('n1') },
    ]);
    // The fourth entry (header at 3 * 512) becomes a GNU sparse file ('S'), which tar-stream does not know.
    const path = join(tempDir(), 'devices.tar');
    writeFileSync(path, withTypeFlag(tar, 3 * 512, 'S'));
    const sink = await read(path);
    expect(nodeNames(sink)).toEqual(['n1']);
    expect(sink.ofKind('Event')).toEqual([]);
    expect(problems(sink)).toEqual([
      `${CR}/pods/default.json: a character device; skipped`,
      `${CR}/pods/kube-system.json: a block device; skipped`,
      `${CR}/pods/logs/ns/p/c.log: a FIFO (named pipe); skipped`,
      `${CR}/events/default.json: an entry of a type that holds no plain file (unknown tar type flag); skipped`,
    ]);
  });

  test('a FIFO in a folder is never opened (opening it would block forever)', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, CR), { recursive: true });
    writeFileSync(join(dir, CR, 'nodes.json'), nodes('n1'));
    try {
      execFileSync('mkfifo', [join(dir, CR, 'pods.json')]);
    } catch {
      return; // no mkfifo here: nothing to test
    }
    const sink = await read(dir);
    expect(nodeNames(sink)).toEqual(['n1']);
    expect(problems(sink)).toEqual([`${CR}/pods.json: a FIFO (named pipe); skipped`]);
  });

  test('links inside the bundle where a file would be read are not followed, and said so', async () => {
    const sink = await read(
      await tarFile([
        { name: `${CR}/nodes.json`, content: nodes('n1') },
        { name: `${CR}/pods/default.json`, type: 'symlink', linkname: '../nodes.json' },
        { name: `${CR}/pods/kube-system.json`, type: 'link', linkname: `${CR}/nodes.json` },
        { name: 'sb/all-logs/x.log', type: 'symlink', linkname: '../cluster-resources/pods/logs/ns/p/c.log' },
      ]),
    );
    expect(nodeNames(sink)).toEqual(['n1']);
    expect(problems(sink)).toEqual([
      `${CR}/pods/default.json: symlink to ../nodes.json inside the bundle; not followed (links are never followed, only files are read)`,
      `${CR}/pods/kube-system.json: hard link to ${CR}/nodes.json inside the bundle; not followed (links are never followed, only files are read)`,
    ]);
  });

  test('terminal escapes and newlines in entry names are shown escaped in messages', async () => {
    const evil = 'sb/\u001b]0;pwned\u0007\u001b[2J/../../x.json';
    const sink = await read(await tarFile([{ name: `${CR}/nodes.json`, content: nodes('n1') }, { name: evil, content: '{}' }, { name: 'sb/x.log', type: 'symlink', linkname: '/etc/\npasswd\u001b[0m' }]));
    const messages = sink.problems.map((p) => p.message);
    expect(messages).toEqual([
      'path sb/\\u001b]0;pwned\\u0007\\u001b[2J/../../x.json climbs out of the bundle with ".."; skipped',
      'symlink to the absolute path /etc/\\u000apasswd\\u001b[0m; not followed',
    ]);
    // The source stays the name as stored: reports escape it for where it lands.
    expect(sink.problems[0]!.source).toBe(evil);
  });
});

describe('size and count limits', () => {
  test('--max-entry-bytes: a larger entry is skipped, the next ones are read (archive and folder)', async () => {
    const big = nodes(...Array.from({ length: 100 }, (_, i) => `big-${i}`));
    const entries: TarEntrySpec[] = [{ name: `${CR}/pods/default.json`, content: big }, { name: `${CR}/nodes.json`, content: nodes('n1') }];
    const limits = { maxEntryBytes: 1000 };
    const message = `entry is ${formatBytes(Buffer.byteLength(big))}, larger than the limit of 1000 bytes (--max-entry-bytes); skipped`;
    const fromTar = await read(await tarFile(entries), limits);
    expect(nodeNames(fromTar)).toEqual(['n1']);
    expect(problems(fromTar)).toEqual([`${CR}/pods/default.json: ${message}`]);

    const dir = tempDir();
    mkdirSync(join(dir, CR, 'pods'), { recursive: true });
    for (const e of entries) writeFileSync(join(dir, e.name), e.content!);
    const fromDir = await read(dir, limits);
    expect(nodeNames(fromDir)).toEqual(['n1']);
    expect(problems(fromDir)).toEqual([`${CR}/pods/default.json: ${message}`]);
  });

  test('--max-total-bytes: reading stops there, what came before is kept', async () => {
    const entries: TarEntrySpec[] = [
      { name: `${CR}/nodes.json`, content: nodes('n1') },
      ...Array.from({ length: 20 }, (_, i) => ({ name: `${CR}/configmaps/ns${i}.json`, content: 'x'.repeat(100_000) })),
      { name: `${CR}/pods/default.json`, content: nodes('never') },
    ];
    for (const compress of [true, false]) {
      const sink = await read(await tarFile(entries, compress), { maxTotalBytes: 1024 * 1024 });
      expect(nodeNames(sink)).toEqual(['n1']);
      const whole = sink.problems.filter((p) => p.source === '').map((p) => p.message);
      expect(whole).toEqual([`stopped after 1 MiB ${compress ? 'decompressed' : 'read'} (--max-total-bytes); what was read before is analysed, the rest of the input was not read`]);
      expect(sink.clusters.map((c) => c.cluster.dir)).toEqual(['sb']);
    }
    const dir = tempDir();
    mkdirSync(join(dir, CR, 'configmaps'), { recursive: true });
    for (const e of entries) if (e.name.endsWith('.json')) mkdirSync(join(dir, e.name, '..'), { recursive: true }), writeFileSync(join(dir, e.name), e.content!);
    const fromDir = await read(dir, { maxTotalBytes: 1024 * 1024 });
    expect(fromDir.problems.filter((p) => p.source === '').map((p) => p.message)).toEqual([
      'stopped after 1 MiB read (--max-total-bytes); what was read before is analysed, the rest of the input was not read',
    ]);
  });

  test('a limit hit before anything bundle-like makes the input unreadable, in one line', async () => {
    const path = await tarFile([{ name: 'junk.bin', content: Buffer.alloc(3_000_000) }, { name: `${CR}/nodes.json`, content: nodes('n1') }]);
    const err = await readInputs([{ path }], new RecordingSink(), { maxTotalBytes: 1024 * 1024 }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(UnreadableInputError);
    expect((err as Error).message).toBe(`${path}: stopped after 1 MiB decompressed (--max-total-bytes), before any bundle content was found`);
  });

  test('--max-entries: archive and folder', async () => {
    const entries: TarEntrySpec[] = [{ name: `${CR}/nodes.json`, content: nodes('n1') }, ...Array.from({ length: 50 }, (_, i) => ({ name: `${CR}/x/${i}.txt`, content: '' }))];
    const sink = await read(await tarFile(entries), { maxEntries: 10 });
    expect(nodeNames(sink)).toEqual(['n1']);
    expect(sink.problems.filter((p) => p.source === '').map((p) => p.message)).toEqual([
      'stopped after 10 entries (--max-entries); what was read before is analysed, the rest of the input was not read',
    ]);
    const dir = tempDir();
    mkdirSync(join(dir, CR, 'x'), { recursive: true });
    for (const e of entries) writeFileSync(join(dir, e.name), e.content!);
    const fromDir = await read(dir, { maxEntries: 10 });
    expect(nodeNames(fromDir)).toEqual(['n1']);
    expect(fromDir.problems.filter((p) => p.source === '').map((p) => p.message)[0]).toMatch(/^stopped after 10 entries \(--max-entries\)/);
  });

  test('--max-objects-per-file: JSON and YAML files stop after that many objects', async () => {
    const many = Array.from({ length: 50 }, (_, i) => `n${i}`);
    const yaml = many.map((n) => `- apiVersion: v1\n  kind: Node\n  metadata:\n    name: y${n}\n`).join('');
    const sink = await read(await tarFile([{ name: `${CR}/nodes.json`, content: nodes(...many) }, { name: `${CR}/custom-resources/nodes.example.com.yaml`, content: yaml }]), { maxObjectsPerFile: 10 });
    expect(sink.ofKind('Node', `${CR}/nodes.json`)).toHaveLength(10);
    expect(sink.ofKind('Node', `${CR}/custom-resources/`)).toHaveLength(10);
    expect(problems(sink)).toEqual([
      `${CR}/nodes.json: stopped after 10 objects (--max-objects-per-file); the rest of the file was not read`,
      `${CR}/custom-resources/nodes.example.com.yaml: stopped after 10 objects (--max-objects-per-file); the rest of the file was not read`,
    ]);
  });

  test('--max-log-bytes keeps that much of each log', async () => {
    const log = Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n');
    const sink = await read(await tarFile([{ name: `${CR}/nodes.json`, content: nodes('n1') }, { name: `${CR}/pods/logs/ns/p/c.log`, content: log }]), { logTailBytes: 100 });
    const tail = sink.findLog('ns', 'p', 'c')!;
    expect(tail.truncated).toBe(true);
    expect(tail.lines.at(-1)).toBe('line 999');
    expect(tail.lines.join('\n').length).toBeLessThanOrEqual(100);
  });

  test('a large YAML file is parsed one unit at a time; a unit over the cap is skipped', async () => {
    const item = (i: number) => `- apiVersion: v1\n  kind: Node\n  metadata:\n    name: y${i}\n`;
    const yaml = Array.from({ length: 200 }, (_, i) => item(i)).join('') + `- kind: Node\n  data: ${'x'.repeat(5000)}\n` + item(999);
    const sink = await read(await tarFile([{ name: `${CR}/custom-resources/nodes.example.com.yaml`, content: yaml }]), { maxYamlParseBytes: 4096 });
    expect(sink.ofKind('Node')).toHaveLength(201);
    expect(problems(sink)).toEqual([`${CR}/custom-resources/nodes.example.com.yaml /200: YAML element is 4.9 KiB, larger than the 4 KiB parsed at once; skipped`]);
  });

  test('problems inside one file are listed up to a cap, then counted', async () => {
    const content = `[${Array.from({ length: 5000 }, () => '1').join(',')}, {"kind":"Node","apiVersion":"v1","metadata":{"name":"n1"}}]`;
    const sink = await read(await tarFile([{ name: `${CR}/nodes.json`, content }]));
    expect(nodeNames(sink)).toEqual(['n1']);
    expect(sink.problems).toHaveLength(MAX_PROBLEMS_PER_FILE + 1);
    expect(sink.problems.at(-1)!.message).toBe(`${5000 - MAX_PROBLEMS_PER_FILE} more problems with elements of this file are not listed (only the first ${MAX_PROBLEMS_PER_FILE} are)`);
  });
});

describe('nesting depth', () => {
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

  test('--max-depth: a deep element is skipped before JSON.parse; its neighbours are read', async () => {
    const content = `{"kind":"NodeList","items":[{"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"},"x":${deep(5000)}},{"apiVersion":"v1","kind":"Node","metadata":{"name":"n2"}}]}`;
    const sink = await read(await tarFile([{ name: `${CR}/nodes.json`, content }]));
    expect(nodeNames(sink)).toEqual(['n2']);
    expect(problems(sink)).toEqual([`${CR}/nodes.json /items/0: element nests deeper than 100 levels (--max-depth); skipped`]);
  });

  test('a whole-file object, a manifest and an errors file that nest too deep', async () => {
    const sink = await read(
      await tarFile([
        { name: 'sb/manifest.json', content: `{"format":"hrp-doctor.bundle/v1","x":${deep(500)}}` },
        { name: `${CR}/nodes.json`, content: nodes('n1') },
        { name: `${CR}/pods-errors.json`, content: deep(500) },
        { name: `${CR}/namespaces.json`, content: `{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"x"},"spec":${deep(500)}}` },
      ]),
    );
    expect(sink.manifests).toEqual([]);
    expect(problems(sink)).toEqual([
      'sb/manifest.json: nests deeper than 100 levels (--max-depth); skipped',
      `${CR}/pods-errors.json: nests deeper than 100 levels (--max-depth); skipped`,
      `${CR}/namespaces.json : object nests deeper than 100 levels (--max-depth); skipped`,
    ]);
  });

  test('the splitter skips exactly the elements deeper than the limit (generated, fixed seed)', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.string({ maxLength: 4 }), fc.integer(), fc.constant(null), tie('array'), tie('object')),
      array: fc.array(tie('value'), { maxLength: 3 }),
      object: fc.dictionary(fc.string({ maxLength: 3 }), tie('value'), { maxKeys: 3 }),
    })).value;
    const depthOf = (v: unknown): number => (v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v as object).map(depthOf)) : 0);
    fc.assert(
      // From 2: a List's `items` array is level 2 already, whatever its elements.
      fc.property(fc.array(json, { maxLength: 6 }), fc.integer({ min: 2, max: 6 }), fc.boolean(), (elements, maxDepth, asList) => {
        const text = JSON.stringify(asList ? { kind: 'List', items: elements } : elements);
        const base = asList ? 2 : 1;
        const { items, problems: found } = splitJsonBuffer(text, { maxObjectBytes: 1 << 20, maxDepth });
        const kept = elements.filter((e) => base + depthOf(e) <= maxDepth);
        expect(items.map((i) => i.value)).toEqual(kept);
        expect(found).toHaveLength(elements.length - kept.length);
        expect(jsonDeeperThan(Buffer.from(text), maxDepth)).toBe(depthOf(asList ? { kind: 'List', items: elements } : elements) > maxDepth);
      }),
      { seed: 20260101, numRuns: 500 },
    );
  });
});
