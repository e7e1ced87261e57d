import { civilDayNumber } from '../../domain/dates.ts';
import { PackedIds, type Ids } from './ids.ts';
import { LineTables, type Prepared } from './prepare.ts';

/**
 * Reads an allocation problem file (DESIGN.md, "Contract: the allocation problem") straight into the
 * engine's tables, with no object per line: at 100k requirements and 200k pledges, JSON.parse builds
 * 300k objects and a million strings that the engine reads once and the collector then walks for the
 * rest of the solve.
 *
 * It reads the file's UTF-8 bytes through a window of fixed size, refilled as it goes, so that a
 * 33 MB file costs no 33 MB buffer and no 33 MB string: on the machine this project is measured on,
 * the first write to each fresh page of memory costs ~12 µs, about 100 ms for those two alone.
 *
 * It accepts only what JSON.parse (of the bytes decoded as UTF-8) followed by acceptValidProblem
 * (parse.ts) accepts, and gives the same tables as prepare() on that problem. It declines — returns
 * undefined — at anything it is not sure of: every invalid file, and valid ones written unusually (a
 * field named twice, pledges before requirements, an escape in a date, one line longer than half the
 * window). The caller then takes the general path, JSON.parse and the validators, which words the
 * errors; a declined file costs only this attempt.
 */
export function readAllocationProblem(text: string): Prepared | undefined {
  // JSON.parse keeps a lone surrogate that UTF-8 cannot carry: such text is the general path's.
  if (!(text as unknown as { isWellFormed(): boolean }).isWellFormed()) return undefined; // ES2024, in Node 20
  const bytes = new Uint8Array(3 * text.length + SLACK);
  const { written } = new TextEncoder().encodeInto(text, bytes);
  return readAllocationProblemFrom(() => 0, { window: bytes, filled: written });
}

/** Fills `into[offset, offset + length)` with the file's next bytes; returns how many it wrote, 0 at the end. */
export type ReadBytes = (into: Uint8Array, offset: number, length: number) => number;

export interface ReadOptions {
  /**
   * The array the bytes are read into (default 1 MiB; the CLI passes a Buffer); its last 16 bytes are
   * the reader's own. A line longer than half of the rest may be declined.
   */
  window?: Uint8Array;
  /** How many bytes of `window` already hold the file's start (the rest comes from `read`). */
  filled?: number;
  /** UTF-8 bytes to a string, a bad sequence becoming U+FFFD as in any file read as UTF-8 (default TextDecoder; the CLI passes Buffer's, faster on short strings). */
  decode?: (bytes: Uint8Array, start: number, end: number) => string;
  /** The file's size in bytes, when known: the tables start at a size no valid file of it exceeds, instead of growing. */
  size?: number;
}

/** Reads the problem file whose bytes `read` gives (see readAllocationProblem). */
export function readAllocationProblemFrom(read: ReadBytes, options: ReadOptions = {}): Prepared | undefined {
  try {
    return new ProblemReader(read, options).read();
  } catch (error) {
    if (error === DECLINE) return undefined;
    throw error;
  }
}

/** Zero bytes kept after the last byte read: a scan that runs past it meets a byte no token allows. A window is this much longer than the bytes it holds. */
export const SLACK = 16;
const DEFAULT_WINDOW = 1 << 20;
/** The fewest bytes of a requirement or a pledge object (each names five fields): tables sized by the file's size / this hold every line. */
const SMALLEST_LINE = 64;
/** Tables sized from the file's size start no larger than this (lines beyond it grow them as usual). */
const MOST_PRESIZED = 1 << 22;

const DECLINE = new Error('declined: the general path reads this file');
const NO_TAGS: readonly string[] = Object.freeze([]);
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const QUOTE = 34;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const COLON = 58;
const OPEN_ARRAY = 91;
const BACKSLASH = 92;
const CLOSE_ARRAY = 93;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;

