#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by function and by file, and
// inclusive time of the functions whose name matches --match.
//
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bin/hrp-doctor.js analyze B -f json -o /dev/null
//   node scripts/bench/cpuprofile-top.mjs /tmp/prof/CPU.*.cpuprofile [--top 25] [--match check,readInput]

import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
if (!file) {
  process.stderr.write('usage: node scripts/bench/cpuprofile-top.mjs FILE.cpuprofile [--top N] [--match name,name]\n');
  process.exit(2);
}
const top = Number(opt('top', 25));
const match = (opt('match', '') || '').split(',').filter(Boolean);

const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Sample time per node: timeDeltas[i] belongs to samples[i].
const self = new Map();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  total += dt;
  self.set(id, (self.get(id) ?? 0) + dt);
});

const short = (url) => (url ? url.replace(/^file:\/\//, '').replace(/^.*\/(dist|node_modules)\//, '$1/') : '(native)');
const label = (n) => `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

const byFn = new Map();
const byFile = new Map();
for (const [id, t] of self) {
  const n = byId.get(id);
  byFn.set(label(n), (byFn.get(label(n)) ?? 0) + t);
  const f = n.callFrame.url ? short(n.callFrame.url) : `(${n.callFrame.functionName || 'program'})`;
  byFile.set(f, (byFile.get(f) ?? 0) + t);
}

const ms = (us) => `${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%`;
const print = (title, map) => {
  console.log(`\n${title}`);
  for (const [k, t] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms(t)}  ${k}`);
};
console.log(`total sampled ${(total / 1e6).toFixed(2)} s`);
print('self time by function', byFn);
print('self time by file', byFile);

if (match.length > 0) {
  // Inclusive time: a sample counts once for every distinct matching function on its stack.
  const incl = new Map();
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      const name = n.callFrame.functionName;
      if (match.some((m) => name === m || label(n).includes(m))) {
        const key = label(n);
        if (!seen.has(key)) {
          seen.add(key);
          incl.set(key, (incl.get(key) ?? 0) + dt);
        }
      }
    }
  });
  print(`inclusive time of ${match.join(', ')}`, incl);
}
