/**
 * The onboarding namespace on a server this project did not start as a dev server (the cluster,
 * docker-compose, a self-hosted deployment): created when missing, then the onboarding search
 * attributes registered (scripts/register-search-attributes.ts), then waited for until a list
 * query on them is accepted. Safe to run again.
 *
 * As a script (docker-compose's `setup` job, `npm run temporal:namespace`): reads the connection
 * from the environment through the one config loader.
 */
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { grpcCode, loadConfig, type TemporalConfig } from '../../config/environment.js';
import { ONBOARDING_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';
import { registerSearchAttributes } from '../register-search-attributes.js';
import { waitUntil } from './processes.js';
import { NAMESPACE_RETENTION_DAYS } from './settings.js';

async function withConnection<T>(temporal: TemporalConfig, fn: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ ...temporal.connectionOptions, connectTimeout: 5_000 });
  try {
    return await fn(connection);
  } finally {
    await connection.close();
  }
}

/** gRPC status codes (as numbers: @grpc/grpc-js is the SDK's dependency, not ours). */
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;

/** Registers the namespace unless it exists. Returns whether it was created. */
export async function ensureNamespace(temporal: TemporalConfig, retentionDays = NAMESPACE_RETENTION_DAYS): Promise<boolean> {
  return withConnection(temporal, async (connection) => {
    try {
      await connection.workflowService.describeNamespace({ namespace: temporal.namespace });
      return false;
    } catch (err) {
      if (grpcCode(err) !== NOT_FOUND) throw err;
    }
    try {
      await connection.workflowService.registerNamespace({
        namespace: temporal.namespace,
        description: 'Employee onboardings (onboarding-saga)',
        workflowExecutionRetentionPeriod: msToTs(`${retentionDays} days`),
      });
      return true;
    } catch (err) {
      if (grpcCode(err) === ALREADY_EXISTS) return false;
      throw err;
    }
  });
}

/**
 * Creates the namespace, registers the search attributes and waits until both are usable. Each
 * step is polled: a new namespace is unknown to the server's services until their namespace
 * cache refreshes, and a search attribute cannot be queried until then either.
 */
export async function setUpNamespace(temporal: TemporalConfig, log: (m: string) => void = () => {}, timeoutMs = 120_000): Promise<void> {
  const { namespace } = temporal;
  const options = { timeoutMs };
  let created = false;
  await waitUntil(`namespace ${namespace} to be registered`, async () => ((created = (await ensureNamespace(temporal)) || created), true), options);
  if (created) log(`Created namespace ${namespace} (retention ${NAMESPACE_RETENTION_DAYS} days)`);
  await waitUntil(
    `namespace ${namespace} to answer for its search attributes`,
    () => withConnection(temporal, async (c) => (await c.operatorService.listSearchAttributes({ namespace }), true)),
    options,
  );
  const added = await registerSearchAttributes(temporal);
  if (added.length) log(`Registered search attributes ${added.join(', ')} on ${namespace}`);
  const query = ONBOARDING_SEARCH_ATTRIBUTES.map((key) => `${key.name} = 'probe'`).join(' AND ');
  await waitUntil(
    `a list query on the onboarding search attributes to be accepted in ${namespace}`,
    () => withConnection(temporal, async (c) => (await c.workflowService.listWorkflowExecutions({ namespace, query, pageSize: 1 }), true)),
    options,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const temporal = loadConfig(['temporal']).temporal;
  setUpNamespace(temporal, console.log).then(
    () => console.log(`Namespace ${temporal.namespace} on ${temporal.address} is ready with the onboarding search attributes`),
    (err) => {
      console.error(`error: could not set up namespace ${temporal.namespace} on ${temporal.address}: ${(err as Error).message}`);
      process.exit(1);
    },
  );
}
