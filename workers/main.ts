/**
 * `npm run worker`: hosts the onboarding workflow and the five vendor activity queues.
 * Stops gracefully on SIGINT/SIGTERM (the SDK's Runtime drains running tasks first).
 */
import { NativeConnection, Runtime } from '@temporalio/worker';
import { createVendorActivities } from '../activities/index.js';
import { loadProvisioningRules, RulesFileError, type ProvisioningRules } from '../activities/provisioning-rules.js';
import { checkRuleReferences } from '../activities/rule-references.js';
import { ConfigError, loadConfig, type TemporalConfig, type VendorsConfig } from '../config/environment.js';
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
  const rules = await provisioningRules(worker.rulesFile, vendors);
  Runtime.install({ logger: workerLogger() });
  const connection = await NativeConnection.connect(temporal.connectionOptions).catch((err: Error) => {
    console.error(`error: ${connectProblem(temporal, err)}`);
    process.exit(1);
  });
  try {
    const workers = await createOnboardingWorkers({
      connection,
      namespace: temporal.namespace,
      activities: createVendorActivities(vendors, worker.ratePerSecond),
      ratePerSecond: worker.ratePerSecond,
      maxCachedWorkflows: worker.maxCachedWorkflows,
      rules,
    });
    console.log(`Worker polling ${temporal.address}${temporal.tls ? ' (TLS)' : ''} (namespace ${temporal.namespace}): onboarding + ${VENDORS.map(vendorTaskQueue).join(', ')}`);
    console.log('Stop with Ctrl-C (running tasks finish first).');
    await runOnboardingWorkers(workers);
  } finally {
    await connection.close();
  }
}

/**
 * The provisioning rules, checked before the worker takes any work: a mistake in the file, or a
 * rule naming a group, department, role, team or business the vendor does not have, stops it at
 * start with the line to fix, rather than at the first hire it matches.
 */
async function provisioningRules(file: string | undefined, vendors: VendorsConfig): Promise<ProvisioningRules | undefined> {
  if (!file) return undefined;
  try {
    const rules = loadProvisioningRules(file);
    const problems = await checkRuleReferences(rules, vendors, VENDORS);
    if (problems.length > 0) throw new RulesFileError(problems);
    console.log(`Provisioning rules: ${rules.rules.length} in ${file}, every vendor reference found`);
    return rules;
  } catch (err) {
    if (!(err instanceof RulesFileError)) throw err;
    console.error(err.message);
    process.exit(2);
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
