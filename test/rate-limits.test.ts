/**
 * A wave of hires at the shipped rate settings, against sandboxes that enforce each vendor's
 * documented limit: every onboarding completes, with one user per vendor, and the vendors are
 * barely ever told to wait. (The 200-hire wave and its rate are the bench's: bench/main.ts.)
 */
import { createVendorActivities } from '../activities/index.js';
import { loadConfig } from '../config/environment.js';
import { startSandboxes, type Sandboxes } from '../sandbox/index.js';
import { sandboxVendorsConfig } from '../sandbox/worker-config.js';
import { createOnboardingWorkers, runOnboardingWorkers } from '../workers/onboarding-workers.js';
import { VENDORS } from '../workflows/vendors.js';
import { uniqueHire } from './support/hires.js';
import { liveUsers } from './support/saga-harness.js';
import { OnboardingClient } from '../client/onboarding-client.js';
import { connectClient, connectWorker, dataConverter, temporalConfig, workflowBundle } from './support/temporal.js';

const WAVE = 12;

let sandboxes: Sandboxes;
beforeAll(async () => {
  sandboxes = await startSandboxes(); // the documented limits, on
});
afterAll(() => sandboxes?.stop());

test(`a wave of ${WAVE} hires at the shipped limits all complete, one user each, with at most a handful of 429s`, async () => {
  const { ratePerSecond } = loadConfig(['worker'], {}).worker; // what a worker ships with
  const { client, close } = await connectClient();
  const connection = await connectWorker();
  try {
    const workers = await createOnboardingWorkers({
      connection,
      namespace: temporalConfig().namespace,
      activities: createVendorActivities(sandboxVendorsConfig(sandboxes.urls), ratePerSecond),
      ratePerSecond,
      workflowBundle: await workflowBundle(),
      dataConverter: dataConverter(),
    });
    const onboardings = new OnboardingClient(client);
    const hires = Array.from({ length: WAVE }, () => uniqueHire('wave', { vendors: { meetbit: { departmentId: 7 }, partoo: { inviteAt: new Date(0).toISOString() } } }));
    const results = await runOnboardingWorkers(
      workers,
      Promise.all(hires.map(async (hire) => (await onboardings.start(hire)).handle.result())),
    );
    expect(results!.map((r) => r.status)).toEqual(hires.map(() => 'completed'));
    for (const hire of hires) for (const vendor of VENDORS) expect({ vendor, users: liveUsers(sandboxes, vendor, hire.email).length }).toEqual({ vendor, users: 1 });
    const refused = VENDORS.flatMap((v) => sandboxes.vendors[v].requests().filter((r) => r.status === 429).map(() => v));
    expect(refused.length).toBeLessThanOrEqual(3);
  } finally {
    await connection.close();
    await close();
  }
}, 180_000);
