import { Scalar, parseAllDocuments, visit, type Document } from 'yaml';

export interface YamlItem {
  value: unknown;
  pointer: string;
}

export interface YamlProblem {
  message: string;
  pointer?: string;
}

/** Aliases expanded per document at most this many times (defends against "billion laughs"). */
export const YAML_MAX_ALIAS_COUNT = 100;

const firstLine = (text: string) => text.split('\n', 1)[0] ?? text;

/**
 * The objects of a YAML file: each document; a document that is a sequence yields its elements
 * (`/<i>`, as troubleshoot writes custom resources), a List (`items`, or a kind ending in `List`)
 * its items (`/items/<i>`). With several documents, pointers start with the document index (`/<doc>`).
 */
export function yamlItems(text: string): { items: YamlItem[]; problems: YamlProblem[] } {
  const items: YamlItem[] = [];
  const problems: YamlProblem[] = [];
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, {
      // Redaction can make two managedFields keys equal (`f:tcp://***HIDDEN***:10000`): keep the last.
      uniqueKeys: false,
      prettyErrors: true,
    }) as Document.Parsed[];
  } catch (err) {
    problems.push({ message: `invalid YAML: ${firstLine((err as Error).message)}` });
    return { items, problems };
  }
  if (!Array.isArray(docs) || docs.length === 0) {
    if (text.trim() === '') problems.push({ message: 'empty file' });
    return { items, problems };
  }
  const multi = docs.length > 1;
  docs.forEach((doc, d) => {
    const prefix = multi ? `/${d}` : '';
    const at = (message: string): YamlProblem => (multi ? { message, pointer: prefix } : { message });
    if (doc.errors.length > 0) {
      problems.push(at(`invalid YAML: ${firstLine(doc.errors[0]!.message)}`));
      return;
    }
    repairRedactedAliases(doc);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: YAML_MAX_ALIAS_COUNT });
    } catch (err) {
      problems.push(at(`invalid YAML: ${firstLine((err as Error).message)}`));
      return;
    }
    if (value === null || value === undefined) return; // empty document (e.g. a trailing `---`)
    if (Array.isArray(value)) {
      value.forEach((item, i) => items.push({ value: item, pointer: `${prefix}/${i}` }));
      return;
    }
    if (typeof value === 'object' && isList(value as Record<string, unknown>)) {
      const list = (value as { items?: unknown }).items;
      if (Array.isArray(list)) list.forEach((item, i) => items.push({ value: item, pointer: `${prefix}/items/${i}` }));
      else if (list !== null && list !== undefined) problems.push({ message: '"items" is not a list; nothing read from it', pointer: `${prefix}/items` });
      return;
    }
    items.push({ value, pointer: prefix });
  });
  return { items, problems };
}

function isList(value: Record<string, unknown>): boolean {
  if ('items' in value) return true;
  return typeof value.kind === 'string' && value.kind.endsWith('List');
}

/**
 * Troubleshoot's redaction writes `ip: ***HIDDEN***` unquoted, which YAML reads as an alias named
 * `**HIDDEN***`. An alias whose anchor does not exist can only be such text: turn it back into the
 * plain scalar it was meant to be.
 */
function repairRedactedAliases(doc: Document.Parsed): void {
  visit(doc, {
    Alias(_key, node) {
      if (node.resolve(doc) === undefined) return new Scalar(`*${node.source}`);
      return undefined;
    },
  });
}
