import { describe, expect, it } from 'vitest';
import { HIDDEN, LogRedactor, Redactor, isSensitiveEnvName, isSensitiveKey } from '../../src/collect/redact.js';

const text = (input: string) => {
  const r = new Redactor();
  return { out: r.text(input), count: r.replacements };
};

describe('redaction of free text', () => {
  it.each([
    ['YAML password', 'password: CANARY-1', 'password: ***HIDDEN***'],
    ['YAML password with spaces', '  db_password: my very secret phrase', '  db_password: ***HIDDEN***'],
    ['JSON token', '{"token":"CANARY-2","user":"bob"}', '{"token":"***HIDDEN***","user":"bob"}'],
    ['JSON apiKey with spaces', '{ "apiKey" : "CANARY-3" }', '{ "apiKey" : "***HIDDEN***" }'],
    ['logfmt secret', 'level=info client_secret=CANARY-4 user=bob', 'level=info client_secret=***HIDDEN*** user=bob'],
    ['flag with =', '--password=CANARY-5', '--password=***HIDDEN***'],
    ['flag with a blank', '--token CANARY-6 --v=2', '--token ***HIDDEN*** --v=2'],
    ['query string', 'GET /cb?code=1&access_token=CANARY-7&x=1', 'GET /cb?code=1&access_token=***HIDDEN***&x=1'],
    ['env style', 'export AWS_SECRET_ACCESS_KEY=CANARY-8', 'export AWS_SECRET_ACCESS_KEY=***HIDDEN***'],
    ['connection string', 'dsn: postgres://app:CANARY-9@db.example:5432/app', 'dsn: postgres://app:***HIDDEN***@db.example:5432/app'],
    ['URL credentials in prose', 'dialing mongodb://root:CANARY-10@10.0.0.5:27017/admin failed', 'dialing mongodb://root:***HIDDEN***@10.0.0.5:27017/admin failed'],
    ['Authorization bearer header', 'Authorization: Bearer CANARY-11', 'Authorization: Bearer ***HIDDEN***'],
    ['Authorization basic header', '"authorization": "Basic Q0FOQVJZLTEy"', '"authorization": "Basic ***HIDDEN***"'],
    ['bare bearer', 'curl -H "X: y" using bearer CANARY-13abc', 'curl -H "X: y" using bearer ***HIDDEN***'],
    ['single-quoted', "secret='CANARY 14'", "secret='***HIDDEN***'"],
  ])('%s', (_name, input, expected) => {
    const { out, count } = text(input);
    expect(out).toBe(expected);
    expect(count).toBeGreaterThan(0);
  });

  it('hides private key blocks, keeping the markers', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAcanaryCANARY15\nabcdef==\n-----END RSA PRIVATE KEY-----';
    const { out } = text(`key.pem: |\n${pem}\nnext: 1`);
    expect(out).not.toContain('CANARY15');
    expect(out).toContain('-----BEGIN RSA PRIVATE KEY-----***HIDDEN***-----END RSA PRIVATE KEY-----');
    expect(out).toContain('next: 1');
    // JSON-escaped, as in a last-applied annotation or a ConfigMap value printed in a log.
    expect(text(JSON.stringify(pem)).out).not.toContain('CANARY15');
    // Cut off before its END marker.
    expect(text('-----BEGIN PRIVATE KEY-----\nCANARY16').out).not.toContain('CANARY16');
  });

  it('hides tokens recognisable by their shape', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IkNBTkFSWSJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2lnbmF0dXJlQ0FOQVJZMTc';
    expect(text(`using ${jwt} now`).out).toBe(`using ${HIDDEN} now`);
    expect(text('id AKIAABCDEFGHIJKLMNOP').out).toBe(`id ${HIDDEN}`);
    expect(text('ghp_abcdefghijklmnopqrstuvwxyz0123456789AB').out).toBe(HIDDEN);
    expect(text('kubeadm join 10.0.0.1:6443 --token abcdef.0123456789abcdef').out).not.toContain('0123456789abcdef');
  });

  it('keeps IP addresses, names, paths and the diagnosis evidence', () => {
    const keep = [
      'dial tcp 10.96.0.1:443: i/o timeout',
      'failed to read Prism Central credentials from secret kube-system/nutanix-ccm-credentials: Get "https://10.96.0.1:443/api/v1/namespaces/kube-system/secrets/nutanix-ccm-credentials": dial tcp 10.96.0.1:443: i/o timeout',
      'post-upgrade hooks failed: 1 error occurred:\n\t* timed out waiting for the condition',
      '--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key',
      '--authorization-kubeconfig=/etc/kubernetes/scheduler.conf',
      'secretName: cilium-ca',
      'tokenFile: /var/run/secrets/token',
      'authorization:\n  mode: Webhook',
      'ALL=(ALL) NOPASSWD:ALL',
      'node.cloudprovider.kubernetes.io/uninitialized',
      'fe80::1 and 192.168.40.10 and 2001:db8::8a2e:370:7334',
      'key: node-role.kubernetes.io/control-plane',
      'enableToken: true',
      'password: ""',
    ];
    for (const line of keep) expect(text(line), line).toEqual({ out: line, count: 0 });
  });

  it('counts each replacement', () => {
    expect(text('password=a token=b').count).toBe(2);
    expect(text('nothing here').count).toBe(0);
  });

  it('is idempotent', () => {
    const once = text('password: x\nAuthorization: Bearer y\ntoken=z').out;
    expect(text(once)).toEqual({ out: once, count: 0 });
  });

  it('stays fast on long lines without separators', () => {
    const long = `${'a'.repeat(200_000)}password${'b'.repeat(200_000)}`;
    const t = Date.now();
    text(long);
    text('x'.repeat(1_000_000));
    expect(Date.now() - t).toBeLessThan(2000);
  });
});

