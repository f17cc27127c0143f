#!/usr/bin/env node
// Benchmark: hrp-doctor analyze against the decode floor and against tar + jq, at several sizes.
//
//   node scripts/bench/run.mjs [--sizes small,medium,large] [--runs 3] [--dir /tmp/hrp-doctor-bench]
//        [--only floor,analyze,jq] [--seed 42] [--regen] [--cli bin/hrp-doctor.js] [--json FILE]
//        [--node-option=--max-old-space-size=1024] [--compare OTHER/bin/hrp-doctor.js] [--label-a A --label-b B]
//
// For each size it generates the bundle once (scripts/bench/generate.mjs, reused while its options
// match), then, `--runs` times and interleaved so that a busy machine affects all three alike:
//   floor    node scripts/bench/floor.mjs BUNDLE             gunzip + untar + JSON.parse everything
//   analyze  node bin/hrp-doctor.js analyze BUNDLE -f json -o OUT.json
//   tar+jq   tar xzf BUNDLE -C TMP, then
//            jq '.items[] | select(.status.containerStatuses[]?.state.waiting.reason == "CrashLoopBackOff") | .metadata.name' pods/*.json
// --compare measures a second analyzer (e.g. a copy with proposed fixes) in the same interleaved
// loop, so that both see the same machine load.
// Every command runs under GNU time (`/usr/bin/time -f '%e %U %S %M'`): wall seconds, user and
// system CPU seconds, and peak RSS (the largest resident set of the process, from wait4's rusage).
// tar+jq is two processes: their wall and CPU times add up, the peak RSS is the larger of the two.
//
// Checks that each answer is right (analyze: one POD_CRASHLOOP finding per crash-looping pod, one
// problem per broken object, the failed HRPs; jq: the crash-looping pods), then prints per size the
// best wall time and the spread over the runs, CPU, peak RSS, the ratios analyze/floor and
// analyze/(tar+jq), the linearity of each 10× step, and the targets at the largest size.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SIZES, generatorHash } from './generate.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TIME = '/usr/bin/time';
const JQ_QUERY = '.items[] | select(.status.containerStatuses[]?.state.waiting.reason == "CrashLoopBackOff") | .metadata.name';
const GiB = 1024 ** 3;
const TARGETS = { rssBytes: 1.5 * GiB, vsFloor: 1.5, linearity: 11 };

const USAGE = `usage: node scripts/bench/run.mjs [--sizes small,medium,large] [--runs 3] [--dir DIR]
  [--only floor,analyze,jq] [--seed 42] [--regen] [--cli PATH/bin/hrp-doctor.js] [--json FILE]
  [--node-option=OPTION]...   (passed to node for analyze, e.g. --node-option=--max-old-space-size=1024)
  [--compare PATH/bin/hrp-doctor.js] [--label-a NAME] [--label-b NAME]   (a second analyzer, measured interleaved)
  [--args-a "FLAGS"] [--args-b "FLAGS"]   (extra analyze flags of each; --args-b alone compares the same CLI with other flags)
sizes: ${Object.entries(SIZES).map(([k, v]) => `${k} (${v.nodes} nodes / ${v.pods} pods / ${v.events} events / ${v.clusters} clusters)`).join(', ')}
`;

