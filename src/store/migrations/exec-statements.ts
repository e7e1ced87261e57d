import { sql, type Kysely } from 'kysely';

/**
 * Runs a migration script one statement at a time: PGlite's extended query protocol takes a single
 * statement per call. Statements end with `;` at the end of a line; none of ours has one inside.
 */
export async function execStatements(db: Kysely<unknown>, script: string): Promise<void> {
  const statements = script
    .split(/;\s*\n/)
    .map((s) => s.trim().replace(/;$/, ''))
    .filter((s) => s.length > 0);
  for (const statement of statements) await sql.raw(statement).execute(db);
}
