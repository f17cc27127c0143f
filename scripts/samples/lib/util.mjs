// Deterministic helpers shared by every sample: hashing, ids, time arithmetic and
// JSON/YAML rendering the way kubectl and troubleshoot print them.
// Nothing here reads the clock or Math.random: the same inputs always give the same bytes.

import { createHash } from 'node:crypto';
import YAML from 'yaml';

/** sha256 hex of the parts (joined with NUL so that ('ab','c') != ('a','bc')). */
export function sha(...parts) {
  return createHash('sha256').update(parts.map(String).join('\u0000')).digest('hex');
}

/** `n` hex characters derived from the parts (n may exceed 64). */
export function hex(n, ...parts) {
  let out = '';
  for (let i = 0; out.length < n; i++) out += sha('hex', i, ...parts);
  return out.slice(0, n);
}

/** An RFC 4122 version-4 looking UUID derived from the parts (what the API server assigns as metadata.uid). */
export function uuid(...parts) {
  const h = sha('uid', ...parts);
  const variant = '89ab'[parseInt(h[16], 16) % 4];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

// The alphabet of k8s.io/apimachinery/pkg/util/rand.String (generateName suffixes, pod-template-hash).
const K8S_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** A `generateName`-style random suffix of length n (e.g. the `x2x4z` of a pod name). */
export function suffix(n, ...parts) {
  const h = sha('sfx', ...parts);
  let s = '';
  for (let i = 0; i < n; i++) s += K8S_ALPHANUMS[parseInt(h.slice(i * 2, i * 2 + 2), 16) % K8S_ALPHANUMS.length];
  return s;
}

/** A deterministic integer in [min, max]. */
export function int(min, max, ...parts) {
  return min + (parseInt(sha('int', ...parts).slice(0, 12), 16) % (max - min + 1));
}

/** Pick one element of an array deterministically. */
export function pick(arr, ...parts) {
  return arr[int(0, arr.length - 1, ...parts)];
}

// ---------------------------------------------------------------------------- time

/** Milliseconds since the epoch of an ISO timestamp or Date. */
export function ms(t) {
  if (typeof t === 'number') return t;
  if (t instanceof Date) return t.getTime();
  const v = Date.parse(t);
  if (Number.isNaN(v)) throw new Error(`not a timestamp: ${t}`);
  return v;
}

/** RFC 3339 timestamp with second precision, as metav1.Time serialises. */
export function iso(t) {
  return new Date(ms(t)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `t` plus `seconds` (may be negative or fractional), second precision. */
export function plus(t, seconds) {
  return iso(ms(t) + Math.round(seconds * 1000));
}

/** metav1.MicroTime: six fractional digits. `micros` supplies the sub-second part. */
export function micro(t, micros = 0) {
  const base = new Date(Math.floor(ms(t) / 1000) * 1000).toISOString().slice(0, 19);
  return `${base}.${String(micros % 1000000).padStart(6, '0')}Z`;
}

/** Seconds between two timestamps. */
export function secondsBetween(a, b) {
  return (ms(b) - ms(a)) / 1000;
}

/** klog header time, e.g. `1227 10:01:52.118204` for the `E1227 10:01:52.118204` prefix. */
export function klogTime(t, micros) {
  const d = new Date(ms(t));
  const p = (n, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(micros % 1000000, 6)}`;
}

/** RFC 3339 with nanoseconds, as `kubectl logs --timestamps` and logrus/zap print. */
export function nanoTime(t, nanos) {
  const base = new Date(Math.floor(ms(t) / 1000) * 1000).toISOString().slice(0, 19);
  return `${base}.${String(nanos % 1000000000).padStart(9, '0')}Z`;
}

// ---------------------------------------------------------------------------- rendering

/** Deep copy with object keys sorted the way Go sorts map keys (what kubectl prints for unstructured objects). */
export function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out = {};
    for (const k of Object.keys(v).sort(byteCompare)) {
      if (v[k] !== undefined) out[k] = sortKeys(v[k]);
    }
    return out;
  }
  return v;
}

function byteCompare(a, b) {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return Buffer.compare(ba, bb);
}

/** Go's encoding/json escapes <, > and & (HTML-safe) and U+2028/U+2029. */
export function goEscape(json) {
  return json
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** What `kubectl get ... -o json` prints: keys sorted, 4-space indent, trailing newline. */
export function kubectlJSON(obj) {
  return goEscape(JSON.stringify(sortKeys(obj), null, 4)) + '\n';
}

/** What Go's json.MarshalIndent(v, "", "  ") produces for typed objects: insertion order kept, no trailing newline. */
export function goJSON(obj, { sort = false } = {}) {
  return goEscape(JSON.stringify(sort ? sortKeys(obj) : stripUndefined(obj), null, 2));
}

/** YAML as gopkg.in/yaml.v2 would write it (YAML 1.1 quoting, sorted keys, block style). */
export function goYAML(obj) {
  return YAML.stringify(sortKeys(obj), { version: '1.1', lineWidth: 0, indentSeq: false, aliasDuplicateObjects: false });
}

// Field order of metav1.ObjectMeta as encoding/json writes a typed object.
const OBJECT_META_ORDER = ['name', 'generateName', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'labels', 'annotations', 'ownerReferences', 'finalizers'];

/** A typed object in client-go's JSON field order (TypeMeta, ObjectMeta, then the rest as built). */
export function goTypedOrder(o) {
  const { apiVersion, kind, metadata, ...rest } = o;
  const md = {};
  for (const k of OBJECT_META_ORDER) if (metadata[k] !== undefined) md[k] = metadata[k];
  return { kind, apiVersion, metadata: md, ...rest };
}

export function stripUndefined(v) {
  if (Array.isArray(v)) return v.map(stripUndefined);
  if (v && typeof v === 'object') {
    const out = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = stripUndefined(x);
    return out;
  }
  return v;
}

/** Remove keys whose value is undefined, shallowly, keeping insertion order. */
export function compact(o) {
  const out = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

/** A fake (non-functional) PEM certificate body: realistic length, no real key material. */
export function fakeCertificate(...parts) {
  const b64 = Buffer.from(hex(1400, 'cert', ...parts), 'hex').toString('base64').slice(0, 1020);
  // Every real DER certificate starts with "MII"; keep that so it looks right to a human.
  const body = 'MIIC6jCCAdKgAwIBAgIBADANBgkqhkiG9w0BAQsFADAVMRMwEQYDVQQDEwprdWJl' + b64;
  const lines = body.match(/.{1,64}/g).join('\n');
  return `-----BEGIN CERTIFICATE-----\n${lines}\n-----END CERTIFICATE-----\n`;
}
