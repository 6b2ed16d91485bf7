/** Shared by the sandbox tests: real HTTP calls with each vendor's credentials, and sample bodies. */
import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import { got, type Method } from 'got';
import type { VendorName } from '../../workflows/vendors.js';
import { authHeaders } from '../../sandbox/credentials.js';
import { SAMPLE_CREATE } from '../../sandbox/samples.js';
import { startSandboxes, type Sandboxes } from '../../sandbox/index.js';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON when the answer is JSON, else the text. */
  body: any;
  contentType: string;
}

export interface CallOptions {
  json?: unknown;
  /** A raw body (sent as is, with `contentType`). */
  body?: string;
  contentType?: string;
  headers?: Record<string, string | undefined>;
  /** Send no credentials at all. */
  anonymous?: boolean;
}

/** One request to `base + path`, never throwing on an HTTP status. */
export async function call(base: string, vendor: VendorName, method: Method, path: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string | undefined> = { ...(options.anonymous ? {} : authHeaders(vendor)), ...options.headers };
  if (options.body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const response = await got(`${base}${path}`, {
    method,
    headers,
    json: options.json,
    body: options.body,
    throwHttpErrors: false,
    retry: { limit: 0 },
    responseType: 'text',
  });
  const contentType = String(response.headers['content-type'] ?? '');
  const text = response.body;
  return {
    status: response.statusCode,
    headers: response.headers,
    body: contentType.startsWith('application/json') && text !== '' ? JSON.parse(text) : text,
    contentType,
  };
}

export type Caller = (vendor: VendorName, method: Method, path: string, options?: CallOptions) => Promise<Answer>;

/** A caller bound to one started set of sandboxes. */
export function client(sandboxes: Sandboxes): Caller {
  return (vendor, method, path, options) => call(sandboxes.urls[vendor], vendor, method, path, options);
}

/**
 * One set of sandboxes for the suite (documented rate limits off), started before its first test,
 * stopped after its last, every vendor reset before each test. `sandboxes` is there from the
 * suite's beforeAll on; `call` reaches them.
 */
export function useSandboxes(): { readonly sandboxes: Sandboxes; call: Caller } {
  let started: Sandboxes | undefined;
  const current = () => {
    if (!started) throw new Error('the sandboxes start in beforeAll: use them inside hooks and tests');
    return started;
  };
  beforeAll(async () => {
    started = await startSandboxes({ rateLimits: false });
  });
  afterAll(() => started?.stop());
  beforeEach(() => Object.values(current().vendors).forEach((v) => v.reset()));
  return {
    get sandboxes() {
      return current();
    },
    call: (vendor, method, path, options) => call(current().urls[vendor], vendor, method, path, options),
  };
}

/** How each vendor undoes a user (Siit archives, the others delete); `:id` is the user's id. */
export const UNDO: Record<VendorName, { method: 'DELETE' | 'PATCH'; path: string }> = {
  netbird: { method: 'DELETE', path: '/users/:id' },
  siit: { method: 'PATCH', path: '/users/:id/archive' },
  meetbit: { method: 'DELETE', path: '/users/:id' },
  meetergo: { method: 'DELETE', path: '/user/:id' },
  partoo: { method: 'DELETE', path: '/user/:id' },
};

/** The created user's id in each vendor's create answer. */
export const CREATED_ID: Record<VendorName, (body: any) => string> = {
  netbird: (b) => b.id,
  siit: (b) => b.result.uid,
  meetbit: (b) => String(b.data.id),
  meetergo: (b) => b.userId,
  partoo: (b) => b.id,
};

/** Where each vendor creates users, and a contract-valid body for `email`. */
export const CREATE = SAMPLE_CREATE;

let counter = 0;
export function uniqueEmail(tag = 'user'): string {
  counter += 1;
  return `${tag}.${Date.now()}.${counter}@example.com`;
}
