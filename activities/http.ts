/**
 * The one HTTP layer every vendor client uses, and the one place where an HTTP outcome becomes a
 * Temporal failure. Temporal owns retries: got never retries, and every failure says whether a
 * retry can help (`nonRetryable`) and, for rate limits, when (`nextRetryDelay`).
 *
 * Nothing here ever puts a header value (credentials live there) into a message, detail or log.
 */
import { asyncLocalStorage } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import got, { RequestError, type Got } from 'got';
import { z } from 'zod';
import { VENDOR_LABELS, type VendorName } from '../workflows/vendors.js';
import { VendorErrorType, type VendorErrorTypeName } from '../workflows/vendor-contract.js';
import type { VendorsConfig } from '../config/environment.js';
import { RequestGate } from './request-gate.js';

// The type names live with the workflow-safe shared types, so the workflow can list them too.
export { NON_RETRYABLE_VENDOR_ERROR_TYPES, VENDOR_REFUSAL_TYPES, VendorErrorType, type VendorErrorTypeName } from '../workflows/vendor-contract.js';

/** What a call is doing, for messages: "NetBird rejected the create (400): ...". */
export type Operation = 'create' | 'look-up' | 'undo' | 'invite';

export interface VendorResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface VendorHttp {
  vendor: VendorName;
  send(
    operation: Operation,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    options?: { json?: unknown; searchParams?: Record<string, string | number> | URLSearchParams },
  ): Promise<VendorResponse>;
}

/**
 * The headers that authenticate every call to a vendor, from its configured credentials: one
 * mapping for the user activities, `doctor`'s probes and the rule-reference check alike.
 */
const AUTH_HEADERS: { [V in VendorName]: (config: VendorsConfig[V]) => Record<string, string> } = {
  netbird: (c) => ({ authorization: `Token ${c.token}` }),
  siit: (c) => ({ authorization: `Bearer ${c.token}` }),
  meetbit: (c) => ({ 'x-access-key-id': c.accessKeyId, 'x-access-key-secret': c.accessKeySecret }),
  // meetergo wants the acting admin "for API key authentication" on its calls; create does not
  // document it, and sending it there too costs nothing, so every call carries it.
  meetergo: (c) => ({ authorization: `Bearer ${c.apiKey}`, 'x-meetergo-api-user-id': c.actingUserId }),
  partoo: (c) => ({ 'x-apikey': c.apiKey }),
};

