/**
 * The vendor activities against the sandboxes: real HTTP, no mocked got. Only the activity
 * context is mocked (MockActivityEnvironment, which sets `info.attempt`). One table drives all
 * five vendors.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import type { VendorsConfig } from '../../config/environment.js';
import { sameEmail, VendorErrorType } from '../../activities/http.js';
import { createVendorActivities } from '../../activities/index.js';
import { sandboxVendorsConfig } from '../../sandbox/worker-config.js';
import { SANDBOX_CREDENTIALS } from '../../sandbox/credentials.js';
import { startSandboxes, type Sandboxes } from '../../sandbox/index.js';
import type { NewHire } from '../../workflows/new-hire.js';
import type { UndoOutcome, VendorUser, VendorUserActivities } from '../../workflows/vendor-contract.js';
import { VENDOR_LABELS, type VendorName } from '../../workflows/vendors.js';
import { hire } from './hire-fixture.js';
import { VendorContract } from '../sandbox/openapi.js';

interface VendorCase {
  vendor: VendorName;
  /** Regexes over the path after the base path, for fault matching and the request log. */
  createPath: string;
  lookUpPath: string;
  /** A look-up answer that misses (simulates a create racing the look-up). */
  emptyLookUp: unknown;
  /** The sandbox state an undo leaves. */
  undoneState: 'deleted' | 'archived';
  /** Method and path regex of the undo call, for fault matching. */
  undo: { method: string; path: string };
  /** Whether the vendor reports a creation time in its create answer (compared before an undo). */
  createdAtAtCreate: boolean;
  unknownId: string;
  /** A 400 in the vendor's own shape, and what of it must reach the failure message. */
  invalid: { body: unknown; mentions: string[] };
}

const CASES: VendorCase[] = [
  {
    vendor: 'netbird',
    undo: { method: 'DELETE', path: '^/users/' },
    createdAtAtCreate: false,
    createPath: '^/users$',
    lookUpPath: '^/users$',
    emptyLookUp: [],
    undoneState: 'deleted',
    unknownId: 'google-oauth2|nobody',
    invalid: { body: { message: 'invalid email format', code: 400 }, mentions: ['invalid email format'] },
  },
  {
    vendor: 'siit',
    undo: { method: 'PATCH', path: '/archive$' },
    createdAtAtCreate: true,
    createPath: '^/users$',
    lookUpPath: '^/users$',
    emptyLookUp: { meta: { count: 0, total: 0, current_page: 1, per_page: 25 }, results: [] },
    undoneState: 'archived',
    unknownId: 'u_nobody',
    invalid: { body: { error: 'Validation failed', errors: { job_start_date: ['is not a valid date'] } }, mentions: ['job_start_date: is not a valid date'] },
  },
  {
    vendor: 'meetbit',
    undo: { method: 'DELETE', path: '^/users/' },
    createdAtAtCreate: true,
    createPath: '^/users$',
    lookUpPath: '^/users$',
    emptyLookUp: { message: 'OK', data: [] },
    undoneState: 'deleted',
    unknownId: '987654321',
    invalid: { body: { message: 'The given data was invalid.', errors: { role: ['The selected role is invalid.'] } }, mentions: ['role: The selected role is invalid.'] },
  },
  {
    vendor: 'meetergo',
    undo: { method: 'DELETE', path: '^/user/' },
    createdAtAtCreate: false,
    createPath: '^/user$',
    lookUpPath: '^/user$',
    emptyLookUp: { users: [], total: 0 },
    undoneState: 'deleted',
    unknownId: randomUUID(),
    invalid: { body: { statusCode: 400, message: 'Validation failed', errors: [{ field: 'email', message: 'Invalid email format' }] }, mentions: ['email: Invalid email format'] },
  },
  {
    vendor: 'partoo',
    undo: { method: 'DELETE', path: '^/user/' },
    createdAtAtCreate: false,
    createPath: '^/user$',
    lookUpPath: '^/user/search$',
    emptyLookUp: { page: 1, max_page: 1, count: 0, users: [] },
    undoneState: 'deleted',
    unknownId: '0123456789abcdef01234567',
    invalid: { body: { errors: { json: { first_name: 'Missing data for required field.' } } }, mentions: ['first_name: Missing data for required field.'] },
  },
];

