/**
 * The Workers one process hosts: the workflow worker on `onboarding` and one activity worker per
 * vendor queue, all on one shared connection. Used by `npm run worker`, `npm start` and the tests.
 */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { OnboardingDataConverter } from '../codec/data-converter.js';
import { WORKFLOW_TASK_QUEUE } from '../workflows/definitions.js';
import type { VendorActivities } from '../workflows/vendor-contract.js';
import { VENDORS, vendorTaskQueue, type VendorName } from '../workflows/vendors.js';

export interface OnboardingWorkersOptions {
  connection: NativeConnection;
  namespace?: string;
  /** Each vendor's implementation of the contract: `createVendorActivities(config)`, or a test's. */
  activities: VendorActivities;
  ratePerSecond: Record<VendorName, number>;
  /** `onboardingDataConverter(config.payloadEncryption)`: the same one the clients use, or nothing reads what the other wrote. */
  dataConverter: OnboardingDataConverter;
  /**
   * A pre-built bundle (tests build one per run), made with `failureConverterPath:
   * FAILURE_CONVERTER_PATH` so workflow failures are encrypted too; otherwise the workflows are
   * bundled here, with the data converter's failure converter.
   */
  workflowBundle?: WorkflowBundleOption;
}

export async function createOnboardingWorkers(options: OnboardingWorkersOptions): Promise<Worker[]> {
  const { connection, namespace, dataConverter } = options;
  const workflowCode = options.workflowBundle
    ? { workflowBundle: options.workflowBundle }
    : { workflowsPath: fileURLToPath(new URL('../workflows/index.ts', import.meta.url)) };
  const { activities } = options;
  return Promise.all([
    Worker.create({ connection, namespace, dataConverter, taskQueue: WORKFLOW_TASK_QUEUE, ...workflowCode }),
    ...VENDORS.map((vendor) =>
      Worker.create({
        connection,
        namespace,
        dataConverter,
        taskQueue: vendorTaskQueue(vendor),
        activities: activities[vendor],
        maxTaskQueueActivitiesPerSecond: options.ratePerSecond[vendor],
      }),
    ),
  ]);
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
