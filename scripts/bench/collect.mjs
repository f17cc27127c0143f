#!/usr/bin/env node
// Collecting at scale: `hrp-doctor collect --all-clusters` against `hrp-doctor serve` with a fixed
// latency added to every API request, compared with the ideal pipelined time
// calls × latency / concurrency. The goal (issue "Scale", item 4): wall ≤ 1.3 × that ideal.
//
//   node scripts/bench/collect.mjs [--size small] [--workload-clusters 10] [--latency 0,100,250]
//        [--concurrency 4,16] [--runs 1] [--dir /tmp/hrp-doctor-bench] [--kubectl kubectl]
//
// The bundle is generated with --workload-clusters so that every CAPI Cluster of the management
// cluster has its workload cluster served (the first one big, the others small). The server runs
// in this process (dist/serve/server.js startBundleServer({ latencyMs })); collect runs as the CLI
// (node bin/hrp-doctor.js collect ...) in its own process, with the real kubectl, under GNU time.
// "calls" are the kubectl calls collect made (manifest.json collection[]); every kubectl call makes
// at least one HTTP request (kubectl may add discovery requests, cached per run in KUBECACHEDIR).

import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createGunzip } from 'node:zlib';
import http from 'node:http';
import tar from 'tar-stream';
import { SIZES, generatorHash } from './generate.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// Counts the HTTP requests the in-process server receives (a kubectl call can make several:
// discovery, then the list). Benchmark instrumentation only.
let requests = 0;
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function countRequests(event, ...args) {
  if (event === 'request') requests++;
  return emit.call(this, event, ...args);
};

function parseArgs(argv) {
  const o = { size: 'small', workloadClusters: 10, latency: [0, 100, 250], concurrency: [4, 16], runs: 1, dir: path.join(os.tmpdir(), 'hrp-doctor-bench'), kubectl: 'kubectl', seed: '42' };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => inline ?? argv[++i];
    const list = () => value().split(',').filter(Boolean).map(Number);
    switch (flag) {
      case '--size': o.size = value(); break;
      case '--workload-clusters': o.workloadClusters = Number(value()); break;
      case '--latency': o.latency = list(); break;
      case '--concurrency': o.concurrency = list(); break;
      case '--runs': o.runs = Number(value()); break;
      case '--dir': o.dir = path.resolve(value()); break;
      case '--kubectl': o.kubectl = value(); break;
      case '--seed': o.seed = value(); break;
      case '--help': case '-h':
        process.stdout.write('usage: node scripts/bench/collect.mjs [--size small] [--workload-clusters 10] [--latency 0,100,250] [--concurrency 4,16] [--runs 1] [--dir DIR] [--kubectl PATH]\n');
        process.exit(0);
        break;
      default: throw new Error(`unknown option ${argv[i]}`);
    }
  }
  if (!SIZES[o.size]) throw new Error(`unknown size ${o.size}`);
  return o;
}

function ensureBundle(o) {
  mkdirSync(o.dir, { recursive: true });
  const bundle = path.join(o.dir, `collect-${o.size}-wl${o.workloadClusters}-seed${o.seed}.tgz`);
  const statsFile = `${bundle}.gen.json`;
  if (existsSync(bundle) && existsSync(statsFile) && JSON.parse(readFileSync(statsFile, 'utf8')).generatorHash === generatorHash()) return bundle;
  const res = spawnSync(process.execPath, [path.join(repo, 'scripts/bench/generate.mjs'), '--size', o.size, '--workload-clusters', String(o.workloadClusters), '--seed', o.seed, '--out', bundle, '--stats', statsFile, '--quiet'], { stdio: 'inherit' });
  if (res.status !== 0) throw new Error('generate.mjs failed');
  return bundle;
}

/** manifest.json of a collected bundle (streamed out of the .tgz). */
async function manifestOf(tgz) {
  const extract = tar.extract();
  createReadStream(tgz).pipe(createGunzip()).pipe(extract);
  for await (const entry of extract) {
    if (/^[^/]+\/manifest\.json$/.test(entry.header.name)) {
      const parts = [];
      for await (const c of entry) parts.push(c);
      extract.destroy();
      return JSON.parse(Buffer.concat(parts).toString('utf8'));
    }
    entry.resume();
  }
  throw new Error(`no manifest.json in ${tgz}`);
}