describe('redaction of objects', () => {
  it('hides a password in a ConfigMap, by key and inside a config file', () => {
    const r = new Redactor();
    const cm = r.object({
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: 'app', namespace: 'kube-system', managedFields: [{ manager: 'kubectl' }] },
      data: { password: 'CANARY-PASSWORD-1', 'db.conf': 'host=10.0.0.5\npassword: CANARY-PASSWORD-2\n', mode: 'plain' },
    });
    expect(JSON.stringify(cm)).not.toContain('CANARY');
    expect(cm.data.password).toBe(HIDDEN);
    expect(cm.data['db.conf']).toBe(`host=10.0.0.5\npassword: ${HIDDEN}\n`);
    expect(cm.data.mode).toBe('plain');
    expect(cm.metadata).not.toHaveProperty('managedFields');
    expect(r.replacements).toBe(2);
  });

  it('hides env values by name and by shape, keeping the rest of the container', () => {
    const r = new Redactor();
    const pod = r.object({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'n' },
      spec: {
        containers: [{
          name: 'c', image: 'registry.k8s.io/x:v1', args: ['--v=2', '--api-token=CANARY-ARG'],
          env: [
            { name: 'API_TOKEN', value: 'CANARY-TOKEN-1' },
            { name: 'DB_PASSWORD', value: 'CANARY-TOKEN-2' },
            { name: 'SSH_KEY', value: 'CANARY-TOKEN-3' },
            { name: 'KUBERNETES_SERVICE_HOST', value: '10.23.130.62' },
            { name: 'DATABASE_URL', value: 'postgres://u:CANARY-TOKEN-4@db:5432/x' },
            { name: 'CA_FILE_PATH', value: '/etc/ssl/ca.crt' },
            { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'token' } } },
          ],
        }],
      },
    });
    const env = pod.spec.containers[0]!.env;
    expect(JSON.stringify(pod)).not.toContain('CANARY');
    expect(env.find((e) => e.name === 'KUBERNETES_SERVICE_HOST')?.value).toBe('10.23.130.62');
    expect(env.find((e) => e.name === 'CA_FILE_PATH')?.value).toBe('/etc/ssl/ca.crt');
    expect(env.find((e) => e.name === 'FROM_SECRET')?.valueFrom).toEqual({ secretKeyRef: { name: 's', key: 'token' } });
    expect(pod.spec.containers[0]!.args).toEqual(['--v=2', `--api-token=${HIDDEN}`]);
  });

  it('drops Secret data and stringData, keeping the labels (Helm release history)', () => {
    const r = new Redactor();
    const list = r.object({
      apiVersion: 'v1', kind: 'List',
      items: [{
        apiVersion: 'v1', kind: 'Secret', type: 'helm.sh/release.v1',
        metadata: { name: 'sh.helm.release.v1.cilium.v3', namespace: 'kube-system', labels: { owner: 'helm', name: 'cilium', status: 'failed', version: '3' } },
        data: { release: Buffer.from('CANARY-SECRET-DATA').toString('base64') },
        stringData: { x: 'CANARY-SECRET-DATA' },
      }],
    });
    expect(list.items[0]).not.toHaveProperty('data');
    expect(list.items[0]).not.toHaveProperty('stringData');
    expect(list.items[0]!.metadata.labels).toEqual({ owner: 'helm', name: 'cilium', status: 'failed', version: '3' });
  });

  it('redacts the last-applied annotation as the object it is (a Secret: no data)', () => {
    const r = new Redactor();
    const applied = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { password: 'Q0FOQVJZ' }, stringData: { token: 'CANARY-LA' } });
    const cm = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { password: 'CANARY-LA-2', ip: '10.0.0.1' } });
    const obj = r.object({
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'd', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': applied, other: 'x', 'example.com/api-token': 'CANARY-ANN' } },
    });
    const obj2 = r.object({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': cm } } });
    const a = obj.metadata.annotations;
    expect(a['kubectl.kubernetes.io/last-applied-configuration']).not.toContain('Q0FOQVJZ');
    expect(a['kubectl.kubernetes.io/last-applied-configuration']).not.toContain('CANARY');
    expect(a['example.com/api-token']).toBe(HIDDEN);
    expect(a.other).toBe('x');
    const la2 = JSON.parse(obj2.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']) as { data: Record<string, string> };
    expect(la2.data).toEqual({ password: HIDDEN, ip: '10.0.0.1' });
  });

  it('hides ConfigMap binaryData (opaque, cannot be scanned)', () => {
    const r = new Redactor();
    const cm = r.object({ kind: 'ConfigMap', metadata: { name: 'c' }, binaryData: { blob: 'Q0FOQVJZ' } });
    expect(cm.binaryData.blob).toBe(HIDDEN);
  });

  it('keeps names, labels, IPs and statuses untouched', () => {
    const r = new Redactor();
    const node = {
      apiVersion: 'v1', kind: 'Node',
      metadata: { name: 'token-node-1', labels: { 'secret-zone': 'a' }, uid: 'u' },
      spec: { taints: [{ key: 'node.cloudprovider.kubernetes.io/uninitialized', value: 'true', effect: 'NoSchedule' }], podCIDR: '192.168.1.0/24' },
      status: { addresses: [{ type: 'InternalIP', address: '10.23.130.63' }], conditions: [{ type: 'Ready', status: 'False', message: 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized' }] },
    };
    const before = JSON.stringify(node);
    expect(JSON.stringify(r.object(node))).toBe(before);
    expect(r.replacements).toBe(0);
  });
});

describe('redaction of logs', () => {
  it('hides a bearer header and a private key block across lines', () => {
    const r = new Redactor();
    const log = new LogRedactor(r);
    const lines = [
      'I1227 10:00:00 request.go:1] GET https://10.96.0.1:443/api Authorization: Bearer CANARY-BEARER-1',
      'loaded key:',
      '-----BEGIN EC PRIVATE KEY-----',
      'MHcCAQEEICANARYKEYLINE1',
      'AwEHoUQDQgAECANARYKEYLINE2==',
      '-----END EC PRIVATE KEY-----',
      'dial tcp 10.96.0.1:443: i/o timeout',
    ].map((l) => log.line(l));
    const out = lines.join('\n');
    expect(out).not.toMatch(/CANARY/);
    expect(lines[0]).toContain(`Authorization: Bearer ${HIDDEN}`);
    expect(lines[5]).toBe('-----END EC PRIVATE KEY-----');
    expect(lines[6]).toBe('dial tcp 10.96.0.1:443: i/o timeout');
    expect(r.replacements).toBeGreaterThanOrEqual(4);
  });
});

describe('key names', () => {
  it.each(['password', 'db_password', 'adminPassword', 'apiToken', 'token', 'client-secret', 'clientSecret', 'secret', 'aws_secret_access_key', 'access_token', 'private_key', 'privateKey', 'auth', 'connectionString', 'client-key-data'])('%s is sensitive', (k) => {
    expect(isSensitiveKey(k)).toBe(true);
  });
  it.each(['secretName', 'secretRef', 'tokenFile', 'passwordFile', 'tokenTTL', 'token_url', 'username', 'name', 'key', 'monkey', 'serviceAccountName', 'NOPASSWD', 'client-certificate-data', 'certificate-authority-data'])('%s is not', (k) => {
    expect(isSensitiveKey(k)).toBe(false);
  });
  it('env names: *PASSWORD*, *TOKEN*, *SECRET*, *KEY*', () => {
    for (const n of ['API_TOKEN', 'DB_PASSWORD', 'MY_SECRET', 'SSH_KEY', 'KEY', 'AWS_ACCESS_KEY_ID', 'PASSPHRASE']) expect(isSensitiveEnvName(n), n).toBe(true);
    for (const n of ['KUBERNETES_SERVICE_HOST', 'HOME', 'KEYCLOAK_URL', 'SSH_KEY_FILE', 'LOG_LEVEL', 'PATH']) expect(isSensitiveEnvName(n), n).toBe(false);
  });
});