/** A vendor's HTTP client, authenticated with (and paced and timed as) its configuration says. */
export function vendorHttp<V extends VendorName>(vendor: V, config: VendorsConfig[V]): VendorHttp {
  const client: Got = got.extend({
    prefixUrl: `${config.baseUrl}/`,
    headers: { accept: 'application/json', ...AUTH_HEADERS[vendor](config) },
    retry: { limit: 0 }, // Temporal owns retries.
    throwHttpErrors: false,
    followRedirect: false,
    timeout: { request: config.timeoutMs },
  });
  const gate = config.requestsPerSecond === undefined ? undefined : new RequestGate(config.requestsPerSecond);
  return {
    vendor,
    async send(operation, method, path, options = {}) {
      // Inside an activity, cancelling it aborts the request in flight (or its wait for a turn).
      const signal = asyncLocalStorage.getStore()?.cancellationSignal;
      try {
        await gate?.turn(signal);
        const res = await client(path.replace(/^\//, ''), { method, json: options.json, searchParams: options.searchParams, signal });
        const response = { status: res.statusCode, headers: res.headers, body: res.body };
        // Told to wait: every request of this process to the vendor waits with this one, for the
        // same time the failure's nextRetryDelay gives this request's retry (one figure per answer).
        if (res.statusCode === 429) gate?.holdUntil(Date.now() + rateLimitDelayMs(response));
        return response;
      } catch (err) {
        if (signal?.aborted) throw signal.reason ?? err;
        if (err instanceof RequestError) {
          throw ApplicationFailure.create({
            message: `${VENDOR_LABELS[vendor]} unreachable during ${operation}: ${err.code} ${err.message}`,
            type: VendorErrorType.Unavailable,
            details: [{ vendor, operation, code: err.code }],
          });
        }
        throw err;
      }
    },
  };
}

/** A 2xx answer: the call did what it asked. */
export const isSuccess = (res: VendorResponse): boolean => res.status >= 200 && res.status < 300;

/** The error shapes the five vendors use, read generously: we only want messages and field errors. */
const ErrorBody = z
  .object({
    message: z.union([z.string(), z.array(z.string())]).optional(),
    error: z.string().optional(),
    errors: z
      .union([
        z.record(z.string(), z.array(z.string())), // MeetBit, Siit: {field: [msg]}
        z.array(z.object({ field: z.string(), message: z.string() })), // meetergo
        z.object({
          json: z.union([z.string(), z.record(z.string(), z.union([z.string(), z.array(z.string())]))]).optional(),
          authentication: z.string().optional(),
          authorization: z.string().optional(),
        }), // Partoo
      ])
      .optional(),
  })
  .loose();

export interface VendorErrorDescription {
  message?: string;
  fieldErrors: Record<string, string[]>;
}

/** Message and field errors of an error answer; text/plain bodies become the message. */
export function describeVendorError(body: string): VendorErrorDescription {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    const text = body.trim().slice(0, 500);
    return { message: text || undefined, fieldErrors: {} };
  }
  const parsed = ErrorBody.safeParse(json);
  if (!parsed.success) return { fieldErrors: {} };
  const { message, error, errors } = parsed.data;
  const messages: string[] = [message ?? []].flat();
  const fieldErrors: Record<string, string[]> = {};
  if (Array.isArray(errors)) {
    for (const e of errors) (fieldErrors[e.field] ??= []).push(e.message);
  } else if (errors && ('json' in errors || 'authentication' in errors || 'authorization' in errors)) {
    const { json: partooJson, authentication, authorization } = errors as { json?: string | Record<string, string | string[]>; authentication?: string; authorization?: string };
    if (typeof partooJson === 'string') messages.push(partooJson);
    else for (const [field, msg] of Object.entries(partooJson ?? {})) fieldErrors[field] = [msg].flat();
    for (const m of [authentication, authorization]) if (m) messages.push(m);
  } else if (errors) {
    Object.assign(fieldErrors, errors);
  }
  if (error && !messages.length) messages.push(error);
  return { message: messages.join('; ') || undefined, fieldErrors };
}

const RETRY_BASE_MS = 1_000;
const RETRY_CAP_MS = 60_000;

/** Exponential from the attempt number, capped, with jitter (half fixed, half random). */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/**
 * The headers vendors use to say when to come back, in seconds or as an HTTP date: the standard
 * Retry-After, Siit's X-SiitApi-Reset (sent once limited [doc]), MeetBit's RateLimit-Reset [doc].
 */
const RESET_HEADERS = ['retry-after', 'x-siitapi-reset', 'ratelimit-reset'];

/** Each 429 answer's wait, worked out once: see rateLimitDelayMs. */
const rateLimitDelays = new WeakMap<VendorResponse, number>();

/**
 * How long a rate-limited caller should wait: what the vendor says, else our own backoff. Worked
 * out once per answer and remembered: the request gate's hold (vendorHttp) and the failure's
 * nextRetryDelay (vendorFailure) both read it, and our backoff is jittered, so computing it twice
 * would hold the gate for one wait and retry after another.
 */
function rateLimitDelayMs(res: VendorResponse): number {
  const known = rateLimitDelays.get(res);
  if (known !== undefined) return known;
  const said = RESET_HEADERS.map((name) => retryAfterMs(res.headers[name])).find((ms) => ms !== undefined);
  const delay = said ?? backoffMs(currentAttempt());
  rateLimitDelays.set(res, delay);
  return delay;
}

/** Retry-After as delta-seconds, a Unix time or an HTTP date; undefined when absent, unparsable or already past. */
export function retryAfterMs(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const header = Array.isArray(value) ? value[0] : value;
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) {
    const seconds = Number(trimmed);
    // Reset headers are delta-seconds or, for some vendors (Siit's X-SiitApi-Reset may be one), a
    // Unix time: no delay is a billion seconds long, so a number that large is a point in time.
    if (seconds < 1e9) return seconds * 1000;
    return seconds * 1000 > now ? seconds * 1000 - now : undefined;
  }
  const at = Date.parse(trimmed);
  return Number.isNaN(at) || at <= now ? undefined : at - now;
}

