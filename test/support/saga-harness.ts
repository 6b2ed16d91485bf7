/**
 * One suite's world: the shared dev server, real sandboxes, and the real worker code
 * (createOnboardingWorkers) running in this process against them.
 */
import type { Client } from '@temporalio/client';
import { createVendorActivities } from '../../activities/index.js';
import { OnboardingClient } from '../../client/onboarding-client.js';
import type { NativeConnection } from '@temporalio/worker';
import { sandboxVendorsConfig } from '../../sandbox/worker-config.js';
import { startSandboxes, type Sandboxes } from '../../sandbox/index.js';
import { createOnboardingWorkers, runOnboardingWorkers } from '../../workers/onboarding-workers.js';
import { VENDORS, type VendorName } from '../../workflows/vendors.js';
import { connectClient, connectWorker, dataConverter, temporalConfig, workflowBundle } from './temporal.js';

export interface SagaHarness {
  client: Client;
  /** The client library every caller uses. */
  onboardings: OnboardingClient;
  sandboxes: Sandboxes;
  /** Runs the in-process workers while `fn` runs. */
  withWorkers<R>(fn: () => Promise<R>): Promise<R>;
  close(): Promise<void>;
}

/** No client-side throttling in tests: the sandboxes' own limits are off too. */
export const UNTHROTTLED = Object.fromEntries(VENDORS.map((v) => [v, 1000])) as Record<VendorName, number>;

export async function startSagaHarness(): Promise<SagaHarness> {
  const sandboxes = await startSandboxes({ rateLimits: false });
  const { client, close: closeClient } = await connectClient();
  const connection: NativeConnection = await connectWorker();
  const bundle = await workflowBundle();
  return {
    client,
    onboardings: new OnboardingClient(client),
    sandboxes,
    async withWorkers<R>(fn: () => Promise<R>): Promise<R> {
      const workers = await createOnboardingWorkers({
        connection,
        namespace: temporalConfig().namespace,
        activities: createVendorActivities(sandboxVendorsConfig(sandboxes.urls)),
        ratePerSecond: UNTHROTTLED,
        dataConverter: dataConverter(),
        workflowBundle: bundle,
      });
      return (await runOnboardingWorkers(workers, fn())) as R;
    },
    async close() {
      await connection.close();
      await closeClient();
      await sandboxes.stop();
    },
  };
}

/** The hire's users in a vendor's sandbox that are live (not archived or deleted). */
export function liveUsers(sandboxes: Sandboxes, vendor: VendorName, email: string) {
  return sandboxes.vendors[vendor].users().filter((u) => u.email.toLowerCase() === email.toLowerCase() && ['active', 'invited'].includes(u.state));
}

export function allUsers(sandboxes: Sandboxes, vendor: VendorName, email: string) {
  return sandboxes.vendors[vendor].users().filter((u) => u.email.toLowerCase() === email.toLowerCase());
}

/** Partoo invitations sent to the hire, over all their Partoo users. */
export function invitesSent(sandboxes: Sandboxes, email: string): number {
  return allUsers(sandboxes, 'partoo', email).reduce((sum, u) => sum + (u.invitesSent ?? 0), 0);
}
