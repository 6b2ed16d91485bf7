/** Fault injection, in-process and through the admin API, scoped by method and path. */
import { describe, expect, test } from '@jest/globals';
import { got } from 'got';
import { startSandboxes, type Sandboxes } from '../../sandbox/index.js';
import { client, CREATE, uniqueEmail, useSandboxes } from './support.js';

const suite = useSandboxes();
const { call } = suite;

const createNetbird = (email = uniqueEmail('nb')) => call('netbird', 'POST', '/users', { json: CREATE.netbird.body(email) });

describe('latency', () => {
  test('a fixed delay holds every matching answer', async () => {
    suite.sandboxes.vendors.netbird.addFault({ kind: 'latency', ms: 150, match: { method: 'GET' } });
    let started = Date.now();
    await call('netbird', 'GET', '/users');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    started = Date.now();
    await createNetbird();
    expect(Date.now() - started).toBeLessThan(140);
  });

  test('a random range stays within its bounds', async () => {
    suite.sandboxes.vendors.siit.addFault({ kind: 'latency', ms: [50, 120] });
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      await call('siit', 'GET', '/users');
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(45);
      expect(took).toBeLessThan(400);
    }
  });

  test('latency given at start applies to every vendor', async () => {
    const slow = await startSandboxes({ rateLimits: false, latencyMs: 100 });
    try {
      const started = Date.now();
      await client(slow)('partoo', 'GET', '/user/search?email=x@example.com');
      expect(Date.now() - started).toBeGreaterThanOrEqual(95);
      // Reset keeps the start-time faults.
      slow.vendors.partoo.reset();
      expect(slow.vendors.partoo.faults()).toEqual([{ kind: 'latency', ms: 100 }]);
    } finally {
      await slow.stop();
    }
  });
});

describe('error rate', () => {
  test('rate 1 fails everything with the vendor 500, rate 0 nothing', async () => {
    suite.sandboxes.vendors.meetbit.addFault({ kind: 'error-rate', rate: 1 });
    const failed = await call('meetbit', 'GET', '/users');
    expect(failed.status).toBe(500);
    expect(failed.contentType).toMatch(/^text\/plain/);
    expect(failed.body).toBe('An unexpected error occurred.');
    suite.sandboxes.vendors.meetbit.clearFaults();
    suite.sandboxes.vendors.meetbit.addFault({ kind: 'error-rate', rate: 0 });
    expect((await call('meetbit', 'GET', '/users')).status).toBe(200);
  });

  test('a partial rate fails some and serves the rest', async () => {
    suite.sandboxes.vendors.partoo.addFault({ kind: 'error-rate', rate: 0.5 });
    const statuses = await Promise.all(Array.from({ length: 60 }, () => call('partoo', 'GET', '/user/search').then((a) => a.status)));
    expect(statuses.filter((s) => s === 500).length).toBeGreaterThan(5);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(5);
    expect(statuses.every((s) => s === 200 || s === 500)).toBe(true);
  });
});

describe('429 bursts', () => {
  test('with Retry-After, then the vendor answers again', async () => {
    suite.sandboxes.vendors.partoo.addFault({ kind: 'burst-429', count: 2, retryAfterSeconds: 7 });
    for (let i = 0; i < 2; i++) {
      const limited = await call('partoo', 'GET', '/user/search');
      expect(limited.status).toBe(429);
      expect(limited.headers['retry-after']).toBe('7');
    }
    expect((await call('partoo', 'GET', '/user/search')).status).toBe(200);
  });

  test('without Retry-After, in the vendor body', async () => {
    suite.sandboxes.vendors.meetergo.addFault({ kind: 'burst-429', count: 1 });
    const limited = await call('meetergo', 'GET', '/user');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBeUndefined();
    expect(limited.body).toEqual({ statusCode: 429, message: 'Too Many Requests', error: 'Too Many Requests' });
  });
});

describe('fail the next N calls', () => {
  test('only creates fail, with the chosen status and body, N times', async () => {
    suite.sandboxes.vendors.netbird.addFault({ kind: 'fail-next', count: 2, status: 503, body: { message: 'maintenance', code: 503 }, match: { method: 'POST', path: '^/users$' } });
    expect((await call('netbird', 'GET', '/users')).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const failed = await createNetbird();
      expect(failed.status).toBe(503);
      expect(failed.body).toEqual({ message: 'maintenance', code: 503 });
    }
    expect((await createNetbird()).status).toBe(200);
    expect(suite.sandboxes.vendors.netbird.users()).toHaveLength(1);
    expect(suite.sandboxes.vendors.netbird.faults()).toEqual([]);
  });

  test('without a body, the vendor words the failure', async () => {
    suite.sandboxes.vendors.siit.addFault({ kind: 'fail-next', count: 1, status: 502 });
    const failed = await call('siit', 'GET', '/users');
    expect(failed.status).toBe(502);
    expect(failed.body).toEqual({ error: 'Error' });
  });

  test('a delete-only fault leaves creates alone', async () => {
    suite.sandboxes.vendors.partoo.addFault({ kind: 'fail-next', count: 1, status: 500, match: { method: 'DELETE' } });
    const created = await call('partoo', 'POST', '/user', { json: CREATE.partoo.body(uniqueEmail('p')) });
    expect(created.status).toBe(200);
    expect((await call('partoo', 'DELETE', `/user/${created.body.id}`)).status).toBe(500);
    expect((await call('partoo', 'DELETE', `/user/${created.body.id}`)).status).toBe(200);
  });
});

