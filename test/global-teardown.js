/** Stops the dev server that global-setup started, so no server process outlives the test run. */
import { rmSync } from 'node:fs';

export default async function globalTeardown() {
  await globalThis.__TEMPORAL_DEV_SERVER__?.stop();
  if (globalThis.__TEST_RUN_DIR__) rmSync(globalThis.__TEST_RUN_DIR__, { recursive: true, force: true });
}