/** Config keys that hold credentials (meetergo's acting user id is an id, not a secret). */
const SECRET_KEYS = new Set(['token', 'accessKeyId', 'accessKeySecret', 'apiKey']);

let sandboxes: Sandboxes;
let config: VendorsConfig;
/** Every activity input, result and failure, and every log line, for the secrets scan. */
const observed: unknown[] = [];
const logs: LogEntry[] = [];
/** Create request bodies the sandboxes received, per vendor, for the OpenAPI check. */
const sentBodies = new Map<VendorName, unknown[]>();

beforeAll(async () => {
  sandboxes = await startSandboxes({ rateLimits: false });
  config = sandboxVendorsConfig(sandboxes.urls);
});
afterAll(() => sandboxes?.stop());

async function run<R>(attempt: number, fn: (arg: any) => Promise<R>, arg: unknown): Promise<R> {
  const env = new MockActivityEnvironment({ attempt }, { logger: new DefaultLogger('TRACE', (entry) => void logs.push(entry)) });
  observed.push(arg);
  try {
    const result = (await env.run(fn, arg)) as R;
    observed.push(result);
    return result;
  } catch (err) {
    observed.push(err instanceof ApplicationFailure ? { message: err.message, type: err.type, details: err.details } : String(err));
    throw err;
  }
}

async function failure(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}

