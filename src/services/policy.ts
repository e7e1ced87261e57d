import { DomainError } from '../domain/errors.ts';
import type { Actor } from './context.ts';

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
