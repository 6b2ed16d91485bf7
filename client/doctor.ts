/**
 * `npm run onboard -- doctor`: is this deployment able to onboard anyone? Read-only checks, from
 * the same environment the worker reads (config/environment.ts):
 *   - Temporal answers with these settings (address, TLS, API key);
 *   - the namespace exists, with the onboarding search attributes and their types;
 *   - a worker polls `onboarding` and the queue of each vendor this configuration turns on
 *     (DescribeTaskQueue's pollers);
 *   - each vendor turned on accepts its credentials (its smallest list page);
 *   - the provisioning rules (ONBOARDING_RULES_FILE) read, and every group, department, role,
 *     team and business they name exists at its vendor.
 * A vendor whose variables are all unset is off: reported as such, not as a failure.
 */
import { Connection } from '@temporalio/client';
import { checkVendorCredentials } from '../activities/credentials-check.js';
import { createVendorActivities } from '../activities/index.js';
import { RulesFileError } from '../activities/provisioning-rules.js';
import { loadCheckedRules } from '../activities/rule-references.js';
import {
  ConfigError,
  connectProblem,
  grpcCode,
  loadConfig,
  readVendorSettings,
  vendorVariables,
  type Problem,
  type ServedVendors,
  type TemporalConfig,
  type VendorSetting,
} from '../config/environment.js';
import { WORKFLOW_TASK_QUEUE } from '../workflows/definitions.js';
import { ONBOARDING_SEARCH_ATTRIBUTES } from '../workflows/search-attributes.js';
import { indexedValueType } from '../scripts/register-search-attributes.js';
import proto from '@temporalio/proto';
import { VENDOR_LABELS, VENDORS, vendorTaskQueue, type VendorName } from '../workflows/vendors.js';

export type CheckStatus = 'ok' | 'fail' | 'off';

export interface Check {
  check: string;
  status: CheckStatus;
  /** What was found; for a failure, what to fix (variables by name, never their values). */
  detail: string;
}

const { TaskQueueKind, TaskQueueType } = proto.temporal.api.enums.v1;
const TASK_QUEUE_TYPE = { workflow: TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, activity: TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY } as const;

/**
 * A worker long-polls for about a minute at a time; the server lists a poller for minutes after
 * its last poll. A poller not seen for this long is a worker that has gone.
 */
const POLLER_FRESH_MS = 90_000;

export async function runDoctor(env: NodeJS.ProcessEnv): Promise<Check[]> {
  const checks: Check[] = [];
  const { settings } = readVendorSettings(env);
  const served = VENDORS.filter((v) => settings[v].state === 'on');

  let temporal: TemporalConfig | undefined;
  try {
    temporal = loadConfig(['temporal'], env).temporal;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    checks.push({ check: 'Temporal settings', status: 'fail', detail: err.problems.map((p) => `${p.variable}: ${p.message}`).join('; ') });
  }
  if (temporal) checks.push(...(await temporalChecks(temporal, served)));
  for (const vendor of VENDORS) checks.push(await vendorCheck(vendor, settings[vendor]));
  const rulesFile = env.ONBOARDING_RULES_FILE?.trim();
  if (rulesFile) {
    const config = Object.fromEntries(served.map((v) => [v, (settings[v] as { config: unknown }).config])) as ServedVendors;
    checks.push(await rulesCheck(rulesFile, config));
  }
  return checks;
}

/** The worker's own start-up check of the rules (loadCheckedRules), as a row. */
async function rulesCheck(file: string, served: ServedVendors): Promise<Check> {
  const check = 'Provisioning rules';
  try {
    const rules = await loadCheckedRules(file, served);
    return { check, status: 'ok', detail: `${rules.rules.length} rules in ${file}; every reference exists at its vendor` };
  } catch (err) {
    if (!(err instanceof RulesFileError)) throw err;
    return { check, status: 'fail', detail: err.problems.join('; ') };
  }
}

