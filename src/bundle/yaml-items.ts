import { Scalar, isAlias, parseAllDocuments, visit, type Document } from 'yaml';
import { counted, flagNote, formatBytes } from './limits.js';

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

export interface YamlOptions {
  /** The `yaml` package's maxAliasCount (alias expansion budget per document). */
  maxAliasCount?: number;
  /** Deepest nesting of sequences and mappings, the document's top being level 1. */
  maxDepth?: number;
  /** Objects read from the file; the rest is not read. */
  maxItems?: number;
}

const firstLine = (text: string) => text.split('\n', 1)[0] ?? text;

const isStackOverflow = (err: unknown) => err instanceof RangeError && /call stack/i.test(err.message);

/**
 * The objects of a YAML file: each document; a document that is a sequence yields its elements
 * (`/<i>`, as troubleshoot writes custom resources), a List (`items`, or a kind ending in `List`)
 * its items (`/items/<i>`). With several documents, pointers start with the document index (`/<doc>`).
 */
export function yamlItems(text: string, options: YamlOptions = {}): { items: YamlItem[]; problems: YamlProblem[] } {
  const items: YamlItem[] = [];
  const problems: YamlProblem[] = [];
  const maxItems = options.maxItems ?? Infinity;
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, PARSE_OPTIONS) as Document.Parsed[];
  } catch (err) {
    problems.push({ message: parseFailure(err, options) });
    return { items, problems };
  }
  if (!Array.isArray(docs) || docs.length === 0) {
    if (text.trim() === '') problems.push({ message: 'empty file' });
    return { items, problems };
  }
  const multi = docs.length > 1;
  let stopped = false;
  const push = (value: unknown, pointer: string) => {
    if (stopped) return;
    if (items.length >= maxItems) {
      stopped = true;
      problems.push({ message: itemsLimitMessage(maxItems) });
      return;
    }
    items.push({ value, pointer });
  };
  docs.forEach((doc, d) => {
    const prefix = multi ? `/${d}` : '';
    const converted = documentValue(doc, options);
    if ('problem' in converted) {
      problems.push(multi ? { message: converted.problem, pointer: prefix } : { message: converted.problem });
      return;
    }
    spreadDocument(converted.value, prefix, push, (problem) => problems.push(problem));
  });
  return { items, problems };
}

const PARSE_OPTIONS = {
  // Redaction can make two managedFields keys equal (`f:tcp://***HIDDEN***:10000`): keep the last.
  uniqueKeys: false,
  prettyErrors: true,
} as const;

function parseFailure(err: unknown, options: YamlOptions): string {
  if (isStackOverflow(err)) return depthMessage(options.maxDepth, 'document');
  return `invalid YAML: ${firstLine(err instanceof Error ? err.message : String(err))}`;
}

const depthMessage = (maxDepth: number | undefined, what: string) =>
  `${what} nests deeper than ${maxDepth ?? 'the parser can follow'}${maxDepth === undefined ? '' : ' levels'}${flagNote('maxDepth')}; skipped`;

const itemsLimitMessage = (maxItems: number) => `stopped after ${counted(maxItems, 'object')}${flagNote('maxObjectsPerFile')}; the rest of the file was not read`;

/** A parsed document as plain data, or why it cannot be. */
function documentValue(doc: Document.Parsed, options: YamlOptions): { value: unknown } | { problem: string } {
  if (doc.errors.length > 0) return { problem: `invalid YAML: ${firstLine(doc.errors[0]!.message)}` };
  let value: unknown;
  try {
    repairRedactedAliases(doc);
    value = doc.toJS({ maxAliasCount: options.maxAliasCount ?? YAML_MAX_ALIAS_COUNT });
  } catch (err) {
    if (isStackOverflow(err)) return { problem: depthMessage(options.maxDepth, 'document') };
    const message = firstLine(err instanceof Error ? err.message : String(err));
    // The yaml package's own words for a billion-laughs document.
    if (/alias count/i.test(message)) return { problem: `invalid YAML: ${message} (more than ${options.maxAliasCount ?? YAML_MAX_ALIAS_COUNT} alias expansions${flagNote('maxYamlAliases')})` };
    return { problem: `invalid YAML: ${message}` };
  }
  if (options.maxDepth !== undefined && deeperThan(value, options.maxDepth)) return { problem: depthMessage(options.maxDepth, 'document') };
  return { value };
}

