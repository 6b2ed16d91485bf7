/**
 * The plumbing every vendor sandbox shares: one fastify instance per vendor with
 * body parsing, the request pipeline (log → faults → rate limit → auth → vendor route → lost
 * response), vendor-shaped answers for every failure, and the in-process controls.
 */
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { registerAdminRoutes } from './admin.js';
import { FaultSet, type Fault } from './faults.js';
import { RateLimiter, type RateLimitSettings } from './rate-limit.js';
import type { VendorSandbox } from './controls.js';
import { RequestLog, type LoggedRequest } from './request-log.js';
import { UserStore, type VendorState } from './store.js';
import { parseTenantOverride } from './tenant.js';
import type { PlumbingError, VendorDefinition, VendorReply, VendorRequest } from './vendor.js';

export const ADMIN_PREFIX = '/_sandbox';
/** Larger than any user payload; a bigger body gets the vendor's 413. */
export const BODY_LIMIT_BYTES = 256 * 1024;

export interface VendorServerOptions<C, T> {
  credentials: C;
  /** The tenant at start and again after every reset. */
  tenant: T;
  rateLimit: RateLimitSettings | false;
  /** Faults installed at start and again on every reset. */
  startFaults: Fault[];
  now: () => number;
  /** Users and id counters to start from (a restart's saved state). */
  state?: VendorState;
  /** Called after anything that may have changed users or counters (to save the state). */
  onChange?: () => void;
}

export interface VendorServer<T> {
  app: FastifyInstance;
  sandbox: VendorSandbox<T>;
  /** Users and id counters as they are now, for the state file. */
  exportState(): VendorState;
}

interface InFlight {
  entry: LoggedRequest;
  lose?: '500' | 'drop';
}

export function send(reply: FastifyReply, answer: VendorReply): FastifyReply {
  reply.code(answer.status);
  if (answer.headers) reply.headers(answer.headers);
  if (answer.text !== undefined) return reply.type('text/plain; charset=utf-8').send(answer.text);
  if (answer.json !== undefined) return reply.type('application/json; charset=utf-8').send(JSON.stringify(answer.json));
  return reply.send();
}

/** Maps fastify's own errors to the failure the vendor would answer. */
function causeOf(error: FastifyError): { status: number; cause: PlumbingError } {
  switch (error.code) {
    case 'SANDBOX_BAD_JSON':
      return { status: 400, cause: 'bad-json' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, cause: 'too-large' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, cause: 'media-type' };
  }
  const status = error.statusCode ?? 500;
  return status >= 400 && status < 500 ? { status: 400, cause: 'bad-json' } : { status: 500, cause: 'internal' };
}

function isAdmin(url: string): boolean {
  return url === ADMIN_PREFIX || url.startsWith(`${ADMIN_PREFIX}/`) || url.startsWith(`${ADMIN_PREFIX}?`);
}

