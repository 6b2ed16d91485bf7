/**
 * Operating a worker: the real worker process (workers/main.ts) with its Prometheus metrics
 * (TEMPORAL_METRICS_BIND) and health endpoint (WORKER_HEALTH_BIND) read over HTTP, a SIGTERM while
 * an activity runs, and its log, one life of one process from start to exit.
 */
import { OnboardingClient } from '../client/onboarding-client.js';
import type { VendorsConfig } from '../config/environment.js';
import { startSandboxes, type Sandboxes } from '../sandbox/index.js';
import { sandboxVendorsConfig } from '../sandbox/worker-config.js';
import { freePort } from '../scripts/dev-server.js';
import { VENDORS, vendorTaskQueue } from '../workflows/vendors.js';
import { uniqueHire } from './support/hires.js';
import { liveUsers } from './support/saga-harness.js';
import { connectClient } from './support/temporal.js';
import { until, waitForStatus } from './support/wait.js';
import { spawnWorkerProcess, type WorkerProcess } from './support/worker-process.js';

let sandboxes: Sandboxes;
let vendors: VendorsConfig;
let worker: WorkerProcess;
let metricsUrl: string;
let healthUrl: string;

beforeAll(async () => {
  sandboxes = await startSandboxes({ rateLimits: false });
  vendors = sandboxVendorsConfig(sandboxes.urls);
  const [metricsPort, healthPort] = [await freePort(), await freePort()];
  metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  healthUrl = `http://127.0.0.1:${healthPort}/healthz`;
  worker = await spawnWorkerProcess(vendors, 90_000, {
    TEMPORAL_METRICS_BIND: `127.0.0.1:${metricsPort}`,
    WORKER_HEALTH_BIND: `127.0.0.1:${healthPort}`,
    WORKER_SHUTDOWN_GRACE_MS: '20000',
  });
});

afterAll(async () => {
  worker?.child.kill('SIGKILL');
  await sandboxes?.stop();
});

/** Released at once (a release time in the past): no person needs to approve. */
const released = (tag: string, vendorsInput: object = {}) =>
  uniqueHire(tag, { vendors: { meetbit: { departmentId: 7 }, partoo: { inviteAt: new Date(0).toISOString() }, ...vendorsInput } });

async function health(): Promise<{ status: number; body: { status: string; workers: { taskQueue: string; state: string }[] } }> {
  const res = await fetch(healthUrl);
  return { status: res.status, body: (await res.json()) as { status: string; workers: { taskQueue: string; state: string }[] } };
}

test('health: 200 while every worker of the process runs, naming each queue', async () => {
  expect(worker.output()).toContain(`Health on ${healthUrl}`);
  expect(worker.output()).toContain(`Prometheus metrics on ${metricsUrl}`);
  const { status, body } = await health();
  expect(status).toBe(200);
  expect(body).toEqual({ status: 'running', workers: ['onboarding', ...VENDORS.map(vendorTaskQueue)].map((taskQueue) => ({ taskQueue, state: 'RUNNING' })) });
  expect((await fetch(healthUrl.replace('/healthz', '/other'))).status).toBe(404);
});

/** The metrics endpoint's text now. */
async function metrics(): Promise<string> {
  const res = await fetch(metricsUrl);
  expect(res.status).toBe(200);
  return res.text();
}

/** The sum of a metric's lines whose labels include every one of `labels` (0 when there is none). */
function metricValue(text: string, name: string, labels: Record<string, string>): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

