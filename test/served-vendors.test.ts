/**
 * Only the vendors you use, and `doctor`, as an operator meets them: the real worker process
 * (workers/main.ts, what `npm run worker` runs) configured through its environment with NetBird
 * and Siit only, the real CLI process, the sandboxes and the run's Temporal server.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { OnboardingClient } from '../client/onboarding-client.js';
import { vendorEnvironment, type ServedVendors, type VendorsConfig } from '../config/environment.js';
import { startSandboxes, type Sandboxes } from '../sandbox/index.js';
import { sandboxVendorsConfig } from '../sandbox/worker-config.js';
import { freePort } from '../scripts/dev-server.js';
import { progressQuery } from '../workflows/definitions.js';
import { VENDORS } from '../workflows/vendors.js';
import { uniqueHire } from './support/hires.js';
import { allUsers, liveUsers } from './support/saga-harness.js';
import { connectClient, temporalEnv } from './support/temporal.js';
import { failedWorkerStart, spawnWorkerProcess, type WorkerProcess } from './support/worker-process.js';

let sandboxes: Sandboxes;
let all: VendorsConfig;
let served: ServedVendors;
let worker: WorkerProcess;
let client: Client;
let closeClient: () => Promise<void>;

beforeAll(async () => {
  sandboxes = await startSandboxes({ rateLimits: false });
  all = sandboxVendorsConfig(sandboxes.urls);
  served = { netbird: all.netbird, siit: all.siit };
  worker = await spawnWorkerProcess(served);
  ({ client, close: closeClient } = await connectClient());
});

afterAll(async () => {
  worker?.child.kill('SIGTERM');
  await worker?.exited;
  await closeClient?.();
  await sandboxes?.stop();
});

/** The hire asks for NetBird and Siit only. */
const NETBIRD_AND_SIIT = { meetbit: { enabled: false }, meetergo: { enabled: false }, partoo: { enabled: false } };

/** This worker process polls `queue`: the server lists it among the queue's pollers. */
async function polls(queue: string, taskQueueType: 1 | 2): Promise<boolean> {
  const { pollers } = await client.workflowService.describeTaskQueue({ namespace: client.options.namespace, taskQueue: { name: queue, kind: 1 }, taskQueueType });
  return (pollers ?? []).some((p) => p.identity === `${worker.child.pid}@${os.hostname()}`);
}

test('a worker with only NetBird and Siit configured says which vendors it serves, polls only their queues, and onboards a hire asking for those two', async () => {
  expect(worker.output()).toMatch(/Worker polling .*: onboarding, vendor-netbird, vendor-siit\b(?!,)/);
  expect(worker.output()).toContain('Serving NetBird, Siit; off (their variables are unset, onboardings asking for them fail at once): MeetBit, meetergo, Partoo');
  expect(await polls('vendor-netbird', 2)).toBe(true);
  expect(await polls('vendor-siit', 2)).toBe(true);
  for (const queue of ['vendor-meetbit', 'vendor-meetergo', 'vendor-partoo']) expect({ queue, polled: await polls(queue, 2) }).toEqual({ queue, polled: false });

  const hire = uniqueHire('two-vendors', { vendors: NETBIRD_AND_SIIT });
  const { handle } = await new OnboardingClient(client).start(hire);
  const result = await handle.result();
  expect(result.status).toBe('completed');
  for (const vendor of ['netbird', 'siit'] as const) {
    const live = liveUsers(sandboxes, vendor, hire.email);
    expect({ vendor, count: live.length }).toEqual({ vendor, count: 1 });
    expect(result.vendors[vendor]).toMatchObject({ state: 'created', id: live[0]!.id });
  }
  for (const vendor of ['meetbit', 'meetergo', 'partoo'] as const) expect(result.vendors[vendor].state).toBe('skipped');
});

test('a hire asking for Partoo too fails within seconds, naming Partoo and the variables to set, before anything is created anywhere', async () => {
  const hire = uniqueHire('partoo-off', { vendors: { meetbit: { enabled: false }, meetergo: { enabled: false } } });
  const started = Date.now();
  const { handle } = await new OnboardingClient(client).start(hire);
  const error = await handle.result().then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(error).toBeInstanceOf(WorkflowFailedError);
  const message =
    'This deployment does not serve Partoo, which this hire asks for: nothing was created. Set the variables on the workers and restart them: ' +
    'Partoo (set PARTOO_BASE_URL, PARTOO_API_KEY); or start the onboarding with vendors.partoo.enabled: false.';
  const failure = (error as WorkflowFailedError).cause;
  expect(failure).toBeInstanceOf(ApplicationFailure);
  expect(failure!.message).toBe(message);
  expect((failure!.cause as ApplicationFailure).type).toBe('VendorNotServed');
  // Where people look: the workflow's status, the onboarding's own status and its progress.
  expect((await handle.describe()).status.name).toBe('FAILED');
  expect(await handle.query(progressQuery)).toMatchObject({ status: 'failed', failure: message, invite: { state: 'cancelled' } });
  // Nothing was asked of any vendor: no activity was scheduled, no user exists.
  const events = (await handle.fetchHistory()).events ?? [];
  expect(events.filter((e) => e.activityTaskScheduledEventAttributes)).toEqual([]);
  for (const vendor of VENDORS) expect({ vendor, users: allUsers(sandboxes, vendor, hire.email) }).toEqual({ vendor, users: [] });
});