// Fields, as bits of a mask of those seen in one object.
const ID = 1;
const ACCEPTS = 2;
const QUANTITY = 4;
const WEIGHT = 8;
const NEED_BY = 16;
const USES = 32;
const DONOR = 64;
const GROUP = 128;
const AVAILABLE = 256;
const FORBIDS = 512;
const DESIGNATED_TO = 1024;
/** The field names an object may have with the bit of each, by the name's length. */
interface KnownFields {
  /** In the contract's order, each with its key as a file writes it, quoted, with the colon. */
  inOrder: { name: string; bit: number; index: number; written: string }[];
  byLength: (KnownFields['inOrder'] | undefined)[];
}

function knownFields(fields: Record<string, number>): KnownFields {
  const inOrder = Object.entries(fields).map(([name, bit], index) => ({ name, bit, index, written: `"${name}":` }));
  const byLength: KnownFields['byLength'] = [];
  for (const field of inOrder) (byLength[field.name.length] ??= []).push(field);
  return { inOrder, byLength };
}

const TOP_FIELDS = knownFields({ latePenaltyPerDay: 1, requirements: 2, pledges: 4 });
const REQUIREMENT_FIELDS = knownFields({ id: ID, accepts: ACCEPTS, quantity: QUANTITY, weight: WEIGHT, needBy: NEED_BY, uses: USES });
const PLEDGE_FIELDS = knownFields({ id: ID, donor: DONOR, group: GROUP, quantity: QUANTITY, available: AVAILABLE, forbids: FORBIDS, designatedTo: DESIGNATED_TO });
const REQUIREMENT_NEEDS = ID | ACCEPTS | QUANTITY | WEIGHT | NEED_BY;
const PLEDGE_NEEDS = ID | DONOR | GROUP | QUANTITY | AVAILABLE;

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Whether a character code minus 48 is a decimal digit. */
function isDigit(x: number): boolean {
  return x >= 0 && x <= 9;
}

class ProblemReader {
  /** The window: bytes [0, end) are the file's from some point on, followed by SLACK zero bytes. */
  private readonly b: Uint8Array;
  private readonly room: number;
  /** Refill when fewer bytes than this are left: every line up to this long is read whole. */
  private readonly ahead: number;
  private end: number;
  private done: boolean;
  private i = 0;
  /** The last string token read: its bytes lie between these, escapes left as written. */
  private tokenStart = 0;
  private tokenEnd = 0;
  private tokenEscaped = false;
  /** Whether the token has a byte outside ASCII. */
  private tokenWide = false;
  /** FNV-1a hash of the token's bytes as written (of its value when it is ASCII with no escape). */
  private tokenHash = 0;
  /** Index (in KnownFields.inOrder) of the last key read in the current object; −1 before its first. */
  private lastField = -1;
  /** Hashes of the ids (of their values), line by line. */
  private readonly requirementHashes: IntList;
  private readonly pledgeHashes: IntList;
  /** Designated pledges: (pledge index, hash of the id it names) pairs, and those ids. */
  private readonly designations: number[] = [];
  private readonly designatedIds: string[] = [];
  private readonly groupNames = new NameTable();
  /** The group numbers of the requirement being read. */
  private readonly groups: number[] = [];
  private readonly lines: LineTables;
  private readonly requirementIds: PackedIds;
  private readonly pledgeIds: PackedIds;
  private readonly decode: (bytes: Uint8Array, start: number, end: number) => string;

  constructor(
    private readonly source: ReadBytes,
    options: ReadOptions,
  ) {
    this.b = options.window ?? new Uint8Array(DEFAULT_WINDOW + SLACK);
    this.room = this.b.length - SLACK;
    this.ahead = this.room >>> 1;
    this.end = options.filled ?? 0;
    this.done = false;
    const decoder = new TextDecoder();
    this.decode = options.decode ?? ((bytes, start, end) => decoder.decode(bytes.subarray(start, end)));
    const most = options.size === undefined ? 1024 : Math.min(MOST_PRESIZED, Math.floor(options.size / SMALLEST_LINE) + 1);
    this.lines = new LineTables(most, most);
    // Ids are a tenth of a file written as the contract's example is: room for them from the start.
    const idBytes = options.size === undefined ? 16 * 1024 : Math.min(MOST_PRESIZED, Math.floor(options.size / 10) + 16);
    this.requirementIds = new PackedIds(most, idBytes);
    this.requirementHashes = new IntList(most);
    this.pledgeHashes = new IntList(most);
    this.pledgeIds = new PackedIds(most, idBytes);
    this.more();
  }

