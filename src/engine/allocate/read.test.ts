import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { acceptValidProblem } from './parse.ts';
import type { Ids } from './ids.ts';
import { prepare, type Prepared } from './prepare.ts';
import { readAllocationProblem, readAllocationProblemFrom, type ReadBytes } from './read.ts';

// Names that JSON writes with escapes, or outside ASCII, beside plain ones.
const GROUPS = ['155mm-he', 'pac-3', 'g"quoted"', 'back\\slash', 'tab\there', 'ĉaŭ', '😀-rounds', 'x'.repeat(200)];
const TAGS = ['cross-border', 'offensive', 'naïve', 'line\nbreak'];
const DATES = ['2024-02-29', '2026-01-01', '2026-12-31', '1000-01-01', '9999-12-31'];

/** Random valid problems, their optional fields sometimes left out. */
const problems = fc
  .record({
    latePenaltyPerDay: fc.constantFrom(0, 1, 0.5, 2.25, 1e-7, 40),
    requirements: fc.array(
      fc.record({
        id: fc.string({ maxLength: 6 }),
        accepts: fc.array(fc.constantFrom(...GROUPS), { minLength: 1, maxLength: 3 }),
        quantity: fc.oneof(fc.integer({ min: 1, max: 5000 }), fc.constantFrom(2 ** 40, Number.MAX_SAFE_INTEGER)),
        weight: fc.constantFrom(1000, 12.5, 0.75, 1e-3, 3.141592653589793),
        needBy: fc.constantFrom(...DATES),
        uses: fc.option(fc.subarray(TAGS), { freq: 3 }),
      }),
      { maxLength: 8 },
    ),
    pledges: fc.array(
      fc.record({
        id: fc.string({ maxLength: 6 }),
        donor: fc.constantFrom('DEU', 'NOR', 'Česko'),
        group: fc.constantFrom(...GROUPS),
        quantity: fc.integer({ min: 1, max: 5000 }),
        available: fc.constantFrom(...DATES),
        forbids: fc.option(fc.subarray(TAGS), { freq: 3 }),
        designate: fc.option(fc.nat(10), { freq: 3 }),
        nullDesignation: fc.boolean(),
      }),
      { maxLength: 8 },
    ),
  })
  .map((raw) => ({
    latePenaltyPerDay: raw.latePenaltyPerDay,
    // Ids made unique by their index, with the generated text around it.
    requirements: raw.requirements.map(({ uses, ...r }, i) => ({ ...r, id: `${r.id}#${i}`, ...(uses === null ? {} : { uses }) })),
    pledges: raw.pledges.map(({ forbids, designate, nullDesignation, ...p }, i) => ({
      ...p,
      id: `${p.id}#${i}`,
      ...(forbids === null ? {} : { forbids }),
      ...(designate !== null && raw.requirements.length > 0
        ? { designatedTo: `${raw.requirements[designate % raw.requirements.length]!.id}#${designate % raw.requirements.length}` }
        : nullDesignation
          ? { designatedTo: null }
          : {}),
    })),
  }));

/** The tables through the general path: JSON.parse, the checks, prepare. */
function generalPath(text: string): Prepared | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const problem = acceptValidProblem(json);
  return problem && prepare(problem);
}

/** Ids as an array of strings. */
function idsOf(ids: Ids): (string | undefined)[] {
  return Array.from({ length: ids.length }, (_, i) => ids.at(i));
}

/** Every table of a Prepared, as plain data (the compatibility function as its table over all classes). */
function tablesOf(p: Prepared): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(p)) {
    if (typeof value === 'function') continue;
    if (key === 'requirementIds' || key === 'pledgeIds') out[key] = idsOf(value as Ids);
    else
    if (ArrayBuffer.isView(value)) out[key] = Array.from(value as Int32Array);
    else if (value instanceof Map) out[key] = [...value];
    else if (key === 'useSets') out[key] = (value as Set<string>[]).map((s) => [...s]);
    else out[key] = value;
  }
  const compatible: boolean[] = [];
  for (let u = 0; u < p.useSets.length; u++) for (let f = 0; f < p.forbidSets.length; f++) compatible.push(p.compatible(u, f));
  out.compatible = compatible;
  return out;
}

