import { orderLines, unmetReason, type SolvedAllocation } from './allocate.ts';
import { PackedIds, type Ids } from './ids.ts';
import { countAllocation, countUnmet, emptyFigures, type AllocationFigures } from './summarise.ts';

/**
 * Writes the solution's contract JSON, byte for byte `JSON.stringify(assemble(solved))` in UTF-8,
 * through one reused chunk: `flush` gets each full chunk and the last one, and must use the bytes
 * before it returns. At 100k lines an object per line, the 16 MB string and its 16 MB encoding cost
 * about as much as the solve where every fresh page is slow; this touches one chunk and the lines'
 * order (~12 bytes a line). Returns the figures the terminal summary needs (summariseFigures).
 */
export function writeAllocationJson(solved: SolvedAllocation, flush: (chunk: Uint8Array) => void, chunkBytes = 1 << 18): AllocationFigures {
  const { prep, layout } = solved;
  const { R, requirementIds, pledgeIds, reqQty, needDay, availDay } = prep;
  // The objective comes first in the JSON: the first pass over the pairs gives it, in assemble's order.
  const lines = orderLines(solved);
  const { start, allocated, objective } = lines;
  const figures = emptyFigures(objective);
  const out = new ChunkWriter(flush, Math.max(1, Math.floor(chunkBytes)));
  out.ascii('{"objective":');
  out.number(objective);
  out.ascii(',"allocations":[');
  for (let r = 0; r < R; r++) {
    for (let i = start[r]!; i < start[r + 1]!; i++) {
      const p = lines.pledge[i]!;
      const quantity = lines.quantity[i]!;
      const lateDays = Math.max(0, availDay[p]! - needDay[r]!);
      countAllocation(figures, quantity, lateDays);
      if (out.plainLine(figures.allocationLines > 1, pledgeIds, p, requirementIds, r, quantity, lateDays)) continue;
      out.ascii(figures.allocationLines === 1 ? '{"pledge":' : ',{"pledge":');
      out.string(pledgeIds.at(p)!);
      out.ascii(',"requirement":');
      out.string(requirementIds.at(r)!);
      out.ascii(',"quantity":');
      out.number(quantity);
      out.ascii(',"lateDays":');
      out.number(lateDays);
      out.ascii('}');
    }
  }
  out.ascii('],"unmet":[');
  for (let r = 0; r < R; r++) {
    const left = reqQty[r]! - allocated[r]!;
    if (!(left > 0)) continue;
    const reason = unmetReason(layout, r);
    countUnmet(figures, left, reason);
    out.ascii(figures.unmetLines === 1 ? '{"requirement":' : ',{"requirement":');
    out.string(requirementIds.at(r)!);
    out.ascii(',"quantity":');
    out.number(left);
    out.ascii(',"reason":"');
    out.ascii(reason);
    out.ascii('"}');
  }
  out.ascii(']}');
  out.end();
  return figures;
}

const encoder = new TextEncoder();

const bytesOf = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const PLEDGE = bytesOf('{"pledge":"');
const REQUIREMENT = bytesOf('","requirement":"');
const QUANTITY = bytesOf('","quantity":');
const LATE_DAYS = bytesOf(',"lateDays":');
/** Bytes of an allocation line besides its ids, at most: comma, keys, two numbers below 2^31, closing brace. */
const LINE_BYTES = 1 + PLEDGE.length + REQUIREMENT.length + QUANTITY.length + LATE_DAYS.length + 2 * 10 + 1;

/** Bytes into one reused chunk, handed to `flush` each time it is full and at the end. */
class ChunkWriter {
  private readonly flush: (chunk: Uint8Array) => void;
  private readonly chunk: Uint8Array;
  private pos = 0;
  /** One code point's UTF-8 bytes, when they straddle two chunks. */
  private readonly scratch = new Uint8Array(4);

  constructor(flush: (chunk: Uint8Array) => void, size: number) {
    this.flush = flush;
    this.chunk = new Uint8Array(size);
  }

  /** Text known to be printable ASCII with nothing to escape: the JSON's punctuation, keys, reasons, numbers. */
  ascii(text: string): void {
    const { chunk } = this;
    const n = text.length;
    if (chunk.length - this.pos >= n) {
      let pos = this.pos;
      for (let i = 0; i < n; i++) chunk[pos++] = text.charCodeAt(i);
      this.pos = pos;
    } else {
      for (let i = 0; i < n; i++) this.byte(text.charCodeAt(i));
    }
  }

