/**
 * Streaming splitter for `kubectl get -o json` style files.
 *
 * Fed Buffer chunks, it emits every element of the top-level object's `items` array (or of a
 * top-level bare array) as soon as the element's closing bracket arrives, JSON.parse'd, with its
 * JSON pointer. A top-level object without `items` is emitted once as a whole (pointer '').
 *
 * It never holds more than the bytes of the element being read (plus, for a top-level object,
 * the bytes before its `items` key), so files larger than a JS string can hold are fine.
 * Elements nested deeper than `maxDepth` are skipped (nothing downstream has to survive a
 * 10,000-level object): found by the byte scan before JSON.parse, or, for a pretty-printed
 * element found by its closing line (fastElementEnd), on the parsed value (V8's JSON.parse does
 * not recurse). A file stops after `maxItems` elements.
 */
import { counted, flagNote } from './limits.js';

export interface JsonSplitterHandlers {
  /** One element (or the whole top-level object), parsed. */
  item(value: unknown, pointer: string): void;
  /** A defect; `pointer` names the element when the defect is inside one. */
  problem(message: string, pointer?: string): void;
}

export interface JsonSplitterOptions {
  /** Elements (and a whole non-list object) larger than this are skipped with a problem. */
  maxObjectBytes: number;
  /** Deepest nesting of arrays and objects, counted from the top of the file (which is level 1). Unlimited when absent. */
  maxDepth?: number;
  /** Elements read from the file; the rest of the file is not read. Unlimited when absent. */
  maxItems?: number;
  /** Find the end of pretty-printed elements with a native search (default); false: scan every byte. */
  indentedFastPath?: boolean;
}

// Byte values.
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

const isWs = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
/** Bytes that end a bare literal or number. */
const endsPrimitive = (c: number) => c === COMMA || c === RBRACKET || c === RBRACE || isWs(c);

// Top-level states.
const enum S {
  Start,
  /** Inside the top-level object, expecting a key or `}`. */
  ObjKeyOrEnd,
  /** Reading a key of the top-level object. */
  ObjKey,
  ObjColon,
  ObjValue,
  /** Scanning (and, while buffering, keeping) a value of the top-level object other than `items`. */
  ObjValueScan,
  ObjAfterValue,
  /** Inside the array of elements (bare or `items`), expecting an element or `]`. */
  ArrValueOrEnd,
  ArrItem,
  ArrAfterItem,
  End,
  Failed,
}

// What kind of value the value scanner is in.
const enum V {
  Container,
  String,
  Primitive,
}

const MAX_KEY_BYTES = 64;

/** 1 for the bytes that matter to the value scanner outside strings: " { } [ ]. */
const STRUCTURAL = new Uint8Array(256);
for (const c of [QUOTE, LBRACE, RBRACE, LBRACKET, RBRACKET]) STRUCTURAL[c] = 1;

export class JsonItemSplitter {
  private state = S.Start;
  /** Bytes consumed before the current chunk. */
  private base = 0;
  private sawBom = false;

  // Value scanner.
  private vKind = V.Container;
  private vDepth = 0;
  private inStr = false;
  private esc = false;
  /** Levels above the value being scanned: 1 for elements of a bare array and values of the top-level object, 2 for `items` elements. */
  private vBase = 1;
  /** Deepest level the value may reach (vDepth + vBase). */
  private readonly maxDepth: number;
  private readonly maxItems: number;
  /** The value being scanned nests deeper than maxDepth. */
  private tooDeep = false;
  /** Some value of the top-level object (other than `items`) nests deeper than maxDepth. */
  private topTooDeep = false;

  // The fast path for pretty-printed elements (fastElementEnd).
  private fastOn: boolean;
  private fastHits = 0;
  private fastMisses = 0;

  // Array of elements.
  private bare = false;
  private index = 0;
  private itemParts: Buffer[] = [];
  private itemBytes = 0;
  private itemTooBig = false;

