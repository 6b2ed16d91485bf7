/**
 * Contract tests: valid and invalid create requests per vendor, each request checked against
 * the vendor's OpenAPI file, and every answer the sandbox gives checked against it too. The
 * refusals a real tenant makes (a reference to something that does not exist, a key without the
 * permission) come from the sandbox's tenant fixture (sandbox/tenant.ts), changed per case.
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { VENDORS, type VendorName } from '../../workflows/vendors.js';
import type { Sandboxes } from '../../sandbox/index.js';
import { client, CREATE, uniqueEmail, useSandboxes } from './support.js';
import { SHARED_SPECS, SPECS_DIR, VendorContract } from './openapi.js';

interface Case {
  title: string;
  /** A body, or a function of a fresh email. */
  body: (email: string) => unknown;
  /** Whether the body satisfies the contract's request schema. */
  contract: 'valid' | 'invalid';
  status: number;
  /** The answer's body, when the case pins it (JSON, or the text of a text answer). */
  answer?: unknown;
  anonymous?: boolean;
  headers?: Record<string, string>;
  /** Runs first (e.g. to create the user a duplicate collides with, or to inject a fault). */
  before?: (sandboxes: Sandboxes, email: string) => Promise<void> | void;
}

/** Statuses BEYOND-CREATE.md (not the OpenAPI file) documents for create, or the pinned guesses. */
const BEYOND_OPENAPI: Record<VendorName, number[]> = {
  netbird: [409, 422],
  siit: [400, 401, 409],
  meetbit: [],
  meetergo: [401],
  partoo: [],
};

const valid = (vendor: VendorName) => (email: string) => CREATE[vendor].body(email);
const withFields = (vendor: VendorName, fields: Record<string, unknown>) => (email: string) => ({ ...CREATE[vendor].body(email), ...fields });
const without = (vendor: VendorName, field: string) => (email: string) => {
  const body = CREATE[vendor].body(email);
  delete body[field];
  return body;
};
const duplicateOf = (vendor: VendorName) => async (sandboxes: Sandboxes, email: string) => {
  const first = await client(sandboxes)(vendor, 'POST', CREATE[vendor].path, { json: CREATE[vendor].body(email.toUpperCase()) });
  expect(first.status).toBeLessThan(300);
};
const failNext = (vendor: VendorName, status: number) => (sandboxes: Sandboxes) => {
  sandboxes.vendors[vendor].addFault({ kind: 'fail-next', count: 1, status, match: { method: 'POST' } });
};
/** The tenant for one case (beforeEach's reset restores the default). */
const tenant =
  <V extends VendorName>(vendor: V, override: Parameters<Sandboxes['vendors'][V]['setTenant']>[0]) =>
  (sandboxes: Sandboxes) =>
    sandboxes.vendors[vendor].setTenant(override as never);
/** Siit's report_to names an existing user: this case's manager, created first. */
let managerUid = '';
const createManager = async (sandboxes: Sandboxes) => {
  const manager = await client(sandboxes)('siit', 'POST', '/users', { json: CREATE.siit.body(uniqueEmail('manager')) });
  managerUid = manager.body.result.uid;
};
const siitValidation = (errors: Record<string, string[]>) => ({ error: 'Validation failed', errors });
const meetbitValidation = (errors: Record<string, string[]>) => ({ message: 'The given data was invalid.', errors });
const partooValidation = (errors: Record<string, string[]>) => ({ errors: { json: errors } });
const hours = (start: [number, number, number], end: [number, number, number]) => {
  const t = ([hour, minute, second]: [number, number, number]) => ({ hour, minute, second });
  return { sunday: [], monday: [{ start: t(start), end: t(end) }], tuesday: [], wednesday: [], thursday: [], friday: [], saturday: [] };
};
const schedule = (monday: unknown) => ({ availability: { name: 'Hours', timezone: 'Europe/Berlin', schedule: { monday, saturday: { enabled: false, hours: [] } } } });