describe.each(CASES)('$vendor activities against the sandbox', (c) => {
  const { vendor } = c;
  const acts = (): VendorUserActivities => createVendorActivities(config)[vendor];
  const create = (h: NewHire, attempt = 1, activities = acts()): Promise<VendorUser> => run(attempt, activities.createUser, h);
  const undo = (u: VendorUser, attempt = 1): Promise<UndoOutcome> => run(attempt, acts().undoUser, u);
  const sandbox = () => sandboxes.vendors[vendor];
  const usersWith = (email: string) => sandbox().users().filter((u) => sameEmail(u.email, email));
  const live = (email: string) => usersWith(email).filter((u) => u.state !== 'deleted' && u.state !== 'archived');

  afterEach(() => {
    const bodies = sandbox()
      .requests()
      .filter((r) => r.method === 'POST' && new RegExp(c.createPath).test(r.path) && r.body !== undefined)
      .map((r) => r.body);
    sentBodies.set(vendor, [...(sentBodies.get(vendor) ?? []), ...bodies]);
    sandbox().reset();
  });

  it('creates the user (origin created) with the vendor id', async () => {
    const h = hire({ firstName: 'Zoé', lastName: 'Ærøskøbing-Ñúñez', email: `Zoe.Aero+${vendor}${Date.now()}@Example.COM` });
    const user = await create(h);
    expect(user).toMatchObject({ vendor, origin: 'created', email: h.email });
    expect(live(h.email).map((u) => u.id)).toEqual([user.id]);
    if (vendor === 'meetergo') expect(user.links?.bookingUrl).toMatch(/^https:\/\//);
  });

  it.each(['500', 'drop'] as const)('after a lost response (%s) the retry finds our user: exactly one, created', async (mode) => {
    const h = hire();
    sandbox().addFault({ kind: 'lost-response', count: 1, mode, match: { method: 'POST', path: c.createPath } });
    const lost = await failure(create(h, 1));
    expect(lost.type).toBe(VendorErrorType.Unavailable);
    expect(lost.nonRetryable).toBe(false);
    const user = await create(h, 2);
    expect(user.origin).toBe('created');
    expect(live(h.email).map((u) => u.id)).toEqual([user.id]);
  });

  it('a retry whose look-up misses a concurrent commit of ours still ends created, not duplicated', async () => {
    const h = hire();
    const first = await create(h);
    sandbox().addFault({ kind: 'fail-next', count: 1, status: 200, body: c.emptyLookUp, match: { method: 'GET', path: c.lookUpPath } });
    const again = await create(h, 3);
    expect(again).toMatchObject({ id: first.id, origin: 'created' });
    expect(live(h.email)).toHaveLength(1);
  });

  it('a refusal worded in any way is a duplicate when a live user with the email exists (decided by state, not wording)', async () => {
    const h = hire();
    const existing = await create(h);
    sandbox().addFault({ kind: 'fail-next', count: 1, status: 400, body: 'Something unexpected', match: { method: 'POST', path: c.createPath } });
    expect(await create(h)).toMatchObject({ id: existing.id, origin: 'adopted' });
    // The same refusal for an email nobody holds stands as the vendor gave it.
    sandbox().addFault({ kind: 'fail-next', count: 1, status: 400, body: 'Something unexpected', match: { method: 'POST', path: c.createPath } });
    expect(await failure(create(hire()))).toMatchObject({ type: VendorErrorType.Validation, nonRetryable: true });
  });

  it('<VENDOR>_OMIT_FIELDS leaves out what the tenant does not let us set; a required field cannot be left out', async () => {
    const optional = { netbird: undefined, siit: 'job_title', meetbit: 'activate', meetergo: 'meetingType', partoo: 'lang' }[vendor];
    if (optional) {
      const omitting = createVendorActivities({ ...config, [vendor]: { ...config[vendor], omitFields: [optional] } })[vendor];
      await create(hire({ vendors: { meetbit: { departmentId: 7, activate: true }, meetergo: { meetingType: { name: 'Intro', duration: 30 } } } }), 1, omitting);
      const sent = sandbox().requests().filter((r) => r.method === 'POST' && new RegExp(c.createPath).test(r.path)).at(-1)!.body as Record<string, unknown>;
      expect(sent).toHaveProperty('email');
      expect(sent).not.toHaveProperty(optional);
    }
    expect(() => createVendorActivities({ ...config, [vendor]: { ...config[vendor], omitFields: ['email'] } })).toThrow(
      `${vendor.toUpperCase()}_OMIT_FIELDS: email is required by ${VENDOR_LABELS[vendor]}'s create contract and cannot be left out`,
    );
    expect(() => createVendorActivities({ ...config, [vendor]: { ...config[vendor], omitFields: ['no_such_field'] } })).toThrow(/no_such_field is not a field/);
  });

  it('adopts a user that existed before (duplicate on attempt 1), matching email case-insensitively, and refuses to undo it', async () => {
    const h = hire();
    const existing = await create(h);
    const adopted = await create({ ...h, email: h.email.toUpperCase() });
    expect(adopted).toMatchObject({ id: existing.id, origin: 'adopted' });
    expect(live(h.email)).toHaveLength(1);
    const refused = await failure(undo(adopted));
    expect(refused).toMatchObject({ type: VendorErrorType.RefusedToUndo, nonRetryable: true });
    expect(live(h.email)).toHaveLength(1);
  });

  it('undoes a created user, and a second undo is already-gone', async () => {
    const h = hire();
    const user = await create(h);
    expect(await undo(user)).toBe('undone');
    expect(usersWith(h.email).map((u) => u.state)).toEqual([c.undoneState]);
    expect(await undo(user, 2)).toBe('already-gone');
  });

  it('undo refuses an id that now belongs to another account (another email): nothing deleted, manual cleanup', async () => {
    const other = await create(hire());
    // Our record says the id was the hire's; the vendor now shows another account under it.
    const stale: VendorUser = { ...other, email: 'someone.else@example.com' };
    const refused = await failure(undo(stale));
    expect(refused).toMatchObject({ type: VendorErrorType.IdentityMismatch, nonRetryable: true });
    expect(refused.message).toContain(`user ${other.id}: that id now belongs to another account (its email differs); nothing was deleted`);
    expect(live(other.email).map((u) => u.id)).toEqual([other.id]);
  });

  it(`records the creation time where the create answer has it${c.createdAtAtCreate ? ', and refuses an undo when it differs' : ''}`, async () => {
    const user = await create(hire());
    expect(user.createdAt !== undefined).toBe(c.createdAtAtCreate);
    if (!c.createdAtAtCreate) return;
    const refused = await failure(undo({ ...user, createdAt: '2001-01-01T00:00:00.000Z' }));
    expect(refused.message).toContain('it was created at another time');
    expect(live(user.email)).toHaveLength(1);
  });

  it('an undo answered 404 while the user still exists is not "already gone": it fails for good, nothing claimed', async () => {
    const user = await create(hire());
    sandbox().addFault({ kind: 'fail-next', count: 1, status: 404, match: c.undo });
    const err = await failure(undo(user));
    expect(err).toMatchObject({ type: VendorErrorType.UndoNotConfirmed, nonRetryable: true });
    expect(live(user.email).map((u) => u.id)).toEqual([user.id]);
  });

  it('undo of an unknown id is already-gone', async () => {
    expect(await undo({ vendor, id: c.unknownId, origin: 'created', email: 'nobody@example.com' })).toBe('already-gone');
  });

  it('a 400 fails for good, with the vendor field errors in message and details', async () => {
    sandbox().addFault({ kind: 'fail-next', count: 1, status: 400, body: c.invalid.body, match: { method: 'POST', path: c.createPath } });
    const err = await failure(create(hire()));
    expect(err).toMatchObject({ type: VendorErrorType.Validation, nonRetryable: true });
    for (const text of c.invalid.mentions) expect(err.message).toContain(text);
    expect(err.message.startsWith(`${VENDOR_LABELS[vendor]} `)).toBe(true);
    expect(err.details?.[0]).toMatchObject({ vendor, status: 400 });
  });

  it('wrong credentials fail for good, naming the vendor, without echoing them', async () => {
    const wrong = `wrong-${vendor}-credential`;
    const broken = { ...config, [vendor]: Object.fromEntries(Object.entries(config[vendor]).map(([k, v]) => [k, SECRET_KEYS.has(k) ? wrong : v])) } as VendorsConfig;
    const err = await failure(create(hire(), 1, createVendorActivities(broken)[vendor]));
    expect(err).toMatchObject({ type: VendorErrorType.Auth, nonRetryable: true });
    expect(err.message).toContain(`configured ${VENDOR_LABELS[vendor]} credentials are wrong or lack permission`);
    expect(JSON.stringify([err.message, err.details])).not.toContain(wrong);
  });

  it('a 429 with Retry-After carries that delay', async () => {
    sandbox().addFault({ kind: 'burst-429', count: 1, retryAfterSeconds: 7 });
    const err = await failure(create(hire()));
    expect(err).toMatchObject({ type: VendorErrorType.RateLimited, nonRetryable: false, nextRetryDelay: 7000 });
  });

  it('a 429 without Retry-After carries our own backoff, growing with the attempt', async () => {
    sandbox().addFault({ kind: 'burst-429', count: 1 });
    const err = await failure(create(hire(), 3));
    expect(err).toMatchObject({ type: VendorErrorType.RateLimited, nonRetryable: false });
    // Attempt 3: 4 s ceiling, jitter within its upper half.
    expect(Number(err.nextRetryDelay)).toBeGreaterThanOrEqual(2000);
    expect(Number(err.nextRetryDelay)).toBeLessThanOrEqual(4000);
  });

  it('a 500 is retryable', async () => {
    sandbox().addFault({ kind: 'fail-next', count: 1, status: 500 });
    const err = await failure(create(hire()));
    expect(err).toMatchObject({ type: VendorErrorType.Unavailable, nonRetryable: false });
  });

  it('a timeout is retryable', async () => {
    sandbox().addFault({ kind: 'latency', ms: 400, match: { method: 'POST', path: c.createPath } });
    const impatient = createVendorActivities(sandboxVendorsConfig(sandboxes.urls, 100))[vendor];
    const err = await failure(create(hire(), 1, impatient));
    expect(err).toMatchObject({ type: VendorErrorType.Unavailable, nonRetryable: false });
    expect(err.message).toContain('ETIMEDOUT');
  });

  it('every create body sent validates against the vendor OpenAPI create request', () => {
    const bodies = sentBodies.get(vendor) ?? [];
    expect(bodies.length).toBeGreaterThan(5);
    const contract = new VendorContract(vendor);
    for (const body of bodies) expect(contract.requestErrors(body)).toEqual([]);
  });
});

describe('vendor rate limits', () => {
  afterEach(() => sandboxes.vendors.siit.setRateLimit(false));

  it("a Siit 429 carries X-SiitApi-Reset, not Retry-After: the retry waits until then, and so does every request of this process to Siit", async () => {
    sandboxes.vendors.siit.setRateLimit({ limit: 1, windowMs: 3000 });
    const siit = createVendorActivities(config, { netbird: 1000, siit: 1000, meetbit: 1000, meetergo: 1000, partoo: 1000 }).siit;
    await run(1, siit.createUser, hire());
    const limited = await failure(run(1, siit.createUser, hire()));
    expect(limited).toMatchObject({ type: VendorErrorType.RateLimited, nonRetryable: false });
    const said = sandboxes.vendors.siit.requests().at(-1)!;
    expect(said).toMatchObject({ status: 429 });
    // The sandbox says 3 s or 2 s, depending on the clock's second; the delay is what it said.
    expect(Number(limited.nextRetryDelay)).toBeGreaterThanOrEqual(1000);
    expect(Number(limited.nextRetryDelay)).toBeLessThanOrEqual(3000);
    // The next request from this process (a fresh create: one request) waits out the reset, and passes.
    const started = Date.now();
    await run(1, siit.createUser, hire());
    expect(Date.now() - started).toBeGreaterThanOrEqual(Number(limited.nextRetryDelay) - 50);
  });
});

describe('Partoo held invitation', () => {
  const partoo = () => createVendorActivities(config).partoo;
  const invitesOf = (id: string) => sandboxes.vendors.partoo.users().find((u) => u.id === id)?.invitesSent;
  afterEach(() => sandboxes.vendors.partoo.reset());

  it('creates the user invited without sending, then sends once; a repeat is already-sent', async () => {
    const user = await run(1, partoo().createUser, hire());
    expect(invitesOf(user.id)).toBe(0);
    expect(await run(1, partoo().sendInvite, user)).toBe('sent');
    expect(await run(2, partoo().sendInvite, user)).toBe('already-sent');
    expect(invitesOf(user.id)).toBe(1);
  });

  it('a lost invite response does not fail the saga: the retry says already-sent', async () => {
    const user = await run(1, partoo().createUser, hire());
    sandboxes.vendors.partoo.addFault({ kind: 'lost-response', count: 1, mode: 'drop', match: { method: 'POST', path: '/invite$' } });
    const lost = await failure(run(1, partoo().sendInvite, user));
    expect(lost).toMatchObject({ type: VendorErrorType.Unavailable, nonRetryable: false });
    expect(await run(2, partoo().sendInvite, user)).toBe('already-sent');
    expect(invitesOf(user.id)).toBe(1);
  });

  it('a first invitation refused in words we do not know fails; the same refusal on a retry, the user still invited, is already-sent (decided by state)', async () => {
    const user = await run(1, partoo().createUser, hire());
    const refusal = { kind: 'fail-next', count: 1, status: 400, body: { errors: { json: 'Wording nobody documented' } }, match: { method: 'POST', path: '/invite$' } } as const;
    sandboxes.vendors.partoo.addFault(refusal);
    expect(await failure(run(1, partoo().sendInvite, user))).toMatchObject({ type: VendorErrorType.Validation });
    sandboxes.vendors.partoo.addFault(refusal);
    expect(await run(2, partoo().sendInvite, user)).toBe('already-sent');
  });

  it('inviting a user that is gone fails for good', async () => {
    const err = await failure(run(1, partoo().sendInvite, { vendor: 'partoo', id: '0123456789abcdef01234567', origin: 'created', email: 'x@example.com' }));
    expect(err).toMatchObject({ type: VendorErrorType.NotFound, nonRetryable: true });
  });
});

describe('cancellation', () => {
  it('cancelling the activity aborts the request in flight', async () => {
    sandboxes.vendors.netbird.addFault({ kind: 'latency', ms: 2_000 });
    const env = new MockActivityEnvironment({ attempt: 1 });
    const started = Date.now();
    const running = env.run(createVendorActivities(config).netbird.createUser, hire());
    setTimeout(() => env.cancel(), 100);
    await expect(running).rejects.toBeInstanceOf(CancelledFailure);
    expect(Date.now() - started).toBeLessThan(1_500);
    sandboxes.vendors.netbird.reset();
  });
});

describe('secrets', () => {
  it('no configured credential appears in any activity input, result, failure or log line', () => {
    const secrets = [
      SANDBOX_CREDENTIALS.netbird.token,
      SANDBOX_CREDENTIALS.siit.token,
      SANDBOX_CREDENTIALS.meetbit.accessKeyId,
      SANDBOX_CREDENTIALS.meetbit.accessKeySecret,
      SANDBOX_CREDENTIALS.meetergo.apiKey,
      SANDBOX_CREDENTIALS.partoo.apiKey,
      ...CASES.map((c) => `wrong-${c.vendor}-credential`),
    ];
    expect(observed.length).toBeGreaterThan(50);
    expect(logs.length).toBeGreaterThan(20);
    const text = JSON.stringify([observed, logs.map((l) => [l.message, l.meta])]);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});
