import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { acceptValidProblem, parseAllocationProblemPrecisely } from '../engine/allocate/parse.ts';
import { AllocationProblemSchema, parseAllocationProblem } from './allocation.ts';

const base = () => ({
  latePenaltyPerDay: 1,
  requirements: [
    { id: 'R-1', accepts: ['155mm-he'], quantity: 12000, weight: 1000, needBy: '2026-03-01', uses: ['cross-border'] },
    { id: 'R-2', accepts: ['155mm-he', '155mm-smoke'], quantity: 3, weight: 0.5, needBy: '2028-02-29' },
  ],
  pledges: [
    { id: 'P-1', donor: 'DEU', group: '155mm-he', quantity: 5000, available: '2026-02-15', forbids: ['cross-border'], designatedTo: null },
    { id: 'P-2', donor: 'POL', group: '155mm-smoke', quantity: 4000, available: '2026-03-11', designatedTo: 'R-2' },
    { id: 'P-3', donor: 'FRA', group: '155mm-he', quantity: 1, available: '2026-12-31' },
  ],
});

/** Values that sit on either side of some rule of the contract. */
const TRICKY: unknown[] = [
  undefined, null, 0, -0, 1, -1, 1.5, 2 ** 53, 2 ** 53 - 1, Number.NaN, Number.POSITIVE_INFINITY, '', 'x', 'x'.repeat(100), 'x'.repeat(101),
  'x'.repeat(200), 'x'.repeat(201), 'R-1', 'R-2', 'R-9', 'P-1', '2026-02-29', '2028-02-29', '2026-13-01', '2026-1-01', '0999-01-01', '0050-01-01',
  '1000-01-01', '2026-04-31', '2026-04-30', ' 2026-04-30', [], ['g'], [''], [1], ['x'.repeat(101)], {}, { id: 'R-1' }, true,
];

/** Every place of the base problem a mutation can write to, as [object path, key]. */
const PLACES: [string, string][] = [
  ...['latePenaltyPerDay', 'requirements', 'pledges', 'extra'].map((k): [string, string] => ['', k]),
  ...['requirements/0', 'requirements/1'].flatMap((at) => ['id', 'accepts', 'quantity', 'weight', 'needBy', 'uses', 'extra'].map((k): [string, string] => [at, k])),
  ['requirements/0/accepts', '0'],
  ['requirements/0/uses', '0'],
  ...['pledges/0', 'pledges/1', 'pledges/2'].flatMap((at) => ['id', 'donor', 'group', 'quantity', 'available', 'forbids', 'designatedTo', 'extra'].map((k): [string, string] => [at, k])),
  ['pledges/0/forbids', '0'],
];
type Mutation = [string, string, unknown];
const mutation = fc.tuple(fc.constantFrom(...PLACES), fc.constantFrom(...TRICKY)).map(([[at, key], value]): Mutation => [at, key, value]);

function mutate(problem: Record<string, unknown>, [at, key, value]: Mutation) {
  let target: unknown = problem;
  for (const step of at.split('/').filter(Boolean)) target = (target as Record<string, unknown>)?.[step];
  if (typeof target !== 'object' || target === null) return;
  if (value === undefined) delete (target as Record<string, unknown>)[key];
  else (target as Record<string, unknown>)[key] = value;
}

/** Fails when the fast check admits `problem` while a validator refuses it or returns something else. */
function checkAgreement(problem: Record<string, unknown>) {
  const fast = acceptValidProblem(structuredClone(problem));
  if (fast === undefined) return;
  const zod = AllocationProblemSchema.safeParse(structuredClone(problem));
  expect(zod.success, JSON.stringify(problem)).toBe(true);
  expect(fast).toEqual(zod.data);
  expect(fast).toEqual(parseAllocationProblemPrecisely(structuredClone(problem)));
}

describe('the fast check of a valid allocation problem', () => {
  it('admits nothing that the contract schema or the precise validator refuses, one change at a time', () => {
    for (const [at, key] of PLACES) {
      for (const value of TRICKY) {
        const problem = base() as Record<string, unknown>;
        mutate(problem, [at, key, value]);
        checkAgreement(problem);
      }
    }
  });

  it('admits nothing that the contract schema or the precise validator refuses, with several changes', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 2, maxLength: 4 }), (mutations) => {
        const problem = base() as Record<string, unknown>;
        for (const m of mutations) mutate(problem, m);
        checkAgreement(problem);
      }),
      { numRuns: 2000 },
    );
  });

  it('admits the contract example, so a valid file never pays for the schema', () => {
    expect(acceptValidProblem(base())).toEqual(AllocationProblemSchema.parse(base()));
  });

  it('leaves the wording of a refusal to the schema', () => {
    const bad = base();
    bad.pledges[0]!.quantity = -5;
    expect(() => parseAllocationProblem(bad)).toThrow(/allocation problem is invalid \(1 problem\)/);
  });
});
