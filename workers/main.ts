/**
 * `npm run worker`: hosts the onboarding workflow and the activity queue of each vendor this
 * deployment serves (those whose variables are set).
 * Stops gracefully on SIGINT/SIGTERM (the SDK's Runtime drains running tasks first).
 */
import { NativeConnection, Runtime } from '@temporalio/worker';
import { createVendorActivities } from '../activities/index.js';
import { ConfigError, loadConfig, vendorVariables, type TemporalConfig } from '../config/environment.js';
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

/**
 * Why the worker could not connect, in words: a server that requires client certificates (mTLS)
 * closes the connection right after the TLS handshake, which the SDK reports only as a broken
 * pipe, so say which setting is the likely cause.
 */
function connectProblem(temporal: TemporalConfig, err: Error): string {
  const opts = temporal.connectionOptions;
  const clientCert = typeof opts.tls === 'object' && opts.tls?.clientCertPair !== undefined;
  const how = temporal.tls ? (clientCert ? 'TLS with a client certificate' : 'TLS, no client certificate') : 'no TLS';
  const hint =
    temporal.tls && !clientCert
      ? ' If the server requires client certificates (mTLS), set TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH.'
      : !temporal.tls
        ? ' If the server uses TLS, set TEMPORAL_TLS_SERVER_CA_CERT_PATH (or TEMPORAL_TLS=true).'
        : '';
  return `cannot connect to Temporal at ${temporal.address} (${how}): ${err.message}.${hint}`;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
