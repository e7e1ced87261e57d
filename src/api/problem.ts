import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, ResponseSerializationError } from 'fastify-type-provider-zod';
import { DomainError, type DomainErrorCode, type FieldIssue } from '../domain/errors.ts';
import type { Problem } from '../contracts/common.ts';

/** The one table from domain error codes to HTTP statuses. */
const STATUS: Readonly<Record<DomainErrorCode, number>> = {
  invalid_input: 400,
  unauthenticated: 401,
  not_allowed: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  precondition_required: 428,
  too_many_requests: 429,
};

const TITLES: Readonly<Record<string, string>> = {
  invalid_input: 'Invalid input',
  unauthenticated: 'Sign-in required',
  not_allowed: 'Not allowed',
  not_found: 'Not found',
  conflict: 'Conflict',
  precondition_failed: 'Precondition failed',
  precondition_required: 'Precondition required',
  too_many_requests: 'Too many requests',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  unknown: 'Internal error',
};

function problem(req: FastifyRequest, status: number, code: string, detail: string, errors: FieldIssue[]): Problem {
  return { type: `https://concord.example/problems/${code}`, title: TITLES[code] ?? code, status, detail, code, errors, instance: req.url, requestId: String(req.id) };
}

/** Sends a problem document (RFC 9457). */
export function sendProblem(req: FastifyRequest, reply: FastifyReply, status: number, code: string, detail: string, errors: FieldIssue[] = []) {
  return reply.code(status).type('application/problem+json').send(problem(req, status, code, detail, errors));
}

/** Turns a zod issue path into a JSON pointer under the request part it came from. */
function pointer(part: string, path: readonly PropertyKey[]): string {
  const tail = path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
  const prefix = part === 'body' ? '' : `/${part}`;
  return tail ? `${prefix}/${tail}` : prefix || '/';
}

/** The error handler: domain errors by the table, validation errors field by field, anything else a logged 500. */
export function handleError(error: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  if (error instanceof DomainError) {
    return sendProblem(req, reply, STATUS[error.code], error.code, error.message, error.issues);
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const part = error.validationContext ?? 'body';
    const errors = error.validation.map((v) => ({
      path: pointer(part, v.instancePath.split('/').filter(Boolean)),
      message: v.message ?? 'invalid',
    }));
    return sendProblem(req, reply, 400, 'invalid_input', `the request ${part} is invalid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, errors);
  }
  if (error instanceof ResponseSerializationError) {
    req.log.error({ err: error, requestId: req.id }, 'response did not match its schema');
    return sendProblem(req, reply, 500, 'unknown', 'unknown error');
  }
  const status = error.statusCode ?? 500;
  if (status === 413) return sendProblem(req, reply, 413, 'payload_too_large', 'the request body is larger than this server accepts');
  if (status === 415) return sendProblem(req, reply, 415, 'unsupported_media_type', error.message);
  if (status >= 400 && status < 500) {
    const code = status === 429 ? 'too_many_requests' : status === 404 ? 'not_found' : 'invalid_input';
    return sendProblem(req, reply, status, code, error.message);
  }
  req.log.error({ err: error, requestId: req.id }, 'unhandled error');
  return sendProblem(req, reply, 500, 'unknown', 'unknown error');
}
