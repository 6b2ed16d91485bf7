/**
 * The HTTP gateway over real HTTP: a real dev server, real sandboxes, the real workers. The HR
 * app's side (signing) is written out here from the documented scheme, not borrowed from the
 * gateway, so a change to the scheme breaks these tests.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { createGateway } from '../client/gateway.js';
import { OnboardingClient } from '../client/onboarding-client.js';
import { onboardingWorkflowId } from '../workflows/definitions.js';
import type { OnboardingProgress } from '../workflows/progress.js';
import { VENDORS } from '../workflows/vendors.js';
import { uniqueHire } from './support/hires.js';
import { liveUsers, startSagaHarness, type SagaHarness } from './support/saga-harness.js';
import { dataConverter } from './support/temporal.js';
import { until } from './support/wait.js';

/** Made per run: the test needs a 32+ character secret, never a fixed one in the repo. */
const SECRET = randomBytes(24).toString('hex');

let h: SagaHarness;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  h = await startSagaHarness();
  app = createGateway({ onboardings: new OnboardingClient(h.client), secret: SECRET });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app?.close();
  await h?.close();
});

interface Signing {
  secret?: string;
  timestamp?: number;
  /** Sign these bytes but send the body given to the call (tampering). */
  signedBody?: string;
  unsigned?: boolean;
}