  read(): Prepared {
    let penalty = NaN;
    let seen = 0;
    this.ws();
    this.expect(OPEN_OBJECT);
    this.ws();
    if (this.b[this.i] !== CLOSE_OBJECT) {
      for (;;) {
        this.lastField = -1;
        this.more();
        const key = this.key(TOP_FIELDS);
        if (key === 1 && !(seen & 1)) {
          seen |= 1;
          penalty = this.number();
        } else if (key === 2 && !(seen & 6)) {
          seen |= 2;
          if (this.openList()) do this.requirement(); while (this.next(CLOSE_ARRAY));
        } else if (key === 4 && (seen & 6) === 2) {
          // After the requirements: designations name them, and groups are numbered requirements first.
          seen |= 4;
          if (this.openList()) do this.pledge(); while (this.next(CLOSE_ARRAY));
        } else throw DECLINE;
        this.more();
        if (!this.next(CLOSE_OBJECT)) break;
      }
    } else this.i++;
    this.more();
    this.ws();
    if (this.i !== this.end || !this.done || seen !== 7 || !(Number.isFinite(penalty) && penalty >= 0)) throw DECLINE;
    const prepared = this.lines.finish(penalty, { requirements: this.requirementIds, pledges: this.pledgeIds });
    this.checkIds(prepared);
    return prepared;
  }

  /**
   * Moves the bytes not yet read to the window's start and reads more after them, when fewer than
   * `ahead` are left. Called before each line and top-level key, the only places a token may start
   * near the window's end: within a line, a scan that reaches the end meets the zero bytes and declines.
   */
  private more(): void {
    if (this.i > this.end) throw DECLINE; // never, as the zero bytes stop every scan: a second guard against reading old bytes
    if (this.done || this.end - this.i >= this.ahead) return;
    const b = this.b;
    b.copyWithin(0, this.i, this.end);
    this.end -= this.i;
    this.i = 0;
    while (this.end < this.room) {
      const n = this.source(b, this.end, this.room - this.end);
      if (!(n > 0)) {
        this.done = true;
        break;
      }
      this.end += n;
    }
    b.fill(0, this.end, this.end + SLACK);
  }

  private requirement(): void {
    let seen = 0;
    let idHash = 0;
    let uses: readonly string[] = NO_TAGS;
    let quantity = NaN;
    let weight = NaN;
    let needDay = 0;
    const groups = this.groups;
    this.more();
    this.openObject();
    do {
      const field = this.key(REQUIREMENT_FIELDS);
      if (seen & field) throw DECLINE;
      seen |= field;
      if (field === ID) idHash = this.id(this.requirementIds);
      else if (field === ACCEPTS) {
        groups.length = 0;
        if (this.openList()) do groups.push(this.group()); while (this.next(CLOSE_ARRAY));
        if (groups.length === 0) throw DECLINE;
      } else if (field === QUANTITY) quantity = this.number();
      else if (field === WEIGHT) weight = this.number();
      else if (field === NEED_BY) needDay = this.day();
      else uses = this.names(100);
    } while (this.next(CLOSE_OBJECT));
    if ((seen & REQUIREMENT_NEEDS) !== REQUIREMENT_NEEDS || !isQuantity(quantity) || !(weight > 0 && Number.isFinite(weight))) throw DECLINE;
    this.requirementHashes.push(idHash);
    this.lines.addRequirement(undefined, quantity, weight, needDay, groups, uses);
  }

