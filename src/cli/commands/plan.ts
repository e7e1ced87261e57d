import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { SYSTEM_ACTOR } from '../../services/context.ts';
import { CliError, type CliIo } from '../io.ts';
import { withDb } from '../with-db.ts';
import { solveFile } from '../plan-file.ts';

interface PlanFlags {
  input?: string;
  output?: string;
  db?: string;
  latePenalty?: string;
  notes?: string;
}

/**
 * `concord plan`: with `--input FILE`, solves an allocation problem file with no database; without it,
 * plans from the database and stores the plan as the next version.
 */
export function registerPlan(program: Command, io: CliIo): void {
  program
    .command('plan')
    .description('solve an allocation problem file (--input), or plan from the database')
    .option('--input <file>', 'problem JSON as in the allocation contract; no database is used')
    .option('--output <file>', 'write the solution JSON here (default: standard output)')
    .option('--db <path>', 'embedded database directory (default ./data/db), or a postgres:// URL')
    .option('--late-penalty <n>', 'worth lost per unit and day late, when planning from the database (default 1)')
    .option('--notes <text>', 'a note stored with the plan')
    .action(async (flags: PlanFlags) => {
      if (flags.input) return solveFile(flags.input, flags.output, io);
      return planFromDatabase(flags, io);
    });
}

async function planFromDatabase(flags: PlanFlags, io: CliIo): Promise<void> {
  const penalty = flags.latePenalty === undefined ? 1 : Number(flags.latePenalty);
  if (!Number.isFinite(penalty) || penalty < 0) throw new CliError(`--late-penalty must be a number ≥ 0, not "${flags.latePenalty}"`, 2);
  const { runPlan } = await import('../../services/plans/plans.ts');
  await withDb(flags, io, async (handle) => {
    const plan = await runPlan({ db: handle.db }, SYSTEM_ACTOR, { latePenaltyPerDay: penalty, notes: flags.notes ?? '' });
    if (flags.output) await writeFile(flags.output, `${JSON.stringify(plan, null, 2)}\n`);
    const byReason = new Map<string, { lines: number; quantity: number }>();
    for (const u of plan.unmet) {
      const r = byReason.get(u.reason) ?? { lines: 0, quantity: 0 };
      r.lines += 1;
      r.quantity += u.quantity;
      byReason.set(u.reason, r);
    }
    const recommendations = plan.allocations.filter((a) => a.recommendation).length;
    io.out(
      [
        `${plan.id}: ${plan.requirementCount} requirements, ${plan.supplyCount} tranches; objective ${plan.objective}; solved in ${plan.solveMs.toFixed(0)} ms`,
        `allocated ${plan.allocatedQuantity} units in ${plan.allocations.length} lines (${recommendations} are recommendations to bilateral or opted-out donors); unmet ${plan.unmetQuantity} units`,
        ...[...byReason].map(([reason, r]) => `  unmet, ${reason}: ${r.lines} requirements, ${r.quantity} units`),
        flags.output ? `plan written to ${flags.output}` : `details: GET /api/plans/${plan.id}`,
      ].join('\n'),
    );
  });
}