test("metrics: the SDK's own and the per-vendor counts of users created, adopted, undone and refused, over HTTP", async () => {
  const { client, close } = await connectClient();
  try {
    // Counters since the process started: what this test adds is the difference, whatever an
    // earlier onboarding (another suite's, on the same server) already counted.
    const before = await metrics();
    const onboardings = new OnboardingClient(client);
    // One onboarding completes; in another MeetBit refuses an unknown department, so the four
    // users already created are undone.
    const ok = released('metrics-ok');
    expect((await (await onboardings.start(ok)).handle.result()).status).toBe('completed');
    const refused = released('metrics-refused', { meetbit: { departmentId: 999 } });
    await expect((await onboardings.start(refused)).handle.result()).rejects.toThrow();
    // An account that existed before is adopted (and the onboarding then waits for a person).
    const adopted = released('metrics-adopted', { netbird: { enabled: true }, siit: { enabled: false }, meetbit: { enabled: false }, meetergo: { enabled: false }, partoo: { enabled: false } });
    await seedNetbirdUser(adopted.email);
    const adoption = (await onboardings.start(adopted)).handle;
    await waitForStatus(adoption, 'awaiting-approval');
    await adoption.cancel();

    const text = await metrics();
    const added = (name: string, labels: Record<string, string>) => metricValue(text, name, labels) - metricValue(before, name, labels);
    const count = (vendor: string, outcome: string) => added('onboarding_vendor_users', { vendor, outcome });
    for (const vendor of ['netbird', 'siit', 'meetergo', 'partoo']) {
      expect({ vendor, created: count(vendor, 'created'), undone: count(vendor, 'undone') }).toEqual({ vendor, created: 2, undone: 1 });
    }
    expect({ created: count('meetbit', 'created'), refused: count('meetbit', 'refused') }).toEqual({ created: 1, refused: 1 });
    expect(count('netbird', 'adopted')).toBe(1);
    // The SDK's runtime metrics, served on the same endpoint.
    expect(text).toMatch(/^temporal_workflow_failed\{[^}]*workflow_type="onboardNewHire"[^}]*\} \d+$/m);
    expect(added('temporal_workflow_failed', { workflow_type: 'onboardNewHire' })).toBe(1);
    expect(text).toMatch(/^temporal_activity_execution_latency_count\{[^}]*activity_type="createUser"/m);
    expect(text).toMatch(/^temporal_num_pollers\{[^}]*task_queue="vendor-partoo"/m);
  } finally {
    await close();
  }
});

/** A NetBird account for `email` made outside any onboarding (by a person in NetBird's console). */
async function seedNetbirdUser(email: string): Promise<void> {
  const res = await fetch(`${vendors.netbird.baseUrl}/users`, {
    method: 'POST',
    headers: { authorization: `Token ${vendors.netbird.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email, name: 'Already There', role: 'user', auto_groups: [], is_service_user: false }),
  });
  expect(res.status).toBe(200);
}

test('SIGTERM while an activity runs: health turns 503 at once, the activity completes, the worker exits 0', async () => {
  const { client, close } = await connectClient();
  const hire = released('sigterm');
  // NetBird's create takes 4 s: the SIGTERM lands while it runs.
  sandboxes.vendors.netbird.addFault({ kind: 'latency', ms: 4000, match: { method: 'POST' } });
  const posts = () => sandboxes.vendors.netbird.requests().filter((r) => r.method === 'POST').length;
  const before = posts();
  const { handle } = await new OnboardingClient(client).start(hire);
  try {
    await until('the NetBird create to be running', async () => (posts() > before ? true : undefined));
    worker.child.kill('SIGTERM');
    const draining = await until('health to say so', async () => {
      const h = await health();
      return h.status === 503 ? h : undefined;
    });
    expect(draining.body.status).toBe('shutting-down');
    expect(await worker.exited).toBe(0);

    // The NetBird create finished during the shutdown: completed in the history, its user live.
    const events = (await handle.fetchHistory()).events ?? [];
    const netbirdCreate = events.find((e) => e.activityTaskScheduledEventAttributes?.taskQueue?.name === 'vendor-netbird');
    expect(netbirdCreate).toBeDefined();
    const outcome = events.find((e) => String(e.activityTaskCompletedEventAttributes?.scheduledEventId ?? e.activityTaskFailedEventAttributes?.scheduledEventId) === String(netbirdCreate!.eventId));
    expect(outcome?.activityTaskCompletedEventAttributes).toBeTruthy();
    expect(liveUsers(sandboxes, 'netbird', hire.email)).toHaveLength(1);
    expect(worker.output()).toContain('"message":"Worker stopped"');
  } finally {
    sandboxes.vendors.netbird.clearFaults();
    // No worker will finish this onboarding in this suite; the suites after it must not either.
    await handle.terminate('test cleanup').catch(() => undefined);
    await close();
  }
});

test('logs: not on a terminal, every line the worker wrote in its life is one JSON object with time, level and message, and no secret', () => {
  const lines = worker.output().trim().split('\n');
  expect(lines.length).toBeGreaterThan(10);
  for (const line of lines) {
    let entry: unknown;
    expect(() => (entry = JSON.parse(line))).not.toThrow();
    expect(entry).toMatchObject({ time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), level: expect.stringMatching(/^(TRACE|DEBUG|INFO|WARN|ERROR)$/), message: expect.any(String) });
  }
  const secrets = [vendors.netbird.token, vendors.siit.token, vendors.meetbit.accessKeySecret, vendors.meetergo.apiKey, vendors.partoo.apiKey];
  for (const secret of secrets) expect(worker.output()).not.toContain(secret);
});
