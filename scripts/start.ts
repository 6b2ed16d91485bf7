/**
 * `npm start`: the embedded default. Starts the codec server, the Temporal dev server with its Web
 * UI (persisted under .temporal/, decrypting through the codec server), the vendor sandboxes, the
 * worker, then onboards the sample hire from examples/ and shows its live progress and how to
 * approve it. Ctrl-C stops everything.
 *
 * Payloads are encrypted as in production: with the configured key (PAYLOAD_KEYS or
 * PAYLOAD_KEY_FILE), else with the demo's own key in .temporal/payload-key (ignored by git),
 * made on the first run and kept, like the history it decrypts.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import logUpdate from 'log-update';
import { createVendorActivities } from '../activities/index.js';
import { loadProvisioningRules } from '../activities/provisioning-rules.js';
import { OnboardingClient } from '../client/onboarding-client.js';
import { onboardingDataConverter } from '../codec/data-converter.js';
import { formatPayloadKey, generatePayloadKey, PayloadEncryptionCodec } from '../codec/encryption-codec.js';
import { createCodecServer } from '../codec/server.js';
import { ConfigError, describePayloadEncryption, loadConfig, type PayloadEncryptionConfig } from '../config/environment.js';
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

const DEMO_KEY_FILE = path.join(STATE_DIR, 'payload-key');

/**
 * The configured keys, or the demo's key file, made now if missing (readable by this user only).
 * Its path goes into the environment, so the config loader reads it like any other key file.
 */
function demoEncryption(): PayloadEncryptionConfig {
  const env = process.env;
  if (!env.PAYLOAD_ENCRYPTION && !env.PAYLOAD_KEYS && !env.PAYLOAD_KEY_FILE) {
    if (!existsSync(DEMO_KEY_FILE)) {
      mkdirSync(STATE_DIR, { recursive: true });
      const id = `demo-${new Date().toISOString().slice(0, 10)}`;
      writeFileSync(DEMO_KEY_FILE, `# The demo's payload key (npm start), made ${new Date().toISOString()}. Never commit it.\n${formatPayloadKey(generatePayloadKey(id))}\n`, { mode: 0o600 });
      chmodSync(DEMO_KEY_FILE, 0o600);
      say(`Made a payload key for the demo in ${path.relative(root, DEMO_KEY_FILE)} (ignored by git). Keep it: it decrypts this demo's history.`);
    }
    env.PAYLOAD_KEY_FILE = DEMO_KEY_FILE;
  }
  try {
    return loadConfig(['payloadEncryption']).payloadEncryption;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
}

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
    say('Stopped. History is kept in .temporal/dev-server.db for the next `npm start` (encrypted: keep the key that reads it).');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  const encryption = demoEncryption();
  say(describePayloadEncryption(encryption));
  const dataConverter = onboardingDataConverter(encryption);

  // The codec server first: the Web UI is started pointing at it. It answers the UI's origins only.
  let codecUrl: string | undefined;
  if (encryption.encrypt) {
    const uiOrigins = process.env.CODEC_SERVER_UI_ORIGINS ? undefined : [`http://127.0.0.1:${uiPort}`, `http://localhost:${uiPort}`];
    const settings = loadConfig(['codecServer']).codecServer;
    const codecServer = createCodecServer({ codec: new PayloadEncryptionCodec(encryption.keys), uiOrigins: uiOrigins ?? settings.uiOrigins, token: settings.token });
    codecUrl = await codecServer.listen({ host: settings.host, port: settings.port }).catch((err: NodeJS.ErrnoException) => {
      throw new Error(err.code === 'EADDRINUSE' ? `port ${settings.port} is in use: stop what holds it or set CODEC_SERVER_PORT` : err.message);
    });
    cleanups.push(() => codecServer.close());
    say(`Codec server: ${codecUrl} (the Web UI decrypts through it; the temporal CLI too, with --codec-endpoint)`);
  }

  say('Starting the Temporal dev server (first run: may install the temporal CLI, see README)...');
  const server = await startDevServer({ port, ui: true, uiPort, uiCodecEndpoint: codecUrl, dbFilename: path.join(STATE_DIR, 'dev-server.db'), log: say });
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
    dataConverter,
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
  const onboardings = new OnboardingClient(new Client({ connection, dataConverter }));
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
  const keyVariable = process.env.PAYLOAD_KEY_FILE === DEMO_KEY_FILE ? ` PAYLOAD_KEY_FILE=${path.relative(root, DEMO_KEY_FILE)}` : '';
  const codec = codecUrl ? ` --codec-endpoint ${codecUrl}` : '';
  say(`  - this project's CLI: TEMPORAL_ADDRESS=${server.address}${keyVariable} npm run onboard -- approve ${workflowId} --by "your name"`);
  say(`  - temporal CLI: temporal workflow update execute --address ${server.address}${codec} --workflow-id ${workflowId} --name approve --input '{"by": "your name"}'`);
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
