/**
 * onboardNewHire: creates one hire's user in each enabled vendor, holds Partoo's invitation until
 * it is approved (or its release time comes), and undoes everything it created if a step fails
 * for good, the onboarding is rejected, or it is cancelled.
 */
import {
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  condition,
  isCancellation,
  log,
  proxyActivities,
  rootCause,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  type ActivityOptions,
  type RetryPolicy,
} from '@temporalio/workflow';
import {
  approveSignal,
  approveUpdate,
  progressQuery,
  rejectSignal,
  type ApprovalInput,
  type RejectionInput,
} from './definitions.js';
import { parseNewHire, type NewHire } from './new-hire.js';
import { OnboardingOptionsSchema, type OnboardingOptions, type ResolvedOnboardingOptions } from './options.js';
import { initialProgress, renderDetails, vendorsDone, type OnboardingProgress, type VendorProgress } from './progress.js';
import {
  ONBOARDING_AWAITING,
  ONBOARDING_MANUAL_CLEANUP,
  ONBOARDING_STATUS,
  ONBOARDING_VENDORS_DONE,
} from './search-attributes.js';
import { NON_RETRYABLE_VENDOR_ERROR_TYPES, VendorErrorType, type InviteOutcome, type UndoOutcome, type VendorUser } from './vendor-user.js';
import { VENDOR_LABELS, VENDORS, vendorTaskQueue, type VendorName } from './vendors.js';

export interface OnboardingResult {
  status: 'completed';
  vendors: Record<VendorName, VendorProgress>;
  invite: OnboardingProgress['invite'];
}

/** Activity names per vendor, as activities/index.ts registers them on the vendor's queue. */
const ACTIVITY_STEM: Record<VendorName, string> = {
  netbird: 'Netbird',
  siit: 'Siit',
  meetbit: 'Meetbit',
  meetergo: 'Meetergo',
  partoo: 'Partoo',
};

/**
 * A create that failed with one of these was refused by the vendor before taking effect, so
 * nothing can be left behind. Any other failure (retries exhausted on timeouts, 5xx, 429s, or an
 * answer we could not read) may hide a user that was created without us learning its id.
 */
const REFUSED_BY_VENDOR: readonly string[] = [
  VendorErrorType.Validation,
  VendorErrorType.Auth,
  VendorErrorType.Rejected,
  VendorErrorType.Conflict,
  VendorErrorType.NotFound,
  VendorErrorType.InvalidInput,
];

/**
 * Retries back off from 1 s to 1 min; each step's own scheduleToClose bounds the whole window.
 * The activities flag their hopeless failures non-retryable themselves; the list here keeps one
 * thrown without that flag from being retried until the window closes.
 */
const VENDOR_RETRY: RetryPolicy = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: [...NON_RETRYABLE_VENDOR_ERROR_TYPES] };

type Step<R, A extends unknown[]> = { executeWithOptions(options: ActivityOptions, args: A): Promise<R> };

function vendorSteps(vendor: VendorName, options: ResolvedOnboardingOptions) {
  const base: ActivityOptions = {
    taskQueue: vendorTaskQueue(vendor),
    // One attempt is one or two HTTP calls (look-up, then create, after a lost response).
    startToCloseTimeout: options.attemptTimeout,
    retry: VENDOR_RETRY,
  };
  const acts = proxyActivities<Record<string, (...args: never[]) => Promise<unknown>>>(base);
  const stem = ACTIVITY_STEM[vendor];
  const label = VENDOR_LABELS[vendor];
  const create = acts[`create${stem}User`] as unknown as Step<VendorUser, [NewHire]>;
  const undo = acts[`undo${stem}User`] as unknown as Step<UndoOutcome, [VendorUser]>;
  const sendInvite = acts.sendPartooInvite as unknown as Step<InviteOutcome, [VendorUser]>;
  return {
    // scheduleToClose bounds the whole retry window, and so the time a task may sit on a vendor
    // queue that no worker polls.
    create: (hire: NewHire) =>
      create.executeWithOptions({ ...base, scheduleToCloseTimeout: options.createTimeout, summary: `Create ${label} user` }, [hire]),
    undo: (user: VendorUser) =>
      undo.executeWithOptions(
        { ...base, scheduleToCloseTimeout: options.undoTimeout, retry: { ...VENDOR_RETRY, maximumInterval: '10 minutes' }, summary: `Undo ${label} user ${user.id}` },
        [user],
      ),
    /** Partoo only: releases the invitation held since the user was created. */
    invite: (user: VendorUser) =>
      sendInvite.executeWithOptions({ ...base, scheduleToCloseTimeout: options.inviteTimeout, summary: `Send the ${label} invitation` }, [user]),
  };
}

