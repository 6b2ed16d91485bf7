/**
 * Only the vendors you use, as an operator meets it: the real worker process (workers/main.ts,
 * what `npm run worker` runs) configured through its environment with NetBird and Siit only, the
 * sandboxes and the run's Temporal server.
 */
import os from 'node:os';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { OnboardingClient } from '../client/onboarding-client.js';
import type { ServedVendors, VendorsConfig } from '../config/environment.js';
import { startSandboxes, type Sandboxes } from '../sandbox/index.js';
import { sandboxVendorsConfig } from '../sandbox/worker-config.js';
import { progressQuery } from '../workflows/definitions.js';
import { VENDORS } from '../workflows/vendors.js';
import { uniqueHire } from './support/hires.js';
import { allUsers, liveUsers } from './support/saga-harness.js';
import { connectClient } from './support/temporal.js';
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
});
