import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CliError, intFlag, type CliIo } from '../io.ts';
import { withDb } from '../with-db.ts';
import { isIsoDate } from '../../domain/dates.ts';

const KINDS = ['coverage', 'gaps', 'forecast', 'delays', 'burden', 'brief', 'outcome'] as const;
const FORMATS = ['md', 'pdf', 'xlsx', 'csv', 'json'] as const;

interface ReportFlags {
  meeting?: string;
  year?: string;
  target?: string;
  currency?: string;
  format?: string;
  output?: string;
  asOf?: string;
  limit?: string;
  horizon?: string;
  runs?: string;
  seed?: string;
  groups?: string;
  whatIf?: string[];
  db?: string;
}

const WHAT_IF = /^[A-Z]{3}(\/[a-z0-9][a-z0-9.-]{0,62})?:([+-]\d{1,4}|remove)$/;
const list = (value: string, previous: string[] = []) => [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];

/** `concord report <coverage|gaps|forecast|delays|burden|brief|outcome>`: a report as Markdown, PDF, XLSX, CSV or JSON. */
export function registerReport(program: Command, io: CliIo): void {
  program
    .command('report')
    .description(`produce a report: ${KINDS.join(', ')}`)
    .argument('<kind>', KINDS.join(' | '))
    .option('--meeting <id>', 'meeting of a brief or outcome (default: the next meeting for a brief, the last one for an outcome)')
    .option('--year <y>', 'year of the burden-sharing figures (default: this year)')
    .option('--target <amount>', 'annual target in major units (default 40000000000)')
    .option('--currency <code>', 'EUR or USD (default EUR)')
    .option('--format <format>', `${FORMATS.join(', ')} (default md)`)
    .option('--output <file>', 'write here (required for pdf and xlsx)')
    .option('--as-of <date>', 'the date figures are taken at (default today)')
    .option('--limit <n>', 'coverage and gaps: rows of requirements listed (default 200 and 1000; totals count every row)')
    .option('--horizon <days>', 'forecast: days projected (default 180)')
    .option('--runs <n>', 'forecast: Monte Carlo runs, 0 for the projection without slippage only (default 1000)')
    .option('--seed <n>', 'forecast: seed of the runs; the same seed gives the same figures (default 1)')
    .option('--groups <list>', 'forecast: comma-separated groups (default every group with a stock report)')
    .option('--what-if <change>', 'forecast: DEU:+30 delays DEU’s tranches 30 days, DEU:-15 brings them forward, USA/155mm-he:remove drops them; repeat or separate with commas', list)
    .option('--db <path>', 'embedded database directory (default ./data/db), or a postgres:// URL')
    .action(async (kind: string, flags: ReportFlags) => {
      if (!(KINDS as readonly string[]).includes(kind)) throw new CliError(`unknown report "${kind}"; choose one of ${KINDS.join(', ')}`, 2);
      const format = (flags.format ?? 'md') as (typeof FORMATS)[number];
      if (!(FORMATS as readonly string[]).includes(format)) throw new CliError(`--format must be one of ${FORMATS.join(', ')}, not "${flags.format}"`, 2);
      if ((format === 'pdf' || format === 'xlsx') && !flags.output) throw new CliError(`a ${format} report is a binary file: give --output FILE`, 2);
      const currency = (flags.currency ?? 'EUR').toUpperCase();
      const target = flags.target === undefined ? undefined : Number(flags.target);
      if (target !== undefined && !(Number.isFinite(target) && target > 0)) throw new CliError(`--target must be a positive amount, not "${flags.target}"`, 2);
      if (flags.asOf !== undefined && !isIsoDate(flags.asOf)) throw new CliError(`--as-of must be a calendar date written YYYY-MM-DD, not "${flags.asOf}"`, 2);
      const year = intFlag('year', flags.year, { min: 2000, max: 2100 }) ?? new Date().getUTCFullYear();
      const limit = intFlag('limit', flags.limit, { min: 1, max: 100_000 });
      const forecastFlags = {
        ...(flags.horizon !== undefined ? { horizon: intFlag('horizon', flags.horizon, { min: 1, max: 3660 })! } : {}),
        ...(flags.runs !== undefined ? { runs: intFlag('runs', flags.runs, { min: 0, max: 20_000 })! } : {}),
        ...(flags.seed !== undefined ? { seed: intFlag('seed', flags.seed, { min: 0, max: 2 ** 31 - 1 })! } : {}),
        ...(flags.groups !== undefined ? { groups: list(flags.groups) } : {}),
        ...(flags.whatIf !== undefined ? { whatIf: flags.whatIf } : {}),
      };
      for (const w of flags.whatIf ?? []) {
        if (!WHAT_IF.test(w)) throw new CliError(`--what-if "${w}" must read DONOR:+30, DONOR:-15, DONOR:remove or DONOR/group:+30`, 2);
      }
      if (kind !== 'forecast' && Object.keys(forecastFlags).length > 0) throw new CliError(`--horizon, --runs, --seed, --groups and --what-if apply to the forecast report only`, 2);
      if (limit !== undefined && kind !== 'coverage' && kind !== 'gaps') throw new CliError(`--limit applies to the coverage and gaps reports only`, 2);
      const { burdenJson, burdenReport, coverageReport, delaysReport, forecastReport, gapsReport, meetingBrief, meetingOutcome } = await import('../../services/reports/reports.ts');
      const { renderReport } = await import('../../services/reports/render/render.ts');
      const { SYSTEM_ACTOR } = await import('../../services/context.ts');
      await withDb(flags, io, async (handle) => {
        const deps = { db: handle.db };
        let body: Buffer;
        if (kind === 'burden') {
          const { report, document } = await burdenReport(deps, SYSTEM_ACTOR, { year, currency, ...(target !== undefined ? { target } : {}) });
          body = format === 'json' ? Buffer.from(`${JSON.stringify(burdenJson(report), null, 2)}\n`) : await renderReport(document, format);
        } else if (kind === 'coverage' || kind === 'gaps' || kind === 'forecast' || kind === 'delays') {
          const asOf = flags.asOf ? { asOf: flags.asOf } : {};
          let data: unknown;
          let document;
          const rows = limit !== undefined ? { limit } : {};
          if (kind === 'coverage') ({ data, document } = await coverageReport(deps, SYSTEM_ACTOR, { ...asOf, currency, ...rows }));
          else if (kind === 'gaps') {
            const { document: d, ...rest } = await gapsReport(deps, SYSTEM_ACTOR, { ...asOf, currency, ...rows });
            [data, document] = [rest, d];
          } else if (kind === 'forecast') ({ forecast: data, document } = await forecastReport(deps, SYSTEM_ACTOR, { ...asOf, ...forecastFlags }));
          else {
            const r = await delaysReport(deps, SYSTEM_ACTOR, { ...asOf, currency });
            [data, document] = [{ ...r.delays, overdue: r.overdue }, r.document];
          }
          body = format === 'json' ? Buffer.from(`${JSON.stringify(data, null, 2)}\n`) : await renderReport(document, format);
        } else {
          const params = { ...(flags.meeting ? { meetingId: flags.meeting } : {}), ...(flags.asOf ? { today: flags.asOf } : {}), currency };
          const doc = kind === 'brief' ? await meetingBrief(deps, SYSTEM_ACTOR, params) : await meetingOutcome(deps, SYSTEM_ACTOR, params);
          body = await renderReport(doc, format);
        }
        if (flags.output) {
          await writeFile(flags.output, body);
          io.err(`${kind} report written to ${flags.output} (${format}, ${body.length.toLocaleString('en-GB')} bytes)`);
        } else io.out(body.toString('utf8'));
      });
    });
}
