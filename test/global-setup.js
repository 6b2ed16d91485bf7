/**
 * Starts one real `temporal server start-dev` for the whole jest run (integration suites share it)
 * and hands its address to the test files through the environment.
 *
 * Plain JS loading our TypeScript through tsx: jest's moduleNameMapper (which maps our `.js`
 * import suffixes to `.ts`) does not apply to globalSetup, but tsx resolves them.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  const { startDevServer } = await tsImport('../scripts/dev-server.ts', import.meta.url);
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'onboarding-tests-'));
  // Tests write only to this folder (and ignored ones): the dev server's log goes here too.
  process.env.TEST_RUN_DIR = runDir;
  // A namespace of its own for the workflow-logic suite: its in-test workers must never pick up
  // the other suites' onboardings, nor theirs its.
  const server = await startDevServer({ extraNamespaces: ['workflow-logic'], logDir: runDir, log: (m) => console.log(`\n${m}`) });
  // Read by global-teardown.js, which runs in this same process.
  globalThis.__TEMPORAL_DEV_SERVER__ = server;
  globalThis.__TEST_RUN_DIR__ = runDir;
  process.env.TEMPORAL_ADDRESS = server.address;
  process.env.TEMPORAL_NAMESPACE = server.namespace;
  process.env.WORKFLOW_LOGIC_NAMESPACE = 'workflow-logic';
  process.env.TEMPORAL_DEV_SERVER_PID = String(server.pid);
  process.env.WORKFLOW_BUNDLE_FILE = path.join(globalThis.__TEST_RUN_DIR__, 'workflow-bundle.json');
  useRunPayloadKey();
}

/**
 * Tests run with payload encryption on, under a key made for this run and held only in its
 * environment (never written to the repo): whatever the developer's shell says about keys.
 */
export function useRunPayloadKey() {
  delete process.env.PAYLOAD_KEY_FILE;
  delete process.env.PAYLOAD_ENCRYPTION;
  // The temporal CLI reads these: a developer's own codec settings must not decrypt what a test
  // reads as someone without the key.
  delete process.env.TEMPORAL_CODEC_ENDPOINT;
  delete process.env.TEMPORAL_CODEC_AUTH;
  process.env.PAYLOAD_KEYS = `test-run-${Date.now()}:${randomBytes(32).toString('base64')}`;
}
