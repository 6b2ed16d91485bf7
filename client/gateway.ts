/**
 * The HTTP gateway an HR app calls: starts onboardings (idempotently), reports their progress,
 * approves or rejects them. Every POST is HMAC-signed (client/gateway/signature.ts) and verified
 * on the raw body before anything is parsed or sent to Temporal. client/openapi.yaml documents it.
 *
 * Logs carry workflow ids, status codes and refusal reasons, never a hire's data or the secret.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError, type Client } from '@temporalio/client';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { z } from 'zod';
import { approveUpdate } from '../workflows/definitions.js';
import type { NewHireIssue } from '../workflows/new-hire.js';
import type { OnboardingProgress } from '../workflows/progress.js';
import { loadOpenApiDocument } from './gateway/openapi.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from './gateway/signature.js';
import { getProgress, InvalidNewHireError, reject, startOnboarding } from './onboarding-client.js';

export interface GatewayOptions {
  client: Client;
  /** Shared with the HR system; signs every POST. */
  secret: string;
  /** How far a request's timestamp may be from `now`: the replay window. */
  maxSkewSeconds?: number;
  /** Milliseconds since the epoch; tests move the clock. */
  now?: () => number;
  logger?: FastifyServerOptions['logger'];
}

/** How long a query or update may wait for a worker before we answer 504 rather than hang. */
const WORKER_ANSWER_MS = { query: 10_000, update: 30_000 };

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

export function createGateway({ client, secret, maxSkewSeconds = 300, now = Date.now, logger = false }: GatewayOptions): FastifyInstance {
  const app = Fastify({ logger });
  const openApi = loadOpenApiDocument();

  // Keep JSON bodies as raw bytes: the MAC is over the bytes sent, and nothing is parsed before
  // the signature holds. Any other media type (text/plain included) is 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  /** preHandler of every POST: a refused request gets 401 and reaches no handler. */
  async function requireSignature(request: FastifyRequest, reply: FastifyReply) {
    const verdict = verifySignature(
      {
        timestamp: request.headers[TIMESTAMP_HEADER],
        signature: request.headers[SIGNATURE_HEADER],
        rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
      },
      secret,
      { nowSeconds: Math.floor(now() / 1000), maxSkewSeconds },
    );
    if (!verdict.ok) {
      request.log.warn({ reason: verdict.reason }, 'request refused: signature');
      return reply.code(401).send({ error: `unauthorized: ${verdict.reason}` });
    }
  }

  const withinMs = <T>(ms: number, fn: () => Promise<T>) => client.connection.withDeadline(Date.now() + ms, fn);

  /** 404 for an unknown id, before anything is sent to the workflow. */
  async function describe(workflowId: string) {
    try {
      return await client.workflow.getHandle(workflowId).describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new HttpError(404, `no onboarding ${workflowId}`);
      throw err;
    }
  }

  async function openOnboarding(workflowId: string, refusal: string) {
    const description = await describe(workflowId);
    if (description.status.name !== 'RUNNING') throw new HttpError(409, `${refusal}: the onboarding is ${description.status.name}`);
    return description;
  }

  app.post<{ Body: Buffer | undefined }>('/onboardings', { preHandler: requireSignature }, async (request, reply) => {
    try {
      const { workflowId, started } = await startOnboarding(client, parseJson(request.body));
      request.log.info({ workflowId, started }, started ? 'onboarding started' : 'onboarding already exists: nothing started');
      if (started) reply.code(201).header('location', `/onboardings/${encodeURIComponent(workflowId)}`);
      return { workflowId, started };
    } catch (err) {
      if (err instanceof InvalidNewHireError) throw new HttpError(400, 'invalid new hire', err.issues);
      throw err;
    }
  });

  app.get<IdParams>('/onboardings/:id', async (request) => {
    const workflowId = request.params.id;
    const description = await describe(workflowId);
    const progress: OnboardingProgress = await withinMs(WORKER_ANSWER_MS.query, () => getProgress(client, workflowId));
    return { workflowId, workflowStatus: description.status.name, progress };
  });

  app.post<IdParams>('/onboardings/:id/approve', { preHandler: requireSignature }, async (request) => {
    const workflowId = request.params.id;
    const { by } = parseBody(ApprovalSchema, request.body);
    await openOnboarding(workflowId, 'nothing awaits approval');
    try {
      // The update (not the signal): its validator refuses synchronously when nothing awaits approval.
      const message = await withinMs(WORKER_ANSWER_MS.update, () =>
        client.workflow.getHandle(workflowId).executeUpdate(approveUpdate, { args: [{ by }] }),
      );
      request.log.info({ workflowId }, 'onboarding approved');
      return { workflowId, approved: true, message };
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) throw new HttpError(409, (err.cause as Error | undefined)?.message ?? err.message);
      throw err;
    }
  });

  app.post<IdParams>('/onboardings/:id/reject', { preHandler: requireSignature }, async (request, reply) => {
    const workflowId = request.params.id;
    const { by, reason } = parseBody(RejectionSchema, request.body);
    await openOnboarding(workflowId, 'cannot reject');
    // A signal has no answer, so ask first: past this point the workflow would silently ignore it.
    const { status } = await withinMs(WORKER_ANSWER_MS.query, () => getProgress(client, workflowId));
    if (status !== 'creating' && status !== 'awaiting-approval') throw new HttpError(409, `cannot reject: the onboarding is ${status}`);
    await reject(client, workflowId, by, reason);
    request.log.info({ workflowId }, 'onboarding rejected: rollback follows');
    return reply.code(202).send({ workflowId, rejected: true });
  });

  app.get('/openapi.json', async () => openApi);

  app.setErrorHandler((err: Error & { statusCode?: number }, request, reply) => {
    if (err instanceof HttpError) {
      request.log.info({ statusCode: err.statusCode, fields: err.issues?.map((i) => i.field) }, err.message);
      return reply.code(err.statusCode).send({ error: err.message, ...(err.issues && { issues: err.issues }) });
    }
    if (isNoWorkerAnswer(err)) {
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

function isNoWorkerAnswer(err: Error): boolean {
  const code = (err.cause as { code?: number } | undefined)?.code;
  return err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || code === 4; /* gRPC DEADLINE_EXCEEDED */
}

/** The error's name and message, not the request: a Temporal error never carries the hire's data. */
function logUnexpected(log: FastifyBaseLogger, err: Error) {
  log.error({ err: { name: err.name, message: err.message, cause: (err.cause as Error | undefined)?.message } }, 'request failed');
}
