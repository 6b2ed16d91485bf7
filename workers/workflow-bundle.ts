/**
 * How the workflow code is bundled, for the worker, the tests and the bench alike.
 *
 * The SDK's reusable V8 context evaluates a workflow's modules once per workflow, unless they are
 * preloaded into the context's shared module cache. Preloading the SDK and our workflow modules
 * costs nothing per onboarding and saves about a third of each cached one's heap (measured in
 * docs/performance.md). It is safe because none of these modules keeps per-workflow state at
 * module level: everything an onboarding changes lives in objects the workflow function creates
 * (OnboardingState, Rollback), and the SDK's functions find the running workflow at call time.
 * Keep it so: a module-level `let` in workflows/ would be shared by every onboarding.
 */
import { fileURLToPath } from 'node:url';
import type { BundleOptions } from '@temporalio/worker';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export const WORKFLOW_BUNDLE_OPTIONS = {
  workflowsPath: WORKFLOWS_PATH,
  preloadModules: ['@temporalio/workflow', '@temporalio/common', WORKFLOWS_PATH],
} satisfies Pick<BundleOptions, 'workflowsPath' | 'preloadModules'>;