/** Runs collect under GNU time, asynchronously: the server answering it lives in this process. */
async function timedCollect(args, env) {
  const timeFile = path.join(os.tmpdir(), `hrp-bench-collect-time-${process.pid}.txt`);
  const child = spawn('/usr/bin/time', ['-f', '%e %U %S %M', '-o', timeFile, process.execPath, path.join(repo, 'bin/hrp-doctor.js'), 'collect', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => { stderr += c; });
  const status = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const [wall, user, sys, rssKb] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(/\s+/).map(Number);
  rmSync(timeFile, { force: true });
  return { status, stderr, wall, cpu: user + sys, rss: rssKb * 1024 };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const serverJs = path.join(repo, 'dist/serve/server.js');
  if (!existsSync(serverJs) || !existsSync(path.join(repo, 'dist/collect/collect.js'))) throw new Error('dist/serve or dist/collect missing: npm run build');
  if (spawnSync(o.kubectl, ['version', '--client']).status !== 0) throw new Error(`${o.kubectl} not found: collect runs the real kubectl`);
  const { startBundleServer } = await import(pathToFileURL(serverJs).href);
  const bundle = ensureBundle(o);
  const work = mkdtempSync(path.join(o.dir, 'collect-'));
  const rows = [];
  try {
    for (const latencyMs of o.latency) {
      const server = await startBundleServer({ bundles: [{ path: bundle }], port: 0, latencyMs });
      try {
        const kubeconfig = path.join(work, `served-${latencyMs}.kubeconfig`);
        writeFileSync(kubeconfig, server.kubeconfig, { mode: 0o600 });
        const mgmt = server.clusters.find((c) => c === 'bench-mgmt') ?? server.clusters[0];
        for (const concurrency of o.concurrency) {
          for (let run = 1; run <= o.runs; run++) {
            const output = path.join(work, `out-${latencyMs}-${concurrency}-${run}.tgz`);
            const env = { ...process.env, KUBECONFIG: '', KUBECACHEDIR: path.join(work, `cache-${latencyMs}-${concurrency}-${run}`) };
            const before = requests;
            const loadBefore = os.loadavg()[0];
            const r = await timedCollect(['--all-clusters', '--mgmt-kubeconfig', kubeconfig, '--mgmt-context', mgmt, '--output', output, '--concurrency', String(concurrency), '--kubectl', o.kubectl, '--quiet'], env);
            if (r.status !== 0 && r.status !== 1) throw new Error(`collect exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
            const manifest = await manifestOf(output);
            const calls = manifest.collection.length;
            const failures = manifest.collection.filter((c) => c.exitCode !== 0 || c.error);
            const failed = failures.length;
            const httpRequests = requests - before;
            const ideal = (calls * latencyMs) / 1000 / concurrency;
            const idealRequests = (httpRequests * latencyMs) / 1000 / concurrency;
            const why = new Map();
            for (const f of failures) {
              const verb = f.command.slice(f.command.findIndex((a) => ['get', 'logs', 'version', 'api-resources'].includes(a))).filter((a) => !a.startsWith('--') && a !== '-o' && a !== 'json').slice(0, 2).join(' ');
              const key = `${verb}: ${(f.error ?? `exit ${f.exitCode}`).split('\n')[0].slice(0, 120)}`;
              why.set(key, (why.get(key) ?? 0) + 1);
            }
            const row = { latencyMs, concurrency, run, wall: r.wall, cpu: r.cpu, rss: r.rss, calls, failed, httpRequests, clusters: manifest.clusters.length, ideal, idealRequests, exit: r.status, load: [loadBefore, os.loadavg()[0]], failures: [...why].sort((a, b) => b[1] - a[1]).slice(0, 8) };
            rows.push(row);
            process.stderr.write(`collect: latency ${latencyMs} ms, concurrency ${concurrency}: ${r.wall.toFixed(2)} s wall, ${calls} kubectl calls (${failed} failed), ${httpRequests} HTTP requests, ideal ${ideal.toFixed(2)} s${ideal > 0 ? ` (${(r.wall / ideal).toFixed(2)}×)` : ''}, ${manifest.clusters.length} clusters, load ${loadBefore.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}\n`);
            rmSync(output, { force: true });
          }
        }
      } finally {
        await server.close();
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const base = new Map(rows.filter((r) => r.latencyMs === 0).map((r) => [r.concurrency, r.wall]));
  const lines = [
    '| latency / request | concurrency | kubectl calls | HTTP requests | wall (s) | calls × latency / concurrency (s) | requests × latency / concurrency (s) | wall − wall at 0 ms (s) | wall / (calls × latency / concurrency) | target ≤ 1.3× met | collect CPU incl. kubectl (s) | collect peak RSS (MiB) | load avg 1 min (before → after) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const extra = base.has(r.concurrency) ? r.wall - base.get(r.concurrency) : undefined;
    lines.push(`| ${r.latencyMs} ms | ${r.concurrency} | ${r.calls}${r.failed ? ` (${r.failed} failed)` : ''} | ${r.httpRequests} | ${r.wall.toFixed(2)} | ${r.ideal.toFixed(2)} | ${r.idealRequests.toFixed(2)} | ${extra === undefined ? '–' : extra.toFixed(2)} | ${r.ideal > 0 ? (r.wall / r.ideal).toFixed(2) : '–'} | ${r.ideal > 0 ? (r.wall <= 1.3 * r.ideal ? 'yes' : 'no') : '–'} | ${r.cpu.toFixed(2)} | ${Math.round(r.rss / 2 ** 20)} | ${r.load[0].toFixed(2)} → ${r.load[1].toFixed(2)} |`);
  }
  const failures = rows[0]?.failures ?? [];
  if (failures.length) lines.push('', 'Failed kubectl calls (first configuration), by command and error:', ...failures.map(([k, n]) => `- ${n} × ${k}`));
  process.stdout.write(`\nbundle served: ${bundle} (${o.workloadClusters} workload clusters)\n\n${lines.join('\n')}\n`);
}

main().catch((err) => {
  process.stderr.write(`collect bench: ${err.stack ?? err}\n`);
  process.exit(1);
});