  // Top-level object.
  private topBuffering = false;
  private topParts: Buffer[] = [];
  private topBytes = 0;
  private topTooBig = false;
  private sawItems = false;
  private keyBytes: number[] = [];
  private keyEsc = false;
  private keyHasEscape = false;
  private valueIsItems = false;

  constructor(
    private readonly handlers: JsonSplitterHandlers,
    private readonly options: JsonSplitterOptions,
  ) {
    this.maxDepth = options.maxDepth ?? Infinity;
    this.maxItems = options.maxItems ?? Infinity;
    this.fastOn = options.indentedFastPath ?? true;
  }

  /** True once the file is known to be broken; further input is ignored. */
  get failed(): boolean {
    return this.state === S.Failed;
  }

  push(chunk: Buffer): void {
    if (this.state === S.Failed) {
      this.base += chunk.length;
      return;
    }
    let buf = chunk;
    if (this.base === 0 && !this.sawBom && buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
      this.sawBom = true;
      buf = buf.subarray(3);
      this.base += 3;
    }
    this.run(buf);
    this.base += buf.length;
  }

  end(): void {
    switch (this.state) {
      case S.End:
      case S.Failed:
        return;
      case S.Start:
        this.handlers.problem(this.base === 0 ? 'empty file' : 'no JSON value in the file (only whitespace)');
        break;
      case S.ArrItem:
        this.handlers.problem(`truncated JSON: the file ends at byte ${this.base} inside the element`, this.pointer());
        break;
      case S.ArrValueOrEnd:
      case S.ArrAfterItem:
        this.handlers.problem(`truncated JSON: the file ends at byte ${this.base} after ${this.index} element(s), before the closing ]`);
        break;
      default:
        this.handlers.problem(`truncated JSON: the file ends at byte ${this.base} inside the top-level object`);
        break;
    }
    this.state = S.Failed;
  }

  private pointer(): string {
    return `${this.bare ? '' : '/items'}/${this.index}`;
  }

  private fail(message: string, pointer?: string): void {
    this.state = S.Failed;
    this.itemParts = [];
    this.topParts = [];
    this.handlers.problem(message, pointer);
  }

  private describe(c: number): string {
    return c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
  }

