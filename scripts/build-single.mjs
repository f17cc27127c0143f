#!/usr/bin/env node
// Builds dist/hrp-doctor.mjs: the whole CLI and every runtime dependency in one ES module that runs
// with plain `node`, without node_modules. Templates and schemas are embedded: the banner sets
// globalThis.__HRP_DOCTOR_ASSETS__ (path from the package root → file contents), which
// src/assets.ts reads before it looks at the file system. See docs/packaging.md.
import { chmodSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUTFILE = join(ROOT, 'dist', 'hrp-doctor.mjs');
const ASSET_FOLDERS = ['templates', 'schemas'];

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every file under templates/ and schemas/, keyed the way readAsset() asks for it. */
function assets() {
  const map = {};
  for (const folder of ASSET_FOLDERS) {
    for (const file of filesUnder(join(ROOT, folder)).sort()) {
      map[relative(ROOT, file).split(sep).join('/')] = readFileSync(file, 'utf8');
    }
  }
  return map;
}

const started = Date.now();
const embedded = assets();
const banner = [
  '#!/usr/bin/env node',
  '// hrp-doctor, single-file build (scripts/build-single.mjs). Templates and schemas are embedded below.',
  // CommonJS dependencies (handlebars, ajv...) call require() for Node built-ins: give them one.
  "import { createRequire as __hrpCreateRequire } from 'node:module';",
  'const require = __hrpCreateRequire(import.meta.url);',
  `globalThis.__HRP_DOCTOR_ASSETS__ = ${JSON.stringify(embedded)};`,
  // The parsing worker thread runs this same file (src/parse-worker.ts starts serving in it).
  'globalThis.__HRP_DOCTOR_ENTRY_URL__ = import.meta.url;',
].join('\n');

await build({
  stdin: {
    contents: [
      "import { isMainThread } from 'node:worker_threads';",
      "import { main } from './src/cli/main.ts';",
      "import './src/parse-worker.ts';",
      'if (isMainThread) main(process.argv.slice(2)).then((code) => { process.exitCode = code; });',
      '',
    ].join('\n'),
    resolveDir: ROOT,
    sourcefile: 'hrp-doctor-single.ts',
    loader: 'ts',
  },
  outfile: OUTFILE,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Node's own condition names; handlebars is CommonJS (lib/index.js) and is wrapped by esbuild.
  mainFields: ['module', 'main'],
  conditions: ['node', 'import'],
  banner: { js: banner },
  legalComments: 'eof',
  logLevel: 'warning',
});
chmodSync(OUTFILE, 0o755);

const size = statSync(OUTFILE).size;
console.log(
  `build:single: ${relative(ROOT, OUTFILE)} ${(size / 1024).toFixed(0)} KiB (${Object.keys(embedded).length} assets embedded) in ${Date.now() - started} ms`,
);