function signatureHeaders(body: string, { secret = SECRET, timestamp = Math.floor(Date.now() / 1000), signedBody = body }: Signing) {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${signedBody}`).digest('hex');
  return { 'X-Onboarding-Timestamp': String(timestamp), 'X-Onboarding-Signature': `sha256=${mac}` };
}

async function post(path: string, body: string, signing: Signing = {}) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signing.unsigned ? {} : signatureHeaders(body, signing)) },
    body,
  });
  return { status: res.status, location: res.headers.get('location'), body: (await res.json()) as any };
}

/** A GET signs its request target (path and query) the way a POST signs its body. */
async function get(path: string, signing: Signing = {}) {
  const res = await fetch(`${base}${path}`, { headers: signing.unsigned ? {} : signatureHeaders(path, signing) });
  return { status: res.status, body: (await res.json()) as any };
}

async function expectNoWorkflow(workflowId: string) {
  await expect(h.client.workflow.getHandle(workflowId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
}


async function workflowsWithId(workflowId: string): Promise<number> {
  let n = 0;
  for await (const _ of h.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) n++;
  return n;
}

test('a signed hire starts one onboarding; its re-delivery starts none; approval via the gateway sends the Partoo invite', async () => {
  const hire = uniqueHire('gw-happy');
  const workflowId = onboardingWorkflowId(hire.employeeId);

  const created = await post('/onboardings', JSON.stringify(hire));
  expect(created).toEqual({ status: 201, location: `/onboardings/${workflowId}`, body: { workflowId, started: true } });
  expect((await h.client.workflow.getHandle(workflowId).describe()).status.name).toBe('RUNNING');

  // HR systems send "created" then "updated" for one hire: same employee, new body, new signature.
  const updated = await post('/onboardings', JSON.stringify({ ...hire, jobTitle: 'Staff SRE' }));
  expect(updated).toEqual({ status: 200, location: null, body: { workflowId, started: false } });
  expect(await until('the workflow to be listed', async () => (await workflowsWithId(workflowId)) || undefined)).toBe(1);

  await h.withWorkers(async () => {
    const waiting = await until('awaiting approval', async () => {
      const { body } = await get(`/onboardings/${workflowId}`);
      return body.progress?.status === 'awaiting-approval' ? body : undefined;
    });
    expect(waiting).toMatchObject({ workflowId, workflowStatus: 'RUNNING', progress: { awaiting: 'approval', invite: { state: 'held' } } });
    for (const vendor of VENDORS) expect({ vendor, users: liveUsers(h.sandboxes, vendor, hire.email).length }).toEqual({ vendor, users: 1 });

    const approved = await post(`/onboardings/${workflowId}/approve`, JSON.stringify({ by: 'it-lead@example.com' }));
    expect(approved).toMatchObject({ status: 200, body: { workflowId, approved: true } });
    const result = await h.client.workflow.getHandle(workflowId).result();
    expect(result.invite).toMatchObject({ state: 'sent', approvedBy: 'it-lead@example.com', releasedBy: 'approval' });

    const done = await get(`/onboardings/${workflowId}`);
    expect(done.status).toBe(200);
    expect(done.body.workflowStatus).toBe('COMPLETED');
    expect((done.body.progress as OnboardingProgress).invite.state).toBe('sent');
    // Both answers are what the published contract says an onboarding looks like.
    const onboardingSchema = await publishedSchema('Onboarding');
    for (const answer of [waiting, done.body]) expect({ answer, errors: validationErrors(onboardingSchema, answer) }).toEqual({ answer, errors: [] });

    // Nothing awaits approval any more.
    const again = await post(`/onboardings/${workflowId}/approve`, JSON.stringify({ by: 'it-lead@example.com' }));
    expect(again.status).toBe(409);
    expect(again.body.error).toMatch(/cannot approve .*: it already ended \(COMPLETED\)/);
  });
  expect(await workflowsWithId(workflowId)).toBe(1);
});

test("approve is refused (409) with the workflow's own reason when nothing awaits approval; without Partoo the onboarding completes unapproved", async () => {
  const hire = uniqueHire('gw-noinvite', { vendors: { meetbit: { departmentId: 7 }, partoo: { enabled: false } } });
  const { body } = await post('/onboardings', JSON.stringify(hire));
  // Sent before any worker runs, so the update's validator (not "already completed") answers it.
  const approving = post(`/onboardings/${body.workflowId}/approve`, JSON.stringify({ by: 'it-lead@example.com' }));
  await new Promise((r) => setTimeout(r, 500));
  await h.withWorkers(async () => {
    const approve = await approving;
    expect(approve).toEqual({ status: 409, location: null, body: { error: expect.stringMatching(/^nothing awaits approval \(the onboarding is (creating|completed)\)$/) } });
    const result = await h.client.workflow.getHandle(body.workflowId).result();
    expect(result).toMatchObject({ status: 'completed', invite: { state: 'not-applicable' } });
    expect(result.approvedBy).toBeUndefined();
  });
});

test('reject via the gateway rolls the onboarding back', () =>
  h.withWorkers(async () => {
    const hire = uniqueHire('gw-reject');
    const { body } = await post('/onboardings', JSON.stringify(hire));
    await until('awaiting approval', async () => ((await get(`/onboardings/${body.workflowId}`)).body.progress?.status === 'awaiting-approval' ? true : undefined));
    const rejected = await post(`/onboardings/${body.workflowId}/reject`, JSON.stringify({ by: 'hr@example.com', reason: 'offer withdrawn' }));
    expect(rejected).toMatchObject({ status: 202, body: { workflowId: body.workflowId, rejected: true } });
    expect((await h.client.workflow.getHandle(body.workflowId).result()).status).toBe('rejected');
    for (const vendor of VENDORS) expect(liveUsers(h.sandboxes, vendor, hire.email)).toEqual([]);
    const again = await post(`/onboardings/${body.workflowId}/reject`, JSON.stringify({ by: 'hr@example.com' }));
    expect(again).toMatchObject({ status: 409, body: { error: expect.stringMatching(/cannot reject .*: it already ended/) } });
  }));

describe('refused signatures get 401 and start nothing', () => {
  const now = () => Math.floor(Date.now() / 1000);
  test.each<[string, (body: string) => Signing]>([
    ['unsigned', () => ({ unsigned: true })],
    ['signed with the wrong secret', () => ({ secret: randomBytes(24).toString('hex') })],
    ['tampered body', (body) => ({ signedBody: body.replace('Site Reliability Engineer', 'Intern') })],
    ['stale timestamp', () => ({ timestamp: now() - 301 })],
    ['timestamp from the future', () => ({ timestamp: now() + 301 })],
  ])('%s', async (_name, signing) => {
    const hire = uniqueHire('gw-401');
    const body = JSON.stringify(hire);
    const res = await post('/onboardings', body, signing(body));
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: expect.stringMatching(/^unauthorized/) });
    await expectNoWorkflow(onboardingWorkflowId(hire.employeeId));
  });

  test('a timestamp moved forward breaks the MAC', async () => {
    const hire = uniqueHire('gw-401');
    const body = JSON.stringify(hire);
    const old = now() - 10;
    const headers = { ...signatureHeaders(body, { timestamp: old }), 'X-Onboarding-Timestamp': String(old + 5) };
    const res = await fetch(`${base}/onboardings`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    expect(res.status).toBe(401);
    await expectNoWorkflow(onboardingWorkflowId(hire.employeeId));
  });

  test('the skew is measured against the injected clock', async () => {
    const skewed = createGateway({ onboardings: new OnboardingClient(h.client), secret: SECRET, maxSkewSeconds: 60, now: () => Date.now() + 61_000 });
    const url = await skewed.listen({ port: 0, host: '127.0.0.1' });
    try {
      const hire = uniqueHire('gw-401');
      const body = JSON.stringify(hire);
      const res = await fetch(`${url}/onboardings`, { method: 'POST', headers: { 'content-type': 'application/json', ...signatureHeaders(body, {}) }, body });
      expect(res.status).toBe(401);
      await expectNoWorkflow(onboardingWorkflowId(hire.employeeId));
    } finally {
      await skewed.close();
    }
  });

  test('approve and reject need a signature too', async () => {
    for (const action of ['approve', 'reject']) {
      expect((await post(`/onboardings/onboarding-anyone/${action}`, JSON.stringify({ by: 'x' }), { unsigned: true })).status).toBe(401);
    }
  });
});

test('a bad field is 400 naming the field; nothing starts', async () => {
  const hire = uniqueHire('gw-400', { email: 'not-an-email' });
  const res = await post('/onboardings', JSON.stringify(hire));
  expect(res.status).toBe(400);
  expect(res.body.issues).toEqual([{ field: 'email', message: expect.any(String) }]);
  await expectNoWorkflow(onboardingWorkflowId(hire.employeeId));
});

test('a body that is not JSON is 400 on (body)', async () => {
  const res = await post('/onboardings', '{"employeeId": ');
  expect(res.status).toBe(400);
  expect(res.body).toEqual({ error: expect.any(String), issues: [{ field: '(body)', message: expect.any(String) }] });
});

test('a body that is not application/json is 415, even when signed; nothing starts', async () => {
  const hire = uniqueHire('gw-415');
  const body = JSON.stringify(hire);
  const res = await fetch(`${base}/onboardings`, { method: 'POST', headers: { 'content-type': 'text/plain', ...signatureHeaders(body, {}) }, body });
  expect(res.status).toBe(415);
  await expectNoWorkflow(onboardingWorkflowId(hire.employeeId));
});

test('reads are signed too: an unsigned or wrongly signed GET is 401 and shows nothing', async () => {
  const hire = uniqueHire('gw-read');
  const { body } = await post('/onboardings', JSON.stringify(hire));
  expect(await get(`/onboardings/${body.workflowId}`, { unsigned: true })).toEqual({ status: 401, body: { error: 'unauthorized: missing signature headers' } });
  expect((await get(`/onboardings/${body.workflowId}`, { signedBody: '/onboardings/someone-else' })).status).toBe(401);
  expect((await get(`/onboardings?employeeId=${hire.employeeId}`, { unsigned: true })).status).toBe(401);
  // No worker ran it: it must not wait for the next suite's workers.
  await h.client.workflow.getHandle(body.workflowId).terminate('gateway test done');
});

test('an onboarding is found by the HR employee id', () =>
  h.withWorkers(async () => {
    const hire = uniqueHire('gw-by-employee');
    const { body } = await post('/onboardings', JSON.stringify(hire));
    const found = await until('progress', async () => {
      const res = await get(`/onboardings?employeeId=${encodeURIComponent(hire.employeeId)}`);
      return res.body.progress ? res : undefined;
    });
    expect(found).toMatchObject({ status: 200, body: { workflowId: body.workflowId, workflowStatus: 'RUNNING' } });
    expect((await get('/onboardings?employeeId=nobody-here')).status).toBe(404);
    expect(await get('/onboardings')).toMatchObject({ status: 400, body: { issues: [{ field: 'employeeId', message: 'is required' }] } });
  }));

test('/healthz answers while the process is up; /readyz only while Temporal and the namespace answer', async () => {
  expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
  const ready = await fetch(`${base}/readyz`);
  expect({ status: ready.status, body: await ready.json() }).toEqual({ status: 200, body: { status: 'ready' } });

  const lost = createGateway({ onboardings: new OnboardingClient(new Client({ connection: h.client.connection, namespace: 'no-such-namespace', dataConverter: dataConverter() })), secret: SECRET });
  const url = await lost.listen({ port: 0, host: '127.0.0.1' });
  try {
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: string }).error).toMatch(/cannot reach namespace no-such-namespace/);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  } finally {
    await lost.close();
  }
});

test('unknown ids are 404; approve without "by" is 400', async () => {
  expect((await get('/onboardings/onboarding-nobody-here')).status).toBe(404);
  expect((await post('/onboardings/onboarding-nobody-here/approve', JSON.stringify({ by: 'x' }))).status).toBe(404);
  expect((await post('/onboardings/onboarding-nobody-here/reject', JSON.stringify({ by: 'x' }))).status).toBe(404);
  const missing = await post('/onboardings/onboarding-nobody-here/approve', JSON.stringify({}));
  expect(missing).toMatchObject({ status: 400, body: { issues: [{ field: 'by' }] } });
});

test('GET /openapi.json is an OpenAPI 3.0 document with every route and the generated NewHire schema', async () => {
  const { status, body: doc } = await get('/openapi.json');
  expect(status).toBe(200);
  expect(doc.openapi).toMatch(/^3\.0\.\d+$/);
  expect(doc.info.title).toEqual(expect.any(String));
  const routes = Object.entries(doc.paths as Record<string, object>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
  expect(routes.sort()).toEqual(
    ['POST /onboardings', 'GET /onboardings', 'GET /onboardings/{id}', 'POST /onboardings/{id}/approve', 'POST /onboardings/{id}/reject', 'GET /healthz', 'GET /readyz', 'GET /openapi.json'].sort(),
  );
  for (const op of ['/onboardings', '/onboardings/{id}']) {
    const params = (doc.paths[op].get.parameters as { $ref?: string }[]).map((p) => p.$ref);
    expect(params).toEqual(expect.arrayContaining(['#/components/parameters/Timestamp', '#/components/parameters/Signature']));
    expect(Object.keys(doc.paths[op].get.responses)).toEqual(expect.arrayContaining(['401']));
  }
  for (const op of ['/onboardings', '/onboardings/{id}/approve', '/onboardings/{id}/reject']) {
    const params = (doc.paths[op].post.parameters as { $ref: string }[]).map((p) => p.$ref);
    expect(params).toEqual(expect.arrayContaining(['#/components/parameters/Timestamp', '#/components/parameters/Signature']));
    expect(Object.keys(doc.paths[op].post.responses)).toEqual(expect.arrayContaining(['400', '401']));
  }
  expect(doc.components.parameters.Signature).toMatchObject({ name: 'X-Onboarding-Signature', in: 'header', required: true });
  // Every $ref resolves.
  for (const ref of JSON.stringify(doc).match(/"\$ref":"#\/[^"]+"/g) ?? []) {
    const target = ref.slice(10, -1).split('/').reduce((node: any, part) => node?.[part], doc);
    expect({ ref, resolved: target !== undefined }).toEqual({ ref, resolved: true });
  }
  // The generated NewHire schema accepts a valid hire and names what is wrong with a bad one.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const validate = ajv.compile(toDraft7(doc.components.schemas.NewHire));
  expect(validate(uniqueHire('gw-schema'))).toBe(true);
  expect(validate({ ...uniqueHire('gw-schema'), startDate: '2026-13-01' })).toBe(false);
});

/** A schema of the served OpenAPI document, its $refs pointing into that document. */
async function publishedSchema(name: string): Promise<object> {
  const { body: doc } = await get('/openapi.json');
  return { ...toDraft7(doc), $ref: `#/components/schemas/${name}` };
}

function validationErrors(schema: object, value: unknown): string[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

/** OpenAPI 3.0 schemas are draft-4 style (boolean exclusiveMinimum); ajv speaks draft 7. */
function toDraft7(node: any): any {
  if (Array.isArray(node)) return node.map(toDraft7);
  if (typeof node !== 'object' || node === null) return node;
  const out = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, toDraft7(v)]));
  if (out.nullable === true) {
    out.type = [out.type, 'null'];
    delete out.nullable;
  }
  for (const [exclusive, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (out[exclusive] === true) {
      out[exclusive] = out[bound];
      delete out[bound];
    } else if (out[exclusive] === false) delete out[exclusive];
  }
  return out;
}
