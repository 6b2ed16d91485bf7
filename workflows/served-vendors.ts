/**
 * Which vendors this deployment serves. A deployment configures only the vendors it has accounts
 * with (config/environment.ts), but workflow code cannot read the environment, so the workflow asks
 * the worker that runs it, before anything else: a hire asking for a vendor that is off fails at
 * once, naming the vendor and the variables that turn it on, instead of creating users elsewhere
 * and then waiting out a create timeout on a task queue nobody polls.
 *
 * A local activity, registered by the workflow worker (workers/onboarding-workers.ts): it runs in
 * the same process as the workflow task, so the check costs no round trip to the server. Every
 * worker of a deployment runs with the same vendor variables, so the answer of whichever worker
 * runs the workflow is the deployment's.
 */
import { ActivityFailure, ApplicationFailure, CancellationScope, proxyLocalActivities } from '@temporalio/workflow';
import { describeFailure } from './failures.js';

/** The failure type of an onboarding that asks for a vendor this deployment does not serve. */
export const VENDOR_NOT_SERVED = 'VendorNotServed';

export interface DeploymentActivities {
  /**
   * Fails non-retryably (`VendorNotServed`) when the hire enables a vendor this deployment does
   * not serve, naming each such vendor and its variables. Input that does not parse passes: the
   * workflow's own validation then names every bad field.
   */
  checkVendorsServed(input: unknown): Promise<void>;
}

// The check reads configuration and nothing else: it answers at once or fails for good, so a
// short timeout, and few attempts for the unexpected.
const { checkVendorsServed } = proxyLocalActivities<DeploymentActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: [VENDOR_NOT_SERVED] },
});

/**
 * Fails the onboarding through `state` (so its status, the search attributes and the progress say
 * `failed`, with the check's own words) when the hire asks for a vendor this deployment does not
 * serve. Call it once the message handlers are registered: a query must never meet a workflow
 * that has none, and a local activity is an await.
 */
export async function requireServedVendors(hire: unknown, state: { failure(message: string, cause?: Error): Error; withdrawInvite(): void }): Promise<void> {
  // No patch() around it: the project has no production deployment yet (docs/versioning.md), and
  // a patch would add a search-attribute upsert (TemporalChangeVersion) to every onboarding.
  try {
    // It answers at once; a cancellation meanwhile is the saga's to handle, as during the creates.
    await CancellationScope.nonCancellable(() => checkVendorsServed(hire));
  } catch (err) {
    // A local activity's failure may arrive wrapped in an ActivityFailure or as the failure itself.
    const cause = err instanceof ActivityFailure ? err.cause : err;
    if (cause instanceof ApplicationFailure && cause.type === VENDOR_NOT_SERVED) {
      state.withdrawInvite(); // no Partoo invitation is held for a hire that was never onboarded
      throw state.failure(cause.message, cause);
    }
    state.withdrawInvite();
    throw state.failure(`Checking which vendors this deployment serves failed (${describeFailure(err)}); nothing was created`, err as Error);
  }
}
