/**
 * Splits what `kubectl get -o json` prints into its list items as the bytes arrive, so a list of
 * 150,000 pods is never held as one string: each item is handed over as its own text, everything
 * else (apiVersion, kind, metadata) is kept as the small "frame" of the list.
 *
 * A top-level value that is not an object with an `items` array (a single object, `/version`)
 * is kept whole in the frame, up to `maxFrameBytes`.
 */

export class JsonTooLargeError extends Error {
  constructor(what: string, limit: number) {
    super(`${what} is larger than ${limit} bytes`);
    this.name = 'JsonTooLargeError';
  }
}

export interface SplitResult {
  /** True when the top-level value was an object holding an `items` array. */
  isList: boolean;
  /** The top-level value with `items` emptied (lists), or the whole value. */
  frame: unknown;
  itemCount: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;

export class JsonListSplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Bytes of the string being read at depth 1 (a candidate key), when short. */
  private keyBytes: number[] | undefined;
  private lastString: string | undefined;
  private currentKey: string | undefined;
  private inItems = false;
  private sawItems = false;
  private itemParts: Buffer[] = [];
  private itemBytes = 0;
  private itemStart = -1;
  private readonly frameParts: Buffer[] = [];
  private frameBytes = 0;
  private count = 0;

  constructor(
    private readonly onItem: (text: string) => void,
    private readonly limits: { maxItemBytes: number; maxFrameBytes: number } = { maxItemBytes: 256 * 1024 * 1024, maxFrameBytes: 64 * 1024 * 1024 },
  ) {}

  write(chunk: Buffer): void {
    let frameStart = this.inItems ? -1 : 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.inString) {
        if (this.keyBytes && this.keyBytes.length < 256 && !(b === QUOTE && !this.escaped)) this.keyBytes.push(b);
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE) {
          this.inString = false;
          if (this.keyBytes) {
            this.lastString = Buffer.from(this.keyBytes).toString('utf8');
            this.keyBytes = undefined;
          }
        }
        continue;
      }
      if (b === QUOTE) {
        this.inString = true;
        this.keyBytes = this.depth === 1 && !this.inItems ? [] : undefined;
        continue;
      }
      if (b === COLON && this.depth === 1) {
        this.currentKey = this.lastString;
        continue;
      }
      if (b === OPEN_BRACE || b === OPEN_BRACKET) {
        if (this.inItems && this.depth === 2) this.itemStart = i;
        this.depth++;
        if (this.depth === 2 && b === OPEN_BRACKET && this.currentKey === 'items') {
          // Entering the items array: the frame keeps `[`, items go elsewhere.
          this.appendFrame(chunk.subarray(frameStart, i + 1));
          frameStart = -1;
          this.inItems = true;
          this.sawItems = true;
        }
        continue;
      }
      if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        this.depth--;
        if (this.inItems && this.depth === 2) {
          this.appendItem(chunk.subarray(this.itemStart < 0 ? 0 : this.itemStart, i + 1));
          this.itemStart = -1;
          this.finishItem();
        } else if (this.inItems && this.depth === 1) {
          // End of the items array: `]` goes back to the frame.
          this.inItems = false;
          frameStart = i;
        }
        continue;
      }
    }
    if (this.inItems && this.itemStart >= 0) {
      // An item continues into the next chunk, from its first byte.
      this.appendItem(chunk.subarray(this.itemStart));
      this.itemStart = 0;
    }
    if (!this.inItems && frameStart >= 0) this.appendFrame(chunk.subarray(frameStart));
  }

  /** Call after the last chunk: parses the frame. Throws when the input was not JSON. */
  end(): SplitResult {
    if (this.inItems || this.depth !== 0 || this.inString) throw new Error('the JSON output ended in the middle of a value');
    const text = Buffer.concat(this.frameParts).toString('utf8').trim();
    if (text === '') return { isList: false, frame: undefined, itemCount: 0 };
    const frame: unknown = JSON.parse(text);
    return { isList: this.sawItems, frame, itemCount: this.count };
  }

  private appendFrame(part: Buffer): void {
    if (part.length === 0) return;
    this.frameBytes += part.length;
    if (this.frameBytes > this.limits.maxFrameBytes) throw new JsonTooLargeError('a JSON value outside a list', this.limits.maxFrameBytes);
    this.frameParts.push(Buffer.from(part));
  }

  private appendItem(part: Buffer): void {
    if (part.length === 0) return;
    this.itemBytes += part.length;
    if (this.itemBytes > this.limits.maxItemBytes) throw new JsonTooLargeError('one list item', this.limits.maxItemBytes);
    this.itemParts.push(Buffer.from(part));
  }

  private finishItem(): void {
    const text = Buffer.concat(this.itemParts).toString('utf8');
    this.itemParts = [];
    this.itemBytes = 0;
    this.count++;
    this.onItem(text);
  }
}
