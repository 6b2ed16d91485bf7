/** Reading the failures that vendor activities end with, for the workflow's decisions and messages. */
import { ApplicationFailure, rootCause } from '@temporalio/workflow';
import { VENDOR_REFUSAL_TYPES, VendorErrorType } from './vendor-contract.js';

/**
 * A create that failed with one of these was refused by the vendor before taking effect, so
 * nothing can be left behind. Any other failure (retries exhausted on timeouts, 5xx, 429s, or an
 * answer we could not read) may hide a user that was created without us learning its id.
 */
const REFUSED_BY_VENDOR: readonly string[] = [...VENDOR_REFUSAL_TYPES, VendorErrorType.InvalidInput];

/** The innermost message: the vendor's own words, not Temporal's "Activity task failed". */
export function describeFailure(err: unknown): string {
  return rootCause(err as Error) ?? String(err);
}

/** The `ApplicationFailure` nearest the top of the cause chain (an activity's own failure). */
export function applicationFailure(err: unknown): ApplicationFailure | undefined {
  for (let current: unknown = err; current instanceof Error; current = (current as { cause?: unknown }).cause) {
    if (current instanceof ApplicationFailure) return current;
  }
  return undefined;
}

/** The `ApplicationFailure.type` nearest the top of the cause chain. */
export function failureType(err: unknown): string | undefined {
  return applicationFailure(err)?.type ?? undefined;
}

/** Whether a failed create may still have created the user (an answer we never got). */
export function createMayHaveTakenEffect(err: unknown): boolean {
  return !REFUSED_BY_VENDOR.includes(failureType(err) ?? '');
}
