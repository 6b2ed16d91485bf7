/**
 * `npm start`: the embedded default. Starts the Temporal dev server with its Web UI (persisted
 * under .temporal/), the vendor sandboxes, the worker, then onboards the sample hire from
 * examples/ and shows its live progress and how to approve it. Ctrl-C stops everything.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import logUpdate from 'log-update';
import { createVendorActivities } from '../activities/index.js';
import { loadProvisioningRules } from '../activities/provisioning-rules.js';
import { OnboardingClient } from '../client/onboarding-client.js';
import { loadConfig } from '../config/environment.js';
import { renderProgress } from '../client/progress-view.js';
import { DEFAULT_STATE_FILE, optionsFromEnv } from '../sandbox/config.js';
import { startSandboxes } from '../sandbox/index.js';
import { sandboxVendorsConfig } from '../sandbox/worker-config.js';
import { workerLogger } from '../workers/logger.js';
import { createOnboardingWorkers, runOnboardingWorkers } from '../workers/onboarding-workers.js';
import { startDevServer, STATE_DIR } from './dev-server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (message = '') => console.log(message);

/** Set on Ctrl-C: from then on, calls that fail because we are closing things are expected. */
let stopping = false;

async function main(): Promise<void> {
  const port = Number(process.env.TEMPORAL_PORT ?? 7233);
  const uiPort = Number(process.env.TEMPORAL_UI_PORT ?? 8233);
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    logUpdate.done();
    say('\nStopping the worker, the sandboxes and the Temporal dev server...');
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err) => console.error(err));
    say('Stopped. History is kept in .temporal/dev-server.db for the next `npm start`.');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  say('Starting the Temporal dev server (first run: may install the temporal CLI, see README)...');
  const server = await startDevServer({ port, ui: true, uiPort, dbFilename: path.join(STATE_DIR, 'dev-server.db'), log: say });
  cleanups.push(() => server.stop());

  // Users persist across runs, as the Temporal history does: a later run's onboardings meet them.
  const sandboxes = await startSandboxes(optionsFromEnv(process.env, { stateFile: DEFAULT_STATE_FILE }));
  cleanups.push(() => sandboxes.stop());
  say(`Vendor sandboxes: ${Object.values(sandboxes.urls).join('  ')}`);

  // We stop the workers ourselves on Ctrl-C, after the live view, so the SDK must not.
  // Warnings only: the live view below owns the terminal.
  Runtime.install({ logger: workerLogger({ level: 'WARN' }), shutdownSignals: [] });
  const workerConnection = await NativeConnection.connect({ address: server.address });
  const { ratePerSecond, rulesFile } = loadConfig(['worker']).worker;
  // The sample hire carries HR fields only: the demo's provisioning rules give each vendor its settings.
  const rules = loadProvisioningRules(rulesFile ?? path.join(root, 'examples/rules.yaml'));
  const workers = await createOnboardingWorkers({
    connection: workerConnection,
    activities: createVendorActivities(sandboxVendorsConfig(sandboxes.urls), ratePerSecond),
    ratePerSecond,
    rules,
  });
  const running = runOnboardingWorkers(workers);
  cleanups.push(async () => {
    workers.forEach((w) => w.shutdown());
    await running;
    await workerConnection.close();
  });
  say('Worker running: workflow queue "onboarding" and one queue per vendor.');

  const connection = await Connection.connect({ address: server.address });
  cleanups.push(() => connection.close());
  const onboardings = new OnboardingClient(new Client({ connection }));
  const sample = JSON.parse(readFileSync(path.join(root, 'examples/new-hire.json'), 'utf8'));
  // A fresh employee id each run: the server keeps history, and one hire is onboarded only once.
  sample.employeeId = `${sample.employeeId}-${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`;
  const { workflowId } = await onboardings.start(sample);

  const link = `${server.uiUrl}/namespaces/${server.namespace}/workflows/${workflowId}`;
  say();
  say(`Onboarding ${workflowId} started. Watch it in the Temporal Web UI:`);
  say(`  ${link}`);
  say();
  say('It holds the Partoo invitation until someone approves. Approve it any of these ways:');
  say(`  - this project's CLI: TEMPORAL_ADDRESS=${server.address} npm run onboard -- approve ${workflowId} --by "your name"`);
  say(`  - temporal CLI: temporal workflow update execute --address ${server.address} --workflow-id ${workflowId} --name approve --input '{"by": "your name"}'`);
  say(`  - Web UI: open the link, "Send a Signal", name: approve, input: {"by": "your name"}`);
  say('The first two answer (and refuse with the reason); a signal cannot answer, so a refused one shows in the UI details.');
  say('Reject (rolls back every user it created) the same way with "reject". Ctrl-C stops the demo.');
  say();

  let ended = '';
  for await (const view of onboardings.watch(workflowId)) {
    const text = renderProgress(workflowId, view.progress);
    if (process.stdout.isTTY) logUpdate(text);
    else say(text);
    ended = view.workflowStatus;
  }
  logUpdate.done();
  say(`\nThe onboarding ended: ${ended}. The Web UI stays up until Ctrl-C.`);
}

main().catch((err) => {
  if (stopping) return; // the watch loop losing its connection while Ctrl-C closes everything
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
