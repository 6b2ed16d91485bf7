/**
 * A worker host dies (SIGKILL) while vendor calls are in flight; a new worker process takes over
 * and the onboarding completes with nothing duplicated. Also: SIGTERM stops a worker cleanly.
 */
import { sandboxVendorsConfig } from '../sandbox/worker-config.js';
import { OnboardingClient } from '../client/onboarding-client.js';
import { startSandboxes, type Sandboxes } from '../sandbox/index.js';
import { VENDORS } from '../workflows/vendors.js';
import { uniqueHire } from './support/hires.js';
import { liveUsers } from './support/saga-harness.js';
import { connectClient } from './support/temporal.js';
import { spawnWorkerProcess, type WorkerProcess } from './support/worker-process.js';

let sandboxes: Sandboxes;
const running: WorkerProcess[] = [];
beforeAll(async () => {
  sandboxes = await startSandboxes({ rateLimits: false });
});
afterAll(async () => {
  for (const worker of running) worker.child.kill('SIGKILL');
  await sandboxes?.stop();
});

test('a worker killed mid-saga is replaced and the onboarding completes with one user per vendor', async () => {
  const { client, close } = await connectClient();
  try {
    const vendors = sandboxVendorsConfig(sandboxes.urls);
    // Every create takes 2 s, so the kill lands while they are in flight.
    for (const v of VENDORS) sandboxes.vendors[v].addFault({ kind: 'latency', ms: 2000, match: { method: 'POST' } });
    const first = await spawnWorkerProcess(vendors);
    running.push(first);

    // Released at once (a release time in the past): the crash, not a person, is under test.
    const hire = uniqueHire('crash', { vendors: { meetbit: { departmentId: 7 }, partoo: { inviteAt: new Date(0).toISOString() } } });
    const { handle } = await new OnboardingClient(client).start(hire, { attemptTimeout: '5 seconds' });
    const deadline = Date.now() + 60_000; // a fresh worker process bundles the workflows first: slow on busy cores
    while (!VENDORS.every((v) => sandboxes.vendors[v].requests().some((r) => r.method === 'POST'))) {
      if (Date.now() > deadline) throw new Error(`the creates never reached the sandboxes; the worker said:\n${first.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();

    for (const v of VENDORS) sandboxes.vendors[v].clearFaults();
    const second = await spawnWorkerProcess(vendors);
    running.push(second);
    const result = await handle.result();

    for (const vendor of VENDORS) {
      const live = liveUsers(sandboxes, vendor, hire.email);
      expect({ vendor, count: live.length }).toEqual({ vendor, count: 1 });
      expect(result.vendors[vendor]).toMatchObject({ state: 'created', id: live[0]!.id });
    }
    expect(result.invite.state).toBe('sent');

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  } finally {
    await close();
  }
});