  private run(buf: Buffer): void {
    const n = buf.length;
    let i = 0;
    /** Where the element (or top-level object) being kept starts in this chunk. */
    let itemStart = 0;
    let topStart = 0;
    while (i < n) {
      // Whitespace between tokens: skipped in one tight loop (a file of blanks must not be slow).
      if (this.state !== S.ObjKey && this.state !== S.ObjValueScan && this.state !== S.ArrItem) {
        while (i < n && isWs(buf[i]!)) i++;
        if (i >= n) break;
      }
      switch (this.state) {
        case S.Start: {
          const c = buf[i]!;
          if (isWs(c)) {
            i++;
          } else if (c === LBRACE) {
            this.state = S.ObjKeyOrEnd;
            this.topBuffering = true;
            topStart = i;
            i++;
          } else if (c === LBRACKET) {
            this.state = S.ArrValueOrEnd;
            this.bare = true;
            i++;
          } else {
            this.fail(`not a JSON object or array: found ${this.describe(c)} at byte ${this.base + i}`);
            return;
          }
          break;
        }
        case S.ObjKeyOrEnd: {
          const c = buf[i]!;
          if (isWs(c)) {
            i++;
          } else if (c === QUOTE) {
            this.state = S.ObjKey;
            this.keyBytes = [];
            this.keyEsc = false;
            this.keyHasEscape = false;
            i++;
          } else if (c === RBRACE) {
            i++;
            this.finishTopObject(buf, topStart, i);
          } else {
            this.fail(`invalid JSON: expected a key or } but found ${this.describe(c)} at byte ${this.base + i}`);
            return;
          }
          break;
        }
        case S.ObjKey: {
          // Keys of the top-level object are short: a plain byte loop is fine.
          for (; i < n; i++) {
            const c = buf[i]!;
            if (this.keyEsc) {
              this.keyEsc = false;
            } else if (c === BACKSLASH) {
              this.keyEsc = true;
              this.keyHasEscape = true;
            } else if (c === QUOTE) {
              break;
            }
            if (this.keyBytes.length <= MAX_KEY_BYTES) this.keyBytes.push(c);
          }
          if (i < n) {
            i++;
            this.state = S.ObjColon;
          }
          break;
        }
        case S.ObjColon: {
          const c = buf[i]!;
          if (isWs(c)) {
            i++;
          } else if (c === COLON) {
            this.valueIsItems = this.keyIsItems();
            this.state = S.ObjValue;
            i++;
          } else {
            this.fail(`invalid JSON: expected : but found ${this.describe(c)} at byte ${this.base + i}`);
            return;
          }
          break;
        }
        case S.ObjValue: {
          const c = buf[i]!;
          if (isWs(c)) {
            i++;
            break;
          }
          if (this.valueIsItems) {
            this.sawItems = true;
            this.topBuffering = false;
            this.topParts = [];
            if (c === LBRACKET) {
              this.state = S.ArrValueOrEnd;
              this.bare = false;
              this.index = 0;
              i++;
              break;
            }
            if (c !== 0x6e /* n: items: null */) this.handlers.problem('"items" is not an array; nothing read from it', '/items');
          }
          if (!this.startValue(c, 1)) {
            this.fail(`invalid JSON: unexpected ${this.describe(c)} at byte ${this.base + i}`);
            return;
          }
          this.state = S.ObjValueScan;
          i = this.vKind === V.Primitive ? i : i + 1;
          break;
        }
        case S.ObjValueScan: {
          const next = this.scanValue(buf, i);
          if (this.tooDeep && !this.valueIsItems) this.topTooDeep = true;
          if (next < 0) {
            i = n;
          } else {
            i = next;
            this.state = S.ObjAfterValue;
          }
          break;
        }
        case S.ObjAfterValue: {
          const c = buf[i]!;
          if (isWs(c)) {
            i++;
          } else if (c === COMMA) {
            this.state = S.ObjKeyOrEnd;
            i++;
          } else if (c === RBRACE) {
            i++;
            this.finishTopObject(buf, topStart, i);
          } else {
            this.fail(`invalid JSON: expected , or } but found ${this.describe(c)} at byte ${this.base + i}`);
            return;
          }
          break;
        }
        case S.ArrValueOrEnd: {
          const c = buf[i]!;
          if (isWs(c)) {
            i++;
          } else if (c === RBRACKET) {
            i++;
            this.state = this.bare ? S.End : S.ObjAfterValue;
          } else {
            if (this.index >= this.maxItems) {
              this.fail(`stopped after ${counted(this.maxItems, 'object')}${flagNote('maxObjectsPerFile')}; the rest of the file was not read`);
              return;
            }
            if (!this.startValue(c, this.bare ? 1 : 2)) {
              this.fail(`invalid JSON: unexpected ${this.describe(c)} at byte ${this.base + i}`, this.pointer());
              return;
            }
            this.itemParts = [];
            this.itemBytes = 0;
            this.itemTooBig = false;
            if (c === LBRACE && this.fastOn && !this.tooDeep) {
              const end = this.fastElementEnd(buf, i);
              if (end > 0) {
                i = end;
                this.state = S.ArrAfterItem;
                break;
              }
            }
            itemStart = i;
            this.state = S.ArrItem;
            i = this.vKind === V.Primitive ? i : i + 1;
          }
          break;
        }
        case S.ArrItem: {
          const next = this.scanValue(buf, i);
          if (next < 0) {
            i = n; // the element's bytes in this chunk are kept below
          } else {
            this.finishItem(buf.subarray(itemStart, next));
            i = next;
            this.state = S.ArrAfterItem;
          }
          break;
        }
        case S.ArrAfterItem: {
          const c = buf[i]!;
          if (isWs(c)) {
            i++;
          } else if (c === COMMA) {
            this.state = S.ArrValueOrEnd;
            i++;
          } else if (c === RBRACKET) {
            i++;
            this.state = this.bare ? S.End : S.ObjAfterValue;
          } else {
            this.fail(`invalid JSON: expected , or ] after element ${this.index - 1} but found ${this.describe(c)} at byte ${this.base + i}`);
            return;
          }
          break;
        }
        case S.End: {
          const c = buf[i]!;
          if (isWs(c)) {
            i++;
          } else {
            this.fail(`unexpected data after the end of the JSON value: ${this.describe(c)} at byte ${this.base + i}`);
            return;
          }
          break;
        }
        case S.Failed:
          return;
      }
    }
    // The chunk ends: keep the bytes of the element, or of the top-level object, being read.
    if (this.state === S.ArrItem) this.keepItemBytes(buf.subarray(itemStart));
    if (this.topBuffering && this.state !== S.End && this.state !== S.Failed) this.keepTopBytes(buf.subarray(topStart));
  }

