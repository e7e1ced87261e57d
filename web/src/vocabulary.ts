/**
 * The words of the domain as the web app lists them in filters and forms. The values are typed against the
 * server's contracts, and `every` refuses a list that leaves a value out, so a new status on the server
 * fails the web typecheck instead of going missing from a filter.
 */
import type { Requirement } from '../../src/contracts/requirements.ts';
import type { Pledge } from '../../src/contracts/pledges.ts';
import type { Meeting } from '../../src/contracts/meetings.ts';

type Missing<T, A extends readonly unknown[]> = [Exclude<T, A[number]>] extends [never] ? A : { missing: Exclude<T, A[number]> };
const every =
  <T extends string>() =>
  <const A extends readonly T[]>(list: A & Missing<T, A>): A =>
    list;

export type CapabilityArea = Requirement['capabilityArea'];
export const AREAS = every<CapabilityArea>()([
  'air-defence',
  'artillery',
  'ammunition',
  'armour',
  'aviation',
  'drones',
  'counter-drone',
  'electronic-warfare',
  'engineering-demining',
  'medical',
  'logistics',
  'communications',
  'training',
  'sustainment',
]);

export const REQUIREMENT_STATUSES = every<Requirement['status']>()(['draft', 'submitted', 'validated', 'partly-covered', 'covered', 'fulfilled', 'cancelled']);
export const PLEDGE_STATUSES = every<Pledge['status']>()(['announced', 'committed', 'contracted', 'delivering', 'delivered', 'withdrawn']);
export const PLEDGE_KINDS = every<Pledge['kind']>()(['in-kind', 'procurement', 'funding', 'training']);
export const PLEDGE_CHANNELS = every<Pledge['channel']>()(['coordinated', 'bilateral']);
export const MEETING_KINDS = every<Meeting['kind']>()(['contact-group', 'council', 'ministerial', 'summit']);

/** Pledge statuses that count as committed supply. */
export const COMMITTED = 'committed,contracted,delivering,delivered';

export type Role = 'coordinator' | 'recipient' | 'donor' | 'industry' | 'observer';

export interface Me {
  id: string;
  username: string | null;
  role: Role;
  nation: string | null;
  kind: 'user' | 'token' | 'system';
}

/** Which roles may change which records: mirrors the server's policy so the app offers only what will work. */
const WRITERS: Record<'requirement' | 'pledge' | 'plan' | 'meeting' | 'nation', readonly Role[]> = {
  requirement: ['coordinator', 'recipient'],
  pledge: ['coordinator', 'donor'],
  plan: ['coordinator'],
  meeting: ['coordinator'],
  nation: ['coordinator'],
};

/**
 * Whether this user may change records of an entity (the server checks again, record by record). Without a
 * user (a server without accounts) nothing is hidden.
 */
export function mayWrite(me: Me | null, entity: keyof typeof WRITERS): boolean {
  return me === null || WRITERS[entity].includes(me.role);
}
