/** Each vendor beyond create: look-ups, undo, duplicates, auth, Partoo's invitation, bad requests. */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { got } from 'got';
import { VENDORS, type VendorName } from '../../workflows/vendors.js';
import { SANDBOX_CREDENTIALS } from '../../sandbox/credentials.js';
import { startSandboxes, type Sandboxes } from '../../sandbox/index.js';
import { client, CREATE, uniqueEmail } from './support.js';

let clock = Date.now();
let sandboxes: Sandboxes;
let call: ReturnType<typeof client>;
beforeAll(async () => {
  sandboxes = await startSandboxes({ rateLimits: false, now: () => clock });
  call = client(sandboxes);
});
afterAll(() => sandboxes.stop());
beforeEach(() => Object.values(sandboxes.vendors).forEach((v) => v.reset()));

const create = (vendor: VendorName, email: string, fields: Record<string, unknown> = {}) =>
  call(vendor, 'POST', CREATE[vendor].path, { json: { ...CREATE[vendor].body(email), ...fields } });

describe('NetBird', () => {
  test('Token and Bearer PATs are accepted, anything else is 401', async () => {
    const bearer = await call('netbird', 'GET', '/users', { headers: { authorization: `Bearer ${SANDBOX_CREDENTIALS.netbird.token}` } });
    expect(bearer.status).toBe(200);
    const wrong = await call('netbird', 'GET', '/users', { headers: { authorization: 'Token nbp_wrong' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ message: 'token invalid', code: 401 });
  });

  test('look-up is a plain list filtered on our side; delete, then 404', async () => {
    const email = uniqueEmail('nb');
    const person = await create('netbird', email);
    expect(person.body).toMatchObject({ email, status: 'invited', is_service_user: false });
    await call('netbird', 'POST', '/users', { json: { name: 'bot', role: 'user', auto_groups: [], is_service_user: true } });
    const people = await call('netbird', 'GET', '/users?service_user=false');
    expect(people.body).toEqual([person.body]);
    expect((await call('netbird', 'GET', '/users')).body).toHaveLength(2);

    expect(await create('netbird', email.toUpperCase()).then((a) => a.body)).toEqual({ message: "can't invite a user with an existing netbird account", code: 409 });
    const deleted = await call('netbird', 'DELETE', `/users/${person.body.id}`);
    expect([deleted.status, deleted.body]).toEqual([200, {}]);
    expect((await call('netbird', 'GET', '/users?service_user=false')).body).toEqual([]);
    const again = await call('netbird', 'DELETE', `/users/${person.body.id}`);
    expect([again.status, again.body]).toEqual([404, { message: `user: ${person.body.id} not found`, code: 404 }]);
    expect(sandboxes.vendors.netbird.users().find((u) => u.id === person.body.id)?.state).toBe('deleted');
    // Deleted users do not hold their email.
    expect((await create('netbird', email)).status).toBe(200);
  });

  test('invites can be re-sent to invited users only', async () => {
    const person = await create('netbird', uniqueEmail('nb'));
    expect((await call('netbird', 'POST', `/users/${person.body.id}/invite`)).status).toBe(200);
    const bot = await call('netbird', 'POST', '/users', { json: { name: 'bot', role: 'user', auto_groups: [], is_service_user: true } });
    expect((await call('netbird', 'POST', `/users/${bot.body.id}/invite`)).status).toBe(412);
  });
});

describe('Siit', () => {
  test('find by email (case-insensitive), get by uid, archive as undo', async () => {
    const email = uniqueEmail('Siit');
    const created = await create('siit', email);
    expect(created.status).toBe(201);
    const uid = created.body.result.uid;
    expect(uid).toMatch(/^u_[A-Za-z0-9]+$/);

    const found = await call('siit', 'GET', `/users?email_in[]=${encodeURIComponent(email.toLowerCase())}`);
    expect(found.body.meta).toMatchObject({ count: 1, total: 1, current_page: 1, next_page_link: null, previous_page_link: null });
    expect(found.body.results[0].uid).toBe(uid);
    expect((await call('siit', 'GET', `/users/${uid}`)).body.result.uid).toBe(uid);

    const duplicate = await create('siit', email.toUpperCase());
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toEqual({ error: 'A user with this email already exists', result: created.body.result });

    const archived = await call('siit', 'PATCH', `/users/${uid}/archive`);
    expect(archived.status).toBe(200);
    expect(archived.body.result.archived_at).toEqual(expect.any(String));
    expect((await call('siit', 'GET', `/users?email_in[]=${encodeURIComponent(email)}`)).body.results).toEqual([]);
    expect((await call('siit', 'GET', `/users?email_in[]=${encodeURIComponent(email)}&include_archived=true`)).body.results).toHaveLength(1);
    expect(sandboxes.vendors.siit.users()[0].state).toBe('archived');
    // Archived users do not hold their email; unarchive reverses the undo.
    expect((await create('siit', email)).status).toBe(201);
    expect((await call('siit', 'PATCH', `/users/${uid}/unarchive`)).body.result.archived_at).toBeNull();
  });

  test('unknown uid is 404 {"error":"Not found"}; no credentials 401', async () => {
    const missing = await call('siit', 'PATCH', '/users/u_nope/archive');
    expect([missing.status, missing.body]).toEqual([404, { error: 'Not found' }]);
    expect((await call('siit', 'GET', '/users/u_nope')).status).toBe(404);
    const anonymous = await call('siit', 'GET', '/users', { anonymous: true });
    expect([anonymous.status, anonymous.body]).toEqual([401, { error: 'Unauthorized' }]);
  });
});

describe('MeetBit', () => {
  test('find with filters, get by id, soft delete (202) as undo', async () => {
    const email = uniqueEmail('mb');
    const created = await create('meetbit', email);
    expect(created.body.message).toEqual(expect.any(String));
    const id = created.body.data.id;
    expect(Number.isSafeInteger(id)).toBe(true);
    expect(created.body.data.status).toBe(0);
    expect(sandboxes.vendors.meetbit.users()[0].id).toBe(String(id));

    const filter = `/users?FilterAttribute=email&FilterOperator=eq&FilterValue=${encodeURIComponent(email.toUpperCase())}&PageSize=10&PageNumber=1`;
    const found = await call('meetbit', 'GET', filter);
    expect(found.body.data.map((u: { id: number }) => u.id)).toEqual([id]);
    expect((await call('meetbit', 'GET', `/users/${id}`)).body.data.email).toBe(email);

    const duplicate = await create('meetbit', email);
    expect(duplicate.body).toEqual({ message: 'The given data was invalid.', errors: { email: ['The email has already been taken.'] } });

    const deleted = await call('meetbit', 'DELETE', `/users/${id}`);
    expect([deleted.status, deleted.body]).toEqual([202, '']);
    expect((await call('meetbit', 'GET', filter)).body.data).toEqual([]);
    const trashed = await call('meetbit', 'GET', `${filter}&WithTrashed=true`);
    expect(trashed.body.data[0].deleted_at).toEqual(expect.any(String));
    const gone = await call('meetbit', 'GET', `/users/${id}`);
    expect([gone.status, gone.contentType.split(';')[0], gone.body]).toEqual([404, 'text/plain', 'Resource object does not exist.']);
    expect((await call('meetbit', 'DELETE', `/users/${id}`)).status).toBe(404);
    expect((await create('meetbit', email)).status).toBe(200);
  });

  test('401 is text/plain', async () => {
    const refused = await call('meetbit', 'GET', '/users', { headers: { 'x-access-key-secret': 'wrong' } });
    expect([refused.status, refused.contentType.split(';')[0], refused.body]).toEqual([401, 'text/plain', 'Invalid or missing access key.']);
  });
});

describe('meetergo', () => {
  test('list and filter on our side, get, delete (204) as undo', async () => {
    const email = uniqueEmail('mg');
    const created = await create('meetergo', email);
    expect(created.status).toBe(201);
    expect(created.body.bookingUrl).toMatch(/^https:\/\/cal\.meetergo\.com\/ada-lovelace\//);
    const { userId } = created.body;
    const second = await create('meetergo', uniqueEmail('mg'));
    expect(second.body.bookingUrl).toMatch(/\/ada-lovelace-2\//);

    const page = await call('meetergo', 'GET', '/user?limit=100&offset=0');
    expect(page.body.total).toBe(2);
    expect(page.body.users.find((u: { email: string }) => u.email === email).id).toBe(userId);
    expect((await call('meetergo', 'GET', '/user?limit=1&offset=1')).body.users).toHaveLength(1);
    expect((await call('meetergo', 'GET', '/user?limit=101')).status).toBe(400);
    expect((await call('meetergo', 'GET', `/user/${userId}`)).body.email).toBe(email);

    const deleted = await call('meetergo', 'DELETE', `/user/${userId}`);
    expect(deleted.status).toBe(204);
    const missing = await call('meetergo', 'DELETE', `/user/${userId}`);
    expect([missing.status, missing.body]).toEqual([404, { statusCode: 404, message: 'User not found', error: 'Not Found' }]);
  });

  test('calls other than create need x-meetergo-api-user-id', async () => {
    const headers = { 'x-meetergo-api-user-id': undefined };
    const refused = await call('meetergo', 'GET', '/user', { headers });
    expect([refused.status, refused.body]).toEqual([
      400,
      { statusCode: 400, message: "Missing required header 'x-meetergo-api-user-id' for API key authentication", error: 'Bad Request' },
    ]);
    expect((await call('meetergo', 'POST', '/user', { headers, json: CREATE.meetergo.body(uniqueEmail('mg')) })).status).toBe(201);
    expect((await call('meetergo', 'GET', '/user', { anonymous: true })).status).toBe(401);
  });
});

describe('Partoo', () => {
  test('search by email (case-insensitive exact), get, delete as undo', async () => {
    const email = uniqueEmail('pt');
    const created = await create('partoo', email);
    expect(created.body).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/), status: 'success' });
    await create('partoo', `x${email}`);
    const found = await call('partoo', 'GET', `/user/search?email=${encodeURIComponent(email.toUpperCase())}`);
    expect(found.body).toMatchObject({ page: 1, max_page: 1, count: 1 });
    expect(found.body.users[0]).toMatchObject({ id: created.body.id, role: 'ORG_ADMIN', status: 'invited' });
    expect((await call('partoo', 'GET', `/user/${created.body.id}`)).body.email).toBe(email);
    expect((await create('partoo', email)).body).toEqual({ errors: { json: { email: 'A user with this email already exists' } } });

    expect((await call('partoo', 'DELETE', `/user/${created.body.id}`)).body).toEqual({ id: created.body.id, status: 'success' });
    const again = await call('partoo', 'DELETE', `/user/${created.body.id}`);
    expect([again.status, again.body]).toEqual([404, { errors: { json: 'Resource not found' } }]);
  });

  test('the held invitation: invited users only, at most once per 5 minutes', async () => {
    const held = await create('partoo', uniqueEmail('pt'));
    const invite = (id: string) => call('partoo', 'POST', `/user/${id}/invite`);
    expect((await invite(held.body.id)).body).toEqual({ status: 'success' });
    const tooSoon = await invite(held.body.id);
    expect([tooSoon.status, tooSoon.body]).toEqual([400, { errors: { json: 'Invitation already sent less than 5 minutes ago' } }]);
    clock += 5 * 60_000;
    expect((await invite(held.body.id)).status).toBe(200);
    expect(sandboxes.vendors.partoo.users()[0]).toMatchObject({ state: 'invited', invitesSent: 2 });

    const active = await create('partoo', uniqueEmail('pt'), { status: 'active' });
    expect((await invite(active.body.id)).body).toEqual({ errors: { json: 'User is not in invited status' } });
    const sentAtCreate = await create('partoo', uniqueEmail('pt'), { send_invitation: true, status: undefined });
    expect((await invite(sentAtCreate.body.id)).status).toBe(400);
    const unknown = await invite('0123456789abcdef01234567');
    expect([unknown.status, unknown.body]).toEqual([404, { errors: { json: 'Resource not found' } }]);
  });

  test('401 and 403 bodies', async () => {
    const refused = await call('partoo', 'GET', '/user/search', { anonymous: true });
    expect([refused.status, refused.body]).toEqual([401, { errors: { authentication: 'User not authenticated' } }]);
    sandboxes.vendors.partoo.addFault({ kind: 'fail-next', count: 1, status: 403 });
    expect((await call('partoo', 'GET', '/user/search')).body).toEqual({ errors: { authorization: 'Operation not allowed' } });
  });
});