/** Hands a document's objects on: a sequence's elements, a List's items, or the document itself. */
function spreadDocument(
  value: unknown,
  prefix: string,
  push: (value: unknown, pointer: string) => void,
  problem: (p: YamlProblem) => void,
): void {
  if (value === null || value === undefined) return; // empty document (e.g. a trailing `---`)
  if (Array.isArray(value)) {
    value.forEach((item, i) => push(item, `${prefix}/${i}`));
    return;
  }
  if (typeof value === 'object' && isList(value as Record<string, unknown>)) {
    const list = (value as { items?: unknown }).items;
    if (Array.isArray(list)) list.forEach((item, i) => push(item, `${prefix}/items/${i}`));
    else if (list !== null && list !== undefined) problem({ message: '"items" is not a list; nothing read from it', pointer: `${prefix}/items` });
    return;
  }
  push(value, prefix);
}

function isList(value: Record<string, unknown>): boolean {
  if ('items' in value) return true;
  return typeof value.kind === 'string' && value.kind.endsWith('List');
}

/**
 * True when a value nests arrays and objects deeper than `max` (the top being level 1), or
 * refers to itself (a recursive alias). Iterative, and it stops at the first level too deep, so
 * neither a deep nor a cyclic value can make it run long or overflow the stack.
 */
