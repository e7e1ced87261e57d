import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testBackends } from '../testing/test-db.ts';
import type { DbHandle } from '../db.ts';

/** Migration 0011-rls-functions: the label check gives the answers of 0005's, the helpers are parallel safe. */
describe.each(testBackends())('row-level security helpers on $name', (backend) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await backend.open();
  });
  afterAll(async () => {
    await h?.close();
  });

  const valid = async (labels: string[] | null | Array<string | null>) =>
    (await sql<{ ok: boolean }>`select concord_labels_valid(${labels}::text[]) as ok`.execute(h.db)).rows[0]!.ok;

  it.each([
    [['owner', 'coordinators', 'recipient'], true],
    [['owner'], true],
    [['all participants'], true],
    [['owner', 'REL TO DEU', 'REL TO POL'], true],
    [[], false],
    [null, false],
    [['owner', null], false],
    [['owner', 'NOFORN-ish'], false],
    [['REL TO DE'], false],
    [['REL TO deu'], false],
    [['REL TO DEUX'], false],
    [['owner '], false],
    [[''], false],
    // A label smuggling the separator would pass a naive join: refused, as 0005 refused it.
    [['owner|coordinators'], false],
    [['owner|coordinators', 'recipient'], false],
    [['owner', 'coordinators|'], false],
  ] as Array<[Array<string | null> | null, boolean]>)('concord_labels_valid(%j) = %s', async (labels, expected) => {
    expect(await valid(labels)).toBe(expected);
  });

  it('declares every helper parallel safe', async () => {
    const rows = (
      await sql<{ name: string; parallel: string }>`select proname as name, proparallel as parallel from pg_proc where proname in ('concord_labels_valid', 'concord_line_visible', 'concord_line_writable', 'concord_reads_all') and pronamespace = current_schema()::regnamespace order by proname`.execute(h.db)
    ).rows;
    expect(rows).toEqual([
      { name: 'concord_labels_valid', parallel: 's' },
      { name: 'concord_line_visible', parallel: 's' },
      { name: 'concord_line_writable', parallel: 's' },
      { name: 'concord_reads_all', parallel: 's' },
    ]);
  });
});