  private pledge(): void {
    let seen = 0;
    let idHash = 0;
    let group = -1;
    let forbids: readonly string[] = NO_TAGS;
    let designated: string | null = null;
    let designatedHash = 0;
    let quantity = NaN;
    let availDay = 0;
    this.more();
    this.openObject();
    do {
      const field = this.key(PLEDGE_FIELDS);
      if (seen & field) throw DECLINE;
      seen |= field;
      if (field === ID) idHash = this.id(this.pledgeIds);
      else if (field === DONOR) this.checkName(200);
      else if (field === GROUP) group = this.group();
      else if (field === QUANTITY) quantity = this.number();
      else if (field === AVAILABLE) availDay = this.day();
      else if (field === FORBIDS) forbids = this.names(100);
      else {
        designated = this.nullOrName(200);
        designatedHash = this.tokenHash;
      }
    } while (this.next(CLOSE_OBJECT));
    if ((seen & PLEDGE_NEEDS) !== PLEDGE_NEEDS || !isQuantity(quantity)) throw DECLINE;
    this.pledgeHashes.push(idHash);
    if (designated !== null) {
      this.designations.push(this.pledgeHashes.length - 1, designatedHash);
      this.designatedIds.push(designated);
    }
    this.lines.addPledge(undefined, group, quantity, availDay, forbids, -1);
  }

  /** A group's name, as the group's number (LineTables.group): a name seen before makes no string. */
  private group(): number {
    this.stringToken();
    if (this.tokenEscaped || this.tokenWide) {
      const name = this.tokenValue();
      if (name.length === 0 || name.length > 200) throw DECLINE;
      const hash = hashOf(name);
      const known = this.groupNames.findText(name, hash);
      if (known >= 0) return known;
      this.groupNames.add(name, hash);
      return this.lines.group(name);
    }
    const start = this.tokenStart;
    const end = this.tokenEnd;
    if (end === start || end - start > 200) throw DECLINE;
    const known = this.groupNames.findBytes(this.b, start, end, this.tokenHash);
    if (known >= 0) return known;
    const name = this.decode(this.b, start, end);
    this.groupNames.add(name, this.tokenHash);
    return this.lines.group(name);
  }

  /**
   * A line's id, added to `ids` as its bytes when plain (no escape, ASCII only) and as its string
   * otherwise; returns the hash of its value. A repeated id is caught after the last line (checkIds).
   */
  private id(ids: PackedIds): number {
    this.stringToken();
    if (this.tokenEscaped || this.tokenWide) {
      const value = this.tokenValue();
      if (value.length === 0 || value.length > 200) throw DECLINE;
      ids.addSpecial(value);
      return hashOf(value);
    }
    if (this.tokenEnd === this.tokenStart || this.tokenEnd - this.tokenStart > 200) throw DECLINE;
    ids.addPlain(this.b, this.tokenStart, this.tokenEnd);
    return this.tokenHash;
  }

  private nullOrName(max: number): string | null {
    const b = this.b;
    const i = this.i;
    if (b[i] === 110 && b[i + 1] === 117 && b[i + 2] === 108 && b[i + 3] === 108) {
      this.i += 4;
      return null;
    }
    return this.name(max);
  }

  /**
   * After the last line: ids are unique, and each designation names a requirement. By the ids' hashes
   * sorted, not a Set (for 300k ids, measured on this project's machine, a Set took 145–215 ms).
   */
  private checkIds(prepared: Prepared): void {
    const requirements = sortedByHash(this.requirementHashes.values(), prepared.requirementIds);
    sortedByHash(this.pledgeHashes.values(), prepared.pledgeIds);
    const { designations, designatedIds } = this;
    for (let k = 0; k < designatedIds.length; k++) {
      const r = findByHash(requirements, designations[2 * k + 1]!, designatedIds[k]!, prepared.requirementIds);
      if (r < 0) throw DECLINE;
      prepared.designatedReq[designations[2 * k]!] = r;
    }
  }

