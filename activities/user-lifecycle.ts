/**
 * Create-or-adopt and undo, the same for every vendor: the retry/adopt/undo decisions live here
 * once, each vendor module only says how to talk to its API (`VendorUserApi`).
 */
import { Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { parseNewHire, type NewHire } from '../workflows/new-hire.js';
import type { UndoOutcome, VendorUser } from '../workflows/vendor-contract.js';
import { VENDOR_LABELS, type VendorName } from '../workflows/vendors.js';
import { sameEmail, VENDOR_REFUSAL_TYPES, VendorErrorType } from './http.js';
import { countUser } from './metrics.js';

/** A user as a create, a look-up or a duplicate answer shows it. */
export interface FoundUser {
  id: string;
  /** Absent only where an answer does not carry it (a create that returns the id alone). */
  email?: string;
  /** As the vendor shows them: for the person who approves an adoption. */
  name?: string;
  role?: string;
  /** The vendor's creation time, where it reports one: compared before an undo. */
  createdAt?: string;
  links?: Record<string, string>;
}

export type CreateAnswer =
  | { outcome: 'created'; user: FoundUser }
  /** The vendor refused the create, and a live user with the hire's email exists: that one. */
  | { outcome: 'duplicate'; existing: FoundUser };

/** How one vendor creates, finds and removes a user. Errors are already Temporal failures. */
export interface VendorUserApi {
  vendor: VendorName;
  create(hire: NewHire): Promise<CreateAnswer>;
  /** Case-insensitive; only users the vendor still counts as live (not archived/deleted). */
  findByEmail(email: string): Promise<FoundUser | undefined>;
  /** The live user with this id; undefined when the vendor no longer has it (404, archived, deleted). */
  findById(id: string): Promise<FoundUser | undefined>;
  /** Deletes or archives; 'not-found' when the vendor answered that it does not know the id. */
  remove(id: string): Promise<'removed' | 'not-found'>;
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
    countUser(api.vendor, origin);
    return {
      vendor: api.vendor,
      id: found.id,
      origin,
      email: hire.email,
      ...(found.createdAt && { createdAt: found.createdAt }),
      ...(origin === 'adopted' && { existing: { ...(found.name && { name: found.name }), ...(found.role && { role: found.role }) } }),
      ...(found.links && { links: found.links }),
    };
  };

  if (attempt > 1) {
    const mine = await api.findByEmail(hire.email);
    if (mine) return result(mine, 'created', 'found after a lost response of an earlier attempt');
  }
  const answer = await api.create(hire).catch((err: unknown) => {
    if (refusedByVendor(err)) countUser(api.vendor, 'refused');
    throw err;
  });
  if (answer.outcome === 'created') return result(answer.user, 'created', 'created');

  // A refusal while a live user with this email exists. (A refusal with no such user stands as
  // the vendor gave it: for an email held by an archived or deleted account that is its 409/400,
  // which no retry changes and a person must resolve.)
  const origin = attempt === 1 ? 'adopted' : 'created';
  return result(answer.existing, origin, origin === 'adopted' ? 'already existed: adopted, will never be undone' : 'found after a duplicate answer on a retry');
}

/**
 * Undo of a created user; idempotent (gone already is success), and it proves identity first: ids
 * can be handed out again (a vendor's reset, a recycled id), and an undo may run days after the
 * create. It reads the user by id and removes it only if it is still the account this onboarding
 * created: same email (case-insensitive) and, where the vendor reports one, the same creation
 * time. Otherwise it removes nothing and fails for good, so the workflow reports manual cleanup.
 */
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
  const current = await api.findById(user.id);
  if (!current) {
    log.info(`${label} user undo: already gone`, { vendor: api.vendor, userId: user.id });
    return 'already-gone';
  }
  const mismatch = identityMismatch(user, current);
  if (mismatch) {
    throw ApplicationFailure.create({
      message: `Refusing to undo ${label} user ${user.id}: that id now belongs to another account (${mismatch}); nothing was deleted`,
      type: VendorErrorType.IdentityMismatch,
      nonRetryable: true,
      details: [{ vendor: user.vendor, userId: user.id, mismatch }],
    });
  }
  if ((await api.remove(user.id)) === 'not-found') {
    // A "not found" for a user we just read is no proof it is gone (a wrong route answers 404 too):
    // only a second read that no longer finds it is.
    if (await api.findById(user.id)) {
      throw ApplicationFailure.create({
        message: `${label} answered "not found" to the undo of user ${user.id}, but the user still exists: it was not removed`,
        type: VendorErrorType.UndoNotConfirmed,
        nonRetryable: true,
        details: [{ vendor: user.vendor, userId: user.id }],
      });
    }
    log.info(`${label} user undo: already gone`, { vendor: api.vendor, userId: user.id });
    return 'already-gone';
  }
  log.info(`${label} user undone`, { vendor: api.vendor, userId: user.id });
  countUser(api.vendor, 'undone');
  return 'undone';
}

/**
 * The vendor answered the create with a refusal that retrying cannot change (4xx, never 408 or
 * 429). Not every non-retryable type: a contract break or a bad hire is ours, not the vendor's.
 */
function refusedByVendor(err: unknown): boolean {
  return err instanceof ApplicationFailure && (VENDOR_REFUSAL_TYPES as readonly string[]).includes(err.type ?? '');
}

/** Why `current` is not the account `user` describes, or undefined when it is. */
function identityMismatch(user: VendorUser, current: FoundUser): string | undefined {
  if (current.email === undefined) return 'the vendor does not show its email, so it cannot be proven ours';
  if (!sameEmail(current.email, user.email)) return 'its email differs';
  if (user.createdAt && current.createdAt && user.createdAt !== current.createdAt) return 'it was created at another time';
  return undefined;
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
