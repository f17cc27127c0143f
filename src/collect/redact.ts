/**
 * Redaction, applied by the collector to every object and log line before anything is written
 * (bundle-format.md, "Redaction"). Values that look like credentials become `***HIDDEN***`;
 * IP addresses and names are kept: they are what the diagnosis needs.
 *
 * Three layers:
 * - by key name: a string whose key (object property, ConfigMap data key, env var name, annotation)
 *   names a credential (`password`, `apiToken`, `client-secret`, `DB_PASSWORD`...) is hidden whole;
 * - by shape, in any text: `key: value` / `key=value` / `"key": "value"` pairs with such keys,
 *   `Authorization:` and `Bearer` headers, `scheme://user:password@host`, PEM private key blocks,
 *   JWTs, kubeadm bootstrap tokens and well-known token prefixes (AKIA, ghp_, xox?-);
 * - by kind: Secret `data`/`stringData` are dropped, `metadata.managedFields` too.
 *
 * A `Redactor` counts its replacements for the manifest's `redaction.replacements`.
 */

export const HIDDEN = '***HIDDEN***';

/** Words that, inside a key name (lower-cased, separators removed), say the value is a credential. */
const SENSITIVE_WORDS = [
  'password', 'passwd', 'passphrase', 'secret', 'token', 'apikey', 'accesskey', 'privatekey', 'secretkey',
  'clientkey', 'signingkey', 'encryptionkey', 'sessionkey', 'masterkey', 'credential', 'authorization',
  'connectionstring', 'bearer', 'cookie',
];
/** Whole key names that are credentials on their own. */
const SENSITIVE_EXACT = new Set(['auth', 'dsn', 'pass', 'sas']);
/**
 * Endings that make a key about a credential without holding one (`secretName`, `tokenFile`,
 * `passwordRef`, `tokenTTL`, `tokenUrl`): the value is a name, a path or a setting, kept as is.
 */
const NOT_A_VALUE_ENDINGS = [
  'name', 'names', 'ref', 'refs', 'reference', 'file', 'files', 'path', 'paths', 'dir', 'namespace', 'id', 'ids',
  'ttl', 'type', 'kind', 'url', 'uri', 'endpoint', 'enabled', 'enable', 'duration', 'expiry', 'expiration',
  'expirationseconds', 'seconds', 'audience', 'audiences', 'issuer', 'mode', 'count', 'length', 'size', 'version',
  'provider', 'store', 'selector', 'template', 'source', 'sources', 'policy', 'format',
];

function normaliseKey(key: string): string {
  const slash = key.lastIndexOf('/');
  return (slash >= 0 ? key.slice(slash + 1) : key).toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** True when a value stored under `key` is a credential (`password`, `api_token`, `clientSecret`). */
export function isSensitiveKey(key: string): boolean {
  const k = normaliseKey(key);
  if (k === '') return false;
  if (SENSITIVE_EXACT.has(key.toLowerCase())) return true;
  if (k === 'nopasswd') return false; // sudoers `NOPASSWD:ALL`
  if (!SENSITIVE_WORDS.some((w) => k.includes(w))) return false;
  return !NOT_A_VALUE_ENDINGS.some((end) => k.endsWith(end));
}

/** Env var names: *PASSWORD*, *TOKEN*, *SECRET*, *KEY* and the words above, unless the name is about a file/path/name. */
export function isSensitiveEnvName(name: string): boolean {
  const k = normaliseKey(name);
  if (!SENSITIVE_WORDS.some((w) => k.includes(w)) && !/key|pass|credential|auth/.test(k)) return false;
  // SSH_KEY_FILE, TOKEN_PATH, KEYCLOAK_URL: about a file or a place, not a credential.
  return !ENV_NOT_A_VALUE_ENDINGS.some((end) => k.endsWith(end)) && !/keycloak|keyspace|keyring|keyboard|keepalive/.test(k);
}
const ENV_NOT_A_VALUE_ENDINGS = ['file', 'files', 'path', 'paths', 'dir', 'url', 'uri', 'endpoint', 'name', 'names', 'ref', 'namespace'];

/** Values that hold no credential even under a sensitive key. */
function isTrivial(value: string): boolean {
  const v = value.trim().toLowerCase();
  // A file path names where a credential is, it is not one (`--kubelet-client-key=/etc/kubernetes/pki/x.key`).
  if (/^(?:\/|\.\/|~\/)[A-Za-z0-9._/-]*$/.test(v)) return true;
  return v === '' || v === 'true' || v === 'false' || v === 'null' || v === 'none' || v === '<nil>' || v === '""' || v === "''" || value === HIDDEN;
}

// ---------------------------------------------------------------------------------------------
// Text patterns. Every pattern is bounded (no nested unbounded repetition) to stay linear on
// long log lines.

/** Cheap first look: a string without any of these cannot match a pattern below. */
const QUICK =
  /pass|secret|token|key|auth|bearer|cred|cookie|dsn|private|BEGIN|eyJ|AKIA|ASIA|gh[pousr]_|xox[abposr]-|:\/\/[^\s/@]{1,256}:[^\s/@]{1,256}@|\b[a-z0-9]{6}\.[a-z0-9]{16}\b/i;

/** PEM private key blocks (RSA, EC, OPENSSH, ENCRYPTED, plain), terminated or cut off. */
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]{0,40})PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g;
const PEM_BEGIN = /-----BEGIN ([A-Z0-9 ]{0,40})PRIVATE KEY-----/;
const PEM_END = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY-----/;

