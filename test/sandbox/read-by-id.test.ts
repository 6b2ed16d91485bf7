/**
 * Reading one user by id, as the saga will before it deletes one (prove identity first): what
 * each vendor answers for a user it holds, an unknown id, and a user already undone. NetBird has
 * no such call (BEYOND-CREATE.md): its list is the only read, and GET on a user's path is 405.
 */
import { describe, expect, test } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { VendorName } from '../../workflows/vendors.js';
import { CREATE, CREATED_ID, UNDO, uniqueEmail, useSandboxes, type Answer } from './support.js';
import { VendorContract } from './openapi.js';

const suite = useSandboxes();
const { call } = suite;

interface ReadCase {
  vendor: VendorName;
  read: string;
  /** The user object inside the answer. */
  userOf: (body: any) => any;
  /** Where the vendor's OpenAPI file has the answer's schema, when it has one. */
  schema?: string;
  unknownId: string;
  unknown: { status: number; body: unknown };
  /** What reading the undone user answers. */
  afterUndo: (answer: Answer) => void;
}

const CASES: ReadCase[] = [
  {
    vendor: 'siit',
    read: '/users/:id',
    userOf: (b) => b.result,
    schema: '/components/schemas/created_user_object',
    unknownId: 'u_nobody',
    unknown: { status: 404, body: { error: 'Not found' } },
    // Siit never deletes: an archived user is read with archived_at set.
    afterUndo: (a) => expect([a.status, typeof a.body.result.archived_at]).toEqual([200, 'string']),
  },
  {
    vendor: 'meetbit',
    read: '/users/:id',
    userOf: (b) => b.data,
    schema: '/components/responses/UserResponse/content/application~1json/schema',
    unknownId: '987654321',
    unknown: { status: 404, body: 'Resource object does not exist.' },
    afterUndo: (a) => expect([a.status, a.body]).toEqual([404, 'Resource object does not exist.']),
  },
  {
    vendor: 'meetergo',
    read: '/user/:id',
    userOf: (b) => b,
    unknownId: randomUUID(),
    unknown: { status: 404, body: { statusCode: 404, message: 'User not found', error: 'Not Found' } },
    afterUndo: (a) => expect([a.status, a.body]).toEqual([404, { statusCode: 404, message: 'User not found', error: 'Not Found' }]),
  },
  {
    vendor: 'partoo',
    read: '/user/:id',
    userOf: (b) => b,
    unknownId: '0123456789abcdef01234567',
    unknown: { status: 404, body: { errors: { json: 'Resource not found' } } },
    afterUndo: (a) => expect([a.status, a.body]).toEqual([404, { errors: { json: 'Resource not found' } }]),
  },
];

describe.each(CASES)('$vendor: read by id', (c) => {
  const path = (id: string) => c.read.replace(':id', encodeURIComponent(id));

  test('a user it holds: the same user the create made, in the documented shape', async () => {
    const email = uniqueEmail(c.vendor);
    const created = await call(c.vendor, 'POST', CREATE[c.vendor].path, { json: CREATE[c.vendor].body(email) });
    const id = CREATED_ID[c.vendor](created.body);
    const read = await call(c.vendor, 'GET', path(id));
    expect(read.status).toBe(200);
    const user = c.userOf(read.body);
    expect(user.email ?? user.emails?.[0]).toBe(email);
    expect(String(user.id ?? user.uid)).toBe(id);
    if (c.schema) expect(new VendorContract(c.vendor).schemaErrors(c.schema, read.body)).toEqual([]);
    // The body the control API shows is the one the vendor serves.
    expect(suite.sandboxes.vendors[c.vendor].users().find((u) => u.id === id)?.body).toEqual(user);
  });

  test('an unknown id', async () => {
    const answer = await call(c.vendor, 'GET', path(c.unknownId));
    expect([answer.status, answer.body]).toEqual([c.unknown.status, c.unknown.body]);
  });

  test('a user already undone', async () => {
    const created = await call(c.vendor, 'POST', CREATE[c.vendor].path, { json: CREATE[c.vendor].body(uniqueEmail(c.vendor)) });
    const id = CREATED_ID[c.vendor](created.body);
    expect((await call(c.vendor, UNDO[c.vendor].method, UNDO[c.vendor].path.replace(':id', id))).status).toBeLessThan(300);
    c.afterUndo(await call(c.vendor, 'GET', path(id)));
  });
});

test('MeetBit shows a soft-deleted user by id with WithTrashed=true [guess]', async () => {
  const created = await call('meetbit', 'POST', '/users', { json: CREATE.meetbit.body(uniqueEmail('mb')) });
  const id = created.body.data.id;
  await call('meetbit', 'DELETE', `/users/${id}`);
  const trashed = await call('meetbit', 'GET', `/users/${id}?WithTrashed=true`);
  expect([trashed.status, typeof trashed.body.data.deleted_at]).toEqual([200, 'string']);
});

test('NetBird has no read by id: the list is the read (each item in the documented User shape); GET on a user is 405', async () => {
  const email = uniqueEmail('nb');
  const created = await call('netbird', 'POST', '/users', { json: CREATE.netbird.body(email) });
  const listed = await call('netbird', 'GET', '/users');
  const user = listed.body.find((u: { id: string }) => u.id === created.body.id);
  expect(user).toEqual(created.body);
  const contract = new VendorContract('netbird');
  expect(contract.schemaErrors('/paths/~1api~1users/post/responses/200/content/application~1json/schema', user)).toEqual([]);
  const byId = await call('netbird', 'GET', `/users/${created.body.id}`);
  expect([byId.status, byId.body]).toEqual([405, '']);
});