function currentAttempt(): number {
  return asyncLocalStorage.getStore()?.info.attempt ?? 1;
}

/**
 * THE classifier: turns a non-success answer into the failure Temporal should act on.
 * (A 404 on undo and a vendor's duplicate answer never get here: their callers handle them.)
 */
export function vendorFailure(vendor: VendorName, operation: Operation, res: VendorResponse): ApplicationFailure {
  const label = VENDOR_LABELS[vendor];
  const { message, fieldErrors } = describeVendorError(res.body);
  const fields = Object.entries(fieldErrors).map(([f, msgs]) => `${f}: ${msgs.join(', ')}`);
  const said = [message, ...fields].filter(Boolean).join('; ');
  const details = [{ vendor, operation, status: res.status, message, fieldErrors }];
  const fail = (type: VendorErrorTypeName, text: string, nonRetryable: boolean, nextRetryDelay?: number) =>
    ApplicationFailure.create({ message: `${label} ${text}${said ? `: ${said}` : ''}`, type, nonRetryable, details, nextRetryDelay });
  const s = res.status;

  if (s === 400 || s === 422) return fail(VendorErrorType.Validation, `rejected the ${operation} as invalid (${s})`, true);
  if (s === 401 || s === 403) {
    return fail(VendorErrorType.Auth, `refused the ${operation} (${s}): the configured ${label} credentials are wrong or lack permission`, true);
  }
  if (s === 404) return fail(VendorErrorType.NotFound, `found nothing to ${operation} (404)`, true);
  if (s === 409) return fail(VendorErrorType.Conflict, `reported a conflict on ${operation} (409)`, true);
  if (s === 429 || s === 503) {
    // Honour the vendor's reset time; without one, back off on our own (NetBird and meetergo send none).
    const delay = s === 429 ? rateLimitDelayMs(res) : retryAfterMs(res.headers['retry-after']);
    const type = s === 429 ? VendorErrorType.RateLimited : VendorErrorType.Unavailable;
    return fail(type, s === 429 ? `rate-limited the ${operation} (429)` : `is unavailable (503) during ${operation}`, false, delay);
  }
  if (s === 408 || s >= 500) return fail(VendorErrorType.Unavailable, `failed the ${operation} with ${s}`, false);
  if (s >= 400) return fail(VendorErrorType.Rejected, `rejected the ${operation} (${s})`, true);
  return fail(VendorErrorType.Contract, `answered the ${operation} with unexpected status ${s}`, true);
}

/** Parses a success body with its contract schema; any other shape fails loudly, naming the fields. */
export function parseVendorJson<S extends z.ZodType>(vendor: VendorName, operation: Operation, schema: S, res: VendorResponse): z.infer<S> {
  const label = VENDOR_LABELS[vendor];
  const contractError = (what: string, fields: string[]) =>
    ApplicationFailure.create({
      message: `${label} ${operation} answer breaks its contract (${res.status}): ${what}`,
      type: VendorErrorType.Contract,
      nonRetryable: true,
      details: [{ vendor, operation, status: res.status, fields }],
    });
  let json: unknown;
  try {
    json = JSON.parse(res.body);
  } catch {
    throw contractError('body is not JSON', []);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
    throw contractError(problems.join('; '), parsed.error.issues.map((i) => i.path.join('.')));
  }
  return parsed.data;
}

/** Case-insensitive email equality: vendors treat addresses so, and we send them as given. */
export function sameEmail(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
