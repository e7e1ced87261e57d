import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../services/audit.ts';
import * as repo from '../store/idempotency.repository.ts';
import { sendProblem } from './problem.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The Idempotency-Key this request claimed, to complete with its response. */
    idempotencyKey?: string;
  }
}

const HEADER = 'idempotency-key';
/** A claimed key whose request has not finished after this long is taken to be abandoned. */
const ABANDONED_AFTER_S = 300;

function requestHash(req: FastifyRequest): string {
  return createHash('sha256').update(`${req.method} ${req.url}\n${canonicalJson(req.body ?? null)}`).digest('hex');
}

/**
 * Idempotency-Key on POSTs: the first request with a key runs and its response is kept; a retry with the
 * same key and body gets that response again (nothing runs twice), one while the first is still running
 * gets 409, and one with a different body gets 422. Keys are per user. A 5xx response is not kept, so a
 * retry after a server failure runs again.
 */
export function installIdempotency(app: FastifyInstance): void {
  let claims = 0;
  app.addHook('preHandler', async (req, reply) => {
    if (req.method !== 'POST' || !req.actor) return;
    const key = req.headers[HEADER];
    if (key === undefined) return;
    if (typeof key !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(key)) {
      return sendProblem(req, reply, 400, 'invalid_input', 'Idempotency-Key must be 1 to 200 visible ASCII characters', [{ path: '/headers/idempotency-key', message: 'malformed' }]);
    }
    const db = app.deps.db;
    const hash = requestHash(req);
    const row = { key, userId: req.actor.id, method: req.method, path: req.url.split('?')[0] ?? req.url, requestHash: hash };
    if (await repo.claimIdempotencyKey(db, row)) {
      req.idempotencyKey = key;
      // Keys are kept a day: every 500th new key sweeps out the older ones.
      if (++claims % 500 === 1) await repo.pruneIdempotencyKeys(db);
      return;
    }
    const existing = await repo.findIdempotencyKey(db, req.actor.id, key);
    if (!existing) return sendProblem(req, reply, 409, 'conflict', 'a request with this Idempotency-Key is in progress; retry shortly');
    if (existing.requestHash !== hash) {
      return sendProblem(req, reply, 422, 'invalid_input', 'this Idempotency-Key was used for a different request; use a new key for a new request', [{ path: '/headers/idempotency-key', message: 'reused' }]);
    }
    if (existing.status === null) {
      if (await repo.releaseAbandonedKey(db, req.actor.id, key, ABANDONED_AFTER_S) && (await repo.claimIdempotencyKey(db, row))) {
        req.idempotencyKey = key;
        return;
      }
      return sendProblem(req, reply, 409, 'conflict', 'a request with this Idempotency-Key is in progress; retry shortly');
    }
    reply.header('idempotent-replayed', 'true');
    const body = existing.responseBody ?? '';
    const type = body.startsWith('{') || body.startsWith('[') ? (existing.status >= 400 ? 'application/problem+json' : 'application/json; charset=utf-8') : 'text/plain; charset=utf-8';
    return reply.code(existing.status).type(type).send(body);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const key = req.idempotencyKey;
    if (!key) return payload;
    req.idempotencyKey = undefined;
    const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
    if (reply.statusCode >= 500 || text === null) await repo.releaseIdempotencyKey(app.deps.db, req.actor.id, key);
    else await repo.completeIdempotencyKey(app.deps.db, req.actor.id, key, reply.statusCode, text);
    return payload;
  });
}
