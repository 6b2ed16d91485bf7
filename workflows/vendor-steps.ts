/**
 * The workflow's handle on each vendor: the contract's activities, proxied onto the vendor's own
 * task queue with the timeouts and retry policy of each kind of step. No activity name is built
 * from a string: `proxyActivities<VendorActivities[V]>` is checked by `tsc` against the contract
 * the activity workers implement.
 */
import { proxyActivities, proxyLocalActivities, type ActivityOptions, type RetryPolicy } from '@temporalio/workflow';
import type { ResolvedOnboardingOptions } from './options.js';
import {
  PREPARATION_REFUSALS,
  NON_RETRYABLE_VENDOR_ERROR_TYPES,
  type InvitationActivities,
  type PreparationActivities,
  type InviteOutcome,
  type UndoOutcome,
  type VendorUser,
  type VendorUserActivities,
} from './vendor-contract.js';
import type { NewHire } from './new-hire.js';
import { VENDOR_LABELS, VENDORS, vendorTaskQueue, type VendorName } from './vendors.js';

/**
 * Retries back off from 1 s to 1 min; each step's own scheduleToClose bounds the whole window.
 * The activities flag their hopeless failures non-retryable themselves; the list here keeps one
 * thrown without that flag from being retried until the window closes.
 */
const VENDOR_RETRY: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  nonRetryableErrorTypes: [...NON_RETRYABLE_VENDOR_ERROR_TYPES],
};

/**
 * An undo retries more patiently (up to 10 min between attempts) for a whole day by default: a
 * vendor outage during a rollback should delay the cleanup, not leave an orphan.
 */
const UNDO_RETRY: RetryPolicy = { ...VENDOR_RETRY, maximumInterval: '10 minutes' };

export interface VendorSteps {
  create(hire: NewHire): Promise<VendorUser>;
  undo(user: VendorUser): Promise<UndoOutcome>;
}

function vendorOptions(vendor: VendorName, options: ResolvedOnboardingOptions): ActivityOptions {
  return {
    taskQueue: vendorTaskQueue(vendor),
    // One attempt; also how soon a dead worker's call moves to another worker.
    startToCloseTimeout: options.attemptTimeout,
    retry: VENDOR_RETRY,
  };
}

function userSteps(vendor: VendorName, options: ResolvedOnboardingOptions): VendorSteps {
  const label = VENDOR_LABELS[vendor];
  const { createUser, undoUser } = proxyActivities<VendorUserActivities>(vendorOptions(vendor, options));
  return {
    create: (hire) => createUser.executeWithOptions({ scheduleToCloseTimeout: options.createTimeout, summary: `Create ${label} user` }, [hire]),
    undo: (user) =>
      undoUser.executeWithOptions({ scheduleToCloseTimeout: options.undoTimeout, retry: UNDO_RETRY, summary: `Undo ${label} user ${user.id}` }, [user]),
  };
}

/**
 * The onboarding's first step, outside the workflow sandbox (activities/prepare.ts): provisioning
 * rules, the input check, the vendors this deployment serves. A local activity: it runs inside
 * this workflow task, with no round trip to the server. Its refusals are final (nothing was
 * created yet); anything else (a worker restarting) is retried a few times.
 */
export function prepare(input: unknown, options: unknown): ReturnType<PreparationActivities['prepareOnboarding']> {
  const { prepareOnboarding } = proxyLocalActivities<PreparationActivities>({
    startToCloseTimeout: '10 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 3, nonRetryableErrorTypes: [...PREPARATION_REFUSALS] },
  });
  return prepareOnboarding(input, options);
}

/** Every vendor's create and undo, by vendor name. */
export function vendorSteps(options: ResolvedOnboardingOptions): Record<VendorName, VendorSteps> {
  return Object.fromEntries(VENDORS.map((vendor) => [vendor, userSteps(vendor, options)])) as Record<VendorName, VendorSteps>;
}

/** Sends the Partoo invitation held since the user was created. Idempotent (already sent is success). */
export function partooInvite(options: ResolvedOnboardingOptions): (user: VendorUser) => Promise<InviteOutcome> {
  const { sendInvite } = proxyActivities<InvitationActivities>(vendorOptions('partoo', options));
  return (user) => sendInvite.executeWithOptions({ scheduleToCloseTimeout: options.inviteTimeout, summary: 'Send the Partoo invitation' }, [user]);
}
