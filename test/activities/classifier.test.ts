import { describe, expect, it } from '@jest/globals';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import {
  backoffMs,
  describeVendorError,
  NON_RETRYABLE_VENDOR_ERROR_TYPES,
  parseVendorJson,
  retryAfterMs,
  VENDOR_REFUSAL_TYPES,
  VendorErrorType,
  vendorFailure,
  type VendorResponse,
} from '../../activities/http.js';

const res = (status: number, body: unknown = '', headers: VendorResponse['headers'] = {}): VendorResponse => ({
  status,
  headers,
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('vendorFailure: the status table', () => {
  it.each([
    [400, VendorErrorType.Validation, true],
    [422, VendorErrorType.Validation, true],
    [401, VendorErrorType.Auth, true],
    [403, VendorErrorType.Auth, true],
    [404, VendorErrorType.NotFound, true],
    [409, VendorErrorType.Conflict, true],
    [405, VendorErrorType.Rejected, true],
    [412, VendorErrorType.Rejected, true],
    [408, VendorErrorType.Unavailable, false],
    [429, VendorErrorType.RateLimited, false],
    [500, VendorErrorType.Unavailable, false],
    [502, VendorErrorType.Unavailable, false],
    [503, VendorErrorType.Unavailable, false],
    [504, VendorErrorType.Unavailable, false],
    [302, VendorErrorType.Contract, true],
  ])('%i → %s (nonRetryable %s)', (status, type, nonRetryable) => {
    const failure = vendorFailure('siit', 'create', res(status));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure.type).toBe(type);
    expect(failure.nonRetryable).toBe(nonRetryable);
    expect(failure.message).toMatch(/^Siit /);
    expect(NON_RETRYABLE_VENDOR_ERROR_TYPES.includes(type)).toBe(nonRetryable);
  });

  it("the refusal types (the metrics' `refused`) are exactly those of a 4xx other than 408 and 429, all non-retryable", () => {
    const refusals = new Set<string>();
    for (let status = 400; status < 500; status++) if (status !== 408 && status !== 429) refusals.add(vendorFailure('siit', 'create', res(status)).type!);
    expect([...refusals].sort()).toEqual([...VENDOR_REFUSAL_TYPES].sort());
    for (const type of VENDOR_REFUSAL_TYPES) expect(NON_RETRYABLE_VENDOR_ERROR_TYPES).toContain(type);
  });

  it('puts field errors into the message and details (MeetBit / Siit shape)', () => {
    const failure = vendorFailure('meetbit', 'create', res(400, { message: 'The given data was invalid.', errors: { email: ['The email must be a valid email address.'], role: ['The selected role is invalid.'] } }));
    expect(failure.message).toBe('MeetBit rejected the create as invalid (400): The given data was invalid.; email: The email must be a valid email address.; role: The selected role is invalid.');
    expect(failure.details?.[0]).toMatchObject({ vendor: 'meetbit', status: 400, fieldErrors: { email: ['The email must be a valid email address.'] } });
  });

  it('reads meetergo, Partoo and NetBird error shapes', () => {
    expect(describeVendorError(JSON.stringify({ statusCode: 400, message: 'Validation failed', errors: [{ field: 'email', message: 'Invalid email format' }] }))).toEqual({
      message: 'Validation failed',
      fieldErrors: { email: ['Invalid email format'] },
    });
    expect(describeVendorError(JSON.stringify({ errors: { json: { first_name: 'Missing data for required field.' } } }))).toEqual({
      fieldErrors: { first_name: ['Missing data for required field.'] },
    });
    expect(describeVendorError(JSON.stringify({ errors: { authentication: 'User not authenticated' } })).message).toBe('User not authenticated');
    expect(describeVendorError(JSON.stringify({ message: 'invalid role', code: 422 })).message).toBe('invalid role');
    expect(describeVendorError(JSON.stringify({ statusCode: 400, message: ['a', 'b'], error: 'Bad Request' })).message).toBe('a; b');
    expect(describeVendorError('Access Denied.')).toEqual({ message: 'Access Denied.', fieldErrors: {} });
  });

  it('says credentials or permissions are wrong on 401/403, naming the vendor', () => {
    const failure = vendorFailure('partoo', 'invite', res(403, { errors: { authorization: 'Operation not allowed' } }));
    expect(failure.message).toBe('Partoo refused the invite (403): the configured Partoo credentials are wrong or lack permission: Operation not allowed');
  });

  it('takes the next retry delay from Retry-After in seconds or as an HTTP date', () => {
    expect(vendorFailure('meetbit', 'create', res(429, 'Too many requests.', { 'retry-after': '7' })).nextRetryDelay).toBe(7000);
    const date = new Date(Date.now() + 30_000).toUTCString();
    const delay = Number(vendorFailure('partoo', 'create', res(429, '', { 'retry-after': date })).nextRetryDelay);
    expect(delay).toBeGreaterThan(28_000);
    expect(delay).toBeLessThanOrEqual(30_000);
  });

  it("one wait per 429 answer: the request gate's hold and the retry delay read the same jittered figure", () => {
    const limited = res(429, { message: 'too many requests', code: 429 });
    const delays = Array.from({ length: 5 }, () => vendorFailure('netbird', 'create', limited).nextRetryDelay);
    expect(new Set(delays).size).toBe(1);
  });

  it('backs off on its own when a 429 has no Retry-After', () => {
    const delay = Number(vendorFailure('netbird', 'create', res(429, { message: 'too many requests', code: 429 })).nextRetryDelay);
    expect(delay).toBeGreaterThanOrEqual(500); // attempt 1 outside an activity: 1 s ceiling, half jittered
    expect(delay).toBeLessThanOrEqual(1000);
    expect(vendorFailure('siit', 'create', res(500)).nextRetryDelay).toBeUndefined();
  });
});

describe('retry delays', () => {
  it('parses Retry-After', () => {
    expect(retryAfterMs('120')).toBe(120_000);
    expect(retryAfterMs(['3'])).toBe(3000);
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT')).toBeUndefined(); // in the past
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('2015-10-21T07:27:00Z'))).toBe(60_000);
  });

  it('reads a reset given as a Unix time (Siit may send one) as that point in time', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(retryAfterMs(String(now / 1000 + 42), now)).toBe(42_000);
    expect(retryAfterMs(String(now / 1000 - 5), now)).toBeUndefined(); // already past
  });

  it('grows exponentially with the attempt, capped at a minute, jittered within the upper half', () => {
    expect([1, 2, 3, 4].map((a) => backoffMs(a, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(4, () => 0)).toBe(4000);
    expect(backoffMs(30, () => 1)).toBe(60_000);
  });
});

describe('parseVendorJson', () => {
  const schema = z.object({ result: z.object({ uid: z.string() }) });

  it('returns the parsed body', () => {
    expect(parseVendorJson('siit', 'create', schema, res(201, { result: { uid: 'u_1' } }))).toEqual({ result: { uid: 'u_1' } });
  });

  it('fails loudly and non-retryably on a contract change, naming vendor and field', () => {
    const run = () => parseVendorJson('siit', 'create', schema, res(201, { result: { id: 'u_1' } }));
    expect(run).toThrow(ApplicationFailure);
    try {
      run();
    } catch (err) {
      const failure = err as ApplicationFailure;
      expect(failure.type).toBe(VendorErrorType.Contract);
      expect(failure.nonRetryable).toBe(true);
      expect(failure.message).toMatch(/^Siit create answer breaks its contract \(201\): result\.uid: /);
    }
    expect(() => parseVendorJson('netbird', 'look-up', schema, res(200, '<html>'))).toThrow(/NetBird look-up answer breaks its contract \(200\): body is not JSON/);
  });
});