/** `Authorization: Bearer xyz`, `"authorization":"Basic abc"`, `Proxy-Authorization=...`. */
const AUTH_HEADER =
  /\b((?:proxy-)?authorization["']?[ \t]{0,8}[:=][ \t]{0,8}["']?)(?:(bearer|basic|token|negotiate|digest|apikey|aws4-hmac-sha256)[ \t]{1,8})?([^\s"',;]{1,8192})/gi;
/** `Bearer xyz` anywhere (log lines, curl commands). */
const BEARER = /\b(bearer[ \t]{1,8})([A-Za-z0-9\-._~+/]{6,8192}=*)/gi;
/** `scheme://user:password@host`. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]{0,30}:\/\/[^\s:/@'"]{1,256}:)([^\s@/'"]{1,1024})(@)/gi;
const KEY = String.raw`["']?[A-Za-z0-9_.-]{0,64}?(?:pass(?:word|wd|phrase)?|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|secret[_-]?key|client[_-]?key|signing[_-]?key|encryption[_-]?key|session[_-]?key|credentials?|dsn|auth)[A-Za-z0-9_.-]{0,64}["']?`;
/** Where a key may start in free text: line start, a blank, a quote, a bracket or a separator (not inside a path like `ns/name-credentials`). */
const KEY_START = String.raw`(?<=^|[\s"'{(\[,;&?])`;
/**
 * `key: value`, `"key": "value"`, `key=value`, `--key=value`, `?key=value&` with a sensitive key.
 * Groups: 1 key (with its quotes), 2 separator, 3 double-quoted value, 4 single-quoted value, 5 bare value.
 * A bare value stops at the next blank or separator, except for a YAML-like `key: value` at the
 * start of a line, whose value runs to the end of the line.
 */