const QUOTE = 34;
const utf8 = (bytes: Uint8Array, start: number, end: number) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8', start, end);

/** A file's bytes read in pieces of the given lengths, in turn, as a pipe or a slow disk gives them. */
function chunked(bytes: Uint8Array, lengths: number[]): ReadBytes {
  let at = 0;
  let k = 0;
  return (into, offset, length) => {
    const n = Math.min(length, lengths[k++ % lengths.length]!, bytes.length - at);
    into.set(bytes.subarray(at, at + n), offset);
    at += n;
    return n;
  };
}

/** A copy of a JSON value with each object's keys in a random order. */
function shuffledKeys(value: unknown, rand: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffledKeys(v, rand));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).map(([k, v]) => [k, shuffledKeys(v, rand)] as const);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  return Object.fromEntries(entries);
}

describe('readAllocationProblem', () => {
  it('gives the same tables as JSON.parse and prepare, compact, indented, or with fields in any order', () => {
    fc.assert(
      fc.property(problems, fc.integer(), (problem, seed) => {
        const expected = tablesOf(prepare(acceptValidProblem(structuredClone(problem))!));
        let state = seed;
        const rand = () => ((state = (Math.imul(state, 1103515245) + 12345) | 0) >>> 0) / 2 ** 32;
        const shuffled = shuffledKeys(problem, rand) as Record<string, unknown>;
        // Requirements before pledges, as the reader wants: a file with pledges first is read by the general path.
        const ordered = { latePenaltyPerDay: problem.latePenaltyPerDay, requirements: shuffled.requirements, pledges: shuffled.pledges };
        for (const text of [JSON.stringify(problem), JSON.stringify(problem, null, 2), JSON.stringify(ordered), `\r\n\t${JSON.stringify(ordered, null, '\t')} `]) {
          const read = readAllocationProblem(text);
          expect(read, text).toBeDefined();
          expect(tablesOf(read!)).toEqual(expected);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('accepts nothing the general path refuses, and reads what it accepts as that path does', () => {
    // Random edits of valid files: inserted, deleted and replaced characters, chosen among those that
    // change a JSON text's meaning.
    const edits = fc.array(fc.record({ at: fc.nat(), kind: fc.constantFrom('insert', 'delete', 'replace', 'bracket'), c: fc.constantFrom(...'{}[]",:\\ \t\n0123456789.-+eE nulltrfa#R\u0000\u001f\u00e9') }), {
      minLength: 1,
      maxLength: 3,
    });
    let readByBoth = 0;
    fc.assert(
      fc.property(problems, edits, (problem, changes) => {
        let text = JSON.stringify(problem);
        for (const { at, kind, c } of changes) {
          const i = at % (text.length + 1);
          if (kind === 'bracket') {
            // One of the text's brackets and braces made another.
            const places = [...text.matchAll(/[[\]{}]/g)].map((m) => m.index);
            const k = places[at % places.length]!;
            text = text.slice(0, k) + '[]{}'[at % 4] + text.slice(k + 1);
          } else if (kind === 'insert') text = text.slice(0, i) + c + text.slice(i);
          else if (kind === 'delete') text = text.slice(0, i) + text.slice(i + 1);
          else text = text.slice(0, i) + c + text.slice(i + 1);
        }
        const read = readAllocationProblem(text);
        if (read === undefined) return;
        const general = generalPath(text);
        expect(general, text).toBeDefined();
        expect(tablesOf(read)).toEqual(tablesOf(general!));
        readByBoth++;
      }),
      { numRuns: 2000 },
    );
    // Some edits leave a valid file (a digit of a quantity, a space): those are read, and checked above.
    expect(readByBoth).toBeGreaterThan(0);
  });

  const base = {
    latePenaltyPerDay: 1,
    requirements: [{ id: 'R-1', accepts: ['155mm-he'], quantity: 10, weight: 100, needBy: '2026-03-01', uses: [] }],
    pledges: [{ id: 'P-1', donor: 'DEU', group: '155mm-he', quantity: 5, available: '2026-02-15', forbids: [], designatedTo: 'R-1' }],
  };
  const text = JSON.stringify(base);

  it('reads numbers as JSON.parse does: 1e1, 10.0 and 1.0E+1 are the quantity 10', () => {
    for (const written of ['1e1', '10.0', '1.0E+1', '100e-1']) {
      const read = readAllocationProblem(text.replace('"quantity":10', `"quantity":${written}`));
      expect(read?.reqQty[0]).toBe(10);
    }
    expect(readAllocationProblem(text.replace('"latePenaltyPerDay":1', '"latePenaltyPerDay":-0'))?.latePenaltyPerDay).toBe(-0);
  });

  it('declines what the general path refuses or reads otherwise, so that path words the error', () => {
    const declined = [
      text.replace('"id":"P-1"', '"id":"R-1","id":"P-1"'), // a field twice (JSON.parse keeps the last)
      JSON.stringify({ ...base, pledges: [...base.pledges, base.pledges[0]] }), // a pledge id twice
      JSON.stringify({ ...base, requirements: [...base.requirements, base.requirements[0]] }), // a requirement id twice
      text.replace('"designatedTo":"R-1"', '"designatedTo":"R-2"'), // designated to no requirement
      JSON.stringify({ latePenaltyPerDay: 1, pledges: base.pledges, requirements: base.requirements }), // pledges first
      `\ufeff${text}`, // a byte-order mark: not JSON
      `${text}x`,
      text.replace('"R-1"', '"R\u0001-1"'), // a raw control character in a string
      text.replace('2026-03-01', '2026-02-29'),
      text.replace('2026-03-01', '0999-03-01'),
      text.replace('2026-03-01', '2026-3-01'),
      text.replace('"quantity":10', '"quantity":10.5'),
      text.replace('"quantity":10', '"quantity":0'),
      text.replace('"quantity":10', '"quantity":01'),
      text.replace('"quantity":10', '"quantity":9007199254740992'),
      text.replace('"weight":100', '"weight":-1'),
      text.replace('"uses":[]', '"uses":null'),
      text.replace('"uses":[]', '"uses":[""]'),
      text.replace('"accepts":["155mm-he"]', '"accepts":[]'),
      text.replace('"donor":"DEU"', '"donor":"D","colour":"red"'),
      text.replace('"latePenaltyPerDay":1', '"latePenaltyPerDay":-1'),
      `${text.slice(0, -1)}]`, // brackets that do not match
      text.replace('"uses":[]}', '"uses":[]]'),
      text.replace('"uses":[]}', '"uses":[}}'),
      '{}',
      '[]',
      '',
    ];
    for (const t of declined) expect(readAllocationProblem(t), t).toBeUndefined();
  });

  it('reads escapes in names as JSON.parse does', () => {
    const escaped = text.replaceAll('"R-1"', '"R\\u002d1"').replace('"155mm-he"]', '"155mm\\u002dhe"]');
    const read = readAllocationProblem(escaped)!;
    expect(idsOf(read.requirementIds)).toEqual(['R-1']);
    expect(read.designatedReq[0]).toBe(0);
    expect([...read.groupIds.keys()]).toEqual(['155mm-he']);
    expect(read.pledgeGroup[0]).toBe(0);
  });

  it('reads a file through a small window, refilled by reads of any length, as it reads the whole text', () => {
    fc.assert(
      fc.property(problems, fc.boolean(), fc.integer({ min: 64, max: 8192 }), fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 20 }), (problem, indent, room, lengths) => {
        const text = indent ? JSON.stringify(problem, null, 2) : JSON.stringify(problem);
        const expected = tablesOf(readAllocationProblem(text)!);
        const read = readAllocationProblemFrom(chunked(Buffer.from(text), lengths), { window: new Uint8Array(room + 16), decode: utf8, size: Buffer.byteLength(text) });
        // Every line of these problems, indented, is under 2 KiB: a window of 4 KiB reads them all;
        // a smaller one may decline a line longer than half of it, but never reads one wrongly.
        if (room >= 4096) expect(read).toBeDefined();
        if (read !== undefined) expect(tablesOf(read)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('declines a file cut short anywhere, though the window still holds bytes from before the cut', () => {
    const long = JSON.stringify({ ...base, requirements: Array.from({ length: 40 }, (_, i) => ({ ...base.requirements[0]!, id: `R-${i + 1}` })) });
    const bytes = Buffer.from(long);
    let read = 0;
    for (let cut = 0; cut < bytes.length; cut += 3) {
      // The window first holds the file's own bytes where they would go: a read that stopped at the cut
      // and went on into what the window held before would find the rest of a valid file.
      const window = new Uint8Array(256 + 16);
      window.set(bytes.subarray(0, 256));
      const result = readAllocationProblemFrom(chunked(bytes.subarray(0, cut), [50]), { window, decode: utf8 });
      if (result !== undefined) read++;
    }
    expect(read).toBe(0);
    expect(readAllocationProblemFrom(chunked(bytes, [50]), { window: new Uint8Array(256 + 16), decode: utf8 })?.R).toBe(40);
  });

  it('reads bytes that are not UTF-8 as the general path decodes them: two ids that both decode to U+FFFD are the same id', () => {
    const withByte = (byte: number, id: string) => {
      const [before, after] = text.split(`"${id}"`) as [string, string];
      return Buffer.concat([Buffer.from(before), Buffer.from([QUOTE, 0x52, byte, QUOTE]), Buffer.from(after!)]);
    };
    // The pledge's id: one bad byte decodes to U+FFFD, as the general path reads it.
    const pledge = withByte(0xff, 'P-1');
    const read = readAllocationProblemFrom(chunked(pledge, [pledge.length]), { decode: utf8 });
    expect(idsOf(read!.pledgeIds)).toEqual(['R\ufffd']);
    expect(tablesOf(read!)).toEqual(tablesOf(generalPath(pledge.toString('utf8'))!));
    // Two requirements whose ids differ only in bad bytes have the same id after decoding: refused by the general path, declined here.
    const two = Buffer.from(JSON.stringify({ ...base, requirements: [{ ...base.requirements[0]!, id: 'A' }, { ...base.requirements[0]!, id: 'B' }] }).replace('"designatedTo":"R-1"', '"designatedTo":null'));
    const twice = Buffer.from(two.toString('latin1').replace('"A"', '"R\xfe"').replace('"B"', '"R\xff"'), 'latin1');
    expect(generalPath(twice.toString('utf8'))).toBeUndefined();
    expect(readAllocationProblemFrom(chunked(twice, [twice.length]), { decode: utf8 })).toBeUndefined();
  });

  it('tells apart two ids whose hashes are equal, and finds the one a designation names', () => {
    // Ids are checked unique by sorting their FNV-1a hashes: two ids of one hash are compared themselves.
    const fnv = (text: string) => {
      let h = 0x811c9dc5 | 0;
      for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
      return h >>> 0;
    };
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; pair === undefined; i++) {
      const id = `R-${i}`;
      const other = seen.get(fnv(id));
      if (other === undefined) seen.set(fnv(id), id);
      else pair = [other, id];
    }
    const [a, b] = pair;
    const requirement = base.requirements[0]!;
    const problem = { ...base, requirements: [{ ...requirement, id: a }, { ...requirement, id: b }], pledges: [{ ...base.pledges[0]!, designatedTo: b }] };
    const read = readAllocationProblem(JSON.stringify(problem))!;
    expect(idsOf(read.requirementIds)).toEqual([a, b]);
    expect(read.designatedReq[0]).toBe(1);
    expect(readAllocationProblem(JSON.stringify({ ...problem, requirements: [...problem.requirements, { ...requirement, id: b }] }))).toBeUndefined();
  });

  it('reads an empty problem', () => {
    const read = readAllocationProblem('{"latePenaltyPerDay":0,"requirements":[],"pledges":[]}')!;
    expect([read.R, read.P]).toEqual([0, 0]);
  });
});
