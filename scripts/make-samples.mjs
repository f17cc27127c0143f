#!/usr/bin/env node
// Writes the sample bundles under samples/ (each as a directory and as a .tgz).
// Deterministic: running it twice gives byte-identical archives.
//
//   node scripts/make-samples.mjs            # all samples
//   node scripts/make-samples.mjs healthy    # only the named sample(s)

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeTgz, writeTree } from './samples/lib/bundle.mjs';
import * as healthy from './samples/healthy/index.mjs';
import * as imagepullAirgapped from './samples/imagepull-airgapped/index.mjs';
import * as seedIncident from './samples/seed-incident/index.mjs';
import * as seedIncidentFixed from './samples/seed-incident-fixed/index.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLES = { 'seed-incident': seedIncident, 'seed-incident-fixed': seedIncidentFixed, healthy, 'imagepull-airgapped': imagepullAirgapped };

const wanted = process.argv.slice(2);
for (const [name, mod] of Object.entries(SAMPLES)) {
  if (wanted.length && !wanted.includes(name)) continue;
  for (const out of mod.build()) {
    writeTree(path.join(repo, out.dir), out.files);
    const { bytes, sha256 } = await writeTgz(path.join(repo, out.tgz), out.files);
    console.log(`${out.tgz}  ${out.files.size} files  ${bytes} bytes  sha256:${sha256}`);
  }
}