  /**
   * kubectl, jq and Go's MarshalIndent print an element's closing brace on a line of its own,
   * indented like the line the element opens on, and a raw newline never occurs inside a JSON
   * string: so that line ends the element, and a native search finds it much faster than the byte
   * scan. The slice is the element exactly when it parses (any other cut leaves a brace open or
   * bytes after the value). An element not found in this chunk, larger than maxObjectBytes, invalid
   * or too deep is left to the scanner, which then reports exactly what it always does; the depth is
   * checked on the parsed value (V8's JSON.parse does not recurse). Returns the index after the
   * element when it was handed on, else -1. After more misses than hits the file is scanned.
   */
  private fastElementEnd(buf: Buffer, start: number): number {
    let j = start - 1;
    while (j >= 0 && buf[j] === 0x20) j--;
    if (j < 0 || buf[j] !== 0x0a) return -1; // not the first thing on its line, or the line began in an earlier chunk
    const indent = start - j - 1;
    const end = closingLine(buf, start, indent);
    let value: unknown;
    let parsed = false;
    if (end > 0 && end - start <= this.options.maxObjectBytes) {
      try {
        value = JSON.parse(buf.toString('utf8', start, end));
        parsed = nestsWithin(value, this.maxDepth - this.vBase);
      } catch {
        parsed = false;
      }
    }
    if (!parsed) {
      if (++this.fastMisses > 16 && this.fastMisses > this.fastHits) this.fastOn = false;
      return -1;
    }
    this.fastHits++;
    const pointer = this.pointer();
    this.index++;
    this.handlers.item(value, pointer);
    return end;
  }

  /** Sets the value scanner up for a value starting with byte `c` at `base` levels down; false when no JSON value starts so. */
  private startValue(c: number, base: number): boolean {
    this.inStr = false;
    this.esc = false;
    this.vBase = base;
    this.tooDeep = false;
    if (c === LBRACE || c === LBRACKET) {
      this.vKind = V.Container;
      this.vDepth = 1;
      if (base + 1 > this.maxDepth) this.tooDeep = true;
      return true;
    }
    if (c === QUOTE) {
      this.vKind = V.String;
      this.inStr = true;
      return true;
    }
    // Numbers, true, false, null.
    if (c === 0x2d || (c >= 0x30 && c <= 0x39) || c === 0x74 || c === 0x66 || c === 0x6e) {
      this.vKind = V.Primitive;
      return true;
    }
    return false;
  }

