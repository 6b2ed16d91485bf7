/**
 * The custom search attributes an onboarding keeps current, so operators can filter and read
 * onboardings in the Temporal Web UI and `temporal workflow list --query`.
 * Search attributes are not encrypted by a payload codec: they never hold PII (no names, no
 * emails), only states and vendor names.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Overall state: `creating`, `awaiting-approval`, `inviting`, `compensating`, then `completed`, `rejected`, `cancelled`, `failed` or `needs-manual-cleanup`. */
export const ONBOARDING_STATUS = defineSearchAttributeKey('OnboardingStatus', SearchAttributeType.KEYWORD);
/** What the onboarding waits for right now (`approval`, `none`). */
export const ONBOARDING_AWAITING = defineSearchAttributeKey('OnboardingAwaiting', SearchAttributeType.KEYWORD);
/** Vendors whose user exists (created or adopted). */
export const ONBOARDING_VENDORS_DONE = defineSearchAttributeKey('OnboardingVendorsDone', SearchAttributeType.KEYWORD_LIST);
/** Vendors whose undo failed for good: a person must clean these up. */
export const ONBOARDING_MANUAL_CLEANUP = defineSearchAttributeKey('OnboardingManualCleanup', SearchAttributeType.KEYWORD_LIST);

/** A type as the `temporal` CLI and the dev server's `--search-attribute` take it: KEYWORD_LIST → KeywordList. */
export function searchAttributeTypeName(type: string): string {
  return type.toLowerCase().replace(/(?:^|_)([a-z])/g, (_, first: string) => first.toUpperCase());
}

export const ONBOARDING_SEARCH_ATTRIBUTES = [
  ONBOARDING_STATUS,
  ONBOARDING_AWAITING,
  ONBOARDING_VENDORS_DONE,
  ONBOARDING_MANUAL_CLEANUP,
];
