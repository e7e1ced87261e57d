export const MEETING_KINDS = ['contact-group', 'council', 'ministerial', 'summit'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];

/** A meeting where pledges are announced and gaps discussed. */
export interface Meeting {
  id: string;
  kind: MeetingKind;
  title: string;
  /** ISO date. */
  date: string;
  location: string;
  /** Nation codes attending. */
  attendees: string[];
  notes: string;
  version: number;
}