  /**
   * Advances over the current value from `i`. Returns the index just after the value's end, or -1
   * when the chunk ends first (the scanner state is kept for the next chunk). The opening byte of a
   * container or string has already been consumed; a primitive ends before its delimiter.
   */
  private scanValue(buf: Buffer, i: number): number {
    const n = buf.length;
    if (this.vKind === V.Primitive) {
      for (; i < n; i++) if (endsPrimitive(buf[i]!)) return i;
      return -1;
    }
    let depth = this.vDepth;
    let inStr = this.inStr;
    let esc = this.esc;
    const container = this.vKind === V.Container;
    const deepest = this.maxDepth - this.vBase;
    while (i < n) {
      if (inStr) {
        if (esc) {
          esc = false;
          i++;
          continue;
        }
        // Jump to the next quote, then look at the backslashes right before it.
        const q = buf.indexOf(QUOTE, i);
        if (q < 0) {
          // No quote in the rest of the chunk: only a trailing run of backslashes matters.
          let k = n - 1;
          while (k >= i && buf[k] === BACKSLASH) k--;
          esc = ((n - 1 - k) & 1) === 1;
          i = n;
          break;
        }
        let k = q - 1;
        while (k >= i && buf[k] === BACKSLASH) k--;
        i = q + 1;
        if (((q - 1 - k) & 1) === 1) continue; // escaped quote
        inStr = false;
        if (!container) {
          this.inStr = false;
          this.esc = false;
          return i;
        }
        continue;
      }
      let c = buf[i]!;
      // Skip the bytes that do not matter outside strings (names, numbers, whitespace, , and :).
      while (STRUCTURAL[c] === 0 && ++i < n) c = buf[i]!;
      if (i >= n) break;
      i++;
      if (c === QUOTE) inStr = true;
      else if (c === LBRACE || c === LBRACKET) {
        if (++depth > deepest) this.tooDeep = true;
      } else if (c === RBRACE || c === RBRACKET) {
        if (--depth === 0) {
          this.vDepth = 0;
          this.inStr = false;
          this.esc = false;
          return i;
        }
      }
    }
    this.vDepth = depth;
    this.inStr = inStr;
    this.esc = esc;
    return -1;
  }

  private keepItemBytes(part: Buffer): void {
    if (part.length === 0) return;
    this.itemBytes += part.length;
    if (this.itemTooBig || this.tooDeep) {
      this.itemParts = [];
      return;
    }
    if (this.itemBytes > this.options.maxObjectBytes) {
      this.itemTooBig = true;
      this.itemParts = [];
      return;
    }
    this.itemParts.push(part);
  }

  private finishItem(last: Buffer): void {
    const pointer = this.pointer();
    this.index++;
    this.keepItemBytes(last);
    if (this.itemTooBig) {
      this.itemParts = [];
      this.handlers.problem(`element is ${this.itemBytes} bytes, larger than the limit of ${this.options.maxObjectBytes} bytes; skipped`, pointer);
      return;
    }
    if (this.tooDeep) {
      this.itemParts = [];
      this.handlers.problem(`element nests deeper than ${this.maxDepth} levels${flagNote('maxDepth')}; skipped`, pointer);
      return;
    }
    const parts = this.itemParts;
    this.itemParts = [];
    const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch (err) {
      this.handlers.problem(`invalid JSON in element: ${(err as Error).message}`, pointer);
      return;
    }
    this.handlers.item(value, pointer);
  }

  private keepTopBytes(part: Buffer): void {
    if (part.length === 0) return;
    this.topBytes += part.length;
    if (this.topTooBig || this.topTooDeep) {
      this.topParts = [];
      return;
    }
    if (this.topBytes > this.options.maxObjectBytes) {
      this.topTooBig = true;
      this.topParts = [];
      return;
    }
    // Copy: the parts may be held for long and should not pin whole chunks.
    this.topParts.push(Buffer.from(part));
  }

  private finishTopObject(buf: Buffer, topStart: number, end: number): void {
    this.state = S.End;
    if (this.sawItems || !this.topBuffering) return;
    this.topBuffering = false;
    this.keepTopBytes(buf.subarray(topStart, end));
    if (this.topTooBig) {
      this.topParts = [];
      this.handlers.problem(`object is ${this.topBytes} bytes, larger than the limit of ${this.options.maxObjectBytes} bytes; skipped`, '');
      return;
    }
    if (this.topTooDeep) {
      this.topParts = [];
      this.handlers.problem(`object nests deeper than ${this.maxDepth} levels${flagNote('maxDepth')}; skipped`, '');
      return;
    }
    const bytes = Buffer.concat(this.topParts);
    this.topParts = [];
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch (err) {
      this.handlers.problem(`invalid JSON: ${(err as Error).message}`, '');
      return;
    }
    this.handlers.item(value, '');
  }

