/**
 * The tenant fixture (sandbox/tenant.ts): how it is given (options, env, admin API) and the
 * refusals it causes beyond create (reads, deletes, invites by a key without the permission).
 * Create's refusals are in contract.test.ts.
 */
import { describe, expect, test } from '@jest/globals';
import { got, type Method } from 'got';
import { optionsFromEnv } from '../../sandbox/config.js';
import { DEFAULT_TENANTS, startSandboxes, type Sandboxes } from '../../sandbox/index.js';
import type { VendorName } from '../../workflows/vendors.js';
import { client, CREATE, CREATED_ID, uniqueEmail, useSandboxes } from './support.js';
import { VendorContract } from './openapi.js';

const suite = useSandboxes();
const { call } = suite;


async function created(vendor: VendorName, on: Sandboxes = suite.sandboxes): Promise<string> {
  const answer = await client(on)(vendor, 'POST', CREATE[vendor].path, { json: CREATE[vendor].body(uniqueEmail(vendor)) });
  expect(answer.status).toBeLessThan(300);
  return CREATED_ID[vendor](answer.body);
}

const live = (vendor: VendorName, id: string) => ['active', 'invited'].includes(suite.sandboxes.vendors[vendor].users().find((u) => u.id === id)?.state ?? '');

interface Refusal {
  vendor: VendorName;
  title: string;
  tenant: Record<string, unknown>;
  method: Method;
  /** `:id` is the id of a user created first. */
  path: string;
  headers?: Record<string, string>;
  status: number;
  answer: unknown;
  /** The user is still there afterwards (nothing was done). */
  untouched?: boolean;
}

const REFUSALS: Refusal[] = [
  { vendor: 'netbird', title: 'delete without the delete permission', tenant: { permissions: { users: ['read', 'create'] } }, method: 'DELETE', path: '/users/:id', status: 403, answer: { message: 'permission denied', code: 403 }, untouched: true },
  { vendor: 'netbird', title: 're-invite without the create permission', tenant: { permissions: { users: ['read', 'delete'] } }, method: 'POST', path: '/users/:id/invite', status: 403, answer: { message: 'permission denied', code: 403 }, untouched: true },
  // NetBird lists only the caller's own user to a token that may not read users.
  { vendor: 'netbird', title: 'list without the read permission: only the caller, who is not a sandbox user', tenant: { permissions: { users: ['create'] } }, method: 'GET', path: '/users', status: 200, answer: [] },
  { vendor: 'meetbit', title: 'list without users.read.*', tenant: { permissions: ['users.create.*'] }, method: 'GET', path: '/users', status: 401, answer: 'Access denied.' },
  { vendor: 'meetbit', title: 'read by id without users.read.*', tenant: { permissions: ['users.create.*'] }, method: 'GET', path: '/users/:id', status: 401, answer: 'Access denied.' },
  { vendor: 'meetbit', title: 'delete without users.delete.*', tenant: { permissions: ['users.create.*', 'users.read.*'] }, method: 'DELETE', path: '/users/:id', status: 401, answer: 'Access denied.', untouched: true },
  {
    vendor: 'meetergo',
    title: 'an acting user who is no longer a company admin',
    tenant: { companyAdmins: ['00000000-0000-4000-8000-0000000000aa'] },
    method: 'DELETE',
    path: '/user/:id',
    status: 403,
    answer: { statusCode: 403, message: 'Acting user is not a company admin', error: 'Forbidden' },
    untouched: true,
  },
  { vendor: 'partoo', title: 'delete with a READ key', tenant: { keyAccess: 'READ' }, method: 'DELETE', path: '/user/:id', status: 403, answer: { errors: { authorization: 'Operation not allowed' } }, untouched: true },
  { vendor: 'partoo', title: 'invite with a READ key', tenant: { keyAccess: 'READ' }, method: 'POST', path: '/user/:id/invite', status: 403, answer: { errors: { authorization: 'Operation not allowed' } }, untouched: true },
];

