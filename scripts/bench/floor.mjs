#!/usr/bin/env node
// The decode floor: what reading a bundle costs before any analysis. Gunzips and untars the
// bundle as a stream (the same tar-stream the analyzer uses), JSON.parses every .json file and
// reads every other file to its end, and does nothing else with what it parsed.
//
//   node scripts/bench/floor.mjs BUNDLE.tgz [--mode auto|whole|split]
//
// --mode auto (default): a file smaller than the largest string V8 can hold (~512 MiB, see
// buffer.constants.MAX_STRING_LENGTH) is JSON.parse'd whole; a larger one cannot be (its text does
// not fit in one string), so it goes through the project's streaming item splitter
// (dist/bundle/json-items.js: each List item JSON.parse'd on its own). --mode split uses the
// splitter for every file, --mode whole never does (and fails on files over the limit).
// Prints one JSON line: files, bytes, objects parsed, how many files took each path, and the files
// too long for one string.

import { createReadStream } from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createGunzip } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import tar from 'tar-stream';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MAX_STRING_BYTES = bufferConstants.MAX_STRING_LENGTH; // one-byte (ASCII) chars = bytes

export async function floor(bundle, mode = 'auto') {
  const { splitJsonStream } = await import(pathToFileURL(path.join(repo, 'dist/bundle/json-items.js')).href);
  const t0 = performance.now();
  const result = { bundle, mode, maxStringBytes: MAX_STRING_BYTES, files: 0, jsonFiles: 0, bytes: 0, objects: 0, problems: 0, wholeFiles: 0, splitFiles: 0, tooLongForAString: [] };
  const source = createReadStream(bundle, { highWaterMark: 1 << 20 });
  const extract = tar.extract();
  const input = /\.(tgz|gz)$/i.test(bundle) ? source.pipe(createGunzip({ chunkSize: 1 << 20 })) : source;
  input.on('error', (err) => extract.destroy(err));
  input.pipe(extract);

  for await (const entry of extract) {
    const { name, size = 0, type } = entry.header;
    if (type !== 'file') {
      entry.resume();
      continue;
    }
    result.files++;
    result.bytes += size;
    if (!name.endsWith('.json')) {
      for await (const _ of entry); // logs: read to the end, nothing else
      continue;
    }
    result.jsonFiles++;
    const split = mode === 'split' || (mode === 'auto' && size >= MAX_STRING_BYTES);
    if (split) {
      result.splitFiles++;
      if (size >= MAX_STRING_BYTES) result.tooLongForAString.push({ file: name.split('/').slice(-2).join('/'), bytes: size });
      await splitJsonStream(entry, {
        item: () => { result.objects++; },
        problem: () => { result.problems++; },
      }, { maxObjectBytes: 64 << 20 });
      continue;
    }
    result.wholeFiles++;
    const parts = [];
    for await (const chunk of entry) parts.push(chunk);
    const value = JSON.parse(Buffer.concat(parts).toString('utf8'));
    result.objects += Array.isArray(value?.items) ? value.items.length : 1;
  }
  result.seconds = Math.round(performance.now() - t0) / 1000;
  return result;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const bundle = args.find((a) => !a.startsWith('--'));
  const modeAt = args.indexOf('--mode');
  const mode = modeAt >= 0 ? args[modeAt + 1] : (args.find((a) => a.startsWith('--mode='))?.slice(7) ?? 'auto');
  if (!bundle || !['auto', 'whole', 'split'].includes(mode)) {
    process.stderr.write('usage: node scripts/bench/floor.mjs BUNDLE.tgz [--mode auto|whole|split]\n');
    process.exit(2);
  }
  floor(bundle, mode).then(
    (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
    (err) => {
      process.stderr.write(`floor: ${err.stack ?? err}\n`);
      process.exit(1);
    },
  );
}
