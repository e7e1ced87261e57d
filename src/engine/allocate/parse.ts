import { invalidInput, type FieldIssue } from '../../domain/errors.ts';
import type { AllocationPledge, AllocationProblem, AllocationRequirement } from './types.ts';

const REQUIREMENT_FIELDS = new Set(['id', 'accepts', 'quantity', 'weight', 'needBy', 'uses']);
const PLEDGE_FIELDS = new Set(['id', 'donor', 'group', 'quantity', 'available', 'forbids', 'designatedTo']);
const TOP_FIELDS = new Set(['latePenaltyPerDay', 'requirements', 'pledges']);
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether `s` is a real calendar date written YYYY-MM-DD (no Date object: this runs once per line). */
function isCalendarDate(s: string): boolean {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  for (const i of [0, 1, 2, 3, 5, 6, 8, 9]) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(5, 7));
  const d = Number(s.slice(8, 10));
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 && leap ? 29 : DAYS_IN_MONTH[m - 1]!);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Validates an allocation problem file (DESIGN.md, "Contract: the allocation problem") and returns it
 * typed, with `uses`, `forbids` and `designatedTo` defaulted when absent. Refuses bad input with
 * every problem listed by JSON path (`/pledges/3/quantity`); nothing is solved on bad input.
 */
export function parseAllocationProblem(json: unknown): AllocationProblem {
  const issues: FieldIssue[] = [];
  const issue = (path: string, message: string) => issues.push({ path, message });

  const text = (value: unknown, path: string): string => {
    if (typeof value !== 'string') issue(path, `must be a string, not ${describe(value)}`);
    else if (value.length === 0) issue(path, 'must not be empty');
    else return value;
    return '';
  };
  const quantity = (value: unknown, path: string): number => {
    if (typeof value !== 'number' || !Number.isFinite(value)) issue(path, `must be a number, not ${describe(value)}`);
    else if (!Number.isInteger(value)) issue(path, `must be a whole number, not ${value}`);
    else if (value <= 0) issue(path, `must be positive, not ${value}`);
    else if (value > Number.MAX_SAFE_INTEGER) issue(path, `must be at most 2^53 − 1 (${Number.MAX_SAFE_INTEGER}), not ${value}`);
    return value as number;
  };
  const date = (value: unknown, path: string): string => {
    if (typeof value !== 'string') issue(path, `must be a date written YYYY-MM-DD, not ${describe(value)}`);
    else if (!isCalendarDate(value)) issue(path, `must be a real calendar date written YYYY-MM-DD, not "${value}"`);
    return value as string;
  };
  const tags = (value: unknown, path: string, nonEmpty: boolean): string[] => {
    if (value === undefined && !nonEmpty) return [];
    if (!Array.isArray(value)) {
      issue(path, `must be an array of strings, not ${describe(value)}`);
      return [];
    }
    if (nonEmpty && value.length === 0) issue(path, 'must name at least one group');
    value.forEach((t, i) => text(t, `${path}/${i}`));
    return value as string[];
  };
  const unknownFields = (o: Record<string, unknown>, allowed: Set<string>, path: string) => {
    for (const k of Object.keys(o)) if (!allowed.has(k)) issue(`${path}/${escape(k)}`, 'is not a field of the allocation contract');
  };
  const lines = (value: unknown, path: string): unknown[] => {
    if (Array.isArray(value)) return value;
    issue(path, `must be an array, not ${describe(value)}`);
    return [];
  };

  if (!isRecord(json)) {
    issue('', `must be an object with latePenaltyPerDay, requirements and pledges, not ${describe(json)}`);
    throw refusal(issues);
  }
  unknownFields(json, TOP_FIELDS, '');
  const penalty = json.latePenaltyPerDay;
  if (typeof penalty !== 'number' || !Number.isFinite(penalty)) issue('/latePenaltyPerDay', `must be a number, not ${describe(penalty)}`);
  else if (penalty < 0) issue('/latePenaltyPerDay', `must not be negative, not ${penalty}`);

  const requirements: AllocationRequirement[] = [];
  const requirementIds = new Map<string, number>();
  lines(json.requirements, '/requirements').forEach((raw, i) => {
    const path = `/requirements/${i}`;
    if (!isRecord(raw)) return issue(path, `must be an object, not ${describe(raw)}`);
    unknownFields(raw, REQUIREMENT_FIELDS, path);
    const id = text(raw.id, `${path}/id`);
    if (id !== '') {
      const first = requirementIds.get(id);
      if (first !== undefined) issue(`${path}/id`, `duplicate id "${id}" (also at /requirements/${first}/id)`);
      else requirementIds.set(id, i);
    }
    const weight = raw.weight;
    if (typeof weight !== 'number' || !Number.isFinite(weight)) issue(`${path}/weight`, `must be a number, not ${describe(weight)}`);
    else if (weight <= 0) issue(`${path}/weight`, `must be positive, not ${weight}`);
    requirements.push({
      id,
      accepts: tags(raw.accepts, `${path}/accepts`, true),
      quantity: quantity(raw.quantity, `${path}/quantity`),
      weight: weight as number,
      needBy: date(raw.needBy, `${path}/needBy`),
      uses: tags(raw.uses, `${path}/uses`, false),
    });
  });

  const pledges: AllocationPledge[] = [];
  const pledgeIds = new Map<string, number>();
  lines(json.pledges, '/pledges').forEach((raw, i) => {
    const path = `/pledges/${i}`;
    if (!isRecord(raw)) return issue(path, `must be an object, not ${describe(raw)}`);
    unknownFields(raw, PLEDGE_FIELDS, path);
    const id = text(raw.id, `${path}/id`);
    if (id !== '') {
      const first = pledgeIds.get(id);
      if (first !== undefined) issue(`${path}/id`, `duplicate id "${id}" (also at /pledges/${first}/id)`);
      else pledgeIds.set(id, i);
    }
    let designatedTo: string | null = null;
    if (raw.designatedTo !== undefined && raw.designatedTo !== null) {
      designatedTo = text(raw.designatedTo, `${path}/designatedTo`);
      if (designatedTo !== '' && !requirementIds.has(designatedTo)) issue(`${path}/designatedTo`, `names no requirement of this problem ("${designatedTo}")`);
    }
    pledges.push({
      id,
      donor: text(raw.donor, `${path}/donor`),
      group: text(raw.group, `${path}/group`),
      quantity: quantity(raw.quantity, `${path}/quantity`),
      available: date(raw.available, `${path}/available`),
      forbids: tags(raw.forbids, `${path}/forbids`, false),
      designatedTo,
    });
  });

  if (issues.length > 0) throw refusal(issues);
  return { latePenaltyPerDay: penalty as number, requirements, pledges };
}

function refusal(issues: FieldIssue[]) {
  return invalidInput(`the allocation problem is invalid (${issues.length} problem${issues.length === 1 ? '' : 's'})`, issues);
}

/** JSON Pointer escaping of one path segment (RFC 6901). */
function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