  /** The opening brace of a line's object, which is never empty (every line has required fields). */
  private openObject(): void {
    this.lastField = -1;
    this.expect(OPEN_OBJECT);
    this.ws();
    if (this.b[this.i] === CLOSE_OBJECT) throw DECLINE;
  }

  /** A key, one of `known`, and the colon after it: the key's bit. Compared in place: no string per key. */
  private key(known: KnownFields): number {
    const b = this.b;
    // The field after the last one in the contract's order first: one comparison for the key and its
    // colon when the file keeps that order, as files written by programs do.
    const guess = known.inOrder[this.lastField + 1];
    if (guess !== undefined) {
      const written = guess.written;
      const at = this.i;
      let same = true;
      for (let c = 0; c < written.length && same; c++) same = b[at + c] === written.charCodeAt(c);
      if (same) {
        this.i = at + written.length;
        this.lastField = guess.index;
        this.ws();
        return guess.bit;
      }
    }
    this.plainString();
    const at = this.tokenStart;
    const length = this.tokenEnd - at;
    let bit = 0;
    const candidates = this.tokenWide ? undefined : known.byLength[length];
    if (candidates !== undefined) {
      for (let k = 0; k < candidates.length && bit === 0; k++) {
        const name = candidates[k]!.name;
        let same = true;
        for (let c = 0; c < length && same; c++) same = b[at + c] === name.charCodeAt(c);
        if (same) {
          bit = candidates[k]!.bit;
          this.lastField = candidates[k]!.index;
        }
      }
    }
    if (bit === 0) throw DECLINE;
    this.ws();
    this.expect(COLON);
    this.ws();
    return bit;
  }

  /** The opening bracket of an array: true when items follow, false past an empty array's closing bracket. */
  private openList(): boolean {
    this.expect(OPEN_ARRAY);
    this.ws();
    if (this.b[this.i] !== CLOSE_ARRAY) return true;
    this.i++;
    return false;
  }

  /** After an item: true past a comma (more follow), false past `close` (the closing bracket or brace). */
  private next(close: number): boolean {
    this.ws();
    const c = this.b[this.i++];
    if (c === COMMA) {
      this.ws();
      return true;
    }
    if (c === close) return false;
    throw DECLINE;
  }

