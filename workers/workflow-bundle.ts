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
 *
 * A pre-built bundle (tests, bench) carries the failure converter too, so a workflow's failure
 * messages are encrypted there exactly as in a worker that bundles for itself from its data
 * converter.
 */
import { fileURLToPath } from 'node:url';
import type { BundleOptions } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../codec/data-converter.js';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export const WORKFLOW_BUNDLE_OPTIONS = {
  workflowsPath: WORKFLOWS_PATH,
  preloadModules: ['@temporalio/workflow', '@temporalio/common', WORKFLOWS_PATH],
  failureConverterPath: FAILURE_CONVERTER_PATH,
} satisfies Pick<BundleOptions, 'workflowsPath' | 'preloadModules' | 'failureConverterPath'>;
