import { basename } from 'node:path';
import yargs from 'yargs';
import { DEFAULT_PARSE_WORKER_MIN_BYTES, PARSE_WORKER_MIN_CPUS, parseWorkerAvailable } from '../analyze.js';
import { UnreadableInputError } from '../bundle/types.js';
import { limitsFromArgs, withLimitOptions } from '../limits.js';
import { FORMATS, runAnalyze, type Format } from './analyze-command.js';
import { useColour } from '../report/colour.js';
import { UsageError } from './errors.js';
import { runCollectCommand } from '../collect/collect.js';
import { runServeCommand } from '../serve/server.js';
import { runDiff } from './diff-command.js';
import { renderRuleCatalog } from './rules-command.js';

const VERSION = '0.1.0';

/** The time reports are stamped with: SOURCE_DATE_EPOCH (reproducible builds' convention) or now. */
function reportTime(): Date {
  const epoch = process.env['SOURCE_DATE_EPOCH'];
  return epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : new Date();
}

/** yargs reads `--output -` as an empty string; `--output=-` it reads right. */
function normaliseArgs(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if ((arg === '--output' || arg === '-o') && argv[i + 1] === '-') {
      out.push('--output=-');
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** Runs the CLI and returns the exit status; never throws. */
/**
 * The size from which JSON files are parsed in a worker thread, or undefined for none:
 * --no-parse-worker, or by default on a machine with few CPUs (--parse-worker forces it).
 */
function parseWorkerFromArgs(enabled: boolean | undefined, minBytes: number | undefined): number | undefined {
  if (minBytes !== undefined && !(Number.isFinite(minBytes) && minBytes >= 0)) throw new UsageError(`--parse-worker-min-bytes must be a number of bytes ≥ 0, not ${minBytes}`);
  if (enabled === false || !parseWorkerAvailable(enabled === true)) return undefined;
  return minBytes ?? DEFAULT_PARSE_WORKER_MIN_BYTES;
}

export async function main(rawArgv: string[]): Promise<number> {
  const argv = normaliseArgs(rawArgv);
  const debug = argv.includes('--debug');
  let status = 0;
  try {
    await yargs(argv)
      // Run as a kubectl plugin (a `kubectl-hrp_doctor` executable), help says `kubectl hrp-doctor`.
      .scriptName(/^kubectl-/.test(basename(process.argv[1] ?? '')) ? 'kubectl hrp-doctor' : 'hrp-doctor')
      .version(VERSION)
      .usage('$0 <command> [options]\n\nDiagnose failing Cluster API add-ons (CAAPH HelmReleaseProxies) from a support bundle.')
      .command(
        'analyze <bundles..>',
        'Analyze bundles offline and write a report (Markdown, HTML, JSON)',
        (y) =>
          withLimitOptions(y)
            .positional('bundles', { type: 'string', array: true, demandOption: true, describe: 'bundle .tgz/.tar or directory; NAME=PATH names a foreign bundle\'s cluster' })
            .option('format', { alias: 'f', type: 'string', array: true, choices: FORMATS, describe: 'report format; repeat for several (default: all three, or from --output\'s extension)' })
            .option('output', { alias: 'o', type: 'string', describe: 'file (one format), directory (several), or - for standard output' })
            .option('suppressions', { type: 'string', describe: 'suppression file (default: .hrp-doctor.yaml in the working directory, when present)' })
            .option('no-suppressions', { type: 'boolean', describe: 'apply no suppression file' })
            .option('fail-on', { type: 'string', choices: ['error', 'warning', 'info'] as const, describe: 'exit 1 when a finding at or above this severity exists' })
            .option('debug', { type: 'boolean', describe: 'print stack traces of unexpected errors' })
            .option('parse-worker', { type: 'boolean', describe: `parse large JSON files in a worker thread (default: on with ${PARSE_WORKER_MIN_CPUS} or more CPUs; --no-parse-worker: all on the main thread)` })
            .option('parse-worker-min-bytes', { type: 'number', describe: `JSON files from this size go to the parsing worker (default ${DEFAULT_PARSE_WORKER_MIN_BYTES})` })
            .example('$0 analyze samples/seed-incident.tgz', 'write samples/seed-incident.tgz.report.{md,html,json} and print a summary')
            .example('$0 analyze mgmt.tgz edge-17=workload.tgz -f json -o -', 'merge a management and a workload bundle, JSON on stdout')
            .example('$0 analyze bundle.tgz --fail-on error -f junit -o findings.xml', 'CI gate: exit 1 when any error is found, findings as JUnit test failures')
            .example('$0 analyze bundle.tgz --suppressions team.yaml', 'silence known findings, each with a reason (they stay listed as suppressed)'),
        async (args) => {
          status = await runAnalyze({
            bundles: args.bundles as string[],
            formats: (args.format ?? []) as Format[],
            output: Array.isArray(args.output) ? String(args.output.at(-1)) : args.output,
            failOn: args['fail-on'] as 'error' | 'warning' | 'info' | undefined,
            suppressions: args.suppressions,
            noSuppressions: args['no-suppressions'] === true || args.suppressions === false as unknown,
            now: reportTime(),
            stdout: (text) => process.stdout.write(text),
            colour: useColour(process.stdout),
            limits: limitsFromArgs(args),
            parseWorkerMinBytes: parseWorkerFromArgs(args['parse-worker'], args['parse-worker-min-bytes']),
            ...(process.stderr.isTTY ? { progress: process.stderr } : {}),
          });
        },
      )
      .command(
        'collect',
        'Collect the management and workload clusters of a CAPI Cluster into one bundle, with your own kubectl',
        (y) =>
          y
            .option('cluster', { type: 'string', describe: 'the CAPI Cluster (workload cluster) to collect' })
            .option('namespace', { alias: 'n', type: 'string', describe: 'namespace of the CAPI Cluster (default: search all)' })
            .option('mgmt-kubeconfig', { type: 'string', describe: 'kubeconfig of the management cluster (default: KUBECONFIG / ~/.kube/config)' })
            .option('mgmt-context', { type: 'string', describe: 'context of the management cluster' })
            .option('workload-kubeconfig', { type: 'string', describe: 'kubeconfig of the workload cluster (default: the CAPI secret <cluster>-kubeconfig)' })
            .option('output', { alias: 'o', type: 'string', describe: 'bundle file (default ./hrp-doctor-<cluster>-<UTC stamp>.tgz)' })
            .option('all-clusters', { type: 'boolean', describe: 'every CAPI Cluster of --namespace (or of all namespaces)' })
            .option('concurrency', { type: 'number', describe: 'kubectl calls at once (default 4)' })
            .option('request-timeout', { type: 'string', describe: 'per kubectl call, e.g. 30s (default 30s)' })
            .option('kubectl', { type: 'string', describe: 'kubectl binary to run (default: kubectl from PATH)' })
            .option('log-lines', { type: 'number', describe: 'last lines kept per container instance (default 2000)' })
            .option('log-bytes', { type: 'string', describe: 'bytes kept per container instance, e.g. 2MiB (default 2MiB)' })
            .option('quiet', { alias: 'q', type: 'boolean', describe: 'no progress on stderr' })
            .check((a) => {
              if (!a.cluster && !a['all-clusters']) throw new UsageError('give --cluster NAME or --all-clusters');
              return true;
            })
            .example('$0 collect --mgmt-kubeconfig mgmt.conf --cluster prod-eu-1 -n fleet', 'collect the management cluster and prod-eu-1 (kubeconfig from the CAPI secret)')
            .example('$0 collect --all-clusters -n fleet -o fleet.tgz', 'every workload cluster of the namespace in one bundle'),
        async (args) => {
          status = await runCollectCommand({
            cluster: args.cluster, namespace: args.namespace, mgmtKubeconfig: args['mgmt-kubeconfig'], mgmtContext: args['mgmt-context'],
            workloadKubeconfig: args['workload-kubeconfig'], output: Array.isArray(args.output) ? String(args.output.at(-1)) : args.output,
            allClusters: args['all-clusters'], concurrency: args.concurrency, requestTimeout: args['request-timeout'], kubectl: args.kubectl,
            logLines: args['log-lines'], logBytes: args['log-bytes'], quiet: args.quiet,
          });
        },
      )
      .command(
        'diff <before> <after>',
        'Compare two bundles of the same clusters: findings resolved, new and still present, and key objects that changed',
        (y) =>
          y
            .positional('before', { type: 'string', demandOption: true, describe: 'bundle before the fix' })
            .positional('after', { type: 'string', demandOption: true, describe: 'bundle after the fix' })
            .option('format', { alias: 'f', type: 'string', choices: ['md', 'html', 'json'] as const, default: 'md' })
            .option('output', { alias: 'o', type: 'string', describe: 'file to write (default: standard output)' })
            .example('$0 diff samples/seed-incident.tgz samples/seed-incident-fixed.tgz', 'what the fixes of the seed report changed'),
        async (args) => {
          status = await runDiff({
            before: args.before as string, after: args.after as string, format: args.format as 'md' | 'html' | 'json',
            output: Array.isArray(args.output) ? String(args.output.at(-1)) : args.output, now: reportTime(),
            stdout: (text) => process.stdout.write(text),
          });
        },
      )
      .command(
        'serve <bundles..>',
        'Serve bundles as a read-only Kubernetes API on 127.0.0.1, so kubectl get/describe/logs work offline',
        (y) =>
          y
            .positional('bundles', { type: 'string', array: true, demandOption: true, describe: 'bundle .tgz/.tar or directory; NAME=PATH names a foreign bundle\'s cluster' })
            .option('port', { type: 'number', default: 0, describe: 'port to listen on (0: any free port)' })
            .option('kubeconfig-out', { type: 'string', describe: 'write the kubeconfig (one context per cluster) to this file instead of standard output' })
            .example('$0 serve samples/seed-incident.tgz --kubeconfig-out /tmp/seed.kubeconfig', 'then: kubectl --kubeconfig /tmp/seed.kubeconfig --context dm-nkp-workload-1 get pods -A'),
        async (args) => {
          status = await runServeCommand({
            bundles: args.bundles as string[], port: args.port, kubeconfigOut: args['kubeconfig-out'],
            stdout: (text) => process.stdout.write(text),
          });
        },
      )
      .command(
        'rules',
        'List the finding codes hrp-doctor checks, with their severity and meaning',
        (y) =>
          y
            .option('format', { alias: 'f', type: 'string', choices: ['text', 'md', 'json'] as const, default: 'text' })
            .example('$0 rules', 'every finding code with its severity and title')
            .example('$0 rules -f md > docs/rules.md', 'regenerate the rule catalog')
            .example('$0 rules -f json', 'the catalog as JSON, for tooling'),
        (args) => {
          process.stdout.write(renderRuleCatalog(args.format as 'text' | 'md' | 'json'));
        },
      )
      .example('$0 analyze samples/seed-incident.tgz', 'diagnose a bundle: summary on the terminal, reports next to it')
      .example('$0 analyze bundle.tgz --fail-on error', 'exit 1 when an error is found (CI)')
      .example('$0 diff before.tgz after.tgz', 'what a fix changed')
      .example('$0 rules', 'the finding codes')
      .epilog('Run `$0 <command> --help` for a command\'s options and examples. Colours only on a terminal; NO_COLOR=1 turns them off.')
      .demandCommand(1, 'give a command: collect, analyze, diff, serve or rules')
      .strict()
      .help()
      .wrap(Math.min(110, process.stdout.columns || 100))
      .fail((message, error) => {
        // yargs' own validation errors are usage errors; anything else came from a command.
        if (error && error.name !== 'YError') throw error;
        throw new UsageError(message || error?.message || 'bad usage');
      })
      .parseAsync();
    return status;
  } catch (error) {
    if (error instanceof UsageError || error instanceof UnreadableInputError) {
      process.stderr.write(`hrp-doctor: ${error.message}\n`);
    } else {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`hrp-doctor: unexpected error: ${message}${debug ? '' : ' (run with --debug for details)'}\n`);
    }
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return 2;
  }
}
