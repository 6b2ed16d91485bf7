/**
 * onboardNewHire: creates one hire's user in each enabled vendor, holds Partoo's invitation until
 * it is approved (or its release time comes), and undoes everything it created if a step fails
 * for good, the onboarding is rejected, or it is cancelled.
 */
import { CancellationScope, condition, isCancellation } from '@temporalio/workflow';
import { createMayHaveTakenEffect, describeFailure } from './failures.js';
import type { NewHire } from './new-hire.js';
import { parseOnboardingInput } from './onboarding-input.js';
import { OnboardingState, type OnboardingResult } from './onboarding-state.js';
import type { OnboardingOptions } from './options.js';
import { Rollback } from './rollback.js';
import type { VendorUser } from './vendor-contract.js';
import { partooInvite, vendorSteps, type VendorSteps } from './vendor-steps.js';
import { VENDOR_LABELS, VENDORS, type VendorName } from './vendors.js';

export type { OnboardingResult } from './onboarding-state.js';

export async function onboardNewHire(input: unknown, rawOptions?: OnboardingOptions): Promise<OnboardingResult> {
  const { hire, options } = parseOnboardingInput(input, rawOptions);
  const state = new OnboardingState(hire);
  state.handleMessages();
  const vendors = vendorSteps(options);
  const rollback = new Rollback(state, vendors);

  // 1. Every enabled vendor's user at once.
  const failed = await createUsers(hire, vendors, state, rollback);
  if (failed.length > 0) {
    await rollback.run();
    const names = failed.map((f) => `${VENDOR_LABELS[f.vendor]}: ${describeFailure(f.error)}`).join('; ');
    throw state.failure('OnboardingFailed', `Creating users failed (${names}); ${state.rollbackSummary()}`, failed[0]!.error);
  }
  if (CancellationScope.current().consideredCancelled) {
    await rollback.run();
    throw state.cancelled(`Onboarding cancelled; ${state.rollbackSummary()}`);
  }

  // 2. Partoo's invitation, held until a person approves or its release time comes.
  const partoo = rollback.user('partoo');
  if (partoo?.origin === 'adopted') {
    // The hire already had a Partoo account: it is not ours to invite (or to undo).
    state.setInvite({ state: 'not-applicable' });
  } else if (partoo && !state.rejectedBy) {
    try {
      await holdInvitation(hire, state);
      if (!state.rejectedBy) await sendInvitation(partoo, state, partooInvite(options));
    } catch (err) {
      await rollback.run();
      if (isCancellation(err)) throw state.cancelled(`Onboarding cancelled; ${state.rollbackSummary()}`);
      throw state.failure('OnboardingFailed', `Sending the Partoo invitation failed (${describeFailure(err)}); ${state.rollbackSummary()}`, err as Error);
    }
  }

  // 3. A rejection taken at any point before the invitation went out rolls everything back.
  const rejection = state.rejectedBy;
  if (rejection) {
    await rollback.run();
    throw state.failure('OnboardingRejected', `Rejected by ${rejection.by}${rejection.reason ? `: ${rejection.reason}` : ''}; ${state.rollbackSummary()}`);
  }
  return state.complete();
}

/**
 * All creates run at once: no vendor's user depends on another's, so the onboarding takes as
 * long as the slowest vendor, not the sum. They are non-cancellable so that a cancel or a
 * rejection arriving mid-create waits for the answer: an abandoned create could commit after we
 * stopped listening and leave a user nobody knows to undo. Each is bounded by createTimeout.
 */
async function createUsers(hire: NewHire, vendors: Record<VendorName, VendorSteps>, state: OnboardingState, rollback: Rollback) {
  const failed: { vendor: VendorName; error: Error }[] = [];
  const enabled = VENDORS.filter((vendor) => hire.vendors[vendor].enabled);
  await CancellationScope.nonCancellable(() =>
    Promise.all(
      enabled.map(async (vendor) => {
        state.setVendor(vendor, { state: 'creating' });
        try {
          const user = await vendors[vendor].create(hire);
          rollback.add(user);
          state.setVendor(vendor, { state: user.origin, id: user.id, origin: user.origin, links: user.links });
        } catch (err) {
          const error = describeFailure(err);
          failed.push({ vendor, error: err as Error });
          state.setVendor(vendor, { state: 'failed', error });
          if (createMayHaveTakenEffect(err)) {
            // Retries ran out (timeouts, 5xx, 429s): an attempt may have committed without ever
            // answering, so the user may exist with an id we never learned.
            state.addManualCleanup({ vendor, error: `create did not finish (${error}); the user may exist: look it up by the hire's email` });
          }
        }
      }),
    ),
  );
  return failed;
}

/**
 * Waits for approval, the release time, a rejection or cancellation (which throws out of
 * `condition`). The wait is durable: it survives worker restarts and may last weeks.
 */
async function holdInvitation(hire: NewHire, state: OnboardingState): Promise<void> {
  state.setStatus('awaiting-approval');
  const releaseAt = hire.vendors.partoo.inviteAt;
  const untilRelease = releaseAt === undefined ? undefined : Date.parse(releaseAt) - Date.now();
  if (untilRelease === undefined) {
    await condition(() => state.decided());
  } else if (!state.decided() && untilRelease > 0) {
    // A release time already past needs no timer (a server timer takes up to a second to fire).
    await condition(() => state.decided(), untilRelease);
  }
}

/** Sends the invitation once; the activity is idempotent, a retry after a lost answer is "already sent". */
async function sendInvitation(partoo: VendorUser, state: OnboardingState, sendInvite: (user: VendorUser) => Promise<unknown>): Promise<void> {
  const approval = state.approvedBy;
  state.setInvite(approval ? { state: 'sending', approvedBy: approval.by, releasedBy: 'approval' } : { state: 'sending', releasedBy: 'release-time' });
  state.setStatus('inviting');
  await sendInvite(partoo);
  state.setInvite({ ...state.invite, state: 'sent' });
}