function parseArgs(argv) {
  const o = { sizes: ['small', 'medium'], runs: 3, dir: path.join(os.tmpdir(), 'hrp-doctor-bench'), only: ['floor', 'analyze', 'jq'], seed: '42', regen: false, cli: path.join(repo, 'bin/hrp-doctor.js'), json: undefined, nodeOptions: [], compare: undefined, labelA: 'hrp-doctor analyze', labelB: 'hrp-doctor analyze (B)', argsA: [], argsB: undefined };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--sizes': o.sizes = value().split(',').filter(Boolean); break;
      case '--runs': o.runs = Number.parseInt(value(), 10); break;
      case '--dir': o.dir = path.resolve(value()); break;
      case '--only': o.only = value().split(',').filter(Boolean); break;
      case '--seed': o.seed = value(); break;
      case '--regen': o.regen = true; break;
      case '--cli': o.cli = path.resolve(value()); break;
      case '--json': o.json = path.resolve(value()); break;
      case '--node-option': o.nodeOptions.push(value()); break;
      case '--compare': o.compare = path.resolve(value()); break;
      case '--label-a': o.labelA = value(); break;
      case '--label-b': o.labelB = value(); break;
      case '--args-a': o.argsA = value().split(/\s+/).filter(Boolean); break;
      case '--args-b': o.argsB = value().split(/\s+/).filter(Boolean); break;
      case '--help': case '-h': process.stdout.write(USAGE); process.exit(0); break;
      default: throw new Error(`unknown option ${argv[i]}`);
    }
  }
  for (const s of o.sizes) if (!SIZES[s]) throw new Error(`unknown size ${s}`);
  for (const t of o.only) if (!['floor', 'analyze', 'jq'].includes(t)) throw new Error(`unknown tool ${t}`);
  if (o.argsB && !o.compare) o.compare = o.cli;
  o.argsB ??= [];
  if (o.compare && !o.only.includes('analyze2')) o.only.splice(o.only.indexOf('analyze') + 1 || o.only.length, 0, 'analyze2');
  if (!(o.runs >= 1)) throw new Error('--runs must be at least 1');
  return o;
}

// ----------------------------------------------------------------------------- measuring

/** Runs a command under GNU time; returns wall/user/sys seconds, peak RSS bytes, exit status, output. */
function timed(cmd, args, { cwd } = {}) {
  const timeFile = path.join(os.tmpdir(), `hrp-bench-time-${process.pid}.txt`);
  const res = spawnSync(TIME, ['-f', '%e %U %S %M', '-o', timeFile, cmd, ...args], {
    cwd: cwd ?? repo, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const line = readFileSync(timeFile, 'utf8').trim().split('\n').pop();
  rmSync(timeFile, { force: true });
  const [wall, user, sys, rssKb] = line.split(/\s+/).map(Number);
  return { wall, user, sys, cpu: user + sys, rss: rssKb * 1024, status: res.status, stdout: res.stdout ?? '', stderr: res.stderr ?? '' };
}

const load = () => os.loadavg()[0];

function machine() {
  const v = (cmd, args) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    return r.status === 0 ? (r.stdout || r.stderr).split('\n')[0].trim() : 'missing';
  };
  const git = (args) => spawnSync('git', args, { cwd: repo, encoding: 'utf8' }).stdout?.trim() ?? '';
  return {
    date: new Date().toISOString(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / GiB) * 10) / 10,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    tar: v('tar', ['--version']),
    jq: v('jq', ['--version']),
    gnuTime: v(TIME, ['--version']),
    commit: git(['rev-parse', '--short', 'HEAD']),
    dirty: git(['status', '--porcelain', '--', 'src', 'schemas', 'templates']).split('\n').filter(Boolean).length,
  };
}

// ----------------------------------------------------------------------------- the bundle

