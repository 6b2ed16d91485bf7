/**
 * `npm run worker`: hosts the onboarding workflow and the five vendor activity queues.
 * Stops gracefully on SIGINT/SIGTERM (the SDK's Runtime drains running tasks first).
 */
import { NativeConnection, Runtime } from '@temporalio/worker';
import { createVendorActivities } from '../activities/index.js';
import { onboardingDataConverter } from '../codec/data-converter.js';
import { ConfigError, describePayloadEncryption, loadConfig, type TemporalConfig } from '../config/environment.js';
import { VENDORS, vendorTaskQueue } from '../workflows/vendors.js';
import { workerLogger } from './logger.js';
import { createOnboardingWorkers, runOnboardingWorkers } from './onboarding-workers.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(['temporal', 'vendors', 'worker', 'payloadEncryption']);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
  const { temporal, vendors, worker, payloadEncryption } = config;
  Runtime.install({ logger: workerLogger() });
  const connection = await NativeConnection.connect(temporal.connectionOptions).catch((err: Error) => {
    console.error(`error: ${connectProblem(temporal, err)}`);
    process.exit(1);
  });
  try {
    const workers = await createOnboardingWorkers({
      connection,
      namespace: temporal.namespace,
      activities: createVendorActivities(vendors),
      ratePerSecond: worker.ratePerSecond,
      dataConverter: onboardingDataConverter(payloadEncryption),
    });
    console.log(`Worker polling ${temporal.address}${temporal.tls ? ' (TLS)' : ''} (namespace ${temporal.namespace}): onboarding + ${VENDORS.map(vendorTaskQueue).join(', ')}`);
    console.log(describePayloadEncryption(payloadEncryption));
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
