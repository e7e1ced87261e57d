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
  return acceptValidProblem(json) ?? parseAllocationProblemPrecisely(json);
}

// Chains of === on property names: several times faster than Set#has over 300k lines.
function isRequirementField(k: string): boolean {
  return k === 'id' || k === 'accepts' || k === 'quantity' || k === 'weight' || k === 'needBy' || k === 'uses';
}

function isPledgeField(k: string): boolean {
  return k === 'id' || k === 'donor' || k === 'group' || k === 'quantity' || k === 'available' || k === 'forbids' || k === 'designatedTo';
}

/** A string of 1 to `max` characters. */
function isName(x: unknown, max: number): x is string {
  return typeof x === 'string' && x.length > 0 && x.length <= max;
}

/** An array of at least `minLength` names. */
function isNames(x: unknown, max: number, minLength: number): x is string[] {
  if (!Array.isArray(x) || x.length < minLength) return false;
  for (let i = 0; i < x.length; i++) if (!isName(x[i], max)) return false;
  return true;
}

function isQuantity(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x > 0 && x <= Number.MAX_SAFE_INTEGER;
}

/** Whether a character code minus 48 is a decimal digit. */
function isDigit(c: number): boolean {
  return c >= 0 && c <= 9;
}

/** A calendar date YYYY-MM-DD from year 1000 on (stricter than both validators, so it never admits what either refuses). */
function isDay(s: unknown): s is string {
  if (typeof s !== 'string' || s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  const y0 = s.charCodeAt(0) - 48, y1 = s.charCodeAt(1) - 48, y2 = s.charCodeAt(2) - 48, y3 = s.charCodeAt(3) - 48;
  const m0 = s.charCodeAt(5) - 48, m1 = s.charCodeAt(6) - 48, d0 = s.charCodeAt(8) - 48, d1 = s.charCodeAt(9) - 48;
  if (!(isDigit(y0) && isDigit(y1) && isDigit(y2) && isDigit(y3) && isDigit(m0) && isDigit(m1) && isDigit(d0) && isDigit(d1)) || y0 === 0) return false;
  const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const m = m0 * 10 + m1;
  const d = d0 * 10 + d1;
  if (m < 1 || m > 12 || d < 1) return false;
  if (d <= 28) return true;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 && leap ? 29 : DAYS_IN_MONTH[m - 1]!);
}

/**
 * The fast path for a valid file: the typed problem when `json` passes every check, else undefined
 * (then a precise validator runs to list the problems). It builds no JSON path or message, and it is
 * stricter than both validators — this one and the contract's Zod schema, whose length limits (ids
 * 200, tags 100 characters) it applies too — so it never admits what either would refuse; on a
 * valid 100k-line file it is one pass with no per-field allocation. The lines it returns are the
 * input's own objects, an absent optional field defaulted in place.
 */
export function acceptValidProblem(json: unknown): AllocationProblem | undefined {
  if (!isRecord(json)) return undefined;
  let fields = 0;
  for (const k in json) {
    if (k !== 'latePenaltyPerDay' && k !== 'requirements' && k !== 'pledges') return undefined;
    fields++;
  }
  const penalty = json.latePenaltyPerDay;
  const rawRequirements = json.requirements;
  const rawPledges = json.pledges;
  if (fields !== 3 || typeof penalty !== 'number' || !Number.isFinite(penalty) || penalty < 0) return undefined;
  if (!Array.isArray(rawRequirements) || !Array.isArray(rawPledges)) return undefined;

  // The lines are checked where they are and returned as they are (an absent optional field gets its
  // default in place): no copy of 300k objects.
  const requirementIds = new Set<string>();
  for (let i = 0; i < rawRequirements.length; i++) {
    const r: unknown = rawRequirements[i];
    if (!isRecord(r)) return undefined;
    for (const k in r) if (!isRequirementField(k)) return undefined;
    const { id, accepts, quantity, weight, needBy } = r;
    if (r.uses === undefined) r.uses = [];
    const uses = r.uses;
    if (!isName(id, 200) || !isNames(accepts, 200, 1) || !isQuantity(quantity) || !isDay(needBy) || !isNames(uses, 100, 0)) return undefined;
    if (typeof weight !== 'number' || !(weight > 0) || !Number.isFinite(weight)) return undefined;
    requirementIds.add(id);
    if (requirementIds.size !== i + 1) return undefined;
  }

  const pledgeIds = new Set<string>();
  for (let i = 0; i < rawPledges.length; i++) {
    const p: unknown = rawPledges[i];
    if (!isRecord(p)) return undefined;
    for (const k in p) if (!isPledgeField(k)) return undefined;
    const { id, donor, group, quantity, available } = p;
    if (p.forbids === undefined) p.forbids = [];
    if (p.designatedTo === undefined) p.designatedTo = null;
    const { forbids, designatedTo } = p;
    if (!isName(id, 200) || !isName(donor, 200) || !isName(group, 200) || !isQuantity(quantity) || !isDay(available) || !isNames(forbids, 100, 0)) return undefined;
    if (designatedTo !== null && !(isName(designatedTo, 200) && requirementIds.has(designatedTo))) return undefined;
    pledgeIds.add(id);
    if (pledgeIds.size !== i + 1) return undefined;
  }
  return { latePenaltyPerDay: penalty, requirements: rawRequirements as AllocationRequirement[], pledges: rawPledges as AllocationPledge[] };
}

/** The precise validator behind parseAllocationProblem: every problem of `json` with its JSON path, thrown; the typed problem if there is none. */
export function parseAllocationProblemPrecisely(json: unknown): AllocationProblem {
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