describe.each(VENDORS)('%s refuses bad requests in its own words and keeps serving', (vendor) => {
  const expectVendorShaped = (body: unknown) => {
    expect(JSON.stringify(body)).not.toMatch(/FST_|Unsupported Media Type: |"code":"/);
  };

  test.each([
    ['malformed JSON', { body: '{"email":' }, 400],
    ['a JSON body that is not an object', { body: '[1,2]' }, [400, 422]],
    ['a wrong content type', { body: 'email=a@b.co', contentType: 'application/x-www-form-urlencoded' }, 415],
    ['a huge body', { body: JSON.stringify({ email: 'a@b.co', padding: 'x'.repeat(2_000_000) }) }, 413],
  ] as const)('%s', async (_title, options, status) => {
    const answer = await call(vendor, 'POST', CREATE[vendor].path, options);
    expect(([] as number[]).concat(status)).toContain(answer.status);
    expectVendorShaped(answer.body);
    expect((await call(vendor, 'GET', vendor === 'partoo' ? '/user/search' : CREATE[vendor].path)).status).toBe(200);
  });

  test('unknown paths get the vendor 404, outside the base path too', async () => {
    const unknown = await call(vendor, 'GET', '/no/such/thing');
    expect(unknown.status).toBe(404);
    expectVendorShaped(unknown.body);
    const outside = await got(`${new URL(sandboxes.urls[vendor]).origin}/elsewhere`, { throwHttpErrors: false, retry: { limit: 0 } });
    expect(outside.statusCode).toBe(404);
  });
});
