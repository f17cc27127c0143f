import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { archiveEntries, directoryEntries, normaliseEntryPath, unsafeLinkReason, type SourceEntry } from '../../src/bundle/sources.js';
import { cleanupTemps, gzip, makeTar, tempDir } from './helpers.js';

afterAll(cleanupTemps);

async function text(entry: SourceEntry): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of entry.body) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}

describe('entry paths', () => {
  test('normalised to forward slashes without ./ or trailing slash', () => {
    expect(normaliseEntryPath('./support-bundle/cluster-resources/')).toEqual({ path: 'support-bundle/cluster-resources' });
    expect(normaliseEntryPath('a//b/./c.json')).toEqual({ path: 'a/b/c.json' });
    expect(normaliseEntryPath('a\\b\\c.json')).toEqual({ path: 'a/b/c.json' });
    expect(normaliseEntryPath('./')).toBeNull();
  });

  test('absolute paths and ".." are refused', () => {
    expect(normaliseEntryPath('/etc/passwd')).toEqual({ problem: 'absolute path /etc/passwd; skipped' });
    expect(normaliseEntryPath('C:/x')).toHaveProperty('problem');
    expect(normaliseEntryPath('a/../../b')).toHaveProperty('problem');
    expect(normaliseEntryPath('a/..')).toHaveProperty('problem');
  });

  test('links: inside is fine, outside or absolute is not', () => {
    expect(unsafeLinkReason('sb/all-logs/p/c.log', '../../cluster-resources/pods/logs/ns/p/c.log', 'symlink')).toBeUndefined();
    expect(unsafeLinkReason('sb/static-hi.log', 'cluster-resources/pods/logs/default/static-hi/static-hi.log', 'symlink')).toBeUndefined();
    expect(unsafeLinkReason('sb/x.log', '../../etc/passwd', 'symlink')).toMatch(/outside the bundle/);
    expect(unsafeLinkReason('x.log', '/etc/passwd', 'symlink')).toMatch(/absolute path/);
    // a hard link's target is relative to the archive root
    expect(unsafeLinkReason('sb/a/b/c.log', 'sb/cluster-resources/x.log', 'link')).toBeUndefined();
    expect(unsafeLinkReason('sb/a/b/c.log', '../x.log', 'link')).toMatch(/outside the bundle/);
  });
});

describe('archive entries', () => {
  test('bodies read partly, not at all, or fully: the archive still moves on', async () => {
    const dir = tempDir();
    const big = 'x'.repeat(300_000);
    const file = join(dir, 'a.tgz');
    writeFileSync(
      file,
      gzip(
        await makeTar([
          { name: 'top/', type: 'directory' },
          { name: 'top/big.txt', content: big },
          { name: 'top/skipped.txt', content: 'never read' },
          { name: 'top/link', type: 'symlink', linkname: 'big.txt' },
          { name: 'top/last.txt', content: 'the end' },
        ]),
      ),
    );
    const seen: string[] = [];
    const problems: string[] = [];
    for await (const entry of archiveEntries(file, true, (source, message) => problems.push(`${source}: ${message}`))) {
      seen.push(`${entry.type} ${entry.path} ${entry.size}${entry.linkname ? ` -> ${entry.linkname}` : ''}`);
      if (entry.path === 'top/big.txt') {
        for await (const chunk of entry.body) {
          expect(chunk.length).toBeGreaterThan(0);
          break; // stop early
        }
      }
      if (entry.path === 'top/last.txt') expect(await text(entry)).toBe('the end');
    }
    expect(seen).toEqual(['directory top 0', 'file top/big.txt 300000', 'file top/skipped.txt 10', 'symlink top/link 0 -> big.txt', 'file top/last.txt 7']);
    expect(problems).toEqual([]);
  });
});

describe('directory entries', () => {
  test('sorted, recursive, links reported as links and not descended into', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'b', 'inner'), { recursive: true });
    writeFileSync(join(root, 'b', 'inner', 'z.json'), '{}');
    writeFileSync(join(root, 'a.json'), '[]');
    writeFileSync(join(root, 'B.json'), '[]');
    symlinkSync('b', join(root, 'c-link'));
    const entries: string[] = [];
    for await (const entry of directoryEntries(root, () => {})) entries.push(`${entry.type} ${entry.path}`);
    expect(entries).toEqual(['file B.json', 'file a.json', 'directory b', 'directory b/inner', 'file b/inner/z.json', 'symlink c-link']);
  });

  test('file bodies are opened only when read', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'x.json'), 'content');
    for await (const entry of directoryEntries(root, () => {})) {
      await entry.skip();
      expect(await text(entry)).toBe('content');
    }
  });
});
