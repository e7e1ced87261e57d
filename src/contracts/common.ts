import { z } from 'zod';
import { isIsoDate } from '../domain/dates.ts';
import { CAPABILITY_AREAS } from '../domain/catalog/catalog.ts';

/** A calendar date written `YYYY-MM-DD`. */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine(isIsoDate, 'is not a real calendar date')
  .describe('Calendar date, YYYY-MM-DD');

/** ISO 3166-1 alpha-3 nation code. */
export const NationCode = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 3166 alpha-3 code such as DEU').describe('ISO 3166-1 alpha-3 code');

/** An external id: letters, digits, `_ . -`, up to 64 characters. */
export const ExternalId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1–64 letters, digits, _ . or -');

export const CatalogCode = z.string().regex(/^[a-z0-9][a-z0-9.-]{0,62}$/, 'must be lower-case letters, digits, dots and dashes');

export const CapabilityArea = z.enum(CAPABILITY_AREAS).describe('Capability area');

/** A positive whole number of units, up to 2^53 − 1. */
export const Quantity = z.number().int('must be a whole number').positive('must be positive').max(Number.MAX_SAFE_INTEGER, 'is too large');

/** A free-text tag such as `cross-border`. */
export const Tag = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be a lower-case tag such as cross-border');

export const SortOrder = z.enum(['asc', 'desc']).default('asc');

/** Common list parameters: page size and cursor. */
export const PageParams = {
  limit: z.coerce.number().int().min(1).max(1000).default(100).describe('Rows per page (1–1000)'),
  cursor: z.string().max(500).optional().describe('The nextCursor of the previous page'),
  order: SortOrder.describe('Sort direction'),
};

/** A page of results and the cursor of the next one (null on the last page). */
export function Page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** A comma-separated list in a query string, such as `status=validated,covered`. */
export function csvList<T extends z.ZodType>(item: T) {
  return z.preprocess(
    (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v),
    z.array(item).min(1),
  );
}

/** RFC 9457 problem details, with one entry per invalid field. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string().describe('Stable error code: not_found, invalid_input, conflict, …'),
  errors: z.array(z.object({ path: z.string(), message: z.string() })),
  instance: z.string().optional(),
  requestId: z.string().optional(),
});
export type Problem = z.infer<typeof Problem>;

/** `If-Match`-style version of a record, returned as its ETag. */
export const Version = z.number().int().positive();
