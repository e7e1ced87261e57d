import type { FastifyReply, FastifyRequest } from 'fastify';
import { invalidInput } from '../domain/errors.ts';

/** Sends the record's version as a strong ETag. */
export function setEtag(reply: FastifyReply, version: number): void {
  reply.header('etag', `"${version}"`);
}

/** The version the client expects, from `If-Match: "N"`; undefined when the header is absent. */
export function ifMatch(req: FastifyRequest): number | undefined {
  const header = req.headers['if-match'];
  if (header === undefined) return undefined;
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(String(header).trim());
  if (!m) throw invalidInput('If-Match must be the ETag of the record, such as "3"', [{ path: '/headers/if-match', message: 'malformed' }]);
  return Number(m[1]);
}
