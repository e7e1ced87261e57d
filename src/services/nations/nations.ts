import { DomainError, invalidInput, notFound, type FieldIssue } from '../../domain/errors.ts';
import { inFairShareKey, type NationKind, type Participation } from '../../domain/nations/nation.ts';
import type { Nation, NationCreate, NationDetail, NationEconomy, NationEconomyPut, NationList, NationListQuery, NationUpdate } from '../../contracts/nations.ts';
import {
  findEconomy,
  findNation,
  insertNation,
  listEconomies,
  listNationRows,
  updateNationRow,
  upsertEconomy,
  type NationEconomyRow,
  type NationWithLatestRow,
} from '../../store/nation.repository.ts';
import type { Actor, ServiceDeps, Tx } from '../context.ts';
import { runUseCase } from '../use-case.ts';
import { recordChange } from '../audit.ts';
import { checkVersion } from '../versions.ts';

/** Shapes one year's figures of a nation. */
export function presentEconomy(row: Omit<NationEconomyRow, 'nation'>): NationEconomy {
  return {
    year: row.year,
    gdpUsdMillion: row.gdpUsdMillion,
    defenceUsdMillion: row.defenceUsdMillion,
    defencePctGdp: row.defencePctGdp,
    source: row.source,
  };
}

/** Shapes a stored nation with its latest figures. */
export function presentNation(row: NationWithLatestRow): Nation {
  const kind = row.kind as NationKind;
  const participation = row.participation as Participation;
  return {
    code: row.code,
    name: row.name,
    kind,
    participation,
    natoAccessionYear: row.natoAccessionYear,
    inFairShareKey: inFairShareKey({ kind, participation }),
    source: row.source,
    latestEconomy:
      row.ecoYear === null || row.ecoGdpUsdMillion === null
        ? null
        : presentEconomy({
            year: row.ecoYear,
            gdpUsdMillion: row.ecoGdpUsdMillion,
            defenceUsdMillion: row.ecoDefenceUsdMillion,
            defencePctGdp: row.ecoDefencePctGdp,
            source: row.ecoSource ?? '',
          }),
    version: row.version,
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

async function readNationDetail(tx: Tx, code: string): Promise<NationDetail> {
  const [row] = await listNationRows(tx, { code });
  if (!row) throw notFound('nation', code);
  const economies = await listEconomies(tx, code);
  return { ...presentNation(row), economies: economies.map(presentEconomy) };
}

/** The rule that ties kind and NATO accession year: allies have one, partners none. */
function accessionIssues(kind: string, year: number | null): FieldIssue[] {
  if (kind === 'ally' && year === null) return [{ path: '/natoAccessionYear', message: 'an ally needs its NATO accession year' }];
  if (kind !== 'ally' && year !== null) return [{ path: '/natoAccessionYear', message: `a ${kind} has no NATO accession year` }];
  return [];
}

/** Lists nations with their latest GDP and defence figures, filtered and sorted. */
export async function listNations(deps: ServiceDeps, actor: Actor, query: NationListQuery): Promise<NationList> {
  return runUseCase(deps, actor, { entity: 'nation', verb: 'read' }, async (tx) => {
    const rows = await listNationRows(tx, { kind: query.kind, participation: query.participation }, query.sort, query.order);
    return { items: rows.map(presentNation) };
  });
}

/** Reads one nation with its figures by year. */
export async function getNation(deps: ServiceDeps, actor: Actor, code: string): Promise<NationDetail> {
  return runUseCase(deps, actor, { entity: 'nation', verb: 'read' }, (tx) => readNationDetail(tx, code));
}

/** Adds a donor nation (an ally or a partner) that joins the coordination. */
export async function createNation(deps: ServiceDeps, actor: Actor, input: NationCreate): Promise<NationDetail> {
  return runUseCase(deps, actor, { entity: 'nation', verb: 'create' }, async (tx) => {
    if (await findNation(tx, input.code)) {
      throw new DomainError('conflict', `nation ${input.code} already exists`, [{ path: '/code', message: 'already exists' }]);
    }
    await insertNation(tx, {
      code: input.code,
      name: input.name,
      kind: input.kind,
      participation: input.participation,
      natoAccessionYear: input.natoAccessionYear ?? null,
      source: input.source,
    });
    const created = await readNationDetail(tx, input.code);
    await recordChange(tx, actor, { entity: 'nation', recordId: input.code, action: 'create', before: null, after: created });
    return created;
  });
}

/** Changes a nation (most often its participation: opting out or back in), refusing a stale version. */
export async function updateNation(deps: ServiceDeps, actor: Actor, code: string, patch: NationUpdate, expectedVersion?: number): Promise<NationDetail> {
  return runUseCase(deps, actor, { entity: 'nation', verb: 'update' }, async (tx) => {
    const row = await findNation(tx, code, true);
    if (!row) throw notFound('nation', code);
    const version = checkVersion('nation', code, row.version, expectedVersion);
    const issues: FieldIssue[] = [];
    if (row.kind === 'recipient') {
      if (patch.kind !== undefined) issues.push({ path: '/kind', message: 'the recipient stays the recipient' });
      if (patch.participation === 'opted-out') issues.push({ path: '/participation', message: 'the recipient cannot opt out of its own assistance' });
    }
    const kind = patch.kind ?? row.kind;
    const year = patch.natoAccessionYear !== undefined ? patch.natoAccessionYear : patch.kind === 'partner' ? null : row.natoAccessionYear;
    if (row.kind !== 'recipient') issues.push(...accessionIssues(kind, year));
    if (issues.length > 0) throw invalidInput(`nation ${code} cannot take these values`, issues);
    const before = await readNationDetail(tx, code);
    const values: Parameters<typeof updateNationRow>[2] = { natoAccessionYear: year };
    if (patch.name !== undefined) values.name = patch.name;
    if (patch.participation !== undefined) values.participation = patch.participation;
    if (patch.kind !== undefined) values.kind = patch.kind;
    if (patch.source !== undefined) values.source = patch.source;
    const updated = await updateNationRow(tx, code, values, version);
    if (!updated) throw new DomainError('precondition_failed', `nation ${code} changed while it was being updated`);
    const after = await readNationDetail(tx, code);
    const action = patch.participation && patch.participation !== row.participation ? `participation:${patch.participation}` : 'update';
    await recordChange(tx, actor, { entity: 'nation', recordId: code, action, before, after });
    return after;
  });
}

/** Defence spending as a share of GDP, in per cent to two decimals. */
function pctOfGdp(defence: number, gdp: number): number {
  return Math.round((defence / gdp) * 10_000) / 100;
}

/** Sets a nation's GDP and defence figures for a year (insert or replace), with their source. */
export async function putNationEconomy(
  deps: ServiceDeps,
  actor: Actor,
  code: string,
  year: number,
  input: NationEconomyPut,
): Promise<{ economy: NationEconomy; created: boolean }> {
  return runUseCase(deps, actor, { entity: 'nation', verb: 'update' }, async (tx) => {
    if (!(await findNation(tx, code))) throw notFound('nation', code);
    const existing = await findEconomy(tx, code, year, true);
    const defence = input.defenceUsdMillion ?? null;
    const pct = input.defencePctGdp !== undefined ? input.defencePctGdp : defence === null ? null : pctOfGdp(defence, input.gdpUsdMillion);
    const row = await upsertEconomy(tx, {
      nation: code,
      year,
      gdpUsdMillion: input.gdpUsdMillion,
      defenceUsdMillion: defence,
      defencePctGdp: pct,
      source: input.source,
    });
    const economy = presentEconomy(row);
    await recordChange(tx, actor, {
      entity: 'nation-economy',
      recordId: `${code}/${year}`,
      action: existing ? 'update' : 'create',
      before: existing ? presentEconomy(existing) : null,
      after: economy,
    });
    return { economy, created: !existing };
  });
}
