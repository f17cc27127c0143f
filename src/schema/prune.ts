import { readdirSync } from 'node:fs';
import { listAssets, readAsset } from '../assets.js';

/**
 * Pruning as ajv's `removeAdditional` does it (drop the properties an object schema closes with
 * `additionalProperties: false`), but by building a new value instead of deleting in place:
 * one pass, no `delete` (which leaves V8 objects in slow dictionary mode, several times larger),
 * and the undeclared subtrees are never walked. The result is validated afterwards.
 */
type Schema = Record<string, unknown>;
export type Pruner = (value: unknown) => unknown;

const BASE = 'https://hrp-doctor.dev/schemas/';
let schemasById: Map<string, Schema> | undefined;

function schemas(): Map<string, Schema> {
  if (schemasById) return schemasById;
  const map = new Map<string, Schema>();
  for (const path of [...listAssets('schemas', '.schema.json', readdirSync), ...listAssets('schemas/kinds', '.schema.json', readdirSync)]) {
    const schema = JSON.parse(readAsset(path)) as Schema;
    map.set(String(schema.$id), schema);
  }
  return (schemasById = map);
}

function resolve(ref: string, baseId: string): { schema: Schema; baseId: string } {
  const url = new URL(ref, baseId);
  const id = `${url.origin}${url.pathname}`;
  const root = schemas().get(id);
  if (!root) throw new Error(`unknown schema ${id}`);
  let node: unknown = root;
  for (const part of url.hash.replace(/^#\/?/, '').split('/').filter(Boolean)) node = (node as Schema)[decodeURIComponent(part)];
  return { schema: node as Schema, baseId: id };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** out[key] = value, also for a key named `__proto__` (kept as data, as JSON.parse and ajv keep it). */
function put(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/** A copy with every object rebuilt (fast properties), for subtrees no schema prunes. */
function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) put(out, key, copy(value[key]));
    return out;
  }
  return value;
}

const compiled = new Map<Schema, Pruner>();

function compile(schema: Schema, baseId: string): Pruner {
  const known = compiled.get(schema);
  if (known) return known;
  let impl: Pruner = copy;
  const pruner: Pruner = (value) => impl(value);
  compiled.set(schema, pruner);
  if (typeof schema.$ref === 'string') {
    const target = resolve(schema.$ref, baseId);
    impl = compile(target.schema, target.baseId);
    return pruner;
  }
  const properties = isPlainObject(schema.properties) ? schema.properties : undefined;
  const additional = schema.additionalProperties;
  const items = isPlainObject(schema.items) ? compile(schema.items, baseId) : undefined;
  if (properties || isPlainObject(additional) || additional === false) {
    const props = new Map<string, Pruner>();
    for (const [key, sub] of Object.entries(properties ?? {})) props.set(key, compile(sub as Schema, baseId));
    const other = isPlainObject(additional) ? compile(additional, baseId) : undefined;
    const closed = additional === false;
    impl = (value) => {
      if (Array.isArray(value)) return items ? value.map(items) : copy(value);
      if (!isPlainObject(value)) return value;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        const sub = props.get(key);
        if (sub) put(out, key, sub(value[key]));
        else if (other) put(out, key, other(value[key]));
        else if (!closed) put(out, key, copy(value[key]));
      }
      return out;
    };
  } else if (items) {
    impl = (value) => (Array.isArray(value) ? value.map(items) : copy(value));
  } else {
    impl = copy;
  }
  return pruner;
}

/** A pruner for the schema with the given path relative to schemas/, e.g. `kinds/pod.schema.json`. */
export function prunerFor(schemaFile: string): Pruner {
  const id = `${BASE}${schemaFile}`;
  const schema = schemas().get(id);
  if (!schema) throw new Error(`no schema ${schemaFile}`);
  return compile(schema, id);
}
