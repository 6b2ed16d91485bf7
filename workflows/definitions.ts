/**
 * The onboarding's messages: what the Web UI, the `temporal` CLI, our CLI and an HR app send or
 * ask. Shared by the workflow and the client.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { OnboardingProgress } from './progress.js';

/** `{ "by": "alice@example.com" }` — who approves what the onboarding waits for: the held Partoo invitation, the adoption of existing accounts, or both. */
export interface ApprovalInput {
  by: string;
  reason?: string;
}

/** `{ "by": "alice@example.com", "reason": "offer withdrawn" }` — rolls the onboarding back. */
export interface RejectionInput {
  by: string;
  reason?: string;
}

/** Signals can be sent from the Web UI ("Send signal") and are durable with no worker running. */
export const approveSignal = defineSignal<[ApprovalInput]>('approve');
export const rejectSignal = defineSignal<[RejectionInput]>('reject');
/**
 * The update forms: their validators refuse (with the reason) before anything is written to
 * history, so the caller learns at once whether the decision was taken. Same names as the signals.
 */
export const approveUpdate = defineUpdate<string, [ApprovalInput]>('approve');
export const rejectUpdate = defineUpdate<string, [RejectionInput]>('reject');
export const progressQuery = defineQuery<OnboardingProgress>('progress');

export const WORKFLOW_TASK_QUEUE = 'onboarding';

/** One onboarding per hire: the HR employee id is the workflow id's only variable part. */
export function onboardingWorkflowId(employeeId: string): string {
  return `onboarding-${employeeId}`;
}
