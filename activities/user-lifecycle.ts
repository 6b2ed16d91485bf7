/**
 * Create-or-adopt and undo, the same for every vendor: the retry/adopt/undo decisions live here
 * once, each vendor module only says how to talk to its API (`VendorUserApi`).
 */
import { Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { parseNewHire, type NewHire } from '../workflows/new-hire.js';
import type { UndoOutcome, VendorUser } from '../workflows/vendor-contract.js';
import { VENDOR_LABELS, type VendorName } from '../workflows/vendors.js';
import { VendorErrorType } from './http.js';

/** A user as a look-up or a duplicate answer shows it. */
export interface FoundUser {
  id: string;
  links?: Record<string, string>;
}

export type CreateAnswer =
  | { outcome: 'created'; user: FoundUser }
  /** The vendor says the email is taken; `existing` when the answer itself shows the user (Siit). */
  | { outcome: 'duplicate'; existing?: FoundUser };

/** How one vendor creates, finds and removes a user. Errors are already Temporal failures. */
export interface VendorUserApi {
  vendor: VendorName;
  create(hire: NewHire): Promise<CreateAnswer>;
  /** Case-insensitive; only users the vendor still counts as live (not archived/deleted). */
  findByEmail(email: string): Promise<FoundUser | undefined>;
  /** 'already-gone' when the vendor no longer has the user (404, already archived...). */
  remove(id: string): Promise<UndoOutcome>;
}

/**
 * Create-or-adopt, safe to run any number of times.
 *
 * Only a user this onboarding created may ever be undone, so the result says who made it:
 * - Attempt 1 POSTs straight away (no look-up round trip: latency matters on the happy path).
 *   A duplicate answer then means the user existed before we tried → `adopted`.
 * - Attempt > 1 looks up first: a user found now was made by our earlier attempt whose response
 *   was lost (a timeout, a reset, a 5xx after commit) → `created`. Not found → POST; a duplicate
 *   answer now is also `created`, since an earlier attempt of ours may have committed concurrently
 *   (e.g. a request still in flight when its attempt timed out).
 * Residual risks: (1) on attempt > 1 we cannot tell our own lost create from a user somebody else
 * created for the same email between our attempts (seconds to minutes apart); we call it
 * `created`, so a rollback would remove it. (2) A duplicate on attempt 1 is pre-existing only if
 * nothing else of ours created it: the workflow must run one create per vendor per hire (a
 * workflow-level retry that restarts the activity at attempt 1 after our user was created would
 * adopt it, and it would then be left in place on rollback: safe, never a wrong delete).
 */
export async function createOrAdopt(api: VendorUserApi, input: NewHire): Promise<VendorUser> {
  const hire = validHire(api.vendor, input);
  const attempt = Context.current().info.attempt;
  const label = VENDOR_LABELS[api.vendor];
  const result = (found: FoundUser, origin: VendorUser['origin'], how: string): VendorUser => {
    log.info(`${label} user ${how}`, { vendor: api.vendor, userId: found.id, origin, attempt });
    return { vendor: api.vendor, id: found.id, origin, email: hire.email, ...(found.links && { links: found.links }) };
  };

  if (attempt > 1) {
    const mine = await api.findByEmail(hire.email);
    if (mine) return result(mine, 'created', 'found after a lost response of an earlier attempt');
  }
  const answer = await api.create(hire);
  if (answer.outcome === 'created') return result(answer.user, 'created', 'created');

  const origin = attempt === 1 ? 'adopted' : 'created';
  const existing = answer.existing ?? (await api.findByEmail(hire.email));
  if (!existing) {
    // The email is taken by a user the look-up cannot see (archived, soft-deleted, service user):
    // adopting it would hand the hire a dead account, retrying would not change it.
    throw ApplicationFailure.create({
      message: `${label} says a user with this email exists but cannot find it live (archived or deleted?): a person must restore or remove it`,
      type: VendorErrorType.Conflict,
      nonRetryable: true,
      details: [{ vendor: api.vendor, employeeId: hire.employeeId }],
    });
  }
  return result(existing, origin, origin === 'adopted' ? 'already existed: adopted, will never be undone' : 'found after a duplicate answer on a retry');
}

/** Undo of a created user; idempotent (already gone is success), and refuses adopted users. */
export async function undoCreatedUser(api: VendorUserApi, user: VendorUser): Promise<UndoOutcome> {
  const label = VENDOR_LABELS[api.vendor];
  if (user.vendor !== api.vendor) {
    throw ApplicationFailure.create({
      message: `${label} undo got a ${VENDOR_LABELS[user.vendor] ?? user.vendor} user`,
      type: VendorErrorType.InvalidInput,
      nonRetryable: true,
    });
  }
  if (user.origin !== 'created') {
    throw ApplicationFailure.create({
      message: `Refusing to undo ${label} user ${user.id}: it existed before this onboarding (origin ${user.origin})`,
      type: VendorErrorType.RefusedToUndo,
      nonRetryable: true,
      details: [{ vendor: user.vendor, userId: user.id, origin: user.origin }],
    });
  }
  const outcome = await api.remove(user.id);
  log.info(`${label} user undo: ${outcome}`, { vendor: api.vendor, userId: user.id, outcome });
  return outcome;
}

function validHire(vendor: VendorName, input: NewHire): NewHire {
  const parsed = parseNewHire(input);
  const label = VENDOR_LABELS[vendor];
  if (!parsed.ok) {
    throw ApplicationFailure.create({
      message: `${label} create got an invalid hire: ${parsed.issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
      type: VendorErrorType.InvalidInput,
      nonRetryable: true,
      details: [{ vendor, issues: parsed.issues }],
    });
  }
  if (!parsed.value.vendors[vendor].enabled) {
    throw ApplicationFailure.create({ message: `${label} is disabled for this hire`, type: VendorErrorType.InvalidInput, nonRetryable: true });
  }
  return parsed.value;
}
