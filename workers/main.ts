/**
 * `npm run worker`: hosts the onboarding workflow and the five vendor activity queues.
 * Stops gracefully on SIGINT/SIGTERM (the SDK's Runtime drains running tasks first).
 */
import { NativeConnection, Runtime } from '@temporalio/worker';
import { loadVendorConfig } from '../activities/config.js';
import { VENDORS } from '../workflows/vendors.js';
import { loadWorkerConfig } from './config.js';
import { workerLogger } from './logger.js';
import { createOnboardingWorkers, runOnboardingWorkers } from './onboarding-workers.js';

async function main(): Promise<void> {
  let config, vendors;
  try {
    config = loadWorkerConfig();
    vendors = loadVendorConfig();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  Runtime.install({ logger: workerLogger() });
  const connection = await NativeConnection.connect({ address: config.address });
  try {
    const workers = await createOnboardingWorkers({ connection, namespace: config.namespace, vendors, ratePerSecond: config.ratePerSecond });
    console.log(`Worker polling ${config.address} (namespace ${config.namespace}): onboarding + ${VENDORS.map((v) => `vendor-${v}`).join(', ')}`);
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
