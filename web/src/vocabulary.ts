/**
 * The words of the domain as the web app lists them in filters and forms: the server's own lists from
 * src/domain (pure modules with no runtime imports), so a new status or area reaches every filter at once.
 */
export { CAPABILITY_AREAS as AREAS } from '../../src/domain/catalog/catalog.ts';
export { REQUIREMENT_STATUSES } from '../../src/domain/requirements/requirement.ts';
export { PLEDGE_CHANNELS, PLEDGE_KINDS, PLEDGE_STATUSES } from '../../src/domain/pledges/pledge.ts';
export { MEETING_KINDS } from '../../src/domain/meetings/meeting.ts';

/** Pledge statuses that count as committed supply. */
export const COMMITTED = 'committed,contracted,delivering,delivered';

/** Why the plan leaves a requirement short, in words. */
export const REASONS: Record<string, string> = {
  outranked: 'compatible supply went to needs of higher worth',
  'supply-too-late': 'compatible supply arrives too late to be worth giving',
  'no-compatible-supply': 'no committed pledge of an accepted group that the caveats allow',
  'met by the plan': 'the plan meets it, using pledges that are only announced so far',
};

/** A reason code as a short phrase for a table cell ("no-compatible-supply" reads "no compatible supply"). */
export const reasonLabel = (r: string | null | undefined) => (r ? r.replace(/-/g, ' ') : '—');

export type Role = 'coordinator' | 'recipient' | 'donor' | 'industry' | 'observer';

export interface Me {
  id: string;
  username: string | null;
  role: Role;
  nation: string | null;
  kind: 'user' | 'token' | 'system';
}

const ALL_ROLES: readonly Role[] = ['coordinator', 'recipient', 'donor', 'industry', 'observer'];

/** The app's pages and the roles each is offered to (the server decides what each role sees on it). */
export const PAGE_ROLES: Readonly<Record<string, readonly Role[]>> = {
  '/': ALL_ROLES,
  '/requirements': ['coordinator', 'recipient', 'donor', 'industry'],
  '/pledges': ['coordinator', 'recipient', 'donor', 'industry'],
  '/plan': ['coordinator', 'recipient', 'donor'],
  '/meetings': ALL_ROLES,
  '/nations': ALL_ROLES,
};

/** Whether an in-app address leads to a page this user is offered (so a link to it is worth showing). */
export function mayOpen(me: Me | null, to: string): boolean {
  const roles = PAGE_ROLES[to.split(/[?#]/)[0] ?? ''];
  return me === null || roles === undefined || roles.includes(me.role);
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
