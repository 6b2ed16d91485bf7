/**
 * Load check: mixed traffic (create → find → get → undo journeys, plus malformed requests)
 * against all five sandboxes with rate limits off, at bounded concurrency, 127.0.0.1 only.
 * Reports requests/s and whether the sandbox answered everything as expected with no failure
 * of its own (no 5xx was injected, so any 5xx, dropped connection or surprise status counts).
 *
 *   npx tsx sandbox/load-check.ts [total=10000] [concurrency=32]
 */
import { pathToFileURL } from 'node:url';
import { VENDORS, type VendorName } from '../workflows/vendors.js';
import { authHeaders } from './credentials.js';
import { startSandboxes } from './index.js';
import { SAMPLE_CREATE } from './samples.js';

export interface LoadCheckResult {
  requests: number;
  seconds: number;
  perSecond: number;
  statuses: Record<string, number>;
  /** 5xx answers and failed connections. */
  sandboxErrors: number;
  /** Answers whose status was not the one the step expects. */
  unexpected: string[];
}

interface Step {
  method: string;
  path: string;
  body?: string;
  expect: number;
  /** Reads the created user's id, which later steps' paths name as :id. */
  captureId?: (body: any) => string;
}

/** One user's life at one vendor, as the saga would drive it. */
function journey(vendor: VendorName, email: string): Step[] {
  const create = SAMPLE_CREATE[vendor];
  const e = encodeURIComponent(email);
  const created = (captureId: (body: any) => string) => ({ method: 'POST', path: create.path, body: JSON.stringify(create.body(email)), captureId });
  switch (vendor) {
    case 'netbird':
      return [{ ...created((b) => b.id), expect: 200 }, { method: 'GET', path: '/users?service_user=false', expect: 200 }, { method: 'DELETE', path: '/users/:id', expect: 200 }];
    case 'siit':
      return [
        { ...created((b) => b.result.uid), expect: 201 },
        { method: 'GET', path: `/users?email_in[]=${e}`, expect: 200 },
        { method: 'GET', path: '/users/:id', expect: 200 },
        { method: 'PATCH', path: '/users/:id/archive', expect: 200 },
      ];
    case 'meetbit':
      return [
        { ...created((b) => String(b.data.id)), expect: 200 },
        { method: 'GET', path: `/users?FilterAttribute=email&FilterOperator=eq&FilterValue=${e}`, expect: 200 },
        { method: 'GET', path: '/users/:id', expect: 200 },
        { method: 'DELETE', path: '/users/:id', expect: 202 },
      ];
    case 'meetergo':
      return [
        { ...created((b) => b.userId), expect: 201 },
        { method: 'GET', path: '/user?limit=100&offset=0', expect: 200 },
        { method: 'GET', path: '/user/:id', expect: 200 },
        { method: 'DELETE', path: '/user/:id', expect: 204 },
      ];
    case 'partoo':
      return [
        { ...created((b) => b.id), expect: 200 },
        { method: 'GET', path: `/user/search?email=${e}`, expect: 200 },
        { method: 'POST', path: '/user/:id/invite', expect: 200 },
        { method: 'DELETE', path: '/user/:id', expect: 200 },
      ];
  }
}

export async function runLoadCheck(total = 10_000, concurrency = 32): Promise<LoadCheckResult> {
  const sandboxes = await startSandboxes({ rateLimits: false });
  const statuses: Record<string, number> = {};
  const unexpected: string[] = [];
  let sandboxErrors = 0;
  let issued = 0;
  let journeys = 0;

  const send = async (vendor: VendorName, step: Step, id: string): Promise<unknown> => {
    issued += 1;
    const headers: Record<string, string> = { ...authHeaders(vendor), ...(step.body === undefined ? {} : { 'content-type': 'application/json' }) };
    try {
      const response = await fetch(sandboxes.urls[vendor] + step.path.replace(':id', id), { method: step.method, headers, body: step.body });
      const text = await response.text();
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      if (response.status >= 500) sandboxErrors += 1;
      if (response.status !== step.expect) {
        unexpected.push(`${vendor} ${step.method} ${step.path} → ${response.status} ${text.slice(0, 120)}`);
        return undefined;
      }
      return text && response.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text;
    } catch (error) {
      sandboxErrors += 1;
      unexpected.push(`${vendor} ${step.method} ${step.path} → ${(error as Error).message}`);
      return undefined;
    }
  };

  const worker = async () => {
    while (issued < total) {
      const n = journeys++;
      const vendor = VENDORS[n % VENDORS.length];
      // Every tenth journey opens with a malformed body, which must be refused, not crash anything.
      if (n % 10 === 0) await send(vendor, { method: 'POST', path: SAMPLE_CREATE[vendor].path, body: '{"email":', expect: 400 }, '');
      let id = '';
      for (const step of journey(vendor, `load.${n}@example.com`)) {
        if (issued >= total) break;
        const body = await send(vendor, step, id);
        if (step.captureId && body !== undefined) id = step.captureId(body);
      }
    }
  };

  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    await sandboxes.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  return { requests: issued, seconds, perSecond: Math.round(issued / seconds), statuses, sandboxErrors, unexpected };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [total, concurrency] = process.argv.slice(2).map(Number);
  runLoadCheck(total || undefined, concurrency || undefined).then((r) => {
    console.log(`${r.requests} requests in ${r.seconds.toFixed(1)} s: ${r.perSecond} requests/s`);
    console.log(`statuses: ${JSON.stringify(r.statuses)}`);
    console.log(r.sandboxErrors === 0 && r.unexpected.length === 0 ? 'every request served as expected, no sandbox error' : `FAILED: ${r.sandboxErrors} sandbox errors, ${r.unexpected.length} unexpected answers`);
    for (const line of r.unexpected.slice(0, 10)) console.log(`  ${line}`);
    process.exitCode = r.sandboxErrors === 0 && r.unexpected.length === 0 ? 0 : 1;
  });
}
