/**
 * What a vendor step produces, what its undo/invite answer, and the failure types its activities
 * throw. Shared by the workflow and the activities: plain data only, safe to bundle.
 */
import type { VendorName } from './vendors.js';

/** `adopted` = the user existed before this onboarding: it must never be undone. */
export type UserOrigin = 'created' | 'adopted';

export interface VendorUser {
  vendor: VendorName;
  /** The vendor's own id, as a string (MeetBit's int64 included). */
  id: string;
  origin: UserOrigin;
  email: string;
  /** Extra vendor facts worth showing, e.g. meetergo `bookingUrl`. */
  links?: Record<string, string>;
}

export type UndoOutcome = 'undone' | 'already-gone';
export type InviteOutcome = 'sent' | 'already-sent';

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
  /** The activity got a hire that does not validate, or whose vendor is disabled. */
  InvalidInput: 'InvalidVendorActivityInput',
} as const;
export type VendorErrorTypeName = (typeof VendorErrorType)[keyof typeof VendorErrorType];

export const NON_RETRYABLE_VENDOR_ERROR_TYPES: readonly VendorErrorTypeName[] = [
  VendorErrorType.Validation,
  VendorErrorType.Auth,
  VendorErrorType.NotFound,
  VendorErrorType.Conflict,
  VendorErrorType.Rejected,
  VendorErrorType.Contract,
  VendorErrorType.RefusedToUndo,
  VendorErrorType.InvalidInput,
];

