import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BundleWriter } from '../../src/collect/bundle-writer.js';
import { readBundle, tempDir } from './helpers.js';

describe('bundle writer', () => {
  it('streams entries into a .tgz and renames it into place', async () => {
    const dir = tempDir();
    const out = join(dir, 'b.tgz');
    const spool = join(dir, 'spool.json');
    writeFileSync(spool, JSON.stringify({ big: 'x'.repeat(300_000) }));
    const writer = await BundleWriter.open(out, { mtime: new Date('2025-12-27T10:04:11Z') });
    expect(existsSync(writer.tmpPath)).toBe(true);
    expect(existsSync(out)).toBe(false);
    await writer.addBuffer('root/manifest.json', '{"format":"hrp-doctor.bundle/v1"}');
    await writer.addFile(`root/clusters/${'long-name-'.repeat(12)}/cluster-resources/pods/kube-system.json`, spool);
    await writer.finish();
    expect(existsSync(out)).toBe(true);
    expect(existsSync(writer.tmpPath)).toBe(false);
    const files = await readBundle(out);
    expect([...files.keys()]).toEqual(['root/manifest.json', `root/clusters/${'long-name-'.repeat(12)}/cluster-resources/pods/kube-system.json`]);
    expect(JSON.parse(files.get(`root/clusters/${'long-name-'.repeat(12)}/cluster-resources/pods/kube-system.json`)!.toString()).big).toHaveLength(300_000);
  });

  it('is atomic: a failure midway leaves nothing at the final path and no temporary file', async () => {
    const dir = tempDir();
    const out = join(dir, 'b.tgz');
    const writer = await BundleWriter.open(out);
    await writer.addBuffer('root/a.json', '{}');
    // A spool file that vanished: the entry fails, the writer refuses to finish.
    await expect(writer.addFile('root/b.json', join(dir, 'missing.json'))).rejects.toThrow(/ENOENT/);
    await expect(writer.addBuffer('root/c.json', '{}')).rejects.toThrow();
    await expect(writer.finish()).rejects.toThrow();
    await writer.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('abort() at any time removes the partial file', async () => {
    const dir = tempDir();
    const out = join(dir, 'b.tgz');
    const writer = await BundleWriter.open(out);
    await writer.addBuffer('root/a.json', 'x'.repeat(100_000));
    await writer.abort();
    await writer.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps an existing bundle at the final path until the new one is complete', async () => {
    const dir = tempDir();
    const out = join(dir, 'b.tgz');
    writeFileSync(out, 'previous bundle');
    const writer = await BundleWriter.open(out);
    await writer.addBuffer('root/a.json', '{}');
    await writer.abort();
    expect(readdirSync(dir)).toEqual(['b.tgz']);
  });

  it('fails to open when the folder does not exist', async () => {
    await expect(BundleWriter.open('/nonexistent-folder/x/b.tgz')).rejects.toThrow(/ENOENT/);
  });
});
