import { z } from 'zod';
import { MEETING_KINDS } from '../domain/meetings/meeting.ts';
import { CapabilityArea, ExternalId, IsoDate, NationCode, Page, PageParams, csvList } from './common.ts';

export const MeetingKind = z.enum(MEETING_KINDS);

const Attendees = z.array(NationCode).max(200).refine((a) => new Set(a).size === a.length, 'lists a nation twice');

/** A new meeting. */
export const MeetingCreate = z.strictObject({
  id: ExternalId.refine((id) => id !== 'next', '"next" is reserved').optional().describe('External id; generated as M-nnnnnn when left out'),
  kind: MeetingKind,
  title: z.string().trim().min(1, 'must not be empty').max(300),
  date: IsoDate,
  location: z.string().max(300).default(''),
  /** Nation codes attending. */
  attendees: Attendees.default([]).describe('Nation codes attending'),
  notes: z.string().max(5000).default(''),
});
export type MeetingCreate = z.infer<typeof MeetingCreate>;

export const MeetingUpdate = z.strictObject({
  kind: MeetingKind.optional(),
  title: z.string().trim().min(1, 'must not be empty').max(300).optional(),
  date: IsoDate.optional(),
  location: z.string().max(300).optional(),
  attendees: Attendees.optional(),
  notes: z.string().max(5000).optional(),
});
export type MeetingUpdate = z.infer<typeof MeetingUpdate>;

export const Meeting = z.object({
  id: z.string(),
  kind: MeetingKind,
  title: z.string(),
  date: z.string(),
  location: z.string(),
  attendees: z.array(z.string()),
  notes: z.string(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Meeting = z.infer<typeof Meeting>;

/** A meeting with what was announced there. */
export const MeetingDetail = Meeting.extend({
  pledges: z
    .object({
      count: z.number().describe('Pledge lines announced at the meeting, withdrawn ones included'),
      withdrawn: z.number(),
      byCapabilityArea: z.array(z.object({ capabilityArea: CapabilityArea.nullable().describe('null for funding pledges'), count: z.number() })),
    })
    .describe('Pledges announced at the meeting'),
});
export type MeetingDetail = z.infer<typeof MeetingDetail>;

export const MEETING_SORTS = ['date', 'title', 'id'] as const;

export const MeetingListQuery = z.strictObject({
  ...PageParams,
  sort: z.enum(MEETING_SORTS).default('date'),
  kind: csvList(MeetingKind).optional(),
  from: IsoDate.optional().describe('Meetings on or after this date'),
  to: IsoDate.optional().describe('Meetings on or before this date'),
});
export type MeetingListQuery = z.infer<typeof MeetingListQuery>;

export const MeetingNextQuery = z.strictObject({
  after: IsoDate.optional().describe('The first meeting on or after this date; today when left out'),
  kind: csvList(MeetingKind).optional(),
});
export type MeetingNextQuery = z.infer<typeof MeetingNextQuery>;

export const MeetingPage = Page(Meeting);
export type MeetingPage = z.infer<typeof MeetingPage>;