describe('refusals beyond create come from the tenant', () => {
  test.each(REFUSALS)('$vendor: $title → $status', async (r) => {
    const id = await created(r.vendor);
    suite.sandboxes.vendors[r.vendor].setTenant(r.tenant as never);
    const answer = await call(r.vendor, r.method, r.path.replace(':id', id), { headers: r.headers });
    expect([answer.status, answer.body]).toEqual([r.status, r.answer]);
    // The documented error shapes of the vendor (its create operation's) hold here too.
    const contract = new VendorContract(r.vendor);
    if (answer.status >= 400) {
      expect(contract.documentedStatuses()).toContain(answer.status);
      expect(contract.responseErrors(answer.status, answer.body, answer.contentType)).toEqual([]);
    }
    if (r.untouched) expect(live(r.vendor, id)).toBe(true);
    if (r.path.endsWith('/invite') && r.vendor === 'partoo') {
      expect(suite.sandboxes.vendors.partoo.users().find((u) => u.id === id)?.invitesSent).toBe(0);
    }
  });

  test('the same calls go through with the default tenant', async () => {
    for (const r of REFUSALS) {
      const id = await created(r.vendor);
      const answer = await call(r.vendor, r.method, r.path.replace(':id', id));
      expect({ call: `${r.vendor} ${r.method} ${r.path}`, ok: answer.status < 300 }).toEqual({ call: `${r.vendor} ${r.method} ${r.path}`, ok: true });
    }
  });
});

describe('giving the tenant', () => {
  test('startSandboxes({ tenants }) replaces the fields given and keeps the default others', async () => {
    const own = await startSandboxes({ rateLimits: false, tenants: { meetbit: { departments: [{ id: 42, name: 'Research' }] } } });
    try {
      const create = (department_id: number) => client(own)('meetbit', 'POST', '/users', { json: { ...CREATE.meetbit.body(uniqueEmail('mb')), department_id } });
      const research = await create(42);
      expect([research.status, research.body.data.department_name, research.body.data.role]).toEqual([200, 'Research', 'User']);
      expect((await create(7)).body.errors).toEqual({ department_id: ['The selected department id is invalid.'] });
      expect(own.vendors.meetbit.tenant()).toEqual({ ...DEFAULT_TENANTS.meetbit, departments: [{ id: 42, name: 'Research' }] });
    } finally {
      await own.stop();
    }
  });

  test('SANDBOX_<VENDOR>_TENANT is read as JSON and checked field by field, naming the variable', () => {
    expect(optionsFromEnv({ SANDBOX_PARTOO_TENANT: '{"keyAccess":"READ"}', SANDBOX_NETBIRD_TENANT: '{"groups":[{"id":"g-ops","name":"Ops"}]}' }).tenants).toEqual({
      partoo: { keyAccess: 'READ' },
      netbird: { groups: [{ id: 'g-ops', name: 'Ops' }] },
    });
    expect(optionsFromEnv({}).tenants).toBeUndefined();
    expect(() => optionsFromEnv({ SANDBOX_MEETBIT_TENANT: '{"roles":' })).toThrow('SANDBOX_MEETBIT_TENANT is not valid JSON');
    expect(() => optionsFromEnv({ SANDBOX_MEETBIT_TENANT: '{"departments":[{"id":"seven","name":"x"}],"colour":1}' })).toThrow(
      /^SANDBOX_MEETBIT_TENANT: departments\.0\.id: .*; \(tenant\): Unrecognized key: "colour"$/,
    );
  });

  test('meetergo: the configured acting user is the company admin unless the tenant names the admins', async () => {
    const actingUserId = '00000000-0000-4000-8000-0000000000bb';
    const own = await startSandboxes({ rateLimits: false, credentials: { meetergo: { apiKey: 'ak_other', actingUserId } } });
    try {
      expect(own.vendors.meetergo.tenant().companyAdmins).toEqual([actingUserId]);
      const headers = { authorization: 'Bearer ak_other', 'x-meetergo-api-user-id': actingUserId };
      expect((await client(own)('meetergo', 'GET', '/user', { anonymous: true, headers })).status).toBe(200);
    } finally {
      await own.stop();
    }
  });

  test('over HTTP: GET and PUT /_sandbox/tenant, refused with the reason when malformed; reset restores it', async () => {
    const admin = `${suite.sandboxes.adminUrls.partoo}/tenant`;
    expect(await got(admin).json()).toEqual(DEFAULT_TENANTS.partoo);
    const changed = await got.put(admin, { json: { keyAccess: 'READ' } }).json();
    expect(changed).toEqual({ ...DEFAULT_TENANTS.partoo, keyAccess: 'READ' });
    expect((await call('partoo', 'POST', '/user', { json: CREATE.partoo.body(uniqueEmail('pt')) })).status).toBe(403);
    const refused = await got.put(admin, { json: { keyAccess: 'ADMIN' }, throwHttpErrors: false });
    expect(refused.statusCode).toBe(400);
    expect(JSON.parse(refused.body).error).toMatch(/^partoo tenant: keyAccess: /);
    expect((await got.post(`${suite.sandboxes.adminUrls.partoo}/reset`)).statusCode).toBe(204);
    expect(suite.sandboxes.vendors.partoo.tenant()).toEqual(DEFAULT_TENANTS.partoo);
  });
});
