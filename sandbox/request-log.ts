/** What each vendor sandbox was asked and what it answered, for tests and the admin API. */
import type { IncomingHttpHeaders } from 'node:http';
import type { Fault } from './faults.js';

export interface LoggedRequest {
  at: string;
  method: string;
  /** The path after the vendor's base path, without the query (what fault matches test). */
  path: string;
  /** The raw request URL, base path and query included. */
  url: string;
  /** Request headers with credentials replaced by "[redacted]". */
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  /** The status the client received; 0 when the connection was dropped. */
  status?: number;
  /** The injected fault that shaped the answer, if any. */
  fault?: Fault['kind'];
  /** For lost responses: the status the vendor committed before the answer was lost. */
  committedStatus?: number;
}

/** Every header that carries a credential for one of the five vendors. */
const SECRET_HEADERS = new Set(['authorization', 'x-access-key-id', 'x-access-key-secret', 'x-apikey', 'cookie', 'proxy-authorization']);

/** Bounded, so a long-running sandbox or a load check cannot grow it without end. */
const MAX_ENTRIES = 5_000;

export class RequestLog {
  private entries: LoggedRequest[] = [];

  start(method: string, url: string, path: string, headers: IncomingHttpHeaders, at: Date): LoggedRequest {
    const redacted: LoggedRequest['headers'] = {};
    for (const [name, value] of Object.entries(headers)) redacted[name] = SECRET_HEADERS.has(name) ? '[redacted]' : value;
    const entry: LoggedRequest = { at: at.toISOString(), method, path, url, headers: redacted };
    this.entries.push(entry);
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
    return entry;
  }

  list(): LoggedRequest[] {
    return structuredClone(this.entries);
  }

  clear(): void {
    this.entries = [];
  }
}
