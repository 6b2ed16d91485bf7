/**
 * The codec server: Temporal's remote codec protocol, so the Web UI (in the browser) and the
 * `temporal` CLI show decrypted payloads to the people who can reach it, while the Temporal server
 * only ever holds ciphertext.
 *
 *   POST /decode and POST /encode, body `{"payloads": [{"metadata": {"<key>": "<base64>"}, "data": "<base64>"}]}`
 *   (Payload in proto JSON), answered in the same shape.
 *
 * Who may use it:
 * - a browser only from the configured Web UI origins: CORS answers those alone, and a request
 *   carrying any other Origin is refused outright (403), so another site open in the same browser
 *   cannot use it to decrypt;
 * - with a token configured, only requests with `Authorization: Bearer <token>` (401 otherwise):
 *   the `temporal` CLI sends it with `--codec-auth`.
 * It binds to 127.0.0.1 by default (main: codec/server-main.ts) and never logs a payload.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { z } from 'zod';
import { PayloadDecryptionError } from './encryption-codec.js';

export interface CodecServerOptions {
  codec: PayloadCodec;
  /** Web UI origins allowed to call from a browser, e.g. `http://127.0.0.1:8233`. */
  uiOrigins: string[];
  /** When set, required as `Authorization: Bearer <token>` on /encode and /decode. */
  token?: string;
  logger?: FastifyServerOptions['logger'];
}

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const Body = z.object({
  payloads: z.array(
    z.object({
      metadata: z.record(z.string(), base64).nullish(),
      data: base64.nullish(),
    }),
  ),
});
type JsonPayload = z.infer<typeof Body>['payloads'][number];

function fromJson({ metadata, data }: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(data ?? '', 'base64'),
  };
}

function toJson({ metadata, data }: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
    data: Buffer.from(data ?? []).toString('base64'),
  };
}

/** What a browser may send besides the safe headers: the UI adds X-Namespace, a proxy may add Authorization. */
const ALLOWED_HEADERS = 'content-type, x-namespace, authorization';

export function createCodecServer({ codec, uiOrigins, token, logger = false }: CodecServerOptions): FastifyInstance {
  // History pages decode many payloads at once; Temporal's own limit is 2 MiB per payload.
  const app = Fastify({ logger, bodyLimit: 16 * 1024 * 1024 });
  const allowed = new Set(uiOrigins);
  const expected = token ? Buffer.from(`Bearer ${token}`) : undefined;

  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (!allowed.has(origin)) {
        request.log.warn({ origin }, 'refused: origin not allowed');
        return reply.code(403).send({ error: `origin ${origin} is not allowed: the codec server answers only ${[...allowed].join(', ')} (CODEC_SERVER_UI_ORIGINS)` });
      }
      reply.header('access-control-allow-origin', origin).header('vary', 'Origin');
    }
    // A browser's preflight carries no credentials: it is answered before the token check.
    if (request.method === 'OPTIONS') {
      return reply
        .code(204)
        .header('access-control-allow-methods', 'POST')
        .header('access-control-allow-headers', ALLOWED_HEADERS)
        .header('access-control-max-age', '600')
        .send();
    }
    if (expected && !sameSecret(request.headers.authorization, expected)) {
      request.log.warn('refused: missing or wrong bearer token');
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'a bearer token is required (Authorization: Bearer <CODEC_SERVER_TOKEN>; temporal CLI: --codec-auth)' });
    }
    return undefined;
  });

  const handle = (transform: (payloads: Payload[]) => Promise<Payload[]>) => async (request: FastifyRequest, reply: FastifyReply) => {
    const parsed = Body.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ error: 'body must be {"payloads": [{"metadata": {...base64}, "data": "<base64>"}]}' });
    try {
      return { payloads: (await transform(parsed.data.payloads.map(fromJson))).map(toJson) };
    } catch (err) {
      // A payload under a key this server does not hold: say which key, never what it holds.
      if (err instanceof PayloadDecryptionError) return reply.code(422).send({ error: err.message });
      throw err;
    }
  };
  app.post('/decode', handle((p) => codec.decode(p)));
  app.post('/encode', handle((p) => codec.encode(p)));
  // Answers the preflight of any path (the onRequest hook already did the work).
  app.options('/*', async () => undefined);
  return app;
}

function sameSecret(header: string | undefined, expected: Buffer): boolean {
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
