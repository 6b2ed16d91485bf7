/** Shared by the sandbox tests: real HTTP calls with each vendor's credentials, and sample bodies. */
import { got, type Method } from 'got';
import type { VendorName } from '../../workflows/vendors.js';
import { SANDBOX_CREDENTIALS } from '../../sandbox/credentials.js';
import type { Sandboxes } from '../../sandbox/index.js';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON when the answer is JSON, else the text. */
  body: any;
  contentType: string;
}

/** The headers a well-behaved client sends to each vendor. */
export function authHeaders(vendor: VendorName): Record<string, string> {
  const c = SANDBOX_CREDENTIALS;
  switch (vendor) {
    case 'netbird':
      return { authorization: `Token ${c.netbird.token}` };
    case 'siit':
      return { authorization: `Bearer ${c.siit.token}` };
    case 'meetbit':
      return { 'x-access-key-id': c.meetbit.accessKeyId, 'x-access-key-secret': c.meetbit.accessKeySecret };
    case 'meetergo':
      return { authorization: `Bearer ${c.meetergo.apiKey}`, 'x-meetergo-api-user-id': c.meetergo.actingUserId };
    case 'partoo':
      return { 'x-apikey': c.partoo.apiKey };
  }
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

/** A caller bound to one started set of sandboxes. */
export function client(sandboxes: Sandboxes) {
  return (vendor: VendorName, method: Method, path: string, options?: CallOptions) => call(sandboxes.urls[vendor], vendor, method, path, options);
}

const workDay = { start: { hour: 9, minute: 0, second: 0 }, end: { hour: 17, minute: 30, second: 0 } };

/** Where each vendor creates users, and a contract-valid body for `email`. */
export const CREATE: Record<VendorName, { path: string; body: (email: string) => Record<string, unknown> }> = {
  netbird: { path: '/users', body: (email) => ({ email, name: 'Ada Lovelace', role: 'user', auto_groups: [], is_service_user: false }) },
  siit: { path: '/users', body: (email) => ({ email, first_name: 'Ada', last_name: 'Lovelace', job_start_date: '2026-01-05', contract_type: 'fulltime' }) },
  meetbit: {
    path: '/users',
    body: (email) => ({
      email,
      first_name: 'Ada',
      last_name: 'Lovelace',
      department_id: 3,
      timezone: 'Europe/London',
      role: 'Employee',
      work_hours: { sunday: [], monday: [workDay], tuesday: [workDay], wednesday: [workDay], thursday: [workDay], friday: [workDay], saturday: [] },
    }),
  },
  meetergo: { path: '/user', body: (email) => ({ email, givenName: 'Ada', familyName: 'Lovelace', timezone: 'Europe/London' }) },
  partoo: { path: '/user', body: (email) => ({ email, first_name: 'Ada', last_name: 'Lovelace', status: 'invited', send_invitation: false }) },
};

let counter = 0;
export function uniqueEmail(tag = 'user'): string {
  counter += 1;
  return `${tag}.${Date.now()}.${counter}@example.com`;
}
