/**
 * The cluster's frontend requires client certificates (mTLS): a worker or client without one, or
 * with one from another CA, is refused; with the cluster's own it is served. The refusals are
 * what a misconfigured host would meet, so the worker must say which setting is missing.
 */
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { loadConfig } from '../../config/environment.js';
import { startSandboxes, type Sandboxes } from '../../sandbox/index.js';
import { sandboxVendorsConfig } from '../../sandbox/worker-config.js';
import { ensureCertificates } from '../../scripts/cluster/certs.js';
import { temporalEnv } from '../support/temporal.js';
import { spawnWorkerProcess } from '../support/worker-process.js';
import { tempDir } from '../support/temp-dir.js';

let sandboxes: Sandboxes;
beforeAll(async () => {
  sandboxes = await startSandboxes({ rateLimits: false });
});
afterAll(() => sandboxes?.stop());

const NO_CLIENT_CERT = { TEMPORAL_TLS_CLIENT_CERT_PATH: undefined, TEMPORAL_TLS_CLIENT_KEY_PATH: undefined };

/** The client settings of the run, changed by `overrides` (undefined removes a variable). */
function settingsWith(overrides: Record<string, string | undefined>) {
  const env = Object.fromEntries(Object.entries({ ...temporalEnv(), ...overrides }).filter((e): e is [string, string] => e[1] !== undefined));
  return loadConfig(['temporal'], env).temporal;
}

/** Connects with `settings` and asks the server for the namespace: its name, as the server has it. */
async function describeNamespace({ connectionOptions, namespace }: ReturnType<typeof settingsWith>): Promise<string | null | undefined> {
  const connection = await Connection.connect({ ...connectionOptions, connectTimeout: 5_000 });
  try {
    return (await connection.workflowService.describeNamespace({ namespace })).namespaceInfo?.name;
  } finally {
    await connection.close();
  }
}

test('the cluster serves the client certificate it issued', async () => {
  const settings = settingsWith({});
  await expect(describeNamespace(settings)).resolves.toBe(settings.namespace);
});

test('a worker without a client certificate is refused: it exits naming the missing settings, and never polls', async () => {
  const refused = spawnWorkerProcess(sandboxVendorsConfig(sandboxes.urls), 60_000, NO_CLIENT_CERT);
  await expect(refused).rejects.toThrow(/worker process did not start/);
  const message = await refused.catch((err: Error) => err.message);
  // Logged as an ERROR line (JSON when not on a terminal): the level says it, the message says why.
  expect(message).toMatch(/"level":"ERROR","message":"cannot connect to Temporal at 127\.0\.0\.1:\d+ \(TLS, no client certificate\)/);
  expect(message).toContain('set TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH');
  expect(message).not.toContain('Worker polling');
});

test('a client without a client certificate, without TLS, or with a certificate from another CA is refused', async () => {
  const foreign = (await ensureCertificates(path.join(tempDir('foreign-ca'), 'certs'))).files;
  // Each setting is valid on its own (loadConfig accepts it): the refusal is the server's, at the handshake.
  const cases = {
    'no client certificate': settingsWith(NO_CLIENT_CERT),
    'no TLS': settingsWith({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: undefined, TEMPORAL_TLS_SERVER_NAME: undefined, ...NO_CLIENT_CERT }),
    'a foreign CA': settingsWith({ TEMPORAL_TLS_CLIENT_CERT_PATH: foreign.clientCert, TEMPORAL_TLS_CLIENT_KEY_PATH: foreign.clientKey }),
  };
  for (const [what, settings] of Object.entries(cases)) {
    // The failed handshake reaches the SDK as no connection at all (measured: the same message for all three).
    const outcome = await describeNamespace(settings).then(() => 'served', (err: Error) => err.message);
    expect({ what, outcome }).toEqual({ what, outcome: expect.stringMatching(/^Failed to connect before the deadline/) });
  }
  // And the cluster was up throughout: its own client certificate is still served.
  const own = settingsWith({});
  await expect(describeNamespace(own)).resolves.toBe(own.namespace);
});
