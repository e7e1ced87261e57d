import { DomainError } from '../domain/errors.ts';
import type { Actor } from './context.ts';
import type { RowScope } from './access/row-scope.ts';

/** Entities whose records the policy guards. */
export type Entity =
  | 'nation'
  | 'catalog'
  | 'requirement'
  | 'pledge'
  | 'delivery'
  | 'meeting'
  | 'stock-report'
  | 'plan'
  | 'report'
  | 'fx-rate'
  | 'user';

export type Verb = 'read' | 'create' | 'update' | 'transition' | 'import';

/** An action on an entity, such as `{ entity: 'pledge', verb: 'create' }`. */
export interface Action {
  entity: Entity;
  verb: Verb;
  /**
   * Rows of nation-scoped tables the use case may read (row-level security): `lines` (default) only those the
   * actor may see line by line; `aggregate` all of them, for a read that returns only sums and no line (no
   * pledge or delivery id, donor-by-line value or note). Declare it only on such reads; it never widens writes.
   */
  scope?: RowScope;
  /** Transaction isolation, when a use case needs more than read committed (a consistent export snapshot). */
  isolation?: 'repeatable read' | 'serializable';
}

/** Which roles may perform which verb on which entity (before record-level releasability). */
const WRITERS: Readonly<Record<Entity, readonly string[]>> = {
  nation: ['coordinator'],
  catalog: ['coordinator'],
  requirement: ['coordinator', 'recipient'],
  pledge: ['coordinator', 'donor'],
  delivery: ['coordinator', 'donor', 'recipient'],
  meeting: ['coordinator'],
  'stock-report': ['coordinator', 'recipient'],
  plan: ['coordinator'],
  report: ['coordinator'],
  'fx-rate': ['coordinator'],
  user: ['coordinator'],
};

/** Refuses an action the actor's role does not allow; reads are open to every role at this level. */
export function authorize(actor: Actor, action: Action): void {
  if (action.verb === 'read') return;
  if (!WRITERS[action.entity].includes(actor.role)) {
    throw new DomainError('not_allowed', `a ${actor.role} may not ${action.verb} ${action.entity} records`);
  }
}

/** The row scope a use case runs with: `aggregate` only for a read that declares it, else `lines`. */
export function rowScopeOf(action: Action): RowScope {
  return action.verb === 'read' && action.scope === 'aggregate' ? 'aggregate' : 'lines';
}