  /**
   * The common allocation line in one go, without a check per byte: written, and true, when both ids
   * are plain (see string), both numbers whole below 2^31, and the line fits in what is left of the
   * chunk; otherwise false, with nothing written, for the general path.
   */
  plainLine(comma: boolean, pledgeIds: Ids, p: number, requirementIds: Ids, r: number, quantity: number, lateDays: number): boolean {
    const { chunk } = this;
    let pos = this.pos;
    if (chunk.length - pos < LINE_BYTES + idLength(pledgeIds, p) + idLength(requirementIds, r) || !smallWhole(quantity) || !smallWhole(lateDays)) return false;
    if (comma) chunk[pos++] = 0x2c;
    pos = copy(chunk, pos, PLEDGE);
    pos = plainId(chunk, pos, pledgeIds, p);
    if (pos < 0) return false;
    pos = copy(chunk, pos, REQUIREMENT);
    pos = plainId(chunk, pos, requirementIds, r);
    if (pos < 0) return false;
    pos = copy(chunk, pos, QUANTITY);
    pos = digits(chunk, pos, quantity);
    pos = copy(chunk, pos, LATE_DAYS);
    pos = digits(chunk, pos, lateDays);
    chunk[pos++] = 0x7d;
    this.pos = pos;
    return true;
  }

  /** A finite number as JSON.stringify writes it (String(x) for finite numbers); digits directly for small whole numbers. */
  number(x: number): void {
    if (smallWhole(x) && this.chunk.length - this.pos >= 10) {
      this.pos = digits(this.chunk, this.pos, x);
    } else {
      this.ascii(Number.isFinite(x) ? String(x) : 'null');
    }
  }

  /** A JSON string: as it is when plain (every character printable ASCII other than `"` and `\`), else JSON.stringify's escapes in UTF-8. */
  string(text: string): void {
    const n = text.length;
    for (let i = 0; i < n; i++) {
      if (!isPlain(text.charCodeAt(i))) return this.utf8(JSON.stringify(text));
    }
    this.byte(0x22);
    this.ascii(text);
    this.byte(0x22);
  }

  end(): void {
    if (this.pos > 0) this.flush(this.chunk.subarray(0, this.pos));
    this.pos = 0;
  }

  private byte(b: number): void {
    if (this.pos === this.chunk.length) {
      this.flush(this.chunk);
      this.pos = 0;
    }
    this.chunk[this.pos++] = b;
  }

  /** Any text in UTF-8, across as many chunks as it takes; JSON.stringify leaves no lone surrogate in it. */
  private utf8(text: string): void {
    let from = 0;
    while (from < text.length) {
      if (this.pos === this.chunk.length) {
        this.flush(this.chunk);
        this.pos = 0;
      }
      const { read, written } = encoder.encodeInto(from === 0 ? text : text.slice(from), this.chunk.subarray(this.pos));
      this.pos += written;
      from += read;
      if (from === text.length) break;
      // The next code point does not fit in what is left of the chunk: its bytes one by one, across the boundary.
      const units = text.codePointAt(from)! > 0xffff ? 2 : 1;
      const bytes = encoder.encodeInto(text.slice(from, from + units), this.scratch).written;
      for (let i = 0; i < bytes; i++) this.byte(this.scratch[i]!);
      from += units;
    }
  }
}

/** Printable ASCII other than `"` and `\`: JSON.stringify writes it as it is, in one byte. */
function isPlain(c: number): boolean {
  return c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c;
}

/** Whether x is written by digits: a whole number from 0 to 2^31 − 1, ten digits at most. */
function smallWhole(x: number): boolean {
  return x >= 0 && x < 2 ** 31 && x === Math.floor(x);
}

function copy(chunk: Uint8Array, pos: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) chunk[pos++] = bytes[i]!;
  return pos;
}

/** Characters of id i (bytes, for a plain packed id): no more than its plain form takes. */
function idLength(ids: Ids, i: number): number {
  return ids instanceof PackedIds ? ids.ends[i]! - ids.start(i) : ids.at(i)!.length;
}

/** Id i at pos when it is plain, as its bytes (packed) or characters; −1 when it is not. */
function plainId(chunk: Uint8Array, pos: number, ids: Ids, i: number): number {
  if (!(ids instanceof PackedIds)) return plain(chunk, pos, ids.at(i)!);
  if (!ids.isPlain(i)) return -1;
  const { bytes } = ids;
  const end = ids.ends[i]!;
  for (let k = ids.start(i); k < end; k++) chunk[pos++] = bytes[k]!;
  return pos;
}

/** The plain id `text` at pos; −1 at its first character that is not plain. */
function plain(chunk: Uint8Array, pos: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!isPlain(c)) return -1;
    chunk[pos++] = c;
  }
  return pos;
}

/** The decimal digits of a smallWhole x at pos (as String(x) gives them); the position after them. */
function digits(chunk: Uint8Array, pos: number, x: number): number {
  let count = 1;
  for (let t = x; t >= 10; t = (t / 10) | 0) count++;
  let at = pos + count;
  do {
    chunk[--at] = 48 + (x % 10);
    x = (x / 10) | 0;
  } while (x > 0);
  return pos + count;
}