export function deeperThan(value: unknown, max: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > max) return true;
    const children = Array.isArray(node) ? node : node instanceof Map ? [...node.values()] : Object.values(node as object);
    for (const child of children) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Troubleshoot's redaction writes `ip: ***HIDDEN***` unquoted, which YAML reads as an alias named
 * `**HIDDEN***`. An alias whose anchor does not exist can only be such text: turn it back into the
 * plain scalar it was meant to be. One walk in document order: an alias refers to an anchor set
 * before it (an enclosing node's included), which is exactly what has been seen at that point.
 */
function repairRedactedAliases(doc: Document.Parsed): void {
  const anchors = new Set<string>();
  visit(doc, (_key, node) => {
    if (isAlias(node)) return anchors.has(node.source) ? undefined : new Scalar(`*${node.source}`);
    const anchor = (node as { anchor?: unknown }).anchor;
    if (typeof anchor === 'string') anchors.add(anchor);
    return undefined;
  });
}

// ---- large files: one unit at a time ----

export interface YamlStreamOptions extends YamlOptions {
  /** Largest unit (document, or element of a column-0 sequence) parsed; larger ones are skipped. */
  maxUnitBytes: number;
}

export interface YamlStreamHandlers {
  item(value: unknown, pointer: string): void;
  problem(message: string, pointer?: string): void;
}

const DASH = 0x2d;
const DOT = 0x2e;
const HASH = 0x23;
const PERCENT = 0x25;
const NEWLINE = 0x0a;
const isBlank = (c: number | undefined) => c === undefined || c === 0x20 || c === 0x09 || c === 0x0d || c === NEWLINE;

const enum Line {
  DocStart,
  DocEnd,
  Entry,
  Comment,
  Continuation,
  Directive,
  Key,
}

function classify(line: Buffer): Line {
  const c = line[0];
  if (isBlank(c)) return Line.Continuation;
  if (c === HASH) return Line.Comment;
  if (c === PERCENT) return Line.Directive;
  if (c === DASH) {
    if (line[1] === DASH && line[2] === DASH && isBlank(line[3])) return Line.DocStart;
    if (isBlank(line[1])) return Line.Entry;
  }
  if (c === DOT && line[1] === DOT && line[2] === DOT && isBlank(line[3])) return Line.DocEnd;
  return Line.Key;
}

/** `items:` with nothing after it but a comment: the column-0 sequence that follows is the List's items. */
const ITEMS_KEY = /^(?:items|"items"|'items')[ \t]*:[ \t]*(?:#.*)?\r?\n?$/;

interface Unit {
  parts: Buffer[];
  bytes: number;
  tooBig: boolean;
}

const newUnit = (): Unit => ({ parts: [], bytes: 0, tooBig: false });

/**
 * Splits a YAML stream into units that can be parsed one at a time, so that memory follows the
 * largest unit and not the file: documents at `---`/`...`, and within a document the elements of
 * a top-level block sequence (`- ` at column 0), or of a top-level `items:` key whose sequence is
 * written at column 0 (as `kubectl get -o yaml` does). Everything else of a document (its
 * "skeleton") is one unit. This follows YAML's rules: a line at column 0 is never inside a block
 * scalar, a quoted scalar or a nested collection of a top-level node.
 *
 * Pointers are those of yamlItems, except that a first document is not prefixed `/0` (the splitter
 * cannot know yet whether more documents follow). Anchors do not reach across units.
 */
export class YamlUnitSplitter {
  private doc = 0;
  private docContent = false;
  private docExplicit = false;
  private mode: 'none' | 'seq' | 'map' = 'none';
  private inItems = false;
  private skeleton = newUnit();
  private item: Unit | undefined;
  private itemIndex = 0;
  private itemsSplit = 0;
  private emitted = 0;
  /** The line being read, when it spans chunks. */
  private partial: Buffer[] = [];
  private partialBytes = 0;
  /** Bytes of the current line not kept (a line longer than a unit may be). */
  private omitted = 0;
  private stopped = false;

  constructor(
    private readonly handlers: YamlStreamHandlers,
    private readonly options: YamlStreamOptions,
  ) {}

  /** True once a limit stopped the file: further input is ignored. */
  get failed(): boolean {
    return this.stopped;
  }

  push(chunk: Buffer): void {
    let start = 0;
    while (!this.stopped) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl < 0) {
        // The line goes on in the next chunk: keep a copy (the chunk may be reused).
        if (start < chunk.length) this.addPartial(Buffer.from(chunk.subarray(start)));
        return;
      }
      this.addPartial(chunk.subarray(start, nl + 1));
      this.flushLine();
      start = nl + 1;
    }
  }

  end(): void {
    if (this.stopped) return;
    if (this.partialBytes > 0 || this.omitted > 0) this.flushLine();
    this.finishDocument();
  }

  private addPartial(piece: Buffer): void {
    if (piece.length === 0) return;
    if (this.omitted > 0) {
      this.omitted += piece.length;
      return;
    }
    if (this.partialBytes + piece.length > this.options.maxUnitBytes) {
      // A line longer than any unit may be: its unit is skipped anyway, keep only what classifies it.
      const head = Buffer.from(Buffer.concat([...this.partial, piece.subarray(0, 4)]).subarray(0, 4));
      this.omitted = this.partialBytes + piece.length - head.length;
      this.partial = [head];
      this.partialBytes = head.length;
      return;
    }
    this.partial.push(piece);
    this.partialBytes += piece.length;
  }

  private flushLine(): void {
    const line = this.partial.length === 1 ? this.partial[0]! : Buffer.concat(this.partial);
    const omitted = this.omitted;
    this.partial = [];
    this.partialBytes = 0;
    this.omitted = 0;
    this.line(line, omitted);
  }

  private prefix(): string {
    return this.doc === 0 ? '' : `/${this.doc}`;
  }

  private line(line: Buffer, omitted: number): void {
    const kind = classify(line);
    const toItem = (item: boolean) => this.append(line, item, omitted);
    switch (kind) {
      case Line.DocStart:
        if (this.docContent || this.docExplicit) {
          this.finishDocument();
          this.doc++;
        }
        this.docExplicit = true;
        toItem(false);
        // `--- {a: 1}` or `--- |`: the document's content starts on the marker line.
        if (omitted > 0 || !/^(?:#.*)?$/.test(line.subarray(3).toString('utf8').trim())) {
          this.docContent = true;
          this.mode = 'map';
        }
        return;
      case Line.DocEnd:
        this.finishDocument();
        this.doc++;
        return;
      case Line.Comment:
      case Line.Continuation:
        toItem(this.item !== undefined);
        return;
      case Line.Directive:
        toItem(false);
        return;
      case Line.Entry:
        this.docContent = true;
        if (this.mode === 'none') this.mode = 'seq';
        if (this.mode === 'seq' || this.inItems) {
          this.finishItem();
          if (this.stopped) return;
          this.item = newUnit();
          toItem(true);
        } else {
          toItem(false);
        }
        return;
      case Line.Key:
        this.docContent = true;
        if (this.mode === 'seq') {
          // Not YAML: let the element it follows fail to parse, as a whole-file parse would.
          toItem(this.item !== undefined);
          return;
        }
        this.finishItem();
        this.mode = 'map';
        this.inItems = omitted === 0 && ITEMS_KEY.test(line.toString('utf8'));
        toItem(false);
        return;
    }
  }

  private append(bytes: Buffer, toItem: boolean, omitted: number): void {
    const unit = toItem && this.item ? this.item : this.skeleton;
    unit.bytes += bytes.length + omitted;
    if (unit.tooBig) return;
    if (unit.bytes > this.options.maxUnitBytes) {
      unit.tooBig = true;
      unit.parts = [];
      return;
    }
    unit.parts.push(Buffer.from(bytes));
  }

  private itemPointer(index: number): string {
    return this.mode === 'seq' ? `${this.prefix()}/${index}` : `${this.prefix()}/items/${index}`;
  }

  private emit(value: unknown, pointer: string): void {
    if (this.stopped) return;
    if (this.emitted >= (this.options.maxItems ?? Infinity)) {
      this.stopped = true;
      this.handlers.problem(itemsLimitMessage(this.options.maxItems!));
      return;
    }
    this.emitted++;
    this.handlers.item(value, pointer);
  }

  private finishItem(): void {
    const unit = this.item;
    if (!unit) return;
    this.item = undefined;
    const index = this.itemIndex++;
    this.itemsSplit++;
    const pointer = this.itemPointer(index);
    if (unit.tooBig) {
      this.handlers.problem(tooBigMessage('element', unit.bytes, this.options.maxUnitBytes), pointer);
      return;
    }
    const parsed = this.parseUnit(unit);
    if ('problem' in parsed) {
      this.handlers.problem(parsed.problem, pointer);
      return;
    }
    // The unit is `- <element>`: a sequence of one.
    const value = parsed.value;
    if (Array.isArray(value) && value.length === 1) this.emit(value[0], pointer);
    else if (value !== null && value !== undefined) this.handlers.problem('invalid YAML: the element could not be read on its own', pointer);
  }

  private finishDocument(): void {
    this.finishItem();
    const unit = this.skeleton;
    const prefix = this.prefix();
    const hadItems = this.itemsSplit > 0;
    this.skeleton = newUnit();
    this.mode = 'none';
    this.inItems = false;
    this.itemIndex = 0;
    this.itemsSplit = 0;
    this.docContent = false;
    this.docExplicit = false;
    if (this.stopped) return;
    if (unit.tooBig) {
      this.handlers.problem(tooBigMessage('document', unit.bytes, this.options.maxUnitBytes), prefix || undefined);
      return;
    }
    if (unit.bytes === 0) return;
    const parsed = this.parseUnit(unit);
    if ('problem' in parsed) {
      this.handlers.problem(parsed.problem, prefix || undefined);
      return;
    }
    const value = parsed.value;
    // A List whose items were read one by one: the rest of it is only the List's own fields.
    if (hadItems && value !== null && typeof value === 'object' && !Array.isArray(value) && (value as { items?: unknown }).items == null) return;
    spreadDocument(value, prefix, (v, p) => this.emit(v, p), (p) => this.handlers.problem(p.message, p.pointer));
  }

  private parseUnit(unit: Unit): { value: unknown } | { problem: string } {
    const text = Buffer.concat(unit.parts).toString('utf8');
    unit.parts = [];
    let docs: Document.Parsed[];
    try {
      docs = parseAllDocuments(text, PARSE_OPTIONS) as Document.Parsed[];
    } catch (err) {
      return { problem: parseFailure(err, this.options) };
    }
    if (!Array.isArray(docs) || docs.length === 0) return { value: null };
    return documentValue(docs[0]!, this.options);
  }
}

const tooBigMessage = (what: string, bytes: number, cap: number) =>
  `YAML ${what} is ${formatBytes(bytes)}, larger than the ${formatBytes(cap)} parsed at once; skipped`;

/** Feeds a stream through a YamlUnitSplitter, until its end or until a limit stops it. */
export async function splitYamlStream(body: AsyncIterable<Buffer>, handlers: YamlStreamHandlers, options: YamlStreamOptions): Promise<void> {
  const splitter = new YamlUnitSplitter(handlers, options);
  let first = true;
  for await (let chunk of body) {
    if (first && chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    first = false;
    splitter.push(chunk);
    if (splitter.failed) return;
  }
  splitter.end();
}
