/** What one vendor simulator provides to the shared server plumbing (server.ts). */
import type { IncomingHttpHeaders } from 'node:http';
import type { VendorName } from '../workflows/vendors.js';
import type { RateLimitDecision, RateLimitSettings } from './rate-limit.js';
import type { UserStore } from './store.js';

/** One answer in the vendor's own words: a JSON body, a text body, or none. */
export interface VendorReply {
  status: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

/** Failures the plumbing answers for the vendor, before or instead of its routes. */
export type PlumbingError =
  | 'bad-json' // body is not JSON
  | 'media-type' // body of a content type the vendor does not take
  | 'too-large' // body over the limit
  | 'no-route' // unknown path or method
  | 'rate-limited' // the vendor's rate limit or an injected 429
  | 'internal' // an injected 500 or a bug in the sandbox
  | 'injected'; // an injected failure of some other status

export interface VendorRequest {
  params: Record<string, string>;
  query: Record<string, string | string[] | undefined>;
  body: unknown;
  headers: IncomingHttpHeaders;
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface VendorContext<C, B, T> {
  store: UserStore<B>;
  credentials: C;
  /** The tenant as it is now (a test may change it while the sandbox runs). */
  tenant(): T;
  /** The sandbox clock (ms since the epoch); tests may replace it. */
  now(): number;
  /** Serves `handler` at the vendor's base path + `url` (fastify route syntax). */
  route(method: Method, url: string, handler: (req: VendorRequest) => VendorReply): void;
}

export interface VendorDefinition<C, B, T> {
  name: VendorName;
  /** Where the vendor's API lives, e.g. "/api"; no trailing slash. */
  basePath: string;
  rateLimit: {
    documented: RateLimitSettings;
    /** Refused requests still cost a token (MeetBit: hammering lengthens the wait). */
    penalize?: boolean;
    /** Headers the vendor sends with every answer (`limited` false) or with its 429. */
    headers(decision: RateLimitDecision, limited: boolean): Record<string, string>;
  };
  /** undefined when the request carries the right credentials, else the vendor's 401. */
  authenticate(headers: IncomingHttpHeaders, credentials: C): VendorReply | undefined;
  /** The vendor's answer to a failure of `status` with no more specific message. */
  error(status: number, cause: PlumbingError): VendorReply;
  routes(ctx: VendorContext<C, B, T>): void;
}

/** A JSON answer. */
export function json(status: number, body: unknown): VendorReply {
  return { status, json: body };
}

/** The first value of a query parameter given once or repeated. */
export function firstQuery(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** A positive integer query parameter, `fallback` when absent, undefined when malformed. */
export function intQuery(value: string | string[] | undefined, fallback: number): number | undefined {
  const raw = firstQuery(value);
  if (raw === undefined || raw === '') return fallback;
  return /^\d+$/.test(raw) ? Number(raw) : undefined;
}

/** The items of one page (1-based) and the page count. */
export function paginate<T>(items: T[], page: number, perPage: number): { items: T[]; pages: number } {
  return { items: items.slice((page - 1) * perPage, page * perPage), pages: Math.max(1, Math.ceil(items.length / perPage)) };
}
