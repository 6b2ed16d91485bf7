/**
 * The onboarding's first step, a local activity on the workflow's own worker: validates the input
 * and fills in its defaults. It lives here rather than in the workflow because zod inside the
 * workflow sandbox is costly: the sandbox evaluates a workflow's modules once per workflow, so
 * every cached onboarding carried its own copy of zod (~1.6 MB) and spent most of its CPU there.
 */
import { ApplicationFailure } from '@temporalio/common';
import { parseNewHire, type NewHireIssue } from '../workflows/new-hire.js';
import { OnboardingOptionsSchema } from '../workflows/options.js';
import { INVALID_ONBOARDING_INPUT, type PreparationActivities } from '../workflows/vendor-contract.js';

export function createPreparationActivities(): PreparationActivities {
  return {
    async prepareOnboarding(input, rawOptions) {
      const hire = parseNewHire(input);
      const options = OnboardingOptionsSchema.safeParse(rawOptions ?? {});
      if (hire.ok && options.success) return { hire: hire.value, options: options.data };
      const issues: NewHireIssue[] = [
        ...(hire.ok ? [] : hire.issues),
        ...(options.success ? [] : options.error.issues.map((i) => ({ field: `options.${i.path.join('.')}`, message: i.message }))),
      ];
      throw ApplicationFailure.create({
        type: INVALID_ONBOARDING_INPUT,
        nonRetryable: true,
        message: `Invalid onboarding input: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
        details: [issues],
      });
    },
  };
}