const KEY_LINE_VALUE = new RegExp(String.raw`(^[ \t]{0,64}(?:- )?)(${KEY})([ \t]{0,8}:[ \t]{0,8})([^\s"'|>{\[][^\n]{0,8191})`, 'gmi');
const KEY_COLON_VALUE = new RegExp(
  String.raw`${KEY_START}(${KEY})([ \t]{0,8}:[ \t]{0,8})(?:"((?:[^"\\\n]|\\.){0,8192})"|'([^'\n]{0,8192})'|([^\s,;&"'}\]\)]{1,8192}))`,
  'gi',
);
const KEY_EQUALS_VALUE = new RegExp(
  String.raw`${KEY_START}(${KEY})([ \t]{0,8}=[ \t]{0,8})(?:"((?:[^"\\\n]|\\.){0,8192})"|'([^'\n]{0,8192})'|([^\s,;&"'}\]\)]{1,8192}))`,
  'gi',
);
/** `--token abc`, `--password abc` (a flag and its separate value). */
const FLAG_VALUE = /(?<![A-Za-z0-9-])(--?[a-z0-9-]{0,40}(?:password|passwd|token|secret|api-key|apikey|credentials?)[a-z0-9-]{0,40}[ \t]{1,4})(?!-)([^\s"']{1,8192})/gi;
/** Tokens recognisable by their shape alone. */
const SHAPES: RegExp[] = [
  /\beyJ[A-Za-z0-9_-]{8,4096}\.eyJ[A-Za-z0-9_-]{8,8192}\.[A-Za-z0-9_-]{8,4096}\b/g, // JWT (service account tokens)
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, // AWS access key id
  /\bgh[pousr]_[A-Za-z0-9]{30,255}\b/g, // GitHub tokens
  /\bxox[abposr]-[A-Za-z0-9-]{10,255}\b/g, // Slack tokens
  /\b[a-z0-9]{6}\.[a-z0-9]{16}\b/g, // kubeadm bootstrap token
];

export class Redactor {
  /** Replacements made so far. */
  replacements = 0;

  /** Hides credential-looking values inside free text (a log line, a config file, an annotation). */
  text(input: string): string {
    if (!QUICK.test(input)) return input;
    let out = input;
    out = out.replace(PEM_BLOCK, (_m, type: string) => {
      this.replacements++;
      return `-----BEGIN ${type}PRIVATE KEY-----${HIDDEN}-----END ${type}PRIVATE KEY-----`;
    });
    out = out.replace(AUTH_HEADER, (match, head: string, scheme: string | undefined, value: string) => {
      if (value === HIDDEN || value.startsWith(HIDDEN)) return match;
      this.replacements++;
      return `${head}${scheme ? `${scheme} ` : ''}${HIDDEN}`;
    });
    out = out.replace(BEARER, (match, head: string, value: string) => {
      if (value.startsWith(HIDDEN) || /^\*+$/.test(value)) return match;
      this.replacements++;
      return `${head}${HIDDEN}`;
    });
    out = out.replace(URL_CREDENTIALS, (match, head: string, password: string, at: string) => {
      if (password === HIDDEN) return match;
      this.replacements++;
      return `${head}${HIDDEN}${at}`;
    });
    out = out.replace(KEY_LINE_VALUE, (match, indent: string, key: string, sep: string, value: string) => {
      const bareKey = key.replace(/^["']|["']$/g, '');
      if (!isSensitiveKey(bareKey) || isTrivial(value) || value.includes(HIDDEN)) return match;
      this.replacements++;
      return `${indent}${key}${sep}${HIDDEN}`;
    });
    for (const pattern of [KEY_COLON_VALUE, KEY_EQUALS_VALUE]) {
      out = out.replace(pattern, (match, key: string, sep: string, dq?: string, sq?: string, bare?: string) => {
        const value = (dq ?? sq ?? bare ?? '').trimEnd();
        const bareKey = key.replace(/^["']|["']$/g, '');
        if (!isSensitiveKey(bareKey) || isTrivial(value) || value.includes(HIDDEN)) return match;
        // `token: {`, `password: |`: a nested structure or a YAML block follows, nothing inline to hide.
        if (bare !== undefined && /^[|>{[]/.test(bare)) return match;
        // `Authorization: Bearer ***HIDDEN***`: the scheme; the header pattern handled the value after it.
        if (bare !== undefined && /^(bearer|basic|token|negotiate|digest)$/i.test(bare)) return match;
        this.replacements++;
        if (dq !== undefined) return `${key}${sep}"${HIDDEN}"`;
        if (sq !== undefined) return `${key}${sep}'${HIDDEN}'`;
        return `${key}${sep}${HIDDEN}`;
      });
    }
    out = out.replace(FLAG_VALUE, (match, flag: string, value: string) => {
      if (value.startsWith(HIDDEN) || isTrivial(value) || !isSensitiveKey(flag.trim())) return match;
      this.replacements++;
      return `${flag}${HIDDEN}`;
    });
    for (const shape of SHAPES) {
      out = out.replace(shape, (match) => {
        if (shape === SHAPES[4] && !/[0-9]/.test(match)) return match; // a.b words are not bootstrap tokens
        this.replacements++;
        return HIDDEN;
      });
    }
    return out;
  }

  /** A string stored under `key`: hidden whole when the key names a credential, else scanned as text. */
  value(key: string | undefined, value: string): string {
    if (key !== undefined && isSensitiveKey(key) && !isTrivial(value)) {
      this.replacements++;
      return HIDDEN;
    }
    return this.text(value);
  }

  /**
   * Redacts one Kubernetes object in place (an item of a `kubectl get -o json` list, or any
   * JSON value) and returns it: managedFields and Secret data dropped, credentials hidden.
   */
  object<T>(obj: T): T {
    return this.walk(obj, undefined, true) as T;
  }

  private walk(value: unknown, key: string | undefined, isResource: boolean): unknown {
    if (typeof value === 'string') return this.value(key, value);
    if (Array.isArray(value)) {
      if (key === 'env') return value.map((item) => this.envVar(item));
      return value.map((item) => this.walk(item, key, false));
    }
    if (value === null || typeof value !== 'object') return value;
    const obj = value as Record<string, unknown>;
    const isSecret = isResource && obj['kind'] === 'Secret';
    for (const [k, v] of Object.entries(obj)) {
      if (isSecret && (k === 'data' || k === 'stringData')) {
        delete obj[k];
        continue;
      }
      if (k === 'metadata' && isResource && v !== null && typeof v === 'object') {
        obj[k] = this.metadata(v as Record<string, unknown>);
        continue;
      }
      if (k === 'binaryData' && isResource && v !== null && typeof v === 'object') {
        // Opaque bytes cannot be scanned: keep the keys, hide the values.
        for (const bk of Object.keys(v as Record<string, unknown>)) {
          (v as Record<string, unknown>)[bk] = HIDDEN;
          this.replacements++;
        }
        continue;
      }
      // The items of a List are resources in their own right.
      obj[k] = k === 'items' && Array.isArray(v) && isResource ? v.map((item) => this.walk(item, undefined, true)) : this.walk(v, k, false);
    }
    return obj;
  }

  private metadata(meta: Record<string, unknown>): Record<string, unknown> {
    delete meta['managedFields'];
    const annotations = meta['annotations'];
    if (annotations !== null && typeof annotations === 'object') {
      const map = annotations as Record<string, unknown>;
      for (const [name, raw] of Object.entries(map)) {
        if (typeof raw !== 'string') continue;
        map[name] = name === 'kubectl.kubernetes.io/last-applied-configuration' ? this.lastApplied(raw) : this.value(name, raw);
      }
    }
    // Labels and names are identifiers the diagnosis needs (Helm release labels are the history): kept.
    for (const [k, v] of Object.entries(meta)) {
      if (k === 'annotations' || k === 'labels' || k === 'name' || k === 'namespace' || k === 'uid') continue;
      if (k === 'ownerReferences' || k === 'finalizers' || k === 'resourceVersion' || k === 'creationTimestamp') continue;
      meta[k] = this.walk(v, k, false);
    }
    return meta;
  }

  /** The last-applied annotation is the object as applied, Secret data included: redact it as an object. */
  private lastApplied(raw: string): string {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return this.text(raw);
    }
    const before = this.replacements;
    const redacted = this.walk(parsed, undefined, true);
    return this.replacements === before && JSON.stringify(parsed) === raw.trim() ? raw : `${JSON.stringify(redacted)}\n`;
  }

  private envVar(item: unknown): unknown {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return this.walk(item, undefined, false);
    const env = item as Record<string, unknown>;
    const name = typeof env['name'] === 'string' ? env['name'] : '';
    for (const [k, v] of Object.entries(env)) {
      if (k === 'name') continue;
      if (k === 'value' && typeof v === 'string') {
        if (isSensitiveEnvName(name) && !isTrivial(v)) {
          env[k] = HIDDEN;
          this.replacements++;
        } else {
          env[k] = this.text(v);
        }
        continue;
      }
      env[k] = this.walk(v, k, false);
    }
    return env;
  }
}

/**
 * Redacts a log line by line. A PEM private key printed over several lines is hidden from its
 * BEGIN line to its END line (or for at most 200 lines when the END never comes).
 */
export class LogRedactor {
  private inKey = 0;

  constructor(private readonly redactor: Redactor) {}

  line(line: string): string {
    if (this.inKey > 0) {
      if (PEM_END.test(line)) {
        this.inKey = 0;
        return line.slice(line.search(PEM_END));
      }
      this.inKey++;
      if (this.inKey > 200) this.inKey = 0;
      this.redactor.replacements++;
      return HIDDEN;
    }
    const begin = PEM_BEGIN.exec(line);
    if (begin && !PEM_END.test(line.slice(begin.index))) {
      this.inKey = 1;
      this.redactor.replacements++;
      return `${line.slice(0, begin.index + begin[0].length)}${HIDDEN}`;
    }
    return this.redactor.text(line);
  }
}
