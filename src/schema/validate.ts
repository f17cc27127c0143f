import { readdirSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { listAssets, readAsset } from '../assets.js';

export interface SchemaIssue {
  /** JSON pointer inside the validated value. */
  pointer: string;
  message: string;
}

export type Validator = (value: unknown) => SchemaIssue[];

const readSchema = (path: string): { $id: string } => JSON.parse(readAsset(path));

let ajvInstance: Ajv | undefined;

/**
 * One Ajv instance for the whole process, with every schema in schemas/ added and compiled lazily once.
 * `removeAdditional` prunes the properties a schema closes with `additionalProperties: false`:
 * objects are reduced to what the rules read as they arrive, so memory follows what is kept.
 */
function ajv(): Ajv {
  if (ajvInstance) return ajvInstance;
  const instance = new Ajv({ allErrors: false, removeAdditional: true, strict: false });
  for (const path of [...listAssets('schemas', '.schema.json', readdirSync), ...listAssets('schemas/kinds', '.schema.json', readdirSync)]) {
    instance.addSchema(readSchema(path));
  }
  ajvInstance = instance;
  return instance;
}

function describe(error: ErrorObject): SchemaIssue {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') {
    return { pointer: error.instancePath, message: `must have property '${String(params['missingProperty'])}'` };
  }
  if (error.keyword === 'enum' || error.keyword === 'const') {
    const allowed = (params['allowedValues'] as unknown[] | undefined) ?? [params['allowedValue']];
    return { pointer: error.instancePath, message: `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}` };
  }
  return { pointer: error.instancePath, message: error.message ?? 'is invalid' };
}

const compiled = new Map<string, ValidateFunction>();

/** A validator for the schema with the given path relative to schemas/, e.g. `kinds/pod.schema.json`. */
export function validatorFor(schemaFile: string): Validator {
  let validate = compiled.get(schemaFile);
  if (!validate) {
    const id = `https://hrp-doctor.dev/schemas/${schemaFile}`;
    validate = ajv().getSchema(id);
    if (!validate) throw new Error(`no schema ${schemaFile}`);
    compiled.set(schemaFile, validate);
  }
  const fn = validate;
  return (value) => (fn(value) ? [] : (fn.errors ?? []).map(describe));
}
