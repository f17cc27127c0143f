import { describe, expect, it } from 'vitest';
import type { LogTail } from '../../src/bundle/types.js';
import { tellingLines, tellingScore } from '../../src/rules/util/logs.js';

const tail = (...lines: string[]): LogTail => ({ cluster: { input: 'b', dir: 'd' }, namespace: 'ns', pod: 'p', container: 'c', previous: true, source: 's', truncated: false, lines });

describe('telling log lines', () => {
  it('skips a CLI\'s usage text and keeps the error and the panic (metrics-server, real bundle)', () => {
    const log = tail(
      'Error: unable to load configmap based request-header-client-ca-file: Get "https://10.43.0.1:443/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication": dial tcp 10.43.0.1:443: i/o timeout',
      'Usage:',
      '   [flags]',
      '      --alsologtostderr                  log to standard error as well as files',
      '      --logtostderr                      log to standard error instead of files (default true)',
      '  -v, --v Level                          number for the log level verbosity',
      '',
      'panic: unable to load configmap based request-header-client-ca-file: Get "https://10.43.0.1:443/api/v1/namespaces/kube-system/configmaps/extension-apiserver-authentication": dial tcp 10.43.0.1:443: i/o timeout',
      '',
      'goroutine 1 [running]:',
      'main.main()',
    );
    const lines = tellingLines(log);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Error: unable to load configmap/);
    expect(lines[1]).toMatch(/^panic: unable to load configmap/);
  });

  it('prefers lines that declare an error level over lines that only mention one', () => {
    const log = tail(
      'An error occurred: unknown command "server-junk" for "velero"',
      '{"level":"error","ts":"2025-12-27T10:00:00Z","msg":"Reconciler error","error":"context deadline exceeded"}',
      'I1227 10:00:01.000000       1 controller.go:12] retrying after error',
    );
    expect(tellingLines(log)).toEqual(['{"level":"error","ts":"2025-12-27T10:00:00Z","msg":"Reconciler error","error":"context deadline exceeded"}']);
    expect(tellingLines(tail('starting', 'An error occurred: unknown command "server-junk" for "velero"', 'bye'))).toEqual(['An error occurred: unknown command "server-junk" for "velero"']);
  });

  it('never picks lines of a lower level, nor words that report no error', () => {
    for (const line of [
      'W1227 10:00:00.000000       1 reflector.go:1] error retrieving resource lock, will retry',
      'level=info msg="sync done" errors=0',
      'time="2025-12-27T10:00:00Z" level=warning msg="could not reach peer: error 503"',
      '[INFO] plugin/reload: Running configuration error check',
      '      --logtostderr  log to standard error instead of files',
      'finished without errors',
    ]) expect(tellingScore(line), line).toBe(0);
    expect(tellingLines(tail('W1227 10:00:00.000000 1 x.go:1] error retrying', 'level=info msg="ok"'))).toEqual([]);
  });

  it('takes the last three, oldest first, and caps long lines', () => {
    const log = tail(...[1, 2, 3, 4].map((i) => `E1227 10:00:0${i}.000000       1 x.go:1] failure ${i}`), `F1227 10:00:09.000000       1 x.go:1] ${'x'.repeat(500)}`);
    const lines = tellingLines(log);
    expect(lines.map((l) => l.slice(0, 24))).toEqual(['E1227 10:00:03.000000   ', 'E1227 10:00:04.000000   ', 'F1227 10:00:09.000000   ']);
    expect(lines[2]).toHaveLength(400);
    expect(lines[2]!.endsWith('…')).toBe(true);
  });
});
