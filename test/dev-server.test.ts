/**
 * The project's own dev-server module: the shared server is a real `temporal server start-dev`
 * process with the onboarding search attributes registered, and a missing CLI fails with advice.
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { findTemporalCli, TemporalCliNotFoundError } from '../scripts/temporal-cli.js';
import { startDevServer } from '../scripts/dev-server.js';
import { loadConfig } from '../config/environment.js';
import { registerSearchAttributes } from '../scripts/register-search-attributes.js';
import { ONBOARDING_SEARCH_ATTRIBUTES } from '../workflows/search-attributes.js';
import { connectClient } from './support/temporal.js';
import { tempDir } from './support/temp-dir.js';

function commandLineOf(pid: number): string {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
}

test('the shared server is a live `temporal server start-dev` process', () => {
  const pid = Number(process.env.TEMPORAL_DEV_SERVER_PID);
  expect(existsSync(`/proc/${pid}`)).toBe(true);
  expect(commandLineOf(pid)).toMatch(/temporal server start-dev/);
});

test('the onboarding search attributes are registered on the server', async () => {
  const { client, close } = await connectClient();
  try {
    const { customAttributes } = await client.connection.operatorService.listSearchAttributes({
      namespace: process.env.TEMPORAL_NAMESPACE,
    });
    for (const key of ONBOARDING_SEARCH_ATTRIBUTES) expect(Object.keys(customAttributes ?? {})).toContain(key.name);
  } finally {
    await close();
  }
});

test('stop() ends the server process', async () => {
  const server = await startDevServer({ logDir: process.env.TEST_RUN_DIR });
  expect(existsSync(`/proc/${server.pid}`)).toBe(true);
  await server.stop();
  // A zombie would still have /proc/<pid>; the child is reaped once its exit event fired.
  expect(existsSync(`/proc/${server.pid}`)).toBe(false);
});

test('with no CLI and no go, the error names every way to install it', async () => {
  const emptyDir = tempDir('no-temporal');
  const search = findTemporalCli({ env: { PATH: emptyDir }, install: false });
  await expect(search).rejects.toBeInstanceOf(TemporalCliNotFoundError);
  await expect(search).rejects.toThrow(/go install github\.com\/temporalio\/cli\/cmd\/temporal@v1\.5\.1/);
  await expect(search).rejects.toThrow(/brew install temporal/);
  await expect(search).rejects.toThrow(/TEMPORAL_CLI/);
});

test('register-search-attributes adds the onboarding attributes to a server that lacks them, once', async () => {
  const server = await startDevServer({ searchAttributes: false, logDir: process.env.TEST_RUN_DIR });
  try {
    const names = ONBOARDING_SEARCH_ATTRIBUTES.map((k) => k.name).sort();
    const { temporal } = loadConfig(['temporal'], { TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: server.namespace, TEMPORAL_CONFIG_FILE: undefined, HOME: os.tmpdir() });
    expect((await registerSearchAttributes(temporal)).sort()).toEqual(names);
    expect(await registerSearchAttributes(temporal)).toEqual([]);
  } finally {
    await server.stop();
  }
});
