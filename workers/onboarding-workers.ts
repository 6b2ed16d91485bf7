/**
 * The Workers one process hosts: the workflow worker on `onboarding` and one activity worker per
 * queue of a vendor this deployment serves, all on one shared connection. Used by `npm run worker`,
 * `npm start` and the tests.
 */
import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { createPreparationActivities } from '../activities/prepare.js';
import type { ProvisioningRules } from '../activities/provisioning-rules.js';
import type { OnboardingDataConverter } from '../codec/data-converter.js';
import { WORKFLOW_TASK_QUEUE } from '../workflows/definitions.js';
import type { VendorActivities } from '../workflows/vendor-contract.js';
import { VENDORS, vendorTaskQueue, type VendorName } from '../workflows/vendors.js';
import { workflowBundleOptions } from './workflow-bundle.js';

export interface OnboardingWorkersOptions {
  connection: NativeConnection;
  namespace?: string;
  /**
   * Each served vendor's implementation of the contract: `createVendorActivities(config)`, or a
   * test's. A vendor left out is off: its queue is not polled, and onboardings asking for it fail
   * at their start (activities/prepare.ts).
   */
  activities: Partial<VendorActivities>;
  ratePerSecond: Record<VendorName, number>;
  /** How long a stopping worker lets running activities finish before cancelling them (default 0: at once). */
  shutdownGraceMs?: number;
  /** `onboardingDataConverter(config.payloadEncryption)`: the same one the clients use, or nothing reads what the other wrote. */
  dataConverter: OnboardingDataConverter;
  /**
   * A pre-built bundle (tests build one per run), built with `workflowBundleOptions(dataConverter)`
   * for this same data converter; otherwise the workflows are bundled here.
   */
  workflowBundle?: WorkflowBundleOption;
  /**
   * How many onboardings the workflow worker keeps in memory between their steps (the SDK's own
   * default grows with the machine's memory). One that was evicted is replayed from its history
   * when it next moves: a few milliseconds, not a failure.
   */
  maxCachedWorkflows?: number;
  /** Provisioning rules the input check applies (activities/provisioning-rules.ts). */
  rules?: ProvisioningRules;
}

export async function createOnboardingWorkers(options: OnboardingWorkersOptions): Promise<Worker[]> {
  const { connection, namespace, dataConverter } = options;
  // Bundling here, the Worker takes the converter paths from `dataConverter` itself: only the rest is passed.
  const { workflowsPath, preloadModules } = workflowBundleOptions(dataConverter);
  const workflowCode = options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath, bundlerOptions: { preloadModules } };
  const { activities } = options;
  const shutdownGraceTime = options.shutdownGraceMs ?? 0;
  return Promise.all([
    Worker.create({
      connection,
      namespace,
      dataConverter,
      taskQueue: WORKFLOW_TASK_QUEUE,
      ...workflowCode,
      // The onboarding's first step runs here, as a local activity: the provisioning rules, the
      // input check and whether this deployment serves the vendors asked for (activities/prepare.ts).
      activities: createPreparationActivities({ rules: options.rules, served: servedVendors(activities) }),
      ...(options.maxCachedWorkflows !== undefined && { maxCachedWorkflows: options.maxCachedWorkflows }),
      shutdownGraceTime,
    }),
    ...servedVendors(activities).map((vendor) =>
      Worker.create({
        connection,
        namespace,
        dataConverter,
        taskQueue: vendorTaskQueue(vendor),
        activities: activities[vendor],
        maxTaskQueueActivitiesPerSecond: options.ratePerSecond[vendor],
        shutdownGraceTime,
      }),
    ),
  ]);
}

/** The vendors `activities` implements, in the saga's order. */
export function servedVendors(activities: Partial<VendorActivities>): VendorName[] {
  return VENDORS.filter((vendor) => activities[vendor] !== undefined);
}

/** Runs all workers until one stops (shutdown signal) or `until` settles; stops the rest too. */
export async function runOnboardingWorkers<R>(workers: Worker[], until?: Promise<R>): Promise<R | undefined> {
  if (until) {
    const [first, ...rest] = workers;
    const nest = rest.reduce<Promise<R>>((inner, worker) => worker.runUntil(inner), until);
    return first!.runUntil(nest);
  }
  await Promise.all(workers.map((w) => w.run()));
  return undefined;
}