function ensureBundle(size, o) {
  mkdirSync(o.dir, { recursive: true });
  const bundle = path.join(o.dir, `bench-${size}-seed${o.seed}.tgz`);
  const statsFile = `${bundle}.gen.json`;
  const generator = path.join(repo, 'scripts/bench/generate.mjs');
  let stats;
  if (!o.regen && existsSync(bundle) && existsSync(statsFile)) {
    stats = JSON.parse(readFileSync(statsFile, 'utf8'));
    const want = SIZES[size];
    const same = ['nodes', 'pods', 'events', 'clusters'].every((k) => stats.options[k] === want[k]) && String(stats.options.seed) === o.seed && stats.generatorHash === generatorHash();
    if (same) return { bundle, stats, generated: false };
  }
  process.stderr.write(`bench: generating ${size} bundle ${bundle} ...\n`);
  const res = spawnSync(process.execPath, [generator, '--size', size, '--seed', o.seed, '--out', bundle, '--stats', statsFile], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (res.status !== 0) throw new Error(`generate.mjs failed for ${size}`);
  stats = JSON.parse(readFileSync(statsFile, 'utf8'));
  return { bundle, stats, generated: true };
}

// ----------------------------------------------------------------------------- the three contenders

function runFloor(bundle) {
  const r = timed(process.execPath, [path.join(repo, 'scripts/bench/floor.mjs'), bundle]);
  if (r.status !== 0) throw new Error(`floor failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  return { ...r, detail: { objects: out.objects, wholeFiles: out.wholeFiles, splitFiles: out.splitFiles, tooLongForAString: out.tooLongForAString } };
}

function runAnalyze(bundle, stats, o, work, cli = o.cli, extra = o.argsA) {
  const report = path.join(work, 'report.json');
  const r = timed(process.execPath, [...o.nodeOptions, cli, 'analyze', bundle, '-f', 'json', '-o', report, ...extra]);
  if (r.status !== 0 && r.status !== 1) throw new Error(`analyze failed (${r.status}): ${r.stderr.slice(0, 2000)}`);
  const json = JSON.parse(readFileSync(report, 'utf8'));
  rmSync(report, { force: true });
  const count = (code) => json.findings.filter((f) => f.code === code).length;
  // One problem per broken object; analyzers that cap the list per file say how many more there were.
  const leftOut = json.problems.filter((p) => / left out: /.test(p.message)).length +
    json.problems.reduce((n, p) => n + Number(/^(\d+) more schema problems?\b/.exec(p.message)?.[1] ?? 0), 0);
  const detail = {
    findings: json.findings.length,
    crashLoop: count('POD_CRASHLOOP'),
    hrpFailed: count('HRP_FAILED'),
    problemsLeftOut: leftOut,
    problems: json.problems.length,
    rootCauses: json.rootCauses.length,
  };
  detail.correct = detail.crashLoop === stats.crashLoopPods && detail.problemsLeftOut === stats.broken.total && detail.hrpFailed === stats.failedHrps;
  return { ...r, detail };
}

function runTarJq(bundle, stats, work) {
  const dir = mkdtempSync(path.join(work, 'x-'));
  try {
    const tar = timed('tar', ['xzf', bundle, '-C', dir]);
    if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
    const podsDir = path.join(dir, stats.root, 'clusters', stats.clusters.workload, 'cluster-resources', 'pods');
    // What the shell's pods/*.json expands to: sorted .json files (not the logs/ folder).
    const files = readdirSync(podsDir).filter((f) => f.endsWith('.json')).sort();
    const jq = timed('jq', [JQ_QUERY, ...files], { cwd: podsDir });
    if (jq.status !== 0) throw new Error(`jq failed: ${jq.stderr.slice(0, 2000)}`);
    const names = jq.stdout.split('\n').filter(Boolean).length;
    return {
      wall: tar.wall + jq.wall, user: tar.user + jq.user, sys: tar.sys + jq.sys, cpu: tar.cpu + jq.cpu, rss: Math.max(tar.rss, jq.rss),
      detail: { tar: { wall: tar.wall, cpu: tar.cpu, rss: tar.rss }, jq: { wall: jq.wall, cpu: jq.cpu, rss: jq.rss }, crashLoopNames: names, correct: names === stats.crashLoopPods },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ----------------------------------------------------------------------------- summarising

function summarise(samples) {
  if (samples.length === 0) return undefined;
  const walls = samples.map((s) => s.wall);
  const cpus = samples.map((s) => s.cpu);
  const rss = samples.map((s) => s.rss);
  return {
    wall: { best: Math.min(...walls), worst: Math.max(...walls), spread: Math.max(...walls) - Math.min(...walls), all: walls },
    cpu: { best: Math.min(...cpus), worst: Math.max(...cpus), all: cpus },
    rss: { best: Math.min(...rss), worst: Math.max(...rss), all: rss },
    load: samples.map((s) => s.load),
    detail: samples[samples.length - 1].detail,
    correct: samples.every((s) => s.detail?.correct !== false),
  };
}

const s2 = (x) => (x === undefined ? '–' : x.toFixed(2));
const mib = (b) => (b === undefined ? '–' : `${Math.round(b / 1024 ** 2)}`);
const ratio = (a, b) => (a === undefined || b === undefined || b === 0 ? undefined : a / b);

function table(results, sizes, o) {
  const lines = [];
  lines.push('| size | data (uncompressed / .tgz) | tool | wall best (s) | wall spread (s) | CPU best (s) | peak RSS best / worst (MiB) | correct |');
  lines.push('|---|---|---|---:|---:|---:|---:|---|');
  for (const size of sizes) {
    const r = results[size];
    const data = `${(r.stats.uncompressedBytes / 1024 ** 2).toFixed(0)} MiB / ${(r.stats.outputBytes / 1024 ** 2).toFixed(1)} MiB`;
    for (const tool of ['floor', 'analyze', 'analyze2', 'jq']) {
      const m = r[tool];
      if (!m) continue;
      const name = { jq: 'tar xzf + jq', floor: 'decode floor', analyze: o.labelA, analyze2: o.labelB }[tool];
      lines.push(`| ${size} | ${data} | ${name} | ${s2(m.wall.best)} | ${s2(m.wall.spread)} | ${s2(m.cpu.best)} | ${mib(m.rss.best)} / ${mib(m.rss.worst)} | ${m.correct ? 'yes' : 'NO'} |`);
    }
  }
  lines.push('');
  const analyzers = ['analyze', 'analyze2'].filter((t) => sizes.some((s) => results[s][t]));
  const label = (t) => (t === 'analyze' ? o.labelA : o.labelB);
  lines.push('| size | analyzer | analyze / floor (wall) | analyze / floor (CPU) | analyze / (tar + jq) (wall) | analyze / (tar + jq) (CPU) |');
  lines.push('|---|---|---:|---:|---:|---:|');
  for (const size of sizes) {
    const r = results[size];
    for (const t of analyzers) {
      lines.push(`| ${size} | ${label(t)} | ${s2(ratio(r[t]?.wall.best, r.floor?.wall.best))} | ${s2(ratio(r[t]?.cpu.best, r.floor?.cpu.best))} | ${s2(ratio(r[t]?.wall.best, r.jq?.wall.best))} | ${s2(ratio(r[t]?.cpu.best, r.jq?.cpu.best))} |`);
    }
  }
  lines.push('');
  lines.push(`| step | ${analyzers.map((t) => `${label(t)} wall | ${label(t)} CPU`).join(' | ')} | floor wall | tar + jq wall |`);
  lines.push(`|---|${analyzers.map(() => '---:|---:').join('|')}|---:|---:|`);
  for (let i = 1; i < sizes.length; i++) {
    const a = results[sizes[i - 1]];
    const b = results[sizes[i]];
    const f = SIZES[sizes[i]].pods / SIZES[sizes[i - 1]].pods;
    lines.push(`| ${sizes[i]} / ${sizes[i - 1]} (${f}× data) | ${analyzers.map((t) => `${s2(ratio(b[t]?.wall.best, a[t]?.wall.best))} | ${s2(ratio(b[t]?.cpu.best, a[t]?.cpu.best))}`).join(' | ')} | ${s2(ratio(b.floor?.wall.best, a.floor?.wall.best))} | ${s2(ratio(b.jq?.wall.best, a.jq?.wall.best))} |`);
  }
  return lines.join('\n');
}

function targets(results, sizes, o) {
  const largest = sizes[sizes.length - 1];
  const r = results[largest];
  const out = [];
  const verdict = (ok) => (ok === undefined ? 'not measured' : ok ? 'MET' : 'NOT MET');
  for (const t of ['analyze', 'analyze2']) {
    if (!sizes.some((s) => results[s][t])) continue;
    const who = t === 'analyze' ? o.labelA : o.labelB;
    if (r[t]) out.push(`${who}: peak RSS at ${largest} ≤ 1.5 GiB: ${mib(r[t].rss.worst)} MiB → ${verdict(r[t].rss.worst <= TARGETS.rssBytes)}`);
    const vf = ratio(r[t]?.wall.best, r.floor?.wall.best);
    out.push(`${who}: wall ≤ 1.5 × floor at ${largest}: ${s2(vf)}× → ${verdict(vf === undefined ? undefined : vf <= TARGETS.vsFloor)}`);
    const vj = ratio(r[t]?.wall.best, r.jq?.wall.best);
    out.push(`${who}: faster than tar + jq at ${largest}: ${s2(vj)}× → ${verdict(vj === undefined ? undefined : vj < 1)}`);
    for (let i = 1; i < sizes.length; i++) {
      const f = SIZES[sizes[i]].pods / SIZES[sizes[i - 1]].pods;
      const lin = ratio(results[sizes[i]][t]?.wall.best, results[sizes[i - 1]][t]?.wall.best);
      if (f === 10) out.push(`${who}: 10× data costs ≤ 11× time, ${sizes[i - 1]} → ${sizes[i]}: ${s2(lin)}× → ${verdict(lin === undefined ? undefined : lin <= TARGETS.linearity)}`);
    }
  }
  return out;
}

// ----------------------------------------------------------------------------- main

async function main() {
  let o;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`bench: ${err.message}\n\n${USAGE}`);
    process.exit(2);
  }
  for (const [tool, cmd] of [['time', TIME], ['jq', 'jq'], ['tar', 'tar']]) {
    if (tool !== 'jq' || o.only.includes('jq')) {
      if (spawnSync(cmd, ['--version']).error) throw new Error(`${cmd} is missing (Debian: apt-get install -y ${tool})`);
    }
  }
  if (o.only.includes('floor') && !existsSync(path.join(repo, 'dist/bundle/json-items.js'))) throw new Error('dist/ is missing: run npm run build');
  const info = { ...machine(), cli: o.cli, compare: o.compare, labels: [o.labelA, o.labelB], args: [o.argsA, o.argsB], nodeOptions: o.nodeOptions, runs: o.runs, seed: o.seed };
  process.stderr.write(`bench: ${info.cpu}, ${info.cores} cores, ${info.memoryGiB} GiB, node ${info.node}, commit ${info.commit}${info.dirty ? ` (+${info.dirty} uncommitted files in src/schemas/templates)` : ''}\n`);

  mkdirSync(o.dir, { recursive: true });
  const work = mkdtempSync(path.join(o.dir, 'work-'));
  const results = {};
  try {
    for (const size of o.sizes) {
      const { bundle, stats, generated } = ensureBundle(size, o);
      const samples = { floor: [], analyze: [], analyze2: [], jq: [] };
      for (let run = 1; run <= o.runs; run++) {
        for (const tool of o.only) {
          const before = load();
          const m = tool === 'floor' ? runFloor(bundle) : tool === 'analyze' ? runAnalyze(bundle, stats, o, work) : tool === 'analyze2' ? runAnalyze(bundle, stats, o, work, o.compare, o.argsB) : runTarJq(bundle, stats, work);
          m.load = Math.round(before * 100) / 100;
          samples[tool].push(m);
          process.stderr.write(`bench: ${size} run ${run} ${tool.padEnd(8)} wall ${s2(m.wall)} s  cpu ${s2(m.cpu)} s  rss ${mib(m.rss)} MiB  load ${m.load}${m.detail?.correct === false ? '  WRONG ANSWER' : ''}\n`);
        }
      }
      results[size] = { bundle, generated, stats: { uncompressedBytes: stats.uncompressedBytes, outputBytes: stats.outputBytes, files: stats.files, largestFile: stats.largestFile, avgPodBytes: stats.avgPodBytes, counts: stats.counts, crashLoopPods: stats.crashLoopPods, broken: stats.broken.total, failedHrps: stats.failedHrps, generateSeconds: stats.seconds } };
      for (const tool of o.only) results[size][tool] = summarise(samples[tool]);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const done = o.sizes.filter((s) => results[s]);
  const md = table(results, done, o);
  const verdicts = targets(results, done, o);
  process.stdout.write(`\n${md}\n\nTargets (largest size measured: ${done[done.length - 1]}):\n${verdicts.map((v) => `- ${v}`).join('\n')}\n`);
  const jsonFile = o.json ?? path.join(o.dir, `results-${info.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(jsonFile, `${JSON.stringify({ machine: info, targets: verdicts, results }, null, 2)}\n`);
  process.stdout.write(`\nresults: ${jsonFile}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench: ${err.stack ?? err}\n`);
  process.exit(1);
});