test('a vendor with some but not all of its variables set stops the worker at start, naming the missing ones; so does no vendor at all', async () => {
  const half = await failedWorkerStart({ netbird: all.netbird }, { SIIT_BASE_URL: all.siit.baseUrl });
  expect(half.code).toBe(2);
  expect(half.output).toContain(
    'SIIT_TOKEN: is required: SIIT_BASE_URL is set, so Siit is on and needs all of SIIT_BASE_URL, SIIT_TOKEN (unset them all to turn Siit off)',
  );
  expect(half.output).not.toContain(all.netbird.token);

  const none = await failedWorkerStart({});
  expect(none.code).toBe(2);
  expect(none.output).toContain('No vendor is configured: set every variable of at least one vendor: NetBird (NETBIRD_BASE_URL, NETBIRD_TOKEN); Siit (SIIT_BASE_URL, SIIT_TOKEN);');
  // Not a terminal: each line is one JSON object, for log shippers.
  for (const line of none.output.trim().split('\n')) expect(JSON.parse(line)).toMatchObject({ level: 'ERROR', message: expect.any(String) });
});

test('a <VENDOR>_OMIT_FIELDS naming a field the vendor requires stops the worker at start like any bad variable, naming it', async () => {
  const run = await failedWorkerStart(served, { SIIT_OMIT_FIELDS: 'email' });
  expect(run.code).toBe(2);
  expect(run.output).toContain("SIIT_OMIT_FIELDS: email is required by Siit's create contract and cannot be left out");
  expect(run.output).not.toContain('Worker failed');
});

// ---- npm run onboard -- doctor ----

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run onboard -- doctor` as its own process, with the Temporal settings and only the vendor variables given. */
function doctor(vendorEnv: Record<string, string>, args: string[] = [], temporal = temporalEnv()): Promise<Run> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_OPTIONS' && !name.startsWith('TEMPORAL_')));
  const child = spawn(process.execPath, ['--import', 'tsx', 'client/cli.ts', ...args, 'doctor'], { env: { ...env, ...temporal, ...vendorEnv } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The table row of one check: its status and details (cli-table3 wraps long details onto more lines). */
function row(stdout: string, check: string): string {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`│ ${check} `));
  if (start < 0) throw new Error(`no row "${check}" in:\n${stdout}`);
  const rest = lines.slice(start + 1).findIndex((l) => !l.startsWith('│  '));
  return lines
    .slice(start, start + 1 + rest)
    .map((l) => l.split('│').slice(2, 4).map((c) => c.trim()).join(' '))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

test("doctor: a wrong vendor token is reported with the vendor's name and the variable to fix; vendors off are off, not failures", async () => {
  const run = await doctor(vendorEnvironment({ netbird: all.netbird, siit: { ...all.siit, token: 'not-the-siit-token' } }));
  expect(run).toMatchObject({ code: 6, stderr: '' });
  expect(row(run.stdout, 'Siit credentials')).toBe('FAIL Siit refused the credentials (401: Unauthorized): fix SIIT_TOKEN');
  expect(row(run.stdout, 'NetBird credentials')).toBe('ok credentials accepted (NETBIRD_TOKEN): a one-user list answered 200');
  expect(row(run.stdout, 'Partoo credentials')).toBe('off off: none of PARTOO_BASE_URL, PARTOO_API_KEY is set');
  expect(row(run.stdout, 'Temporal connection')).toMatch(/^ok /);
  expect(row(run.stdout, 'Namespace')).toBe(`ok ${client.options.namespace}`);
  expect(row(run.stdout, 'Search attributes')).toBe('ok OnboardingStatus, OnboardingAwaiting, OnboardingVendorsDone, OnboardingManualCleanup');
  for (const queue of ['onboarding', 'vendor-netbird', 'vendor-siit']) expect(row(run.stdout, `Workers on ${queue}`)).toMatch(new RegExp(`^ok \\d+ polling \\(.*${worker.child.pid}@`));
  expect(run.stdout).not.toMatch(/Workers on vendor-(meetbit|meetergo|partoo)/);
  expect(run.stdout.trim()).toMatch(/1 to fix\.$/);
  expect(run.stdout).not.toContain('not-the-siit-token');
});

test("doctor: a bad <VENDOR>_OMIT_FIELDS fails that vendor's row, naming the variable, as the worker would refuse it", async () => {
  const run = await doctor({ ...vendorEnvironment(served), SIIT_OMIT_FIELDS: 'email', NETBIRD_OMIT_FIELDS: 'role; name' });
  expect(run).toMatchObject({ code: 6, stderr: '' });
  expect(row(run.stdout, 'Siit credentials')).toBe("FAIL SIIT_OMIT_FIELDS: email is required by Siit's create contract and cannot be left out");
  expect(row(run.stdout, 'NetBird credentials')).toMatch(/^FAIL NETBIRD_OMIT_FIELDS: must be field names separated by commas/);
});

test('doctor: everything fine exits 0 (--json too); Temporal out of reach is named with its address', async () => {
  const fine = await doctor(vendorEnvironment(served), ['--json']);
  expect(fine).toMatchObject({ code: 0, stderr: '' });
  const checks = JSON.parse(fine.stdout) as { check: string; status: string }[];
  expect(checks.filter((c) => c.status !== 'off').every((c) => c.status === 'ok')).toBe(true);
  expect(checks.filter((c) => c.status === 'off').map((c) => c.check)).toEqual(['MeetBit credentials', 'meetergo credentials', 'Partoo credentials']);

  const nowhere = `127.0.0.1:${await freePort()}`;
  const down = await doctor(vendorEnvironment(served), [], { TEMPORAL_ADDRESS: nowhere });
  expect(down.code).toBe(6);
  expect(row(down.stdout, 'Temporal connection')).toMatch(new RegExp(`^FAIL cannot connect to Temporal at ${nowhere} \\(no TLS\\)`));
  // The vendors are still checked: they do not need Temporal.
  expect(row(down.stdout, 'NetBird credentials')).toMatch(/^ok /);
});
