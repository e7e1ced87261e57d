import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../store/testing/test-db.ts';
import type { DbHandle } from '../../store/db.ts';
import { SYSTEM_ACTOR } from '../context.ts';
import { createUser, disableUser } from './users.ts';
import { firstStartHint } from './first-start.ts';

describe.each(testBackends())('firstStartHint on $name', (backend) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await backend.open();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('explains how to create the first coordinator until an enabled one exists', async () => {
    const hint = await firstStartHint({ db: h.db }, { dbFlag: 'data/other' });
    expect(hint).toContain('concord user add <username> --role coordinator --db data/other');
    await createUser({ db: h.db }, SYSTEM_ACTOR, { username: 'first-coordinator', role: 'coordinator', password: 'a long enough password' });
    expect(await firstStartHint({ db: h.db })).toBeNull();
    await disableUser({ db: h.db }, SYSTEM_ACTOR, 'first-coordinator');
    expect(await firstStartHint({ db: h.db })).toContain('--role coordinator');
  });
});
