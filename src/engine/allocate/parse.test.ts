import { describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/errors.ts';
import { parseAllocationProblem } from './parse.ts';

const good = () => ({
  latePenaltyPerDay: 1,
  requirements: [{ id: 'R-1', accepts: ['155mm-he'], quantity: 12000, weight: 1000, needBy: '2026-03-01', uses: ['cross-border'] }],
  pledges: [{ id: 'P-1', donor: 'DEU', group: '155mm-he', quantity: 5000, available: '2026-02-15', forbids: ['cross-border'], designatedTo: null }],
});

/** The issues a refused input reports, as path → message. */
function issuesOf(json: unknown): Record<string, string> {
  try {
    parseAllocationProblem(json);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('invalid_input');
    return Object.fromEntries((error as DomainError).issues.map((i) => [i.path, i.message]));
  }
  throw new Error('input was accepted');
}

describe('parseAllocationProblem', () => {
  it('accepts the contract example as it is', () => {
    expect(parseAllocationProblem(good())).toEqual(good());
  });

  it('fills absent uses, forbids and designatedTo with their defaults', () => {
    const json = good() as Record<string, any>;
    delete json.requirements[0].uses;
    delete json.pledges[0].forbids;
    delete json.pledges[0].designatedTo;
    const problem = parseAllocationProblem(json);
    expect(problem.requirements[0]!.uses).toEqual([]);
    expect(problem.pledges[0]!.forbids).toEqual([]);
    expect(problem.pledges[0]!.designatedTo).toBeNull();
  });

  it('accepts quantities up to 2^53 − 1, fractional weights and penalties, and a leap day', () => {
    const json = good();
    json.latePenaltyPerDay = 0.25;
    json.requirements[0]!.quantity = Number.MAX_SAFE_INTEGER;
    json.requirements[0]!.weight = 12.5;
    json.pledges[0]!.available = '2028-02-29';
    expect(parseAllocationProblem(json).requirements[0]!.quantity).toBe(2 ** 53 - 1);
  });

  it('lists every problem of a bad file with its JSON path, and nothing else', () => {
    const json = {
      latePenaltyPerDay: -1,
      extra: true,
      requirements: [
        { id: 'R-1', accepts: [], quantity: 0, weight: 0, needBy: '2026-02-30', uses: 'x' },
        { id: 'R-1', accepts: ['g'], quantity: 1.5, weight: -2, needBy: '2026-3-1', uses: [], priority: 'P1' },
        { id: 'R-3', accepts: ['g'], quantity: 2 ** 53, weight: 1, needBy: '2025-02-29', uses: [] },
      ],
      pledges: [
        { id: 'P-1', donor: 'DEU', group: 'g', quantity: -5, available: 'soon', forbids: [], designatedTo: 'R-9' },
        { id: 'P-1', donor: '', group: 7, quantity: '3', available: '2026-01-01', forbids: [1], designatedTo: null },
        'not a pledge',
      ],
    };
    expect(issuesOf(json)).toEqual({
      '/extra': 'is not a field of the allocation contract',
      '/latePenaltyPerDay': 'must not be negative, not -1',
      '/requirements/0/accepts': 'must name at least one group',
      '/requirements/0/quantity': 'must be positive, not 0',
      '/requirements/0/weight': 'must be positive, not 0',
      '/requirements/0/needBy': 'must be a real calendar date written YYYY-MM-DD, not "2026-02-30"',
      '/requirements/0/uses': 'must be an array of strings, not the string "x"',
      '/requirements/1/id': 'duplicate id "R-1" (also at /requirements/0/id)',
      '/requirements/1/priority': 'is not a field of the allocation contract',
      '/requirements/1/quantity': 'must be a whole number, not 1.5',
      '/requirements/1/weight': 'must be positive, not -2',
      '/requirements/1/needBy': 'must be a real calendar date written YYYY-MM-DD, not "2026-3-1"',
      '/requirements/2/quantity': `must be at most 2^53 − 1 (${Number.MAX_SAFE_INTEGER}), not ${2 ** 53}`,
      '/requirements/2/needBy': 'must be a real calendar date written YYYY-MM-DD, not "2025-02-29"',
      '/pledges/0/quantity': 'must be positive, not -5',
      '/pledges/0/available': 'must be a real calendar date written YYYY-MM-DD, not "soon"',
      '/pledges/0/designatedTo': 'names no requirement of this problem ("R-9")',
      '/pledges/1/id': 'duplicate id "P-1" (also at /pledges/0/id)',
      '/pledges/1/donor': 'must not be empty',
      '/pledges/1/group': 'must be a string, not 7',
      '/pledges/1/quantity': 'must be a number, not the string "3"',
      '/pledges/1/forbids/0': 'must be a string, not 1',
      '/pledges/2': 'must be an object, not the string "not a pledge"',
    });
  });

  it('refuses missing fields and a document that is not an object', () => {
    expect(issuesOf({ requirements: [{}], pledges: [] })).toEqual({
      '/latePenaltyPerDay': 'must be a number, not missing',
      '/requirements/0/id': 'must be a string, not missing',
      '/requirements/0/accepts': 'must be an array of strings, not missing',
      '/requirements/0/quantity': 'must be a number, not missing',
      '/requirements/0/weight': 'must be a number, not missing',
      '/requirements/0/needBy': 'must be a date written YYYY-MM-DD, not missing',
    });
    expect(issuesOf([])).toEqual({ '': 'must be an object with latePenaltyPerDay, requirements and pledges, not an array' });
    expect(issuesOf({ latePenaltyPerDay: 1, requirements: null, pledges: {} })).toEqual({
      '/requirements': 'must be an array, not null',
      '/pledges': 'must be an array, not an object',
    });
  });
});
