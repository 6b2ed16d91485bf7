/**
 * `npm run worker`: hosts the onboarding workflow and the activity queue of each vendor this
 * deployment serves (those whose variables are set).
 * Stops gracefully on SIGINT/SIGTERM (the SDK's Runtime drains running tasks first).
 */
import { NativeConnection, Runtime } from '@temporalio/worker';
import { createVendorActivities } from '../activities/index.js';
import { ConfigError, connectProblem, loadConfig, vendorVariables } from '../config/environment.js';
import { WORKFLOW_TASK_QUEUE } from '../workflows/definitions.js';
import { VENDOR_LABELS, VENDORS, vendorTaskQueue } from '../workflows/vendors.js';
import { workerLogger } from './logger.js';
import { createOnboardingWorkers, runOnboardingWorkers, servedVendors } from './onboarding-workers.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(['temporal', 'vendors', 'worker']);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
  const { temporal, vendors, worker } = config;
  const activities = createVendorActivities(vendors);
  const served = servedVendors(activities);
  const off = VENDORS.filter((v) => !served.includes(v));
  if (served.length === 0) {
    console.error(`No vendor is configured: set every variable of at least one vendor: ${off.map((v) => `${VENDOR_LABELS[v]} (${vendorVariables(v).join(', ')})`).join('; ')}`);
    process.exit(2);
  }
  Runtime.install({ logger: workerLogger() });
  const connection = await NativeConnection.connect(temporal.connectionOptions).catch((err: Error) => {
    console.error(`error: ${connectProblem(temporal, err)}`);
    process.exit(1);
  });
  try {
    const workers = await createOnboardingWorkers({
      connection,
      namespace: temporal.namespace,
      activities,
      ratePerSecond: worker.ratePerSecond,
    });
    const queues = [WORKFLOW_TASK_QUEUE, ...served.map(vendorTaskQueue)];
    console.log(`Worker polling ${temporal.address}${temporal.tls ? ' (TLS)' : ''} (namespace ${temporal.namespace}): ${queues.join(', ')}`);
    console.log(
      `Serving ${served.map((v) => VENDOR_LABELS[v]).join(', ')}` +
        (off.length > 0 ? `; off (their variables are unset, onboardings asking for them fail at once): ${off.map((v) => VENDOR_LABELS[v]).join(', ')}` : ''),
    );
    console.log('Stop with Ctrl-C (running tasks finish first).');
    await runOnboardingWorkers(workers);
  } finally {
    await connection.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
