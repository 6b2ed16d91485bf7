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
 * A Worker that bundles for itself takes the failure (and payload) converter paths from its data
 * converter: the encrypting failure converter with PAYLOAD_ENCRYPTION on, the SDK's default with it
 * off. A pre-built bundle (tests, bench) must carry the same ones, or a workflow's failures would
 * be encoded unlike the data converter the worker runs with: so the options are a function of it.
 */
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import type { BundleOptions } from '@temporalio/worker';

const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

type WorkflowBundleOptions = Required<Pick<BundleOptions, 'workflowsPath' | 'preloadModules'>> & Pick<BundleOptions, 'failureConverterPath' | 'payloadConverterPath'>;

/** The bundle options for workers running with `dataConverter`: `workflowBundleOptions(onboardingDataConverter(config))`. */
export function workflowBundleOptions(dataConverter: Pick<DataConverter, 'failureConverterPath' | 'payloadConverterPath'>): WorkflowBundleOptions {
  const { failureConverterPath, payloadConverterPath } = dataConverter;
  return {
    workflowsPath: WORKFLOWS_PATH,
    preloadModules: ['@temporalio/workflow', '@temporalio/common', WORKFLOWS_PATH],
    ...(failureConverterPath && { failureConverterPath }),
    ...(payloadConverterPath && { payloadConverterPath }),
  };
}