function describeFailure(err: unknown): string {
  const cause = rootCause(err as Error);
  return cause ?? String(err);
}

function failureType(err: unknown): string | undefined {
  let current: unknown = err;
  while (current instanceof Error) {
    if (current instanceof ApplicationFailure) return current.type ?? undefined;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Accepts `{ "by": "..." }` and, for people typing in the UI, a bare string. */
function normalizeActor<T extends { by: string }>(input: unknown): T | undefined {
  if (typeof input === 'string' && input.trim()) return { by: input.trim() } as T;
  if (input && typeof input === 'object' && typeof (input as T).by === 'string' && (input as T).by.trim()) return input as T;
  return undefined;
}

export async function onboardNewHire(input: unknown, rawOptions?: OnboardingOptions): Promise<OnboardingResult> {
  const parsed = parseNewHire(input);
  const parsedOptions = OnboardingOptionsSchema.safeParse(rawOptions ?? {});
  if (!parsed.ok || !parsedOptions.success) {
    const issues = [
      ...(parsed.ok ? [] : parsed.issues),
      ...(parsedOptions.success ? [] : parsedOptions.error.issues.map((i) => ({ field: `options.${i.path.join('.')}`, message: i.message }))),
    ];
    // A ZodError thrown here would only fail the workflow task, which Temporal retries forever.
    throw ApplicationFailure.create({
      type: 'InvalidOnboardingInput',
      nonRetryable: true,
      message: `Invalid onboarding input: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
      details: [issues],
    });
  }
  const hire = parsed.value;
  const options = parsedOptions.data;
  const enabled = (vendor: VendorName) => hire.vendors[vendor].enabled;
  const progress = initialProgress(enabled);
  progress.inviteReleaseAt = hire.vendors.partoo.inviteAt;

  let approval: ApprovalInput | undefined;
  let rejection: RejectionInput | undefined;
  const awaitsApproval = () => progress.invite.state === 'held' && !approval && !rejection;

  setHandler(progressQuery, () => progress);
  setHandler(approveSignal, (raw) => {
    const input = normalizeActor<ApprovalInput>(raw);
    if (!input) return log.warn('approve signal ignored: it needs {"by": "<who approves>"}');
    if (!awaitsApproval()) return log.warn('approve signal ignored: nothing awaits approval', { by: input.by });
    approval = input;
  });
  setHandler(
    approveUpdate,
    (input) => {
      approval = normalizeActor<ApprovalInput>(input);
      return `Partoo invitation approved by ${approval!.by}`;
    },
    {
      validator: (input) => {
        if (!normalizeActor<ApprovalInput>(input)) throw new Error('approve needs {"by": "<who approves>"}');
        if (!awaitsApproval()) throw new Error(`nothing awaits approval (Partoo invitation: ${progress.invite.state})`);
      },
    },
  );
  setHandler(rejectSignal, (raw) => {
    const input = normalizeActor<RejectionInput>(raw);
    if (!input) return log.warn('reject signal ignored: it needs {"by": "<who rejects>"}');
    if (rejection || !['creating', 'awaiting-approval'].includes(progress.status)) {
      return log.warn('reject signal ignored: the onboarding is past the point of rejection', { status: progress.status });
    }
    rejection = input;
    progress.rejectedBy = input.by;
  });

  let published = '';
  const publish = () => {
    progress.awaiting = awaitsApproval() && progress.status === 'awaiting-approval' ? 'partoo-invite-approval' : 'none';
    const values = {
      status: progress.status,
      awaiting: progress.awaiting,
      done: vendorsDone(progress),
      cleanup: [...new Set(progress.manualCleanup.map((m) => m.vendor))],
    };
    // Each upsert is a history event: write only what changed.
    if (JSON.stringify(values) !== published) {
      published = JSON.stringify(values);
      upsertSearchAttributes([
        { key: ONBOARDING_STATUS, value: values.status },
        { key: ONBOARDING_AWAITING, value: values.awaiting },
        { key: ONBOARDING_VENDORS_DONE, value: values.done },
        { key: ONBOARDING_MANUAL_CLEANUP, value: values.cleanup },
      ]);
    }
    setCurrentDetails(renderDetails(progress));
  };
  const setVendor = (vendor: VendorName, update: VendorProgress) => {
    progress.vendors[vendor] = update;
    publish();
  };

  const steps = Object.fromEntries(VENDORS.map((v) => [v, vendorSteps(v, options)])) as Record<VendorName, ReturnType<typeof vendorSteps>>;
  /** Users that exist because of (or despite) this onboarding, in the order they appeared. */
  const users: VendorUser[] = [];

  const compensate = async () => {
    progress.status = 'compensating';
    if (progress.invite.state === 'held') progress.invite = { state: 'cancelled' };
    publish();
    // Undo newest first. Non-cancellable: cancelling the workflow is what may have brought us
    // here, and it must not also skip the cleanup.
    await CancellationScope.nonCancellable(async () => {
      for (const user of [...users].reverse()) {
        if (user.origin === 'adopted') continue; // existed before this onboarding: never ours to undo
        setVendor(user.vendor, { ...progress.vendors[user.vendor], state: 'undoing' });
        try {
          await steps[user.vendor].undo(user);
          setVendor(user.vendor, { ...progress.vendors[user.vendor], state: 'undone' });
        } catch (err) {
          // Never swallowed: the leftover is reported in the query, the search attribute, the UI
          // details and the failure, and the remaining undos still run.
          const error = describeFailure(err);
          progress.manualCleanup.push({ vendor: user.vendor, id: user.id, error });
          setVendor(user.vendor, { ...progress.vendors[user.vendor], state: 'manual-cleanup', error });
        }
      }
    });
    progress.status = progress.manualCleanup.length > 0 ? 'needs-manual-cleanup' : 'rolled-back';
    publish();
  };

  const fail = (type: string, message: string, cause?: Error): ApplicationFailure => {
    progress.failure = message;
    publish();
    return ApplicationFailure.create({
      type,
      message,
      nonRetryable: true,
      cause,
      details: [{ vendors: progress.vendors, manualCleanup: progress.manualCleanup }],
    });
  };

  /** Ends the workflow as Cancelled (what the UI shows), with what the rollback did. */
  const cancelled = (): CancelledFailure => {
    progress.failure = `Onboarding cancelled; ${summarizeRollback(progress)}`;
    publish();
    return new CancelledFailure(progress.failure, [{ vendors: progress.vendors, manualCleanup: progress.manualCleanup }]);
  };

  publish();

  // All creates run at once: no vendor's user depends on another's, so the onboarding takes as
  // long as the slowest vendor, not the sum. They are non-cancellable so that a cancel or a
  // rejection arriving mid-create waits for the answer: an abandoned create could commit after
  // we stopped listening and leave a user nobody knows to undo. Each is bounded by createTimeout.
  const creationFailures: { vendor: VendorName; error: Error }[] = [];
  await CancellationScope.nonCancellable(() =>
    Promise.all(
      VENDORS.filter(enabled).map(async (vendor) => {
        setVendor(vendor, { state: 'creating' });
        try {
          const user = await steps[vendor].create(hire);
          users.push(user);
          setVendor(vendor, { state: user.origin, id: user.id, origin: user.origin, links: user.links });
        } catch (err) {
          const error = describeFailure(err);
          setVendor(vendor, { state: 'failed', error });
          creationFailures.push({ vendor, error: err as Error });
          if (!REFUSED_BY_VENDOR.includes(failureType(err) ?? '')) {
            // Retries ran out (timeouts, 5xx, 429s): an attempt may have committed without ever
            // answering, so the user may exist with an id we never learned.
            progress.manualCleanup.push({ vendor, error: `create did not finish (${error}); the user may exist: look it up by the hire's email` });
            publish();
          }
        }
      }),
    ),
  );

  const rootScope = CancellationScope.current();
  if (creationFailures.length > 0) {
    await compensate();
    const first = creationFailures[0]!;
    const names = creationFailures.map((f) => `${VENDOR_LABELS[f.vendor]}: ${describeFailure(f.error)}`).join('; ');
    throw fail('OnboardingFailed', `Creating users failed (${names}); ${summarizeRollback(progress)}`, first.error);
  }
  if (rootScope.consideredCancelled) {
    await compensate();
    throw cancelled();
  }

  const partooUser = users.find((u) => u.vendor === 'partoo');
  if (partooUser?.origin === 'adopted') {
    // The hire already had a Partoo account: it is not ours to invite (or to undo).
    progress.invite = { state: 'not-applicable' };
  } else if (partooUser && !rejection) {
    try {
      await holdAndSendPartooInvite(partooUser);
    } catch (err) {
      await compensate();
      if (isCancellation(err)) throw cancelled();
      throw fail('OnboardingFailed', `Sending the Partoo invitation failed (${describeFailure(err)}); ${summarizeRollback(progress)}`, err as Error);
    }
  }
  if (rejection) {
    await compensate();
    throw fail('OnboardingRejected', `Rejected by ${rejection.by}${rejection.reason ? `: ${rejection.reason}` : ''}; ${summarizeRollback(progress)}`);
  }

  progress.status = 'completed';
  publish();
  return { status: 'completed', vendors: progress.vendors, invite: progress.invite };

  /**
   * Holds the invitation until approval, its release time, a rejection or cancellation (which
   * throws out of `condition`); then sends it once. The wait is a durable timer: it survives
   * worker restarts and may last weeks.
   */
  async function holdAndSendPartooInvite(partoo: VendorUser): Promise<void> {
    progress.status = 'awaiting-approval';
    publish();
    const decidedByPeople = () => approval !== undefined || rejection !== undefined;
    const releaseAt = hire.vendors.partoo.inviteAt;
    const untilRelease = releaseAt === undefined ? undefined : Date.parse(releaseAt) - Date.now();
    let approvedInTime = decidedByPeople();
    if (untilRelease === undefined) {
      await condition(decidedByPeople);
      approvedInTime = true;
    } else if (!approvedInTime && untilRelease > 0) {
      // A release time already past needs no timer (a server timer takes up to a second to fire).
      approvedInTime = await condition(decidedByPeople, untilRelease);
    }
    if (rejection) return;
    progress.invite = approvedInTime
      ? { state: 'sending', approvedBy: approval!.by, releasedBy: 'approval' }
      : { state: 'sending', releasedBy: 'release-time' };
    progress.status = 'inviting';
    publish();
    // Idempotent activity: a retry after a lost answer reports "already sent", not a failure.
    await steps.partoo.invite(partoo);
    progress.invite = { ...progress.invite, state: 'sent' };
    publish();
  }
}

function summarizeRollback(progress: OnboardingProgress): string {
  if (progress.manualCleanup.length === 0) return 'every user this onboarding created was undone';
  return `needs manual cleanup: ${progress.manualCleanup.map((m) => `${VENDOR_LABELS[m.vendor]}${m.id ? ` ${m.id}` : ''}`).join(', ')}`;
}
