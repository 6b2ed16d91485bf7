/** The workflow's own check of its arguments: it defends itself even when a caller skipped the library's. */
import { ApplicationFailure } from '@temporalio/workflow';
import { parseNewHire, type NewHire, type NewHireIssue } from './new-hire.js';
import { OnboardingOptionsSchema, type OnboardingOptions, type ResolvedOnboardingOptions } from './options.js';

export function parseOnboardingInput(input: unknown, rawOptions: OnboardingOptions | undefined): { hire: NewHire; options: ResolvedOnboardingOptions } {
  const hire = parseNewHire(input);
  const options = OnboardingOptionsSchema.safeParse(rawOptions ?? {});
  if (hire.ok && options.success) return { hire: hire.value, options: options.data };
  const issues: NewHireIssue[] = [
    ...(hire.ok ? [] : hire.issues),
    ...(options.success ? [] : options.error.issues.map((i) => ({ field: `options.${i.path.join('.')}`, message: i.message }))),
  ];
  // A ZodError thrown here would only fail the workflow task, which Temporal retries forever.
  throw ApplicationFailure.create({
    type: 'InvalidOnboardingInput',
    nonRetryable: true,
    message: `Invalid onboarding input: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
    details: [issues],
  });
}