  private keyIsItems(): boolean {
    const bytes = this.keyBytes;
    if (bytes.length > MAX_KEY_BYTES) return false;
    const raw = Buffer.from(bytes).toString('utf8');
    if (!this.keyHasEscape) return raw === 'items';
    try {
      return JSON.parse(`"${raw}"`) === 'items';
    } catch {
      return false;
    }
  }
}

/**
 * The end of the first `}` after `start` that is alone at the start of a line indented by `indent`
 * spaces, or -1. Found brace by brace with the native single-byte search: most braces of an element
 * are indented deeper, and one byte tells.
 */
function closingLine(buf: Buffer, start: number, indent: number): number {
  for (let at = buf.indexOf(RBRACE, start + 1); at >= 0; at = buf.indexOf(RBRACE, at + 1)) {
    const lineStart = at - indent - 1;
    if (lineStart <= start || buf[lineStart] !== 0x0a) continue;
    let k = lineStart + 1;
    while (k < at && buf[k] === 0x20) k++;
    if (k === at) return at + 1;
  }
  return -1;
}

/**
 * Whether a parsed value nests at most `levels` arrays and objects deep (itself counted): the byte
 * scanner's depth rule, on the value. A key given twice keeps only its last value, which may be
 * shallower than the text; the value is what goes on, so that is the depth that matters.
 */
function nestsWithin(value: unknown, levels: number): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (levels < 1) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (typeof item === 'object' && item !== null && !nestsWithin(item, levels - 1)) return false;
    return true;
  }
  const object = value as Record<string, unknown>;
  for (const key in object) {
    const item = object[key];
    if (typeof item === 'object' && item !== null && !nestsWithin(item, levels - 1)) return false;
  }
  return true;
}

/**
 * Feeds a stream through a splitter, until its end or until the splitter knows the file is broken
 * (or stopped by a limit): what follows is not looked at (an archive entry's rest is skipped by its owner).
 */
export async function splitJsonStream(
  body: AsyncIterable<Buffer>,
  handlers: JsonSplitterHandlers,
  options: JsonSplitterOptions,
): Promise<void> {
  const splitter = new JsonItemSplitter(handlers, options);
  for await (const chunk of body) {
    splitter.push(chunk);
    if (splitter.failed) return;
  }
  splitter.end();
}

/**
 * True when a JSON text nests arrays and objects deeper than `max` levels (the top is level 1).
 * A cheap byte scan, so that JSON.parse (and whatever walks its result) never sees such a text.
 */
export function jsonDeeperThan(data: Buffer, max: number): boolean {
  let depth = 0;
  let i = 0;
  const n = data.length;
  while (i < n) {
    const c = data[i]!;
    if (c === QUOTE) {
      // Skip the string: the next quote not escaped by an odd run of backslashes.
      let j = i + 1;
      for (;;) {
        const q = data.indexOf(QUOTE, j);
        if (q < 0) return false;
        let k = q - 1;
        while (k > i && data[k] === BACKSLASH) k--;
        j = q + 1;
        if (((q - 1 - k) & 1) === 0) break;
      }
      i = j;
      continue;
    }
    if (c === LBRACE || c === LBRACKET) {
      if (++depth > max) return true;
    } else if (c === RBRACE || c === RBRACKET) {
      depth--;
    }
    i++;
  }
  return false;
}

/** Splits an in-memory buffer (tests, small files). */
export function splitJsonBuffer(data: Buffer | string, options: JsonSplitterOptions): { items: { value: unknown; pointer: string }[]; problems: { message: string; pointer?: string }[] } {
  const items: { value: unknown; pointer: string }[] = [];
  const problems: { message: string; pointer?: string }[] = [];
  const splitter = new JsonItemSplitter(
    {
      item: (value, pointer) => items.push({ value, pointer }),
      problem: (message, pointer) => problems.push(pointer === undefined ? { message } : { message, pointer }),
    },
    options,
  );
  splitter.push(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  splitter.end();
  return { items, problems };
}