describe('lost responses', () => {
  test('500 after commit: the user exists though the client saw a failure', async () => {
    suite.sandboxes.vendors.meetergo.addFault({ kind: 'lost-response', count: 1, mode: '500', match: { method: 'POST' } });
    const email = uniqueEmail('lost');
    const lost = await call('meetergo', 'POST', '/user', { json: CREATE.meetergo.body(email) });
    expect(lost.status).toBe(500);
    expect(lost.body).toEqual({ statusCode: 500, message: 'Internal server error', error: 'Internal Server Error' });
    expect(suite.sandboxes.vendors.meetergo.users().map((u) => u.email)).toEqual([email]);
    const [logged] = suite.sandboxes.vendors.meetergo.requests();
    expect(logged).toMatchObject({ status: 500, committedStatus: 201, fault: 'lost-response' });
    // A retry now meets the duplicate: exactly what a saga must be ready for.
    expect((await call('meetergo', 'POST', '/user', { json: CREATE.meetergo.body(email) })).status).toBe(409);
  });

  test('dropped connection after commit: the client gets a socket error, the sandbox keeps serving', async () => {
    suite.sandboxes.vendors.siit.addFault({ kind: 'lost-response', count: 1, mode: 'drop' });
    const email = uniqueEmail('drop');
    await expect(call('siit', 'POST', '/users', { json: CREATE.siit.body(email) })).rejects.toThrow();
    expect(suite.sandboxes.vendors.siit.users().map((u) => u.email)).toEqual([email]);
    const found = await call('siit', 'GET', `/users?email_in[]=${encodeURIComponent(email)}`);
    expect(found.body.results).toHaveLength(1);
    expect(suite.sandboxes.vendors.siit.requests()[0]).toMatchObject({ status: 0, committedStatus: 201, fault: 'lost-response' });
  });
});

describe('admin API', () => {
  const admin = (vendor: keyof Sandboxes['adminUrls'], path: string) => `${suite.sandboxes.adminUrls[vendor]}${path}`;

  test('faults can be added, listed and cleared over HTTP', async () => {
    const added = await got.post(admin('netbird', '/faults'), {
      json: [{ kind: 'fail-next', count: 1, status: 500, match: { path: '^/users$' } }, { kind: 'latency', ms: [1, 2] }],
    }).json();
    expect(added).toHaveLength(2);
    expect((await createNetbird()).status).toBe(500);
    expect(await got(admin('netbird', '/faults')).json()).toEqual([{ kind: 'latency', ms: [1, 2] }]);
    expect((await got.delete(admin('netbird', '/faults'))).statusCode).toBe(204);
    expect(suite.sandboxes.vendors.netbird.faults()).toEqual([]);
  });

  test('a malformed fault is refused with the reason', async () => {
    const refused = await got.post(admin('netbird', '/faults'), { json: { kind: 'fail-next', count: 0, status: 500 }, throwHttpErrors: false });
    expect(refused.statusCode).toBe(400);
    expect(JSON.parse(refused.body).issues[0].path).toBe('count');
    const badRegex = await got.post(admin('netbird', '/faults'), { json: { kind: 'latency', ms: 1, match: { path: '(' } }, throwHttpErrors: false });
    expect(badRegex.statusCode).toBe(400);
  });

  test('users and requests are readable, with credentials redacted; reset empties them', async () => {
    const created = await createNetbird();
    await call('netbird', 'DELETE', `/users/${created.body.id}`);
    const users = await got(admin('netbird', '/users')).json<{ state: string }[]>();
    expect(users).toMatchObject([{ id: created.body.id, state: 'deleted' }]);
    const requests = await got(admin('netbird', '/requests')).json<{ method: string; headers: Record<string, string>; status: number }[]>();
    expect(requests.map((r) => [r.method, r.status])).toEqual([['POST', 200], ['DELETE', 200]]);
    expect(requests[0].headers.authorization).toBe('[redacted]');
    expect(JSON.stringify(requests)).not.toContain('nbp_sandbox_demo');
    expect((await got.post(admin('netbird', '/reset'))).statusCode).toBe(204);
    expect(await got(admin('netbird', '/users')).json()).toEqual([]);
    expect(await got(admin('netbird', '/requests')).json()).toEqual([]);
  });
});
