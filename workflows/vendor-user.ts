/**
 * What a vendor step produces and what its undo/invite answer. Shared by the workflow and the
 * activities, so it holds types only (nothing to bundle).
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