export function createVendorServer<C, B, T>(def: VendorDefinition<C, B, T>, options: VendorServerOptions<C, T>): VendorServer<T> {
  const store = new UserStore<B>();
  if (options.state) store.importState(options.state);
  const changed = () => options.onChange?.();
  let tenant = structuredClone(options.tenant);
  const log = new RequestLog();
  const faults = new FaultSet();
  const limiter = new RateLimiter(options.rateLimit, def.rateLimit.penalize);
  const inFlight = new WeakMap<FastifyRequest, InFlight>();
  const installStartFaults = () => options.startFaults.forEach((f) => faults.add(f));
  installStartFaults();

  /** The path after the base path, or undefined when the request is not for the vendor API. */
  const vendorPath = (url: string): string | undefined => {
    const path = url.split('?', 1)[0];
    if (path === def.basePath) return '';
    return path.startsWith(`${def.basePath}/`) ? path.slice(def.basePath.length) : undefined;
  };

  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT_BYTES,
    // Keep-alive clients must not hold stop() open.
    forceCloseConnections: true,
    // Malformed URLs and the like: answer as the vendor, never with fastify's body.
    frameworkErrors: (_error, req, reply) => {
      send(reply as unknown as FastifyReply, isAdmin(req.url) ? { status: 400, json: { error: 'Bad request' } } : def.error(400, 'bad-json'));
    },
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    if (body === '') return done(null, undefined);
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(Object.assign(new Error('Body is not valid JSON'), { statusCode: 400, code: 'SANDBOX_BAD_JSON' }), undefined);
    }
  });

  app.setErrorHandler((error: FastifyError, req, reply) => {
    const { status, cause } = causeOf(error);
    if (status === 500) console.error(`[sandbox ${def.name}] ${req.method} ${req.url}:`, error);
    if (isAdmin(req.url)) return send(reply, { status, json: { error: error.message } });
    return send(reply, def.error(status, cause));
  });

  app.setNotFoundHandler((req, reply) => {
    if (isAdmin(req.url)) return reply.code(404).send({ error: 'Not found' });
    return send(reply, def.error(404, 'no-route'));
  });

  app.addHook('onRequest', async (req, reply) => {
    const path = vendorPath(req.url);
    if (path === undefined) return;
    const flight: InFlight = { entry: log.start(req.method, req.url, path, req.headers, new Date(options.now())) };
    inFlight.set(req, flight);

    const plan = faults.plan(req.method, path);
    if (plan.delayMs > 0) await sleep(plan.delayMs);
    if (plan.respond) {
      flight.entry.fault = plan.respond.kind;
      const injected = plan.respond;
      if (injected.kind === 'burst-429') {
        const answer = def.error(429, 'rate-limited');
        const headers = { ...answer.headers };
        // A burst says itself whether it carries Retry-After, whatever the vendor does.
        delete headers['Retry-After'];
        if (injected.retryAfterSeconds !== undefined) headers['Retry-After'] = String(injected.retryAfterSeconds);
        return send(reply, { ...answer, headers });
      }
      if (injected.kind === 'error-rate') return send(reply, def.error(500, 'internal'));
      if (injected.body === undefined) return send(reply, def.error(injected.status, injected.status === 500 ? 'internal' : 'injected'));
      return send(reply, typeof injected.body === 'string' ? { status: injected.status, text: injected.body } : { status: injected.status, json: injected.body });
    }

    const decision = limiter.take(options.now());
    if (decision) {
      reply.headers(def.rateLimit.headers(decision, !decision.allowed));
      if (!decision.allowed) return send(reply, def.error(429, 'rate-limited'));
    }

    const refusal = def.authenticate(req.headers, options.credentials);
    if (refusal) return send(reply, refusal);
    flight.lose = plan.lose;
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const flight = inFlight.get(req);
    if (!flight) return payload;
    flight.entry.body = req.body;
    if (!flight.lose) {
      flight.entry.status = reply.statusCode;
      return payload;
    }
    // The vendor has committed its change; the client must not learn of it.
    flight.entry.fault = 'lost-response';
    flight.entry.committedStatus = reply.statusCode;
    if (flight.lose === 'drop') {
      flight.entry.status = 0;
      req.raw.socket.destroy();
      return payload;
    }
    const answer = def.error(500, 'internal');
    flight.entry.status = 500;
    reply.code(500);
    reply.removeHeader('content-length');
    if (answer.text !== undefined) {
      reply.type('text/plain; charset=utf-8');
      return answer.text;
    }
    reply.type('application/json; charset=utf-8');
    return JSON.stringify(answer.json);
  });

  def.routes({
    store,
    credentials: options.credentials,
    tenant: () => tenant,
    now: options.now,
    route: (method, url, handler) => {
      app.route({
        method,
        url: def.basePath + url,
        handler: (req, reply) => {
          const request: VendorRequest = {
            params: req.params as Record<string, string>,
            query: req.query as VendorRequest['query'],
            body: req.body,
            headers: req.headers,
          };
          const answer = handler(request);
          // Reads change nothing; anything else may have (a create, a delete, an invite).
          if (method !== 'GET') changed();
          return send(reply, answer);
        },
      });
    },
  });

  const sandbox: VendorSandbox<T> = {
    users: () => store.snapshot(),
    requests: () => log.list(),
    addFault: (fault) => void faults.add(fault),
    clearFaults: () => faults.clear(),
    setRateLimit: (settings) => limiter.set(settings),
    reset: () => {
      store.clear();
      log.clear();
      faults.clear();
      installStartFaults();
      limiter.resetCounters();
      tenant = structuredClone(options.tenant);
      changed();
    },
    faults: () => faults.list(),
    rateLimit: () => ({ current: limiter.current, documented: def.rateLimit.documented }),
    tenant: () => structuredClone(tenant),
    setTenant: (override) => {
      tenant = { ...tenant, ...parseTenantOverride(def.name, override, `${def.name} tenant`) } as T;
    },
  };
  registerAdminRoutes(app, sandbox);
  return { app, sandbox, exportState: () => store.exportState() };
}
