/** `npm run sandbox`: the five vendor sandboxes as one process, until SIGINT or SIGTERM. */
import { VENDOR_LABELS, VENDORS } from '../workflows/vendors.js';
import { DEFAULT_STATE_FILE, ENV_VARIABLES, optionsFromEnv } from './config.js';
import { startSandboxes } from './index.js';

async function main(): Promise<void> {
  const sandboxes = await startSandboxes(optionsFromEnv(process.env, { stateFile: DEFAULT_STATE_FILE }));
  for (const vendor of VENDORS) {
    console.log(`${VENDOR_LABELS[vendor].padEnd(9)} ${sandboxes.urls[vendor].padEnd(42)} admin ${sandboxes.adminUrls[vendor]}`);
  }
  console.log(sandboxes.stateFile ? `Users are kept in ${sandboxes.stateFile} (SANDBOX_STATE_FILE=off to keep none)` : 'Users are kept in memory only');
  console.log(`Configurable through: ${ENV_VARIABLES.join(', ')}`);

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the sandboxes`);
    sandboxes.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