const CASES: Record<VendorName, Case[]> = {
  netbird: [
    { title: 'a person', body: valid('netbird'), contract: 'valid', status: 200 },
    { title: 'a service user', body: () => ({ name: 'ci-bot', role: 'user', auto_groups: ['engineering'], is_service_user: true }), contract: 'valid', status: 200 },
    { title: 'a person in existing groups', body: withFields('netbird', { auto_groups: ['engineering', 'sales'] }), contract: 'valid', status: 200 },
    { title: 'malformed JSON', body: () => '{"email":', contract: 'invalid', status: 400 },
    { title: 'a wrong type', body: withFields('netbird', { auto_groups: 'g1' }), contract: 'invalid', status: 400 },
    { title: 'missing is_service_user', body: without('netbird', 'is_service_user'), contract: 'invalid', status: 422 },
    { title: 'an empty email for a person', body: withFields('netbird', { email: '' }), contract: 'valid', status: 422 },
    { title: 'an empty name for a person', body: withFields('netbird', { name: '' }), contract: 'valid', status: 422 },
    { title: 'an unknown role', body: withFields('netbird', { role: 'superuser' }), contract: 'valid', status: 422 },
    { title: 'the owner role', body: withFields('netbird', { role: 'owner' }), contract: 'valid', status: 422 },
    { title: 'a taken email', body: valid('netbird'), contract: 'valid', status: 409, before: duplicateOf('netbird') },
    { title: 'no credentials', body: valid('netbird'), contract: 'valid', status: 401, anonymous: true },
    {
      title: 'a group that does not exist',
      body: withFields('netbird', { auto_groups: ['engineering', 'no-such-group'] }),
      contract: 'valid',
      status: 422,
      answer: { message: "provided group ID no-such-group doesn't exist", code: 422 },
    },
    { title: 'the All group', body: withFields('netbird', { auto_groups: ['all'] }), contract: 'valid', status: 422, answer: { message: "can't add All group to the user", code: 422 } },
    {
      title: 'a token whose user may not create users',
      body: valid('netbird'),
      contract: 'valid',
      status: 403,
      answer: { message: 'permission denied', code: 403 },
      before: tenant('netbird', { permissions: { users: ['read'] } }),
    },
    { title: 'a vendor failure', body: valid('netbird'), contract: 'valid', status: 500, before: failNext('netbird', 500) },
  ],
  siit: [
    { title: 'a user', body: valid('siit'), contract: 'valid', status: 201 },
    { title: 'nullable fields set to null', body: withFields('siit', { city: null, gender: null, teams: null }), contract: 'valid', status: 201 },
    { title: 'no email', body: without('siit', 'email'), contract: 'invalid', status: 400 },
    { title: 'an impossible date', body: withFields('siit', { hire_date: '2026-02-30' }), contract: 'invalid', status: 400 },
    { title: 'an unknown enum value', body: withFields('siit', { gender: 'unknown' }), contract: 'invalid', status: 400 },
    {
      title: 'relationships that exist',
      body: (email) => ({
        ...CREATE.siit.body(email),
        department: 'dep_engineering',
        teams: ['team_sre', 'team_backend'],
        legal_entity: 'le_example',
        office_location: 'ol_paris',
        report_to: managerUid,
      }),
      contract: 'valid',
      status: 201,
      before: createManager,
    },
    { title: 'a department that does not exist', body: withFields('siit', { department: 'dep_nope' }), contract: 'valid', status: 400, answer: siitValidation({ department: ['must exist'] }) },
    {
      title: 'a team that does not exist',
      body: withFields('siit', { teams: ['team_sre', 'team_nope'] }),
      contract: 'valid',
      status: 400,
      answer: siitValidation({ teams: ['team_nope must exist'] }),
    },
    { title: 'a legal entity that does not exist', body: withFields('siit', { legal_entity: 'le_nope' }), contract: 'valid', status: 400, answer: siitValidation({ legal_entity: ['must exist'] }) },
    { title: 'an office location that does not exist', body: withFields('siit', { office_location: 'ol_nope' }), contract: 'valid', status: 400, answer: siitValidation({ office_location: ['must exist'] }) },
    { title: 'a manager who does not exist', body: withFields('siit', { report_to: 'u_nobody' }), contract: 'valid', status: 400, answer: siitValidation({ report_to: ['must exist'] }) },
    { title: 'a taken email', body: valid('siit'), contract: 'valid', status: 409, before: duplicateOf('siit') },
    { title: 'no credentials', body: valid('siit'), contract: 'valid', status: 401, anonymous: true },
  ],
  meetbit: [
    { title: 'an invited user', body: valid('meetbit'), contract: 'valid', status: 200 },
    { title: 'an activated silent user', body: withFields('meetbit', { activate: true, is_silent: true }), contract: 'valid', status: 200 },
    { title: 'is_silent without activate', body: withFields('meetbit', { is_silent: true }), contract: 'valid', status: 400 },
    {
      title: 'a department that does not exist',
      body: withFields('meetbit', { department_id: 999 }),
      contract: 'valid',
      status: 400,
      answer: meetbitValidation({ department_id: ['The selected department id is invalid.'] }),
    },
    { title: 'a role that is not an existing role name', body: withFields('meetbit', { role: 'Wizard' }), contract: 'valid', status: 400, answer: meetbitValidation({ role: ['The selected role is invalid.'] }) },
    { title: 'a role name in the wrong case', body: withFields('meetbit', { role: 'user' }), contract: 'valid', status: 400, answer: meetbitValidation({ role: ['The selected role is invalid.'] }) },
    {
      title: 'activate with a key without users.lock.*',
      body: withFields('meetbit', { activate: true, is_silent: true }),
      contract: 'valid',
      status: 401,
      answer: 'Access denied.',
      before: tenant('meetbit', { permissions: ['users.create.*', 'users.read.*', 'users.delete.*'] }),
    },
    {
      title: 'an invited user with a key without users.lock.*',
      body: valid('meetbit'),
      contract: 'valid',
      status: 200,
      before: tenant('meetbit', { permissions: ['users.create.*'] }),
    },
    { title: 'a key without users.create.*', body: valid('meetbit'), contract: 'valid', status: 401, answer: 'Access denied.', before: tenant('meetbit', { permissions: ['users.read.*'] }) },
    {
      title: 'an old time-zone alias (Laravel lists none)',
      body: withFields('meetbit', { timezone: 'Asia/Calcutta' }),
      contract: 'valid',
      status: 400,
      answer: meetbitValidation({ timezone: ['The timezone must be a valid timezone.'] }),
    },
    { title: 'no timezone', body: without('meetbit', 'timezone'), contract: 'invalid', status: 400 },
    { title: 'a timezone that is not IANA', body: withFields('meetbit', { timezone: 'Mars/Olympus' }), contract: 'valid', status: 400 },
    { title: 'a malformed email', body: withFields('meetbit', { email: 'not-an-email' }), contract: 'invalid', status: 400 },
    { title: 'a name over 255 characters', body: withFields('meetbit', { first_name: 'x'.repeat(256) }), contract: 'invalid', status: 400 },
    { title: 'work hours ending before they start', body: withFields('meetbit', { work_hours: hours([17, 0, 0], [9, 0, 0]) }), contract: 'valid', status: 400 },
    { title: 'a time past 24 hours', body: withFields('meetbit', { work_hours: hours([9, 0, 0], [24, 30, 0]) }), contract: 'valid', status: 400 },
    { title: 'a time out of range', body: withFields('meetbit', { work_hours: hours([9, 61, 0], [17, 0, 0]) }), contract: 'invalid', status: 400 },
    { title: 'a day missing from work hours', body: withFields('meetbit', { work_hours: { monday: [] } }), contract: 'invalid', status: 400 },
    { title: 'a taken email', body: valid('meetbit'), contract: 'valid', status: 400, before: duplicateOf('meetbit') },
    { title: 'no credentials', body: valid('meetbit'), contract: 'valid', status: 401, answer: 'Invalid or missing access key.', anonymous: true },
    {
      title: 'too many requests',
      body: valid('meetbit'),
      contract: 'valid',
      status: 429,
      before: (s) => s.vendors.meetbit.addFault({ kind: 'burst-429', count: 1, retryAfterSeconds: 1 }),
    },
    { title: 'a vendor failure', body: valid('meetbit'), contract: 'valid', status: 500, before: failNext('meetbit', 500) },
  ],
  meetergo: [
    { title: 'a user', body: valid('meetergo'), contract: 'valid', status: 201 },
    {
      title: 'a user with availability and meeting type',
      body: withFields('meetergo', {
        ...schedule({ enabled: true, hours: [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '17:00' }] }),
        meetingType: { name: '45 Minute Call', duration: 45, slug: 'ada-45min', channel: 'connect' },
      }),
      contract: 'valid',
      status: 201,
    },
    { title: 'a malformed email', body: withFields('meetergo', { email: 'nope' }), contract: 'invalid', status: 400 },
    { title: 'no familyName', body: without('meetergo', 'familyName'), contract: 'invalid', status: 400 },
    { title: 'a timezone that is not IANA', body: withFields('meetergo', { timezone: 'Europe/Atlantis' }), contract: 'valid', status: 400 },
    { title: 'an enabled day without hours', body: withFields('meetergo', schedule({ enabled: true, hours: [] })), contract: 'valid', status: 400 },
    { title: 'a time not in HH:MM', body: withFields('meetergo', schedule({ enabled: true, hours: [{ start: '9:00', end: '17:00' }] })), contract: 'invalid', status: 400 },
    { title: 'a range ending before it starts', body: withFields('meetergo', schedule({ enabled: true, hours: [{ start: '17:00', end: '09:00' }] })), contract: 'valid', status: 400 },
    { title: 'an unknown channel', body: withFields('meetergo', { meetingType: { channel: 'carrier-pigeon' } }), contract: 'invalid', status: 400 },
    { title: 'a taken email', body: valid('meetergo'), contract: 'valid', status: 409, before: duplicateOf('meetergo') },
    { title: 'no credentials', body: valid('meetergo'), contract: 'valid', status: 401, anonymous: true },
    {
      title: 'no API platform subscription',
      body: valid('meetergo'),
      contract: 'valid',
      status: 403,
      answer: { statusCode: 403, message: "Company does not have access to 'apiPlatform' feature.", error: 'Forbidden' },
      before: tenant('meetergo', { apiPlatform: false }),
    },
    {
      title: 'a Personal Access Token',
      body: valid('meetergo'),
      contract: 'valid',
      status: 403,
      answer: { statusCode: 403, message: 'Personal Access Tokens cannot create users', error: 'Forbidden' },
      before: tenant('meetergo', { keyType: 'personal' }),
    },
    {
      title: 'an acting user who is not a company admin',
      body: valid('meetergo'),
      contract: 'valid',
      status: 403,
      answer: { statusCode: 403, message: 'Acting user is not a company admin', error: 'Forbidden' },
      headers: { 'x-meetergo-api-user-id': '00000000-0000-4000-8000-0000000000ff' },
    },
    { title: 'an old time-zone alias (Intl knows it)', body: withFields('meetergo', { timezone: 'Asia/Calcutta' }), contract: 'valid', status: 201 },
  ],
  partoo: [
    { title: 'an invited user held for a later invitation', body: valid('partoo'), contract: 'valid', status: 200 },
    { title: 'an active user with a password', body: withFields('partoo', { status: 'active', password: 'Sandbox!pass1', role: 'BUSINESS_MANAGER', lang: 'fr' }), contract: 'valid', status: 200 },
    { title: 'no last_name', body: without('partoo', 'last_name'), contract: 'invalid', status: 400 },
    { title: 'an unknown role', body: withFields('partoo', { role: 'PROVIDER' }), contract: 'invalid', status: 400 },
    { title: 'a malformed email', body: withFields('partoo', { email: 'a@' }), contract: 'invalid', status: 400 },
    { title: 'a weak password', body: withFields('partoo', { password: 'password1' }), contract: 'valid', status: 400 },
    { title: 'a taken email', body: valid('partoo'), contract: 'valid', status: 400, before: duplicateOf('partoo') },
    { title: 'no credentials', body: valid('partoo'), contract: 'valid', status: 401, anonymous: true },
    {
      title: 'a key without WRITE access on its organization',
      body: valid('partoo'),
      contract: 'valid',
      status: 403,
      answer: { errors: { authorization: 'Operation not allowed' } },
      before: tenant('partoo', { keyAccess: 'READ' }),
    },
    { title: 'a custom role of the organization', body: withFields('partoo', { role: 'BUSINESS_MANAGER', custom_role: 'store_manager' }), contract: 'valid', status: 200 },
    {
      title: 'a custom role that does not exist',
      body: withFields('partoo', { custom_role: 'no_such_role' }),
      contract: 'valid',
      status: 400,
      answer: partooValidation({ custom_role: ['Custom role "no_such_role" does not exist in your organization.'] }),
    },
    {
      title: 'businesses of the organization for a BUSINESS_MANAGER',
      body: withFields('partoo', { role: 'BUSINESS_MANAGER', business_ids: ['64b7f0c2a1e4d5f6a7b8c901'] }),
      contract: 'valid',
      status: 200,
    },
    {
      title: 'a business that does not exist for a BUSINESS_MANAGER',
      body: withFields('partoo', { role: 'BUSINESS_MANAGER', business_ids: ['64b7f0c2a1e4d5f6a7b8c901', 'ffffffffffffffffffffffff'] }),
      contract: 'valid',
      status: 400,
      answer: partooValidation({ business_ids: ['Business ffffffffffffffffffffffff does not exist or is not accessible.'] }),
    },
    {
      title: 'business ids for another role (not read)',
      body: withFields('partoo', { role: 'ORG_MANAGER', business_ids: ['ffffffffffffffffffffffff'] }),
      contract: 'valid',
      status: 200,
    },
  ],
};

