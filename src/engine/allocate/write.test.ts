import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocate, allocatePrepared, assemble, solvePrepared } from './allocate.ts';
import { prepare } from './prepare.ts';
import { readAllocationProblem } from './read.ts';
import { summariseAllocation, summariseFigures } from './summarise.ts';
import type { AllocationProblem } from './types.ts';
import { writeAllocationJson } from './write.ts';

const DATES = ['2026-01-01', '2026-01-05', '2026-01-20', '2026-02-10', '2026-03-01'];
const GROUPS = ['g', 'h'];
const TAGS = ['cross-border', 'offensive'];

/** Ids a JSON writer can get wrong: quotes, backslashes, control characters, DEL, non-ASCII, emoji, lone surrogates, long ones (plain or not). */
const awkwardId = fc.oneof(
  fc.constantFrom('R', 'P-1', 'a"b', 'back\\slash', 'tab\there', '\u0000\u001f', 'line\nbreak', 'del\u007f', 'é', 'Москва', '😀', '\u2028', '\ud800', 'x\udfffy', '"\\'.repeat(20)),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 6 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 40, maxLength: 90 }),
  fc.string({ unit: fc.constantFrom(...'abyzABYZ019 -_.:/'), minLength: 30, maxLength: 120 }),
);

/** Small random problems with the contract's edge cases: fractional weights and penalties, huge quantities, empty sides, unmet lines, late lines. */
const instance = fc
  .record({
    latePenaltyPerDay: fc.constantFrom(0, 1, 0.5, 2.25, 0.1, 40),
    requirements: fc.array(
      fc.record({
        id: awkwardId,
        accepts: fc.uniqueArray(fc.constantFrom(...GROUPS), { minLength: 1, maxLength: 2 }),
        quantity: fc.oneof(fc.integer({ min: 1, max: 60 }), fc.constantFrom(2 ** 31 - 1, 2 ** 31, 2 ** 40, 2 ** 53 - 1, 123_456_789)),
        weight: fc.constantFrom(1000, 10, 1, 12.5, 0.75, 0.1, 1 / 3),
        needBy: fc.constantFrom(...DATES),
        uses: fc.subarray(TAGS),
      }),
      { maxLength: 7 },
    ),
    pledges: fc.array(
      fc.record({
        id: awkwardId,
        group: fc.constantFrom(...GROUPS),
        quantity: fc.oneof(fc.integer({ min: 1, max: 60 }), fc.constantFrom(2 ** 31, 2 ** 40)),
        available: fc.constantFrom(...DATES),
        forbids: fc.subarray(TAGS),
        designate: fc.option(fc.nat(10), { freq: 4 }),
      }),
      { maxLength: 8 },
    ),
  })
  .map((raw): AllocationProblem => {
    // Ids must be unique: the index after the last '#' makes them so.
    const requirementIds = raw.requirements.map((r, i) => `${r.id}#${i}`);
    return {
      latePenaltyPerDay: raw.latePenaltyPerDay,
      requirements: raw.requirements.map((r, i) => ({ ...r, id: requirementIds[i]! })),
      pledges: raw.pledges.map((p, i) => ({
        id: `${p.id}#${i}`,
        donor: 'DEU',
        group: p.group,
        quantity: p.quantity,
        available: p.available,
        forbids: p.forbids,
        designatedTo: p.designate === null || requirementIds.length === 0 ? null : requirementIds[p.designate % requirementIds.length]!,
      })),
    };
  });

/**
 * Runs the writer with chunks of `chunkBytes`, checking that every chunk but the last is full; returns
 * the text and the figures. The problem's ids as strings (prepare), or packed as the file reader keeps
 * them (read: plain ids as bytes; undefined when the reader declines the file, as it does a lone surrogate).
 */
function written(problem: AllocationProblem, chunkBytes?: number, via: 'prepare' | 'read' = 'prepare') {
  const prepared = via === 'prepare' ? prepare(problem) : readAllocationProblem(JSON.stringify(problem));
  if (prepared === undefined) return undefined;
  const chunks: Uint8Array[] = [];
  const figures = writeAllocationJson(solvePrepared(prepared), (chunk) => void chunks.push(chunk.slice()), chunkBytes);
  const size = chunkBytes ?? 1 << 18;
  chunks.forEach((chunk, i) => {
    if (i < chunks.length - 1) expect(chunk.length).toBe(size);
    else expect(chunk.length >= 1 && chunk.length <= size).toBe(true);
  });
  return { text: new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)), figures };
}

describe('writeAllocationJson', () => {
  it('writes exactly the bytes of JSON.stringify(allocate(problem)), in chunks of any size, and the figures of its summary, from ids as strings or packed', () => {
    let readFiles = 0;
    fc.assert(
      // Chunks shorter than a line take the general path only; from 65 bytes, lines written whole meet the chunk's end too.
      fc.property(instance, fc.integer({ min: 1, max: 64 }), fc.integer({ min: 65, max: 600 }), (problem, tiny, small) => {
        const result = allocate(problem);
        const expected = JSON.stringify(result);
        const summary = summariseAllocation(result);
        let read = 0;
        for (const size of [tiny, small, undefined]) {
          for (const via of ['prepare', 'read'] as const) {
            const out = written(problem, size, via);
            if (out === undefined) continue;
            if (via === 'read') read++;
            expect(out.text).toBe(expected);
            expect(summariseFigures(out.figures)).toBe(summary);
          }
        }
        readFiles += read > 0 ? 1 : 0;
      }),
      { numRuns: Number(process.env.ALLOCATE_RUNS ?? 300) },
    );
    // Most problems have no lone surrogate: the file reader's packed ids were written too.
    expect(readFiles).toBeGreaterThan(100);
  });

  it('writes an emoji id across chunks too small for one of its code points', () => {
    const problem: AllocationProblem = {
      latePenaltyPerDay: 1,
      requirements: [{ id: 'R-😀é"', accepts: ['g'], quantity: 3, weight: 10.1, needBy: '2026-01-01', uses: [] }],
      pledges: [{ id: '\u0007P😀', donor: 'DEU', group: 'g', quantity: 2, available: '2026-01-02', forbids: [], designatedTo: null }],
    };
    const expected = JSON.stringify(allocate(problem));
    expect(expected).toContain('\\u0007P😀');
    for (const size of [1, 2, 3, 5, 7]) for (const via of ['prepare', 'read'] as const) expect(written(problem, size, via)!.text).toBe(expected);
  });

  it('leaves allocatePrepared as assemble after solvePrepared', () => {
    const problem: AllocationProblem = {
      latePenaltyPerDay: 0.5,
      requirements: [{ id: 'R', accepts: ['g'], quantity: 9, weight: 12.5, needBy: '2026-01-01', uses: [] }],
      pledges: [{ id: 'P', donor: 'DEU', group: 'g', quantity: 4, available: '2026-01-05', forbids: [], designatedTo: null }],
    };
    const steps: string[] = [];
    const result = allocatePrepared(prepare(problem), { onStep: (s) => steps.push(s) });
    expect(result).toEqual(assemble(solvePrepared(prepare(problem))));
    expect(result).toEqual({ objective: 4 * 10.5, allocations: [{ pledge: 'P', requirement: 'R', quantity: 4, lateDays: 4 }], unmet: [{ requirement: 'R', quantity: 5, reason: 'outranked' }] });
    expect(steps.at(-1)).toBe('assemble');
  });
});
