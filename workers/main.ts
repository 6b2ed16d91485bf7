/**
 * `npm run worker`: hosts the onboarding workflow and the five vendor activity queues.
 * Stops gracefully on SIGINT/SIGTERM (the SDK's Runtime drains running tasks first).
 */
import { createVendorActivities } from '../activities/index.js';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { ConfigError, loadConfig } from '../config/environment.js';
import { VENDORS, vendorTaskQueue } from '../workflows/vendors.js';
import { workerLogger } from './logger.js';
import { createOnboardingWorkers, runOnboardingWorkers } from './onboarding-workers.js';

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
  Runtime.install({ logger: workerLogger() });
  const connection = await NativeConnection.connect(temporal.connectionOptions);
  try {
    const workers = await createOnboardingWorkers({
      connection,
      namespace: temporal.namespace,
      activities: createVendorActivities(vendors),
      ratePerSecond: worker.ratePerSecond,
    });
    console.log(`Worker polling ${temporal.address}${temporal.tls ? ' (TLS)' : ''} (namespace ${temporal.namespace}): onboarding + ${VENDORS.map(vendorTaskQueue).join(', ')}`);
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
