/**
 * Users that outlive a restart: a state file keeps every vendor's users and id counters (the
 * demo's and `npm run sandbox`'s sandboxes use one), also when the sandboxes start again on the
 * same ports, as a restarted process would. An id handed out once is never handed out again,
 * across restarts and resets.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import http from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { optionsFromEnv } from '../../sandbox/config.js';
import { startSandboxes, type Sandboxes } from '../../sandbox/index.js';
import { VENDORS, type VendorName } from '../../workflows/vendors.js';
import { client, CREATE, CREATED_ID, UNDO, uniqueEmail } from './support.js';

let dir: string;
let stateFile: string;
const open: Sandboxes[] = [];
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sandbox-state-'));
  stateFile = path.join(dir, 'nested', 'sandboxes.json');
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.stop()));
  rmSync(dir, { recursive: true, force: true });
});

async function start(options: Parameters<typeof startSandboxes>[0] = {}): Promise<Sandboxes> {
  const sandboxes = await startSandboxes({ rateLimits: false, stateFile, ...options });
  open.push(sandboxes);
  return sandboxes;
}

async function stop(sandboxes: Sandboxes): Promise<void> {
  open.splice(open.indexOf(sandboxes), 1);
  await sandboxes.stop();
}

/** Creates one user at `vendor`, returning its id. */
async function create(sandboxes: Sandboxes, vendor: VendorName): Promise<string> {
  const answer = await client(sandboxes)(vendor, 'POST', CREATE[vendor].path, { json: CREATE[vendor].body(uniqueEmail(vendor)) });
  expect(answer.status).toBeLessThan(300);
  return CREATED_ID[vendor](answer.body);
}

/** In each vendor: one user kept, one undone; Partoo's kept user invited once. */
async function populate(sandboxes: Sandboxes): Promise<void> {
  for (const vendor of VENDORS) {
    await create(sandboxes, vendor);
    const undone = await create(sandboxes, vendor);
    expect((await client(sandboxes)(vendor, UNDO[vendor].method, UNDO[vendor].path.replace(':id', undone))).status).toBeLessThan(300);
  }
  const [invited] = sandboxes.vendors.partoo.users();
  expect((await client(sandboxes)('partoo', 'POST', `/user/${invited!.id}/invite`)).status).toBe(200);
}

const usersOf = (sandboxes: Sandboxes) => Object.fromEntries(VENDORS.map((v) => [v, sandboxes.vendors[v].users()]));

async function until(condition: () => boolean, what: string, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const savedUsers = (vendor: VendorName): number => {
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')).vendors[vendor].users.length;
  } catch {
    return -1;
  }
};

describe('a state file', () => {
  test('keeps every user, in every state, across a stop and a start; new ids never collide with old ones', async () => {
    const first = await start();
    await populate(first);
    const before = usersOf(first);
    expect(before.partoo.find((u) => u.state === 'invited')?.invitesSent).toBe(1);
    await stop(first);

    const second = await start();
    expect(usersOf(second)).toEqual(before);
    // Served, not just listed: the vendor reads its restored users.
    const [kept] = second.vendors.meetbit.users();
    expect((await client(second)('meetbit', 'GET', `/users/${kept!.id}`)).body.data.email).toBe(kept!.email);
    // Partoo still knows when it last sent the invitation: a second one is too soon.
    const invited = second.vendors.partoo.users().find((u) => u.invitesSent === 1)!;
    expect((await client(second)('partoo', 'POST', `/user/${invited.id}/invite`)).body).toEqual({ errors: { json: 'Invitation already sent less than 5 minutes ago' } });

    for (const vendor of VENDORS) {
      const old = before[vendor].map((u) => u.id);
      const id = await create(second, vendor);
      expect({ vendor, reused: old.includes(id) }).toEqual({ vendor, reused: false });
      if (vendor === 'meetbit') expect(Number(id)).toBeGreaterThan(Math.max(...old.map(Number)));
    }
  });

  test('is written soon after each change, not only at stop, and always whole (a rename, no temporary file left)', async () => {
    const sandboxes = await start();
    await create(sandboxes, 'siit');
    await until(() => savedUsers('siit') === 1, 'the first user in the file');
    await create(sandboxes, 'siit');
    await until(() => savedUsers('siit') === 2, 'the second user in the file');
    expect(readdirSync(path.dirname(stateFile))).toEqual(['sandboxes.json']);
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toMatchObject({ version: 1, savedAt: expect.any(String) });
  });

  test('ids are not handed out again after a reset either (the counters outlive the users)', async () => {
    const first = await start();
    const old = await create(first, 'meetbit');
    first.vendors.meetbit.reset();
    expect(first.vendors.meetbit.users()).toEqual([]);
    await stop(first);
    const second = await start();
    expect(second.vendors.meetbit.users()).toEqual([]);
    expect(Number(await create(second, 'meetbit'))).toBeGreaterThan(Number(old));
  });

  test.each([
    ['not JSON', '{"version":'],
    ['not a sandbox state', JSON.stringify({ version: 9, vendors: {} })],
  ])('a file that is %s stops the start with an error naming it', async (_what, content) => {
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, content);
    await expect(startSandboxes({ stateFile: file })).rejects.toThrow(`Sandbox state file ${file} is not`);
  });

  test('npm run sandbox and the demo keep one under .sandbox-state/ unless SANDBOX_STATE_FILE says otherwise', () => {
    const defaults = { stateFile: '/somewhere/.sandbox-state/sandboxes.json' };
    expect(optionsFromEnv({}, defaults).stateFile).toBe(defaults.stateFile);
    expect(optionsFromEnv({ SANDBOX_STATE_FILE: '/tmp/mine.json' }, defaults).stateFile).toBe('/tmp/mine.json');
    expect(optionsFromEnv({ SANDBOX_STATE_FILE: 'off' }, defaults).stateFile).toBeUndefined();
    // Tests get none unless they ask.
    expect(optionsFromEnv({}).stateFile).toBeUndefined();
  });
});

describe('a restart: stop, then a start on the same ports with the same state file, as a restarted process', () => {
  test('same ports and URLs, same users, fresh ids', async () => {
    const first = await start();
    await populate(first);
    const before = usersOf(first);
    first.vendors.netbird.addFault({ kind: 'fail-next', count: 5, status: 500 });
    await stop(first);
    // The client here keeps connections alive; a restarted process takes long enough to start that
    // a client has seen its old connections closed, a start in this process does not: wait for it,
    // or the next request goes out on a dead socket ("socket hang up").
    await until(() => Object.keys(http.globalAgent.freeSockets).length === 0, 'the client to drop the closed connections');

    const ports = Object.fromEntries(VENDORS.map((v) => [v, Number(new URL(first.urls[v]).port)]));
    const sandboxes = await start({ ports });

    expect(sandboxes.urls).toEqual(first.urls);
    expect(usersOf(sandboxes)).toEqual(before);
    // A restarted process has an empty request log and only its start-time faults.
    expect(sandboxes.vendors.netbird.requests()).toEqual([]);
    expect(sandboxes.vendors.netbird.faults()).toEqual([]);
    for (const vendor of VENDORS) {
      const id = await create(sandboxes, vendor);
      expect({ vendor, reused: before[vendor].some((u) => u.id === id) }).toEqual({ vendor, reused: false });
    }
  });
});
