import { invalidInput } from '../../domain/errors.ts';
import type { Actor } from '../context.ts';

/**
 * Releasability: who may see one line of a nation's data (a pledge and, through it, its tranches and
 * deliveries). Labels, as stored in `pledges.releasability`:
 * - `owner`: the nation whose line it is (always implied: a donor always sees its own data in full);
 * - `coordinators`: the coordinating staff (always implied: coordinators see everything);
 * - `recipient`: the recipient nation, to whom the pledge is made (in the default; a donor may remove it);
 * - `all participants`: every participating nation's donors and the recipient;
 * - `REL TO XXX`: the nation XXX (one label per nation).
 * Industry and observers never see lines, only aggregates. A missing, empty or unknown label set grants
 * nothing beyond owner and coordinators: the check fails closed. The same rule is written in SQL in
 * src/store/migrations/0005-row-security.ts (`concord_line_visible`); the two must agree.
 */
export type ReleasabilityLabel = 'owner' | 'coordinators' | 'recipient' | 'all participants' | `REL TO ${string}`;

/** What a new pledge carries unless its donor says otherwise (DESIGN.md: donor, coordinators, recipient). */
export const DEFAULT_RELEASABILITY: readonly ReleasabilityLabel[] = ['owner', 'coordinators', 'recipient'];

const LABEL = /^(owner|coordinators|recipient|all participants|REL TO [A-Z]{3})$/;

/** Whether every label is one Concord knows; an empty or missing set is not valid. */
export function labelsValid(labels: readonly string[] | null | undefined): labels is readonly ReleasabilityLabel[] {
  return Array.isArray(labels) && labels.length > 0 && labels.every((l) => typeof l === 'string' && LABEL.test(l));
}

/** A line of data as far as releasability is concerned: whose it is and to whom it is released. */
export interface Releasable {
  /** The nation whose data it is (a pledge's donor). */
  owner: string;
  releasability: readonly string[] | null | undefined;
}

/** Whether the viewer may see the line itself (not just aggregates of it). */
export function mayReadLine(viewer: Actor, line: Releasable): boolean {
  if (viewer.role === 'coordinator') return true;
  const owner = line.owner.trim();
  if (viewer.role === 'donor' && viewer.nation !== null && viewer.nation === owner) return true;
  if (!labelsValid(line.releasability)) return false;
  const labels = line.releasability;
  const relTo = viewer.nation ? (`REL TO ${viewer.nation}` as const) : null;
  switch (viewer.role) {
    case 'donor':
      return labels.includes('all participants') || (relTo !== null && labels.includes(relTo));
    case 'recipient':
      return labels.includes('recipient') || labels.includes('all participants') || (relTo !== null && labels.includes(relTo));
    default:
      return false;
  }
}

/** Whether the viewer may change the line: coordinators, and the donor whose line it is. */
export function mayWriteLine(viewer: Actor, line: Pick<Releasable, 'owner'>): boolean {
  return viewer.role === 'coordinator' || (viewer.role === 'donor' && viewer.nation !== null && viewer.nation === line.owner.trim());
}

/**
 * Normalises labels a user gives: trims, accepts `REL TO POL, LTU` as two labels, upper-cases nation codes,
 * always keeps `owner` and `coordinators`, drops duplicates, and refuses anything unknown (listing each).
 */
export function normaliseReleasability(input: readonly string[], path = '/releasability'): ReleasabilityLabel[] {
  const out = new Set<ReleasabilityLabel>(['owner', 'coordinators']);
  const issues: { path: string; message: string }[] = [];
  input.forEach((raw, i) => {
    const text = raw.trim().replace(/\s+/g, ' ');
    const rel = /^REL TO (.+)$/i.exec(text);
    if (rel) {
      const nations = rel[1]!.split(/[ ,]+/).filter(Boolean).map((n) => n.toUpperCase());
      if (nations.length === 0 || nations.some((n) => !/^[A-Z]{3}$/.test(n))) {
        issues.push({ path: `${path}/${i}`, message: `"${raw}" must name ISO 3166 alpha-3 nations, such as REL TO POL, LTU` });
      } else for (const n of nations) out.add(`REL TO ${n}`);
      return;
    }
    const lower = text.toLowerCase();
    if (lower === 'owner' || lower === 'coordinators' || lower === 'recipient' || lower === 'all participants') out.add(lower);
    else issues.push({ path: `${path}/${i}`, message: `unknown releasability label "${raw}"; use owner, coordinators, recipient, all participants or REL TO <nations>` });
  });
  if (issues.length > 0) throw invalidInput('the releasability names labels Concord does not know', issues);
  return [...out];
}