async function temporalChecks(temporal: TemporalConfig, served: VendorName[]): Promise<Check[]> {
  const { address, namespace } = temporal;
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...temporal.connectionOptions, connectTimeout: '5 seconds' });
  } catch (err) {
    return [{ check: 'Temporal connection', status: 'fail', detail: `${connectProblem(temporal, err as Error)} (settings: TEMPORAL_ADDRESS, TEMPORAL_TLS_*, TEMPORAL_API_KEY)` }];
  }
  const checks: Check[] = [];
  try {
    const info = await connection.workflowService.getSystemInfo({});
    checks.push({ check: 'Temporal connection', status: 'ok', detail: `${address}${temporal.tls ? ' over TLS' : ''}${info.serverVersion ? `, server ${info.serverVersion}` : ''}` });

    try {
      await connection.workflowService.describeNamespace({ namespace });
      checks.push({ check: 'Namespace', status: 'ok', detail: namespace });
    } catch (err) {
      const missing = grpcCode(err) === 5; // NOT_FOUND
      checks.push({
        check: 'Namespace',
        status: 'fail',
        detail: missing ? `${namespace} does not exist on ${address}: create it (npm run temporal:namespace) or fix TEMPORAL_NAMESPACE` : `cannot describe ${namespace}: ${(err as Error).message}`,
      });
      return checks; // nothing else can be checked in a namespace that is not there
    }

    checks.push(await searchAttributesCheck(connection, namespace));
    checks.push(await pollersCheck(connection, namespace, WORKFLOW_TASK_QUEUE, 'workflow', 'start `npm run worker`'));
    for (const vendor of served) {
      checks.push(await pollersCheck(connection, namespace, vendorTaskQueue(vendor), 'activity', `start \`npm run worker\` with ${VENDOR_LABELS[vendor]}'s variables set`));
    }
  } catch (err) {
    checks.push({ check: 'Temporal', status: 'fail', detail: `${address}: ${(err as Error).message}` });
  } finally {
    await connection.close();
  }
  return checks;
}

async function searchAttributesCheck(connection: Connection, namespace: string): Promise<Check> {
  const check = 'Search attributes';
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const wrong = ONBOARDING_SEARCH_ATTRIBUTES.filter((key) => customAttributes?.[key.name] !== indexedValueType(key.type));
    if (wrong.length === 0) return { check, status: 'ok', detail: ONBOARDING_SEARCH_ATTRIBUTES.map((k) => k.name).join(', ') };
    const what = wrong.map((key) => `${key.name} (${key.type}) ${customAttributes?.[key.name] === undefined ? 'missing' : 'has another type'}`);
    return { check, status: 'fail', detail: `${what.join(', ')}: run npm run temporal:search-attributes (see docs/deployment.md, section 7)` };
  } catch (err) {
    return { check, status: 'fail', detail: `cannot list them in ${namespace}: ${(err as Error).message}` };
  }
}

async function pollersCheck(connection: Connection, namespace: string, queue: string, kind: keyof typeof TASK_QUEUE_TYPE, fix: string): Promise<Check> {
  const check = `Workers on ${queue}`;
  try {
    const { pollers } = await connection.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: queue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: TASK_QUEUE_TYPE[kind],
    });
    const now = Date.now();
    const fresh = (pollers ?? []).filter((p) => p.lastAccessTime?.seconds == null || now - Number(p.lastAccessTime.seconds) * 1000 < POLLER_FRESH_MS);
    if (fresh.length === 0) return { check, status: 'fail', detail: `no worker polls ${queue} (${kind} tasks): ${fix}` };
    const who = fresh.map((p) => p.identity).filter(Boolean);
    return { check, status: 'ok', detail: `${fresh.length} polling${who.length ? ` (${who.join(', ')})` : ''}` };
  } catch (err) {
    return { check, status: 'fail', detail: `cannot describe ${queue}: ${(err as Error).message}` };
  }
}

async function vendorCheck(vendor: VendorName, setting: VendorSetting): Promise<Check> {
  const check = `${VENDOR_LABELS[vendor]} credentials`;
  if (setting.state === 'off') return { check, status: 'off', detail: `off: none of ${vendorVariables(vendor).join(', ')} is set` };
  const problems = (list: Problem[]): Check => ({ check, status: 'fail', detail: list.map((p) => `${p.variable}: ${p.message}`).join('; ') });
  if (setting.state === 'invalid') return problems(setting.problems);
  try {
    // What the worker builds from this configuration: it refuses an omitted field the vendor requires.
    createVendorActivities({ [vendor]: setting.config } as ServedVendors);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return problems(err.problems);
  }
  const verdict = await checkVendorCredentials(vendor, setting.config as never);
  return { check, status: verdict.ok ? 'ok' : 'fail', detail: verdict.detail };
}

