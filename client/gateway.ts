/**
 * The HTTP gateway an HR app calls: starts onboardings (idempotently), reports their progress,
 * approves or rejects them. Every request but the health checks and the OpenAPI document is
 * HMAC-signed (client/gateway/signature.ts): a POST's raw body, a GET's request target, verified
 * before anything is parsed or sent to Temporal. client/openapi.yaml documents it.
 *
 * Logs carry workflow ids, status codes and refusal reasons, never a hire's data or the secret.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { z } from 'zod';
import { onboardingWorkflowId } from '../workflows/definitions.js';
import type { NewHireIssue } from '../workflows/new-hire.js';
import { loadOpenApiDocument } from './gateway/openapi.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from './gateway/signature.js';
import {
  InvalidNewHireError,
  NoWorkerAnswerError,
  OnboardingNotFoundError,
  OnboardingRefusedError,
  type OnboardingClient,
} from './onboarding-client.js';

export interface GatewayOptions {
  onboardings: OnboardingClient;
  /** Shared with the HR system; signs every request that reads or changes an onboarding. */
  secret: string;
  /** How far a request's timestamp may be from `now`: the replay window. */
  maxSkewSeconds?: number;
  /** Milliseconds since the epoch; tests move the clock. */
  now?: () => number;
  logger?: FastifyServerOptions['logger'];
}

/** An expected refusal: its status code and what the caller is told. */
class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly issues?: NewHireIssue[],
  ) {
    super(message);
  }
}

const ApprovalSchema = z.object({ by: z.string().trim().min(1, 'by is required: who approves') });
const RejectionSchema = z.object({ by: z.string().trim().min(1, 'by is required: who rejects'), reason: z.string().optional() });

type IdParams = { Params: { id: string }; Body: Buffer | undefined };

export function createGateway({ onboardings, secret, maxSkewSeconds = 300, now = Date.now, logger = false }: GatewayOptions): FastifyInstance {
  const app = Fastify({ logger });
  const openApi = loadOpenApiDocument();

  // Keep JSON bodies as raw bytes: the MAC is over the bytes sent, and nothing is parsed before
  // the signature holds. Any other media type (text/plain included) is 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  /**
   * preHandler of every request but health and the document: a refused request gets 401 and
   * reaches no handler. A GET has no body: its signed part is the request target as sent.
   */
  async function requireSignature(request: FastifyRequest, reply: FastifyReply) {
    const signed = request.method === 'GET' ? Buffer.from(request.url) : Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const verdict = verifySignature(
      {
        timestamp: request.headers[TIMESTAMP_HEADER],
        signature: request.headers[SIGNATURE_HEADER],
        rawBody: signed,
      },
      secret,
      { nowSeconds: Math.floor(now() / 1000), maxSkewSeconds },
    );
    if (!verdict.ok) {
      request.log.warn({ reason: verdict.reason }, 'request refused: signature');
      return reply.code(401).send({ error: `unauthorized: ${verdict.reason}` });
    }
  }

  app.post<{ Body: Buffer | undefined }>('/onboardings', { preHandler: requireSignature }, async (request, reply) => {
    const { workflowId, started } = await onboardings.start(parseJson(request.body));
    request.log.info({ workflowId, started }, started ? 'onboarding started' : 'onboarding already exists: nothing started');
    if (started) reply.code(201).header('location', `/onboardings/${encodeURIComponent(workflowId)}`);
    return { workflowId, started };
  });

  app.get<IdParams>('/onboardings/:id', { preHandler: requireSignature }, async (request) => {
    const { workflowId, workflowStatus, progress } = await onboardings.view(request.params.id);
    return { workflowId, workflowStatus, progress };
  });

  app.get<{ Querystring: { employeeId?: string } }>('/onboardings', { preHandler: requireSignature }, async (request) => {
    const employeeId = request.query.employeeId?.trim();
    if (!employeeId) throw new HttpError(400, 'employeeId is required', [{ field: 'employeeId', message: 'is required' }]);
    const { workflowId, workflowStatus, progress } = await onboardings.view(onboardingWorkflowId(employeeId));
    return { workflowId, workflowStatus, progress };
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const problem = await onboardings.unreachable();
    if (problem) return reply.code(503).send({ error: problem });
    return { status: 'ready' };
  });

  // Decisions go as updates: the workflow's validator refuses (409, with its reason) before
  // anything is written, so there is no read-then-signal race.
  app.post<IdParams>('/onboardings/:id/approve', { preHandler: requireSignature }, async (request) => {
    const workflowId = request.params.id;
    const { by } = parseBody(ApprovalSchema, request.body);
    const message = await onboardings.approve(workflowId, { by });
    request.log.info({ workflowId }, 'onboarding approved');
    return { workflowId, approved: true, message };
  });

  app.post<IdParams>('/onboardings/:id/reject', { preHandler: requireSignature }, async (request, reply) => {
    const workflowId = request.params.id;
    const { by, reason } = parseBody(RejectionSchema, request.body);
    const message = await onboardings.reject(workflowId, { by, ...(reason && { reason }) });
    request.log.info({ workflowId }, 'onboarding rejected: rollback follows');
    return reply.code(202).send({ workflowId, rejected: true, message });
  });

  app.get('/openapi.json', async () => openApi);

  app.setErrorHandler((err: Error & { statusCode?: number }, request, reply) => {
    if (err instanceof InvalidNewHireError) err = new HttpError(400, 'invalid new hire', err.issues);
    if (err instanceof OnboardingNotFoundError) err = new HttpError(404, err.message);
    if (err instanceof OnboardingRefusedError) err = new HttpError(409, err.reason);
    if (err instanceof HttpError) {
      request.log.info({ statusCode: err.statusCode, fields: err.issues?.map((i) => i.field) }, err.message);
      return reply.code(err.statusCode).send({ error: err.message, ...(err.issues && { issues: err.issues }) });
    }
    if (err instanceof NoWorkerAnswerError) {
      request.log.error('no worker answered in time');
      return reply.code(504).send({ error: 'no onboarding worker answered in time; retry later' });
    }
    // Fastify's own refusals (415, 413, ...) keep their status.
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return reply.code(err.statusCode).send({ error: err.message });
    logUnexpected(request.log, err);
    return reply.code(500).send({ error: 'internal error' });
  });

  return app;
}

function parseJson(body: Buffer | undefined): unknown {
  try {
    return JSON.parse(body?.toString('utf8') ?? '');
  } catch (err) {
    throw new HttpError(400, 'body is not valid JSON', [{ field: '(body)', message: (err as Error).message }]);
  }
}

function parseBody<T>(schema: z.ZodType<T>, body: Buffer | undefined): T {
  const parsed = schema.safeParse(parseJson(body));
  if (parsed.success) return parsed.data;
  throw new HttpError(
    400,
    'invalid body',
    parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message })),
  );
}

/** The error's name and message, not the request: a Temporal error never carries the hire's data. */
function logUnexpected(log: FastifyBaseLogger, err: Error) {
  log.error({ err: { name: err.name, message: err.message, cause: (err.cause as Error | undefined)?.message } }, 'request failed');
}
