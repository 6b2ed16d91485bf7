/**
 * `npm run worker`: hosts the onboarding workflow and the activity queue of each vendor this
 * deployment serves (those whose variables are set). Stops gracefully on SIGINT/SIGTERM: it stops
 * polling, lets running activities finish (WORKER_SHUTDOWN_GRACE_MS), then exits 0.
 * Optional: Prometheus metrics (TEMPORAL_METRICS_BIND) and a health endpoint (WORKER_HEALTH_BIND).
 */
import { NativeConnection, Runtime } from '@temporalio/worker';
import { createVendorActivities } from '../activities/index.js';
import { RulesFileError, type ProvisioningRules } from '../activities/provisioning-rules.js';
import { loadCheckedRules } from '../activities/rule-references.js';
import { onboardingDataConverter } from '../codec/data-converter.js';
import { ConfigError, connectProblem, describePayloadEncryption, loadConfig, vendorVariables, type ServedVendors } from '../config/environment.js';
import { WORKFLOW_TASK_QUEUE } from '../workflows/definitions.js';
import { VENDOR_LABELS, VENDORS, vendorTaskQueue } from '../workflows/vendors.js';
import { startHealthServer, type HealthServer } from './health.js';
import { workerLogger } from './logger.js';
import { createOnboardingWorkers, runOnboardingWorkers, servedVendors } from './onboarding-workers.js';

// One logger for the whole process, start-up and config errors included: JSON lines when stderr
// is not a terminal, so a log shipper never meets a line it cannot parse.
const logger = workerLogger();

function fail(message: string, meta?: Record<string, unknown>): never {
  logger.error(message, meta);
  process.exit(2);
}

async function main(): Promise<void> {
  let config;
  let activities;
  try {
    config = loadConfig(['temporal', 'vendors', 'worker', 'payloadEncryption']);
    // Building the activities checks each <VENDOR>_OMIT_FIELDS against the vendor's create
    // request, which only its module knows: a ConfigError too, reported like the loader's.
    activities = createVendorActivities(config.vendors, config.worker.ratePerSecond);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    fail(err.message, { problems: err.problems });
  }
  const { temporal, vendors, worker, payloadEncryption } = config;
  const served = servedVendors(activities);
  const off = VENDORS.filter((v) => !served.includes(v));
  if (served.length === 0) {
    fail(`No vendor is configured: set every variable of at least one vendor: ${off.map((v) => `${VENDOR_LABELS[v]} (${vendorVariables(v).join(', ')})`).join('; ')}`);
  }

  const rules = await provisioningRules(worker.rulesFile, vendors);

  try {
    Runtime.install({
      logger,
      telemetryOptions: {
        // The SDK's native (Rust) side logs to the console in its own format unless forwarded.
        logging: { forward: {} },
        ...(worker.metricsBind && { metrics: { prometheus: { bindAddress: worker.metricsBind } } }),
      },
    });
  } catch (err) {
    // The one thing here that can fail is binding the metrics exporter (e.g. a port in use).
    fail(`TEMPORAL_METRICS_BIND: cannot serve metrics on ${worker.metricsBind}: ${(err as Error).message}`);
  }
  const connection = await NativeConnection.connect(temporal.connectionOptions).catch((err: Error) => {
    logger.error(connectProblem(temporal, err));
    process.exit(1);
  });
  let health: HealthServer | undefined;
  try {
    const workers = await createOnboardingWorkers({
      connection,
      namespace: temporal.namespace,
      activities,
      ratePerSecond: worker.ratePerSecond,
      dataConverter: onboardingDataConverter(payloadEncryption),
      shutdownGraceMs: worker.shutdownGraceMs,
      maxCachedWorkflows: worker.maxCachedWorkflows,
      rules,
    });
    if (worker.healthBind) health = await startHealthServer(worker.healthBind, workers).catch((err: Error) => fail(err.message));
    const queues = [WORKFLOW_TASK_QUEUE, ...served.map(vendorTaskQueue)];
    logger.info(`Worker polling ${temporal.address}${temporal.tls ? ' (TLS)' : ''} (namespace ${temporal.namespace}): ${queues.join(', ')}`, { queues });
    logger.info(
      `Serving ${served.map((v) => VENDOR_LABELS[v]).join(', ')}` +
        (off.length > 0 ? `; off (their variables are unset, onboardings asking for them fail at once): ${off.map((v) => VENDOR_LABELS[v]).join(', ')}` : ''),
      { served, off },
    );
    logger.info(describePayloadEncryption(payloadEncryption));
    if (worker.metricsBind) logger.info(`Prometheus metrics on http://${worker.metricsBind}/metrics`);
    if (health) logger.info(`Health on ${health.url}`);
    logger.info(`Stop with Ctrl-C or SIGTERM (running activities get ${worker.shutdownGraceMs / 1000} s to finish).`);
    await runOnboardingWorkers(workers);
    logger.info('Worker stopped');
  } finally {
    await health?.close();
    await connection.close();
  }
}

/**
 * The provisioning rules, checked before the worker takes any work: a mistake in the file, or a
 * rule naming a group, department, role, team or business the vendor does not have, stops it at
 * start with the line to fix, rather than at the first hire it matches.
 */
async function provisioningRules(file: string | undefined, vendors: ServedVendors): Promise<ProvisioningRules | undefined> {
  if (!file) return undefined;
  const rules = await loadCheckedRules(file, vendors).catch((err: unknown) => {
    if (!(err instanceof RulesFileError)) throw err;
    return fail(err.message, { problems: err.problems });
  });
  logger.info(`Provisioning rules: ${rules.rules.length} in ${file}, every vendor reference found`);
  return rules;
}

main().catch((err) => {
  logger.error(`Worker failed: ${(err as Error).message}`, { error: err });
  process.exit(1);
});
