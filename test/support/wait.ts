/** Polling helpers for the integration suites: the Temporal client, sandboxes and CLI are async. */
import type { WorkflowHandle } from '@temporalio/client';
import { progressQuery } from '../../workflows/definitions.js';
import type { OnboardingProgress, OnboardingStatus } from '../../workflows/progress.js';

/** Resolves with the first defined value `probe` returns; fails naming `what` after the timeout. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Waits until the onboarding's `progress` query reports `status`. */
export function waitForStatus(handle: WorkflowHandle, status: OnboardingStatus, timeoutMs = 60_000): Promise<OnboardingProgress> {
  return until(
    `status ${status}`,
    async () => {
      const progress = await handle.query(progressQuery);
      return progress.status === status ? progress : undefined;
    },
    timeoutMs,
  );
}
