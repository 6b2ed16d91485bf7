/**
 * The vendor contract, declared once: the activities every vendor's worker registers on its own
 * task queue, what they produce, and the failure types they throw. The workflow proxies these
 * interfaces and activities/index.ts must implement them, so a renamed or missing activity is a
 * `tsc` error, not a run-time one. Plain types and data only: safe to bundle into workflow code.
 */
import type { NewHire } from './new-hire.js';
import type { ResolvedOnboardingOptions } from './options.js';
import type { VendorName } from './vendors.js';

/** `adopted` = the user existed before this onboarding: it must never be undone. */
export type UserOrigin = 'created' | 'adopted';

export interface VendorUser {
  vendor: VendorName;
  /** The vendor's own id, as a string (MeetBit's int64 included). */
  id: string;
  origin: UserOrigin;
  email: string;
  /** When the vendor says the account was created, where it says so: part of its identity. */
  createdAt?: string;
  /** Adopted accounts: what the vendor shows of them, for the person who approves the adoption. */
  existing?: { name?: string; role?: string };
  /** Extra vendor facts worth showing, e.g. meetergo `bookingUrl`. */
  links?: Record<string, string>;
}

export type UndoOutcome = 'undone' | 'already-gone';
export type InviteOutcome = 'sent' | 'already-sent';

/** Every vendor registers these two, under these names, on `vendorTaskQueue(vendor)`. */
export interface VendorUserActivities {
  /** Create-or-adopt the hire's user; safe to run any number of times (at-least-once). */
  createUser(hire: NewHire): Promise<VendorUser>;
  /** Removes a user this onboarding created; refuses adopted users; gone already is success. */
  undoUser(user: VendorUser): Promise<UndoOutcome>;
}

/** Partoo's user is created with its invitation held; this sends it once released. */
export interface InvitationActivities {
  sendInvite(user: VendorUser): Promise<InviteOutcome>;
}

/** The failure type of an input the onboarding refuses (every bad field named in the message). */
export const INVALID_ONBOARDING_INPUT = 'InvalidOnboardingInput';
/** The failure type of a hire asking for a vendor this deployment does not serve (its variables unset). */
export const VENDOR_NOT_SERVED = 'VendorNotServed';
/** The first step's refusals: final (retrying cannot change the input or the deployment). */
export const PREPARATION_REFUSALS: readonly string[] = [INVALID_ONBOARDING_INPUT, VENDOR_NOT_SERVED];

/** What the provisioning rules decided: the matching rule, and each enabled vendor's settings in words. */
export interface Provisioning {
  /** "Engineering (rules.yaml line 9)"; null when no rule matched or none are configured. */
  rule: string | null;
  settings: Partial<Record<VendorName, string>>;
}

/** Registered on the workflow's own worker and run as a local activity, before anything else. */
export interface PreparationActivities {
  /**
   * Applies the provisioning rules, validates the input and fills its defaults; fails for good
   * naming every bad field (INVALID_ONBOARDING_INPUT), or every vendor asked for that this
   * deployment does not serve (VENDOR_NOT_SERVED).
   */
  prepareOnboarding(input: unknown, options: unknown): Promise<{ hire: NewHire; options: ResolvedOnboardingOptions; provisioning: Provisioning }>;
}

/** What each vendor's activity worker must register. */
export type VendorActivities = {
  [V in VendorName]: V extends 'partoo' ? VendorUserActivities & InvitationActivities : VendorUserActivities;
};

/** Stable `ApplicationFailure.type`s. The workflow may list the non-retryable ones in its retry policy. */
export const VendorErrorType = {
  /** 400/422: the vendor rejected our data; retrying sends the same data. */
  Validation: 'VendorValidationError',
  /** 401/403: wrong credentials or missing permission. */
  Auth: 'VendorAuthError',
  /** 404 where the thing must exist (undo treats 404 as success instead). */
  NotFound: 'VendorNotFound',
  /** 409 or another state conflict we cannot resolve by retrying. */
  Conflict: 'VendorConflict',
  /** Any other 4xx. */
  Rejected: 'VendorRequestRejected',
  /** 429: retried after Retry-After or our own backoff. */
  RateLimited: 'VendorRateLimited',
  /** 5xx, 408, timeouts, resets: retried. */
  Unavailable: 'VendorUnavailable',
  /** The vendor answered in a shape its contract does not allow. */
  Contract: 'VendorContractError',
  /** Undo of a user this onboarding did not create. */
  RefusedToUndo: 'RefusedToUndoPreexistingUser',
  /** The id now belongs to another account (another email or creation time): nothing deleted. */
  IdentityMismatch: 'VendorUserIdentityMismatch',
  /** The removal was answered "not found" while a read still shows the user. */
  UndoNotConfirmed: 'VendorUndoNotConfirmed',
  /** The activity got a hire that does not validate, or whose vendor is disabled. */
  InvalidInput: 'InvalidVendorActivityInput',
} as const;
export type VendorErrorTypeName = (typeof VendorErrorType)[keyof typeof VendorErrorType];

/**
 * A vendor's refusal: a 4xx other than 408 and 429, which no retry changes, and which took no
 * effect (the activities' classifier hands these out; the workflow knows from them that a failed
 * create left nothing behind).
 */
export const VENDOR_REFUSAL_TYPES: readonly VendorErrorTypeName[] = [
  VendorErrorType.Validation,
  VendorErrorType.Auth,
  VendorErrorType.NotFound,
  VendorErrorType.Conflict,
  VendorErrorType.Rejected,
];

export const NON_RETRYABLE_VENDOR_ERROR_TYPES: readonly VendorErrorTypeName[] = [
  ...VENDOR_REFUSAL_TYPES,
  VendorErrorType.Contract,
  VendorErrorType.RefusedToUndo,
  VendorErrorType.IdentityMismatch,
  VendorErrorType.UndoNotConfirmed,
  VendorErrorType.InvalidInput,
];

