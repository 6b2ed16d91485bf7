/**
 * Per-onboarding knobs that are not about the hire: how long each kind of step may keep retrying.
 * The defaults suit production; tests shorten them. Passed as the workflow's optional second
 * argument, so an HR app never needs to know about them.
 */
import { z } from 'zod';

const duration = z.union([
  z.number().int().positive(),
  z.string().regex(/^\d+(\.\d+)?\s*(ms|s|m|h|d|milliseconds?|seconds?|minutes?|hours?|days?)$/, 'a duration like "10 minutes" or "30s"'),
]);

export const OnboardingOptionsSchema = z
  .object({
    /**
     * How long one attempt of one vendor call may run before Temporal retries it. It is also how
     * soon the work of a worker that died mid-call moves to another worker.
     */
    attemptTimeout: duration.default('30 seconds'),
    /** How long one vendor's create may keep retrying before the step fails for good. */
    createTimeout: duration.default('10 minutes'),
    /**
     * How long one undo may keep retrying. Long on purpose: a vendor outage during a rollback
     * should delay the cleanup, not leave an orphan; only after this is it "manual cleanup".
     */
    undoTimeout: duration.default('24 hours'),
    /** How long sending the released Partoo invitation may keep retrying. */
    inviteTimeout: duration.default('1 hour'),
  })
  .strict();

export type OnboardingOptions = z.input<typeof OnboardingOptionsSchema>;
export type ResolvedOnboardingOptions = z.output<typeof OnboardingOptionsSchema>;
