/**
 * The control API under /_sandbox/ on each vendor's port, outside the vendor's own paths:
 * the same controls tests get in-process, for a sandbox running as its own process.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { faultSchema } from './faults.js';
import { rateLimitSettingsSchema } from './rate-limit.js';
import type { VendorSandbox } from './controls.js';

const faultsBody = z.union([faultSchema, z.array(faultSchema)]);
/** `false` or `{enabled:false}` turns the limit off, `{enabled:true}` restores the documented one. */
const rateLimitBody = z.union([z.literal(false), z.object({ enabled: z.boolean() }).strict(), rateLimitSettingsSchema]);

function invalid(reply: FastifyReply, error: z.ZodError): FastifyReply {
  return reply.code(400).send({ error: 'Invalid request', issues: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
}

export function registerAdminRoutes(app: FastifyInstance, sandbox: VendorSandbox<unknown>): void {
  app.get('/_sandbox/users', async () => sandbox.users());
  app.get('/_sandbox/requests', async () => sandbox.requests());

  app.post('/_sandbox/reset', async (_req, reply) => {
    sandbox.reset();
    return reply.code(204).send();
  });

  app.get('/_sandbox/faults', async () => sandbox.faults());
  app.post('/_sandbox/faults', async (req, reply) => {
    const parsed = faultsBody.safeParse(req.body);
    if (!parsed.success) return invalid(reply, parsed.error);
    for (const fault of Array.isArray(parsed.data) ? parsed.data : [parsed.data]) sandbox.addFault(fault);
    return reply.code(201).send(sandbox.faults());
  });
  app.delete('/_sandbox/faults', async (_req, reply) => {
    sandbox.clearFaults();
    return reply.code(204).send();
  });

  app.get('/_sandbox/tenant', async () => sandbox.tenant());
  // The fields given replace the tenant's until reset; the whole tenant comes back.
  app.put('/_sandbox/tenant', async (req, reply) => {
    try {
      sandbox.setTenant(req.body as Partial<unknown>);
    } catch (error) {
      return reply.code(400).send({ error: (error as Error).message });
    }
    return sandbox.tenant();
  });

  app.get('/_sandbox/rate-limit', async () => sandbox.rateLimit());
  app.put('/_sandbox/rate-limit', async (req, reply) => {
    const parsed = rateLimitBody.safeParse(req.body);
    if (!parsed.success) return invalid(reply, parsed.error);
    const body = parsed.data;
    if (body === false || 'enabled' in body) sandbox.setRateLimit(body !== false && body.enabled ? sandbox.rateLimit().documented : false);
    else sandbox.setRateLimit(body);
    return sandbox.rateLimit();
  });
}
