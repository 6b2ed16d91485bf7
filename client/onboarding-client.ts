/**
 * The small library an HR app's backend (and our CLI and gateway) calls to start and steer
 * onboardings. Validates before it starts anything, and is safe to call twice for one hire.
 */
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { approveSignal, onboardingWorkflowId, progressQuery, rejectSignal, WORKFLOW_TASK_QUEUE } from '../workflows/definitions.js';
import { parseNewHire, type NewHireIssue } from '../workflows/new-hire.js';
import type { onboardNewHire } from '../workflows/onboarding.js';
import type { OnboardingOptions } from '../workflows/options.js';
import type { OnboardingProgress } from '../workflows/progress.js';
import { ONBOARDING_STATUS } from '../workflows/search-attributes.js';

export class InvalidNewHireError extends Error {
  constructor(readonly issues: NewHireIssue[]) {
    super(`Invalid new hire: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`);
    this.name = 'InvalidNewHireError';
  }
}

export interface StartedOnboarding {
  workflowId: string;
  /** false when this hire's onboarding already existed: nothing new was started. */
  started: boolean;
  handle: WorkflowHandle<typeof onboardNewHire>;
}

/**
 * Starts the hire's onboarding, or returns the one that already exists: the workflow id is derived
 * from the HR employee id, a running onboarding is reused and a completed one is never repeated.
 * Only an onboarding that failed or was cancelled (rolled back) may be started again.
 */
export async function startOnboarding(client: Client, newHire: unknown, options?: OnboardingOptions): Promise<StartedOnboarding> {
  const parsed = parseNewHire(newHire);
  if (!parsed.ok) throw new InvalidNewHireError(parsed.issues);
  const workflowId = onboardingWorkflowId(parsed.value.employeeId);
  try {
    const handle = await client.workflow.start<typeof onboardNewHire>('onboardNewHire', {
      taskQueue: WORKFLOW_TASK_QUEUE,
      workflowId,
      args: options ? [newHire, options] : [newHire],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      typedSearchAttributes: [{ key: ONBOARDING_STATUS, value: 'creating' }],
      staticSummary: `Onboarding of employee ${parsed.value.employeeId} (starts ${parsed.value.startDate})`,
    });
    return { workflowId, started: true, handle };
  } catch (err) {
    // Running, or completed: either way this hire is (being) onboarded; hand back that one.
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      return { workflowId, started: false, handle: client.workflow.getHandle<typeof onboardNewHire>(workflowId) };
    }
    throw err;
  }
}

export function getProgress(client: Client, workflowId: string): Promise<OnboardingProgress> {
  return client.workflow.getHandle(workflowId).query(progressQuery);
}

export function approve(client: Client, workflowId: string, by: string): Promise<void> {
  return client.workflow.getHandle(workflowId).signal(approveSignal, { by });
}

export function reject(client: Client, workflowId: string, by: string, reason?: string): Promise<void> {
  return client.workflow.getHandle(workflowId).signal(rejectSignal, { by, reason });
}

/** Cancelling (never terminating) lets the onboarding undo what it created. */
export async function cancel(client: Client, workflowId: string): Promise<void> {
  await client.workflow.getHandle(workflowId).cancel();
}
