/** Each vendor's documented rate limit: numbers, headers, 429 bodies, Retry-After, switches. */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { got } from 'got';
import { VENDORS, type VendorName } from '../../workflows/vendors.js';
import { optionsFromEnv } from '../../sandbox/config.js';
import { startSandboxes, type Sandboxes } from '../../sandbox/index.js';
import { client, type Answer } from './support.js';

/** A cheap authenticated read per vendor. */
const READ: Record<VendorName, string> = {
  netbird: '/users',
  siit: '/users',
  meetbit: '/users',
  meetergo: '/user',
  partoo: '/user/search',
};

let sandboxes: Sandboxes;
let call: ReturnType<typeof client>;
beforeAll(async () => {
  sandboxes = await startSandboxes();
  call = client(sandboxes);
});
afterAll(() => sandboxes.stop());
beforeEach(() => Object.values(sandboxes.vendors).forEach((v) => v.reset()));

async function readUntilLimited(vendor: VendorName, max: number): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let i = 0; i < max; i++) {
    const answer = await call(vendor, 'GET', READ[vendor]);
    answers.push(answer);
    if (answer.status === 429) break;
  }
  return answers;
}

test('each vendor starts at its documented limit', () => {
  const limits = Object.fromEntries(VENDORS.map((v) => [v, sandboxes.vendors[v].rateLimit().current]));
  expect(limits).toEqual({
    netbird: { limit: 120, windowMs: 60_000, burst: 1200 },
    siit: { limit: 60, windowMs: 60_000 },
    meetbit: { limit: 5, windowMs: 1_000 },
    meetergo: { limit: 100, windowMs: 60_000, burst: 200 },
    partoo: { limit: 300, windowMs: 60_000 },
  });
});

test('MeetBit at its documented 5 req/s: RateLimit-* headers, text 429 with Retry-After', async () => {
  const answers = await readUntilLimited('meetbit', 10);
  expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 429]);
  expect(answers.slice(0, 5).map((a) => a.headers['ratelimit-remaining'])).toEqual(['4', '3', '2', '1', '0']);
  expect(answers[0].headers['ratelimit-limit']).toBe('5');
  expect(answers[0].headers['ratelimit-reset']).toBeDefined();
  const limited = answers[5];
  expect(limited.contentType).toMatch(/^text\/plain/);
  expect(limited.body).toBe('Too many requests.');
  expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
});

describe.each([
  ['netbird', { message: 'too many requests', code: 429 }, false],
  ['siit', { error: 'Too many requests' }, false],
  ['meetergo', { statusCode: 429, message: 'Too Many Requests', error: 'Too Many Requests' }, false],
  ['partoo', { errors: { json: 'Too many requests' } }, true],
] as const)('%s when limited', (vendor, body, retryAfter) => {
  test(`answers ${JSON.stringify(body)} ${retryAfter ? 'with' : 'without'} Retry-After`, async () => {
    sandboxes.vendors[vendor].setRateLimit({ limit: 3, windowMs: 60_000 });
    const answers = await readUntilLimited(vendor, 10);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(answers[3].body).toEqual(body);
    expect(answers[3].headers['retry-after'] !== undefined).toBe(retryAfter);
    if (retryAfter) expect(Number(answers[3].headers['retry-after'])).toBe(20);
  });
});

test('Siit sends X-SiitApi-Limit and -Remaining always, X-SiitApi-Reset once limited', async () => {
  sandboxes.vendors.siit.setRateLimit({ limit: 2, windowMs: 60_000 });
  const [first, second, limited] = await readUntilLimited('siit', 5);
  expect(first.headers['x-siitapi-limit']).toBe('2');
  expect([first.headers['x-siitapi-remaining'], second.headers['x-siitapi-remaining'], limited.headers['x-siitapi-remaining']]).toEqual(['1', '0', '0']);
  expect(first.headers['x-siitapi-reset']).toBeUndefined();
  expect(Number(limited.headers['x-siitapi-reset'])).toBeGreaterThan(0);
  expect(limited.status).toBe(429);
});

