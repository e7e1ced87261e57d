import { DomainError, invalidInput, notFound } from '../../domain/errors.ts';
import type { MeetingKind } from '../../domain/meetings/meeting.ts';
import type { Meeting, MeetingCreate, MeetingDetail, MeetingListQuery, MeetingNextQuery, MeetingPage, MeetingUpdate } from '../../contracts/meetings.ts';
import type { CapabilityArea } from '../../domain/catalog/catalog.ts';
import {
  countMeetingPledges,
  findMeeting,
  findNextMeeting,
  insertMeeting,
  listMeetingRows,
  MEETING_SORT_COLUMNS,
  nextMeetingId,
  updateMeetingRow,
  type MeetingRow,
} from '../../store/meeting.repository.ts';
import { unknownNationCodes } from '../../store/nation.repository.ts';
import type { Actor, ServiceDeps, Tx } from '../context.ts';
import { runUseCase } from '../use-case.ts';
import { recordChange } from '../audit.ts';
import { checkVersion } from '../versions.ts';

/** Today's date in UTC, `YYYY-MM-DD`. */
function todayIso(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Shapes a stored meeting. */
export function presentMeeting(row: MeetingRow): Meeting {
  return {
    id: row.id,
    kind: row.kind as MeetingKind,
    title: row.title,
    date: row.date,
    location: row.location,
    attendees: row.attendees,
    notes: row.notes,
    version: row.version,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

async function presentMeetingDetail(tx: Tx, row: MeetingRow): Promise<MeetingDetail> {
  const counts = await countMeetingPledges(tx, row.id);
  return {
    ...presentMeeting(row),
    pledges: {
      count: counts.count,
      withdrawn: counts.withdrawn,
      byCapabilityArea: counts.byCapabilityArea.map((c) => ({ capabilityArea: c.capabilityArea as CapabilityArea | null, count: c.count })),
    },
  };
}

/** Refuses attendees that name no nation, one issue per unknown code. */
async function checkAttendees(tx: Tx, attendees: readonly string[]): Promise<void> {
  const unknown = await unknownNationCodes(tx, attendees);
  if (unknown.size === 0) return;
  throw invalidInput('the meeting names nations that do not exist', attendees.flatMap((c, i) => (unknown.has(c) ? [{ path: `/attendees/${i}`, message: `unknown nation ${c}` }] : [])));
}

/** Records a meeting where pledges are announced and gaps discussed. */
export async function createMeeting(deps: ServiceDeps, actor: Actor, input: MeetingCreate): Promise<MeetingDetail> {
  return runUseCase(deps, actor, { entity: 'meeting', verb: 'create' }, async (tx) => {
    await checkAttendees(tx, input.attendees);
    if (input.id && (await findMeeting(tx, input.id))) {
      throw new DomainError('conflict', `meeting ${input.id} already exists`, [{ path: '/id', message: 'already exists' }]);
    }
    const id = input.id ?? (await nextMeetingId(tx));
    const row = await insertMeeting(tx, {
      id,
      kind: input.kind,
      title: input.title,
      date: input.date,
      location: input.location,
      attendees: input.attendees,
      notes: input.notes,
    });
    const created = presentMeeting(row);
    await recordChange(tx, actor, { entity: 'meeting', recordId: id, action: 'create', before: null, after: created });
    return presentMeetingDetail(tx, row);
  });
}

/** Reads one meeting with the pledges announced there, counted by capability area. */
export async function getMeeting(deps: ServiceDeps, actor: Actor, id: string): Promise<MeetingDetail> {
  // Counts over every pledge announced there, whoever may see the lines: an aggregate read.
  return runUseCase(deps, actor, { entity: 'meeting', verb: 'read', scope: 'aggregate' }, async (tx) => {
    const row = await findMeeting(tx, id);
    if (!row) throw notFound('meeting', id);
    return presentMeetingDetail(tx, row);
  });
}

/** The next meeting on or after a date (today by default): what a brief is prepared for. */
export async function getNextMeeting(deps: ServiceDeps, actor: Actor, query: MeetingNextQuery): Promise<MeetingDetail> {
  return runUseCase(deps, actor, { entity: 'meeting', verb: 'read', scope: 'aggregate' }, async (tx) => {
    const after = query.after ?? todayIso();
    const row = await findNextMeeting(tx, after, query.kind);
    if (!row) throw new DomainError('not_found', `no meeting is planned on or after ${after}`);
    return presentMeetingDetail(tx, row);
  });
}

/** Changes a meeting, refusing a stale version. */
export async function updateMeeting(deps: ServiceDeps, actor: Actor, id: string, patch: MeetingUpdate, expectedVersion?: number): Promise<MeetingDetail> {
  return runUseCase(deps, actor, { entity: 'meeting', verb: 'update' }, async (tx) => {
    const row = await findMeeting(tx, id, true);
    if (!row) throw notFound('meeting', id);
    const version = checkVersion('meeting', id, row.version, expectedVersion);
    if (patch.attendees) await checkAttendees(tx, patch.attendees);
    const updated = await updateMeetingRow(tx, id, { ...patch }, version);
    if (!updated) throw new DomainError('precondition_failed', `meeting ${id} changed while it was being updated`);
    const after = presentMeeting(updated);
    await recordChange(tx, actor, { entity: 'meeting', recordId: id, action: 'update', before: presentMeeting(row), after });
    return presentMeetingDetail(tx, updated);
  });
}

/** Lists meetings by kind and date range, sorted and paged with a cursor. */
export async function listMeetings(deps: ServiceDeps, actor: Actor, query: MeetingListQuery): Promise<MeetingPage> {
  return runUseCase(deps, actor, { entity: 'meeting', verb: 'read' }, async (tx) => {
    const page = await listMeetingRows(
      tx,
      query,
      { sortColumn: MEETING_SORT_COLUMNS[query.sort], order: query.order, limit: query.limit, cursor: query.cursor },
      (row) => row[query.sort],
    );
    return { items: page.items.map(presentMeeting), nextCursor: page.nextCursor };
  });
}
