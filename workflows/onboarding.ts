/**
 * onboardNewHire: creates one hire's user in each enabled vendor, holds Partoo's invitation (and
 * the adoption of any account that already existed) until a person approves (or, for the
 * invitation alone, its release time comes), and undoes everything it created if a step fails
 * for good, the onboarding is rejected, or it is cancelled.
 */
import { CancellationScope, condition, isCancellation } from '@temporalio/workflow';
import { createMayHaveTakenEffect, describeFailure } from './failures.js';
import type { NewHire } from './new-hire.js';
import { OnboardingState, type OnboardingResult } from './onboarding-state.js';
import type { OnboardingOptions } from './options.js';
import type { ApprovalSubject } from './progress.js';
import { Rollback } from './rollback.js';
import type { VendorUser } from './vendor-contract.js';
import { partooInvite, prepare, vendorSteps, type VendorSteps } from './vendor-steps.js';
import { VENDOR_LABELS, VENDORS, type VendorName } from './vendors.js';

export type { OnboardingResult } from './onboarding-state.js';

export async function onboardNewHire(input: unknown, rawOptions?: OnboardingOptions): Promise<OnboardingResult> {
  const state = new OnboardingState();
  state.handleMessages();
  // 0. The hire as the vendors need it (provisioning rules applied, input checked, every vendor it
  //    asks for served by this deployment), or a refusal before anything is created.
  const { hire, options, provisioning } = await prepare(input, rawOptions).catch((err: unknown) => {
    // Cancelled before anything was created: a cancellation, not a failed preparation.
    if (isCancellation(err)) throw state.cancelled(`Onboarding cancelled; ${state.rollbackSummary()}`);
    throw state.refused(err);
  });
  state.begin(hire, provisioning);
  const vendors = vendorSteps(options);
  const rollback = new Rollback(state, vendors);

  // 1. Every enabled vendor's user at once.
  const failed = await createUsers(hire, vendors, state, rollback);
  if (failed.length > 0) {
    await rollback.run();
    const names = failed.map((f) => `${VENDOR_LABELS[f.vendor]}: ${describeFailure(f.error)}`).join('; ');
    throw state.failure(`Creating users failed (${names}); ${state.rollbackSummary()}`, failed[0]!.error);
  }
  if (CancellationScope.current().consideredCancelled) {
    await rollback.run();
    throw state.cancelled(`Onboarding cancelled; ${state.rollbackSummary()}`);
  }
  const adopted = rollback.adopted();
  if (adopted.length > 0 && hire.adoptExisting === 'never') {
    await rollback.run();
    const where = adopted.map((u) => `${VENDOR_LABELS[u.vendor]} (user ${u.id})`).join(', ');
    throw state.failure(`Accounts already exist at ${where} and adoptExisting is "never"; ${state.rollbackSummary()}`);
  }

  // 2. A person approves what cannot go ahead alone: Partoo's held invitation, and adopting
  //    accounts nobody has yet confirmed are the hire's. Only the invitation may be released by time.
  const partoo = rollback.user('partoo');
  const invitation = partoo?.origin === 'created';
  if (partoo?.origin === 'adopted') state.setInvite({ state: 'not-applicable' }); // not ours to invite (or undo)
  const subjects: ApprovalSubject[] = [...(invitation ? ['partoo-invitation' as const] : []), ...(adopted.length > 0 ? ['adoption' as const] : [])];
  try {
    if (subjects.length > 0 && !state.rejectedBy) await waitForApproval(hire, state, subjects);
    if (invitation && !state.rejectedBy) await sendInvitation(partoo, state, partooInvite(options));
  } catch (err) {
    await rollback.run();
    if (isCancellation(err)) throw state.cancelled(`Onboarding cancelled; ${state.rollbackSummary()}`);
    throw state.failure(`Sending the Partoo invitation failed (${describeFailure(err)}); ${state.rollbackSummary()}`, err as Error);
  }

  // 3. A rejection taken at any point before the invitation went out rolls everything back.
  const rejection = state.rejectedBy;
  if (rejection) {
    await rollback.run();
    return state.rejected(`Rejected by ${rejection.by}${rejection.reason ? `: ${rejection.reason}` : ''}; ${state.rollbackSummary()}`);
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
          state.setVendor(vendor, { state: user.origin, id: user.id, origin: user.origin, existing: user.existing, links: user.links });
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
 * Waits for a person (approve or reject), cancellation (which throws out of `condition`), or,
 * when only the invitation waits, its release time. The wait is durable: it survives worker
 * restarts and may last weeks.
 */
async function waitForApproval(hire: NewHire, state: OnboardingState, subjects: ApprovalSubject[]): Promise<void> {
  const releaseAt = subjects.includes('adoption') ? undefined : hire.vendors.partoo.inviteAt;
  const untilRelease = releaseAt === undefined ? undefined : Date.parse(releaseAt) - Date.now();
  // A release time already past needs no wait (and no timer: a server timer takes up to a second).
  if (untilRelease !== undefined && untilRelease <= 0) return;
  state.awaitApproval(subjects);
  if (untilRelease === undefined) await condition(() => state.decided());
  else await condition(() => state.decided(), untilRelease);
}

/** Sends the invitation once; the activity is idempotent, a retry after a lost answer is "already sent". */
async function sendInvitation(partoo: VendorUser, state: OnboardingState, sendInvite: (user: VendorUser) => Promise<unknown>): Promise<void> {
  const approval = state.approvedBy;
  state.setInvite(approval ? { state: 'sending', approvedBy: approval.by, releasedBy: 'approval' } : { state: 'sending', releasedBy: 'release-time' });
  state.setStatus('inviting');
  await sendInvite(partoo);
  state.setInvite({ ...state.invite, state: 'sent' });
}