test('rate limits can be turned off and back on, in-process and over HTTP', async () => {
  sandboxes.vendors.meetbit.setRateLimit(false);
  expect((await readUntilLimited('meetbit', 20)).every((a) => a.status === 200)).toBe(true);
  const url = `${sandboxes.adminUrls.meetbit}/rate-limit`;
  expect(await got.put(url, { json: { enabled: true } }).json()).toMatchObject({ current: { limit: 5, windowMs: 1000 } });
  expect((await readUntilLimited('meetbit', 10)).length).toBe(6);
  await got.put(url, { json: { limit: 50, windowMs: 1000 } });
  expect(sandboxes.vendors.meetbit.rateLimit().current).toEqual({ limit: 50, windowMs: 1000 });
  await got.put(url, { json: false });
  expect(sandboxes.vendors.meetbit.rateLimit().current).toBe(false);
  const refused = await got.put(url, { json: { limit: -1, windowMs: 1 }, throwHttpErrors: false });
  expect(refused.statusCode).toBe(400);
});

describe('with a controlled clock', () => {
  let clock = Date.UTC(2026, 0, 5);
  let timed: Sandboxes;
  beforeAll(async () => {
    timed = await startSandboxes({ now: () => clock, rateLimits: { partoo: { limit: 2, windowMs: 60_000 } } });
  });
  afterAll(() => timed.stop());

  test('tokens come back with time', async () => {
    const read = () => client(timed)('partoo', 'GET', READ.partoo).then((a) => a.status);
    expect([await read(), await read(), await read()]).toEqual([200, 200, 429]);
    clock += 30_000;
    expect([await read(), await read()]).toEqual([200, 429]);
  });

  test('NetBird allows its documented burst of 1200 before refusing', async () => {
    const read = () => client(timed)('netbird', 'GET', READ.netbird).then((a) => a.status);
    const statuses: number[] = [];
    for (let batch = 0; batch < 12; batch++) statuses.push(...(await Promise.all(Array.from({ length: 100 }, read))));
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(await read()).toBe(429);
    clock += 500; // 120/min: one token back every 500 ms
    expect([await read(), await read()]).toEqual([200, 429]);
  });

  test('MeetBit: hammering after a 429 lengthens the wait', async () => {
    const read = () => client(timed)('meetbit', 'GET', READ.meetbit);
    for (let i = 0; i < 5; i++) await read();
    const first = await read();
    for (let i = 0; i < 5; i++) await read();
    const later = await read();
    expect(Number(later.headers['retry-after'])).toBeGreaterThan(Number(first.headers['retry-after']));
  });
});

test('the environment configures ports, credentials, limits, latency and faults', () => {
  const options = optionsFromEnv({
    SANDBOX_SIIT_PORT: '0',
    SANDBOX_PARTOO_API_KEY: 'other-key',
    SANDBOX_MEETERGO_ACTING_USER_ID: '00000000-0000-4000-8000-000000000099',
    SANDBOX_NETBIRD_RATE_LIMIT: 'off',
    SANDBOX_SIIT_RATE_LIMIT: '{"limit":10,"windowMs":1000}',
    SANDBOX_LATENCY_MS: '10-20',
    SANDBOX_FAULTS: '{"partoo":[{"kind":"fail-next","count":1,"status":500}]}',
  });
  expect(options.ports).toEqual({ netbird: 4101, siit: 0, meetbit: 4103, meetergo: 4104, partoo: 4105 });
  expect(options.credentials).toEqual({ partoo: { apiKey: 'other-key' }, meetergo: { actingUserId: '00000000-0000-4000-8000-000000000099' } });
  expect(options.rateLimits).toEqual({ netbird: false, siit: { limit: 10, windowMs: 1000 } });
  expect(options.latencyMs).toEqual([10, 20]);
  expect(options.faults).toEqual({ partoo: [{ kind: 'fail-next', count: 1, status: 500 }] });
  expect(optionsFromEnv({ SANDBOX_RATE_LIMITS: 'off' }).rateLimits).toBe(false);
  expect(() => optionsFromEnv({ SANDBOX_FAULTS: '[{"kind":"nope"}]' })).toThrow(/SANDBOX_FAULTS/);
});
