import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.ts';

/** The roles of DESIGN.md: what a user does decides what they may see. */
export const ROLES = ['coordinator', 'recipient', 'donor', 'industry', 'observer'] as const;
export type Role = (typeof ROLES)[number];

/** Who is acting: a signed-in user, a machine token, or Concord itself (CLI, demo loader). */
export interface Actor {
  id: string;
  role: Role;
  /** The nation the actor speaks for (donor, industry, recipient); null for coordinators and observers. */
  nation: string | null;
  kind: 'user' | 'token' | 'system';
  /**
   * Whether changes must name the version they apply to (If-Match): set for requests over HTTP, where two
   * people may edit one record; left out by the CLI and imports, which run on the operator's machine.
   */
  requireVersion?: boolean;
}

/** Concord acting on its own behalf: the CLI on the operator's machine, migrations, the demo loader. */
export const SYSTEM_ACTOR: Actor = { id: 'system', role: 'coordinator', nation: null, kind: 'system' };

/** What every use case needs: the database. Services take it as their first argument. */
export interface ServiceDeps {
  db: Kysely<Database>;
}

export type Tx = Transaction<Database>;