  /** A string token; sets tokenStart, tokenEnd, tokenEscaped, tokenWide, tokenHash. */
  private stringToken(): void {
    const b = this.b;
    if (b[this.i] !== QUOTE) throw DECLINE;
    let j = this.i + 1;
    let escaped = false;
    let wide = false;
    let hash = FNV_OFFSET;
    for (;;) {
      const c = b[j]!;
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        // At worst the first zero byte is escaped: the second stops the scan.
        escaped = true;
        j += 2;
        continue;
      }
      if (c < 32) throw DECLINE; // a control character, or past the bytes read (the zero bytes)
      if (c >= 128) wide = true;
      hash = Math.imul(hash ^ c, FNV_PRIME);
      j++;
    }
    this.tokenStart = this.i + 1;
    this.tokenEnd = j;
    this.tokenEscaped = escaped;
    this.tokenWide = wide;
    this.tokenHash = hash;
    this.i = j + 1;
  }

  /** A string token with no escape (keys, dates). */
  private plainString(): void {
    this.stringToken();
    if (this.tokenEscaped) throw DECLINE;
  }

  /** The value of the string token just read. */
  private tokenValue(): string {
    if (!this.tokenEscaped) return this.decode(this.b, this.tokenStart, this.tokenEnd);
    try {
      // The escapes as JSON defines them, by JSON itself.
      return JSON.parse(this.decode(this.b, this.tokenStart - 1, this.tokenEnd + 1)) as string;
    } catch {
      throw DECLINE;
    }
  }

  /** A string of 1 to `max` characters; tokenHash is the hash of its value. */
  private name(max: number): string {
    this.stringToken();
    const value = this.tokenValue();
    if (value.length === 0 || value.length > max) throw DECLINE;
    if (this.tokenEscaped || this.tokenWide) this.tokenHash = hashOf(value);
    return value;
  }

  /** A name checked but not kept. */
  private checkName(max: number): void {
    this.stringToken();
    const length = this.tokenEscaped || this.tokenWide ? this.tokenValue().length : this.tokenEnd - this.tokenStart;
    if (length === 0 || length > max) throw DECLINE;
  }

  /** An array of names (most are empty: those share one array). */
  private names(max: number): readonly string[] {
    if (!this.openList()) return NO_TAGS;
    const out: string[] = [];
    do out.push(this.name(max));
    while (this.next(CLOSE_ARRAY));
    return out;
  }

  /** A calendar date YYYY-MM-DD from year 1000 on, as its day number (as isDay and dayNumber in parse.ts and dates.ts). */
  private day(): number {
    // Quote, ten characters, quote: anything else (an escape among them, too) is declined.
    const b = this.b;
    const at = this.i + 1;
    if (at + 11 > this.end || b[at - 1] !== QUOTE || b[at + 10] !== QUOTE || b[at + 4] !== MINUS || b[at + 7] !== MINUS) throw DECLINE;
    const y0 = b[at]! - 48, y1 = b[at + 1]! - 48, y2 = b[at + 2]! - 48, y3 = b[at + 3]! - 48;
    const m0 = b[at + 5]! - 48, m1 = b[at + 6]! - 48, d0 = b[at + 8]! - 48, d1 = b[at + 9]! - 48;
    if (!(isDigit(y0) && isDigit(y1) && isDigit(y2) && isDigit(y3) && isDigit(m0) && isDigit(m1) && isDigit(d0) && isDigit(d1))) throw DECLINE;
    this.i = at + 11;
    const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
    const m = m0 * 10 + m1;
    const d = d0 * 10 + d1;
    if (y < 1000 || m < 1 || m > 12 || d < 1) throw DECLINE;
    if (d > 28) {
      const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
      if (d > (m === 2 && leap ? 29 : DAYS_IN_MONTH[m - 1]!)) throw DECLINE;
    }
    return civilDayNumber(y, m, d);
  }

  /** A number as JSON writes it (-?int frac? exp?), with the value JSON.parse gives it. */
  private number(): number {
    const b = this.b;
    const start = this.i;
    let j = start;
    let simple = true;
    if (b[j] === MINUS) {
      simple = false;
      j++;
    }
    const first = b[j]!;
    if (first === 48) j++;
    else if (first > 48 && first <= 57) while (isDigitCode(b[j]!)) j++;
    else throw DECLINE;
    if (j - start > 15) simple = false; // beyond 15 digits the sum below may round
    if (b[j] === DOT) {
      simple = false;
      j++;
      if (!isDigitCode(b[j]!)) throw DECLINE;
      while (isDigitCode(b[j]!)) j++;
    }
    const e = b[j];
    if (e === 101 || e === 69) {
      simple = false;
      j++;
      const sign = b[j];
      if (sign === 43 || sign === MINUS) j++;
      if (!isDigitCode(b[j]!)) throw DECLINE;
      while (isDigitCode(b[j]!)) j++;
    }
    this.i = j;
    if (!simple) return Number(this.decode(b, start, j));
    let value = 0;
    for (let k = start; k < j; k++) value = value * 10 + (b[k]! - 48);
    return value;
  }

  private expect(c: number): void {
    if (this.b[this.i] !== c) throw DECLINE;
    this.i++;
  }

  /** Whitespace as JSON defines it: space, tab, line feed, carriage return. */
  private ws(): void {
    const b = this.b;
    let i = this.i;
    for (;;) {
      const c = b[i];
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
    this.i = i;
  }
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** FNV-1a over a string's character codes, as stringToken computes it. */
function hashOf(text: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash;
}

/** Whole numbers added one by one, in a typed array grown as they come. */
class IntList {
  private data: Int32Array;
  length = 0;

  constructor(capacity: number) {
    this.data = new Int32Array(Math.max(16, capacity));
  }

  push(x: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(2 * this.length);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = x;
  }

  values(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

/** Ids in order of their hashes (unsigned), with those hashes; declines when two ids are equal. */
interface HashOrder {
  order: Int32Array;
  sorted: Uint32Array;
}

/**
 * The ids' indexes sorted by hash (an LSD radix sort: three stable counting passes of 11 bits, whose
 * counts stay in cache), declining when two ids are equal, so that a file with a repeated id goes to
 * the validators, which name both places. It sorts in the memory of `hashes` too: three new arrays of n,
 * where materialised digits and network.ts's bucket() took about nine.
 */
function sortedByHash(hashes: Int32Array, ids: Ids): HashOrder {
  const n = hashes.length;
  const count = new Int32Array(0x801);
  let keys: Uint32Array = new Uint32Array(hashes.buffer, hashes.byteOffset, n);
  let order: Int32Array = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let nextKeys: Uint32Array = new Uint32Array(n);
  let nextOrder: Int32Array = new Int32Array(n);
  for (let shift = 0; shift < 33; shift += 11) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[((keys[i]! >>> shift) & 0x7ff) + 1]!++;
    for (let b = 1; b <= 0x800; b++) count[b]! += count[b - 1]!;
    for (let i = 0; i < n; i++) {
      const key = keys[i]!;
      const at = count[(key >>> shift) & 0x7ff]!++;
      nextKeys[at] = key;
      nextOrder[at] = order[i]!;
    }
    [keys, nextKeys] = [nextKeys, keys];
    [order, nextOrder] = [nextOrder, order];
  }
  const sorted = keys;
  for (let k = 1; k < n; k++) {
    // Equal hashes are rare: compare the ids of the run.
    for (let j = k - 1; j >= 0 && sorted[j] === sorted[k]; j--) if (ids.at(order[k]!) === ids.at(order[j]!)) throw DECLINE;
  }
  return { order, sorted };
}

/** The index of the id `id` (of hash `hash`) among the ids of `byHash`, or −1. */
function findByHash(byHash: HashOrder, hash: number, id: string, ids: Ids): number {
  const { order, sorted } = byHash;
  const h = hash >>> 0;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < h) lo = mid + 1;
    else hi = mid;
  }
  for (let k = lo; k < sorted.length && sorted[k] === h; k++) if (ids.at(order[k]!) === id) return order[k]!;
  return -1;
}

