/** Shared by the sandbox tests: real HTTP calls with each vendor's credentials, and sample bodies. */
import { got, type Method } from 'got';
import type { VendorName } from '../../workflows/vendors.js';
import { authHeaders } from '../../sandbox/credentials.js';
import { SAMPLE_CREATE } from '../../sandbox/samples.js';
import type { Sandboxes } from '../../sandbox/index.js';

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

/** A caller bound to one started set of sandboxes. */
export function client(sandboxes: Sandboxes) {
  return (vendor: VendorName, method: Method, path: string, options?: CallOptions) => call(sandboxes.urls[vendor], vendor, method, path, options);
}

/** Where each vendor creates users, and a contract-valid body for `email`. */
export const CREATE = SAMPLE_CREATE;

let counter = 0;
export function uniqueEmail(tag = 'user'): string {
  counter += 1;
  return `${tag}.${Date.now()}.${counter}@example.com`;
}