const suite = useSandboxes();

describe.each(VENDORS)('%s create contract', (vendor) => {
  const contract = new VendorContract(vendor);
  const produced = new Set<number>();

  test.each(CASES[vendor])('$title → $status', async (c) => {
    const email = uniqueEmail(vendor);
    await c.before?.(suite.sandboxes, email);
    const body = c.body(email);
    if (typeof body === 'string') {
      expect(c.contract).toBe('invalid');
    } else {
      expect(contract.requestErrors(body).length === 0 ? 'valid' : 'invalid').toBe(c.contract);
    }
    const usersBefore = suite.sandboxes.vendors[vendor].users().length;

    const answer = await suite.call(vendor, 'POST', CREATE[vendor].path, {
      ...(typeof body === 'string' ? { body } : { json: body }),
      anonymous: c.anonymous,
      headers: c.headers,
    });
    expect(answer.status).toBe(c.status);
    if (c.answer !== undefined) expect(answer.body).toEqual(c.answer);
    produced.add(answer.status);
    if (contract.documentedStatuses().includes(answer.status)) {
      expect(contract.responseErrors(answer.status, answer.body, answer.contentType)).toEqual([]);
    } else {
      expect(BEYOND_OPENAPI[vendor]).toContain(answer.status);
    }
    // Only successful creates leave a new user behind.
    expect(suite.sandboxes.vendors[vendor].users().length - usersBefore).toBe(c.status < 300 ? 1 : 0);
  });

  test('every create status the contract documents was produced', () => {
    expect([...produced].filter((s) => contract.documentedStatuses().includes(s)).sort()).toEqual(contract.documentedStatuses().sort());
  });
});

test('docs/vendor-specs holds every contract, identical to the shared ones when they sit beside this checkout', () => {
  const files = [...VENDORS.map((v) => `${v}.openapi.yaml`), 'BEYOND-CREATE.md', ...VENDORS.map((v) => `seed-docs/${v}-create-user.md`)];
  for (const name of files) {
    const copy = readFileSync(path.join(SPECS_DIR, name), 'utf8');
    expect(copy.length).toBeGreaterThan(100);
    // The shared folder is beside the project's own checkout, not beside a clone made elsewhere.
    if (existsSync(SHARED_SPECS)) expect({ name, same: copy === readFileSync(path.join(SHARED_SPECS, name), 'utf8') }).toEqual({ name, same: true });
  }
});