/**
 * Names numbered 0, 1, 2… in the order added, found by hash (open addressing) and compared in place
 * in the text they are read from: no string is made to look a name up.
 */
class NameTable {
  private readonly names: string[] = [];
  private readonly hashes: number[] = [];
  /** 1 + the number of the name in each slot; 0 for an empty slot. */
  private slots = new Int32Array(1024);

  /** The number of the name whose ASCII bytes lie at bytes[start, end), with that hash, or −1. */
  findBytes(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const mask = this.slots.length - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const k = this.slots[slot]! - 1;
      if (k < 0) return -1;
      if (this.hashes[k] !== hash) continue;
      const name = this.names[k]!;
      if (name.length !== length) continue;
      let same = true;
      for (let c = 0; c < length && same; c++) same = name.charCodeAt(c) === bytes[start + c];
      if (same) return k;
    }
  }

  /** The number of the name `text`, of that hash, or −1. */
  findText(text: string, hash: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const k = this.slots[slot]! - 1;
      if (k < 0) return -1;
      if (this.hashes[k] === hash && this.names[k] === text) return k;
    }
  }

  /** Adds a name that find() does not know; returns its number. */
  add(name: string, hash: number): number {
    const k = this.names.length;
    this.names.push(name);
    this.hashes.push(hash);
    if (2 * this.names.length > this.slots.length) this.rehash();
    else this.place(k);
    return k;
  }

  private place(k: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hashes[k]! & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = k + 1;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    for (let k = 0; k < this.names.length; k++) this.place(k);
  }
}

function isQuantity(x: number): boolean {
  return Number.isInteger(x) && x > 0 && x <= Number.MAX_SAFE_INTEGER;
}
