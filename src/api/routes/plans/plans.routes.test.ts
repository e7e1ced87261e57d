import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testBackends } from '../../../store/testing/test-db.ts';
import { buildGroup, buildNation, buildPledge, buildRequirement } from '../../../store/testing/factories.ts';
import { buildTestApp } from '../../app.test-helpers.ts';
import type { DbHandle } from '../../../store/db.ts';

describe.each(testBackends())('plans API on $name', (backend) => {
  let h: DbHandle;
  let app: FastifyInstance;
  beforeAll(async () => {
    h = await backend.open();
    app = await buildTestApp(h);
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  describe('POST /api/plans', () => {
    it('allocates committed tranches to validated requirements by priority, marks bilateral advice, and diffs versions', async () => {
      const g = await buildGroup(h.db, { code: 'plan-155' });
      await buildNation(h.db, { code: 'DEU' });
      await buildNation(h.db, { code: 'HUN', participation: 'opted-out' });
      // P1 needs 600 by March, P3 needs 600 by March; DEU commits 1,000 in two tranches (Feb and Apr).
      await buildRequirement(h.db, { id: 'R-P1', accepts: [g.code], quantity: 600, priority: 1, needBy: '2026-03-01', status: 'validated' });
      await buildRequirement(h.db, { id: 'R-P3', accepts: [g.code], quantity: 600, priority: 3, needBy: '2026-03-01', status: 'validated' });
      await buildRequirement(h.db, { id: 'R-DRAFT', accepts: [g.code], quantity: 600, priority: 1, needBy: '2026-03-01', status: 'draft' });
      await buildPledge(h.db, {
        id: 'P-DEU',
        donor: 'DEU',
        groupCode: g.code,
        quantity: 1000,
        status: 'committed',
        tranches: [
          { quantity: 700, expectedOn: '2026-02-01' },
          { quantity: 300, expectedOn: '2026-04-01' },
        ],
      });
      await buildPledge(h.db, { id: 'P-ANN', donor: 'DEU', groupCode: g.code, quantity: 5000, status: 'announced', tranches: [{ quantity: 5000, expectedOn: '2026-01-01' }] });

      const first = await app.inject({ method: 'POST', url: '/api/plans', payload: {} });
      expect(first.statusCode).toBe(201);
      const plan = first.json();
      // On time: 600 of the February tranche to R-P1 (600 × 1,000), 100 to R-P3 (100 × 10);
      // the April tranche is 31 days late for R-P3: 300 × (10 − 31) < 0, so it stays unused.
      expect(plan.objective).toBe(600 * 1000 + 100 * 10);
      expect(plan.allocations).toEqual([
        { trancheId: 'P-DEU/T1', pledgeId: 'P-DEU', requirementId: 'R-P1', quantity: 600, lateDays: 0, recommendation: false },
        { trancheId: 'P-DEU/T1', pledgeId: 'P-DEU', requirementId: 'R-P3', quantity: 100, lateDays: 0, recommendation: false },
      ]);
      expect(plan.unmet).toEqual([{ requirementId: 'R-P3', quantity: 500, reason: 'outranked' }]);
      expect(plan.requirementCount).toBe(2);
      expect(plan.supplyCount).toBe(2);

      // Hungary (opted out) commits 500 in January: it fills R-P3, as advice to Hungary only.
      await buildPledge(h.db, { id: 'P-HUN', donor: 'HUN', groupCode: g.code, quantity: 500, status: 'committed', tranches: [{ quantity: 500, expectedOn: '2026-01-15' }] });
      const second = (await app.inject({ method: 'POST', url: '/api/plans', payload: { notes: 'after HUN' } })).json();
      expect(second.unmet).toEqual([]);
      const hun = second.allocations.filter((a: { pledgeId: string }) => a.pledgeId === 'P-HUN');
      expect(hun.reduce((s: number, a: { quantity: number }) => s + a.quantity, 0)).toBe(500);
      expect(hun.every((a: { recommendation: boolean }) => a.recommendation)).toBe(true);

      const diff = (await app.inject({ method: 'GET', url: `/api/plans/${plan.id}/diff/${second.id}` })).json();
      expect(diff.objectiveChange).toBe(second.objective - plan.objective);
      expect(diff.nowMet).toEqual([{ requirementId: 'R-P3', before: 500, after: 0 }]);
      expect(diff.newlyUnmet).toEqual([]);
      expect(diff.moved.some((m: { pledgeId: string; before: number }) => m.pledgeId === 'P-HUN' && m.before === 0)).toBe(true);

      const read = await app.inject({ method: 'GET', url: `/api/plans/${second.id}` });
      expect(read.json().fingerprint).toBe(second.fingerprint);
      expect(second.fingerprint).not.toBe(plan.fingerprint);
      const list = (await app.inject({ method: 'GET', url: '/api/plans' })).json();
      expect(list.items.map((p: { id: string }) => p.id)).toEqual([second.id, plan.id]);
    });

    it('refuses a negative late penalty and unknown fields, and answers 404 for an unknown plan', async () => {
      const bad = await app.inject({ method: 'POST', url: '/api/plans', payload: { latePenaltyPerDay: -1, colour: 'red' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors.map((e: { path: string }) => e.path)).toContain('/latePenaltyPerDay');
      expect((await app.inject({ method: 'GET', url: '/api/plans/PLAN-9999' })).statusCode).toBe(404);
      expect((await app.inject({ method: 'GET', url: '/api/plans/PLAN-9999/diff/PLAN-0001' })).statusCode).toBe(404);
    });
  });
});
