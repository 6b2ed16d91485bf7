/**
 * The cluster's frontend requires client certificates (mTLS): a worker or client without one, or
 * with one from another CA, is refused; with the cluster's own it is served. The refusals are
 * what a misconfigured host would meet, so the worker must say which setting is missing.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { loadConfig } from '../../config/environment.js';
import { startSandboxes, type Sandboxes } from '../../sandbox/index.js';
import { sandboxVendorsConfig } from '../../sandbox/worker-config.js';
import { ensureCertificates } from '../../scripts/cluster/certs.js';
import { temporalEnv } from '../support/temporal.js';
import { spawnWorkerProcess } from '../support/worker-process.js';

let sandboxes: Sandboxes;
beforeAll(async () => {
  sandboxes = await startSandboxes({ rateLimits: false });
});
afterAll(() => sandboxes?.stop());

const NO_CLIENT_CERT = { TEMPORAL_TLS_CLIENT_CERT_PATH: undefined, TEMPORAL_TLS_CLIENT_KEY_PATH: undefined };

/** Connects a client with the run's settings changed by `overrides`, and lists workflows. */
async function listWith(overrides: Record<string, string | undefined>): Promise<number> {
  const env = Object.fromEntries(Object.entries({ ...temporalEnv(), ...overrides }).filter((e): e is [string, string] => e[1] !== undefined));
  const { connectionOptions, namespace } = loadConfig(['temporal'], env).temporal;
  const connection = await Connection.connect({ ...connectionOptions, connectTimeout: 5_000 });
  try {
    return (await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 })).executions.length;
  } finally {
    await connection.close();
  }
}

test('the cluster serves the client certificate it issued', async () => {
  await expect(listWith({})).resolves.toBeGreaterThanOrEqual(0);
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
  const foreign = (await ensureCertificates(path.join(mkdtempSync(path.join(os.tmpdir(), 'foreign-ca-')), 'certs'))).files;
  await expect(listWith(NO_CLIENT_CERT)).rejects.toThrow();
  await expect(listWith({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: undefined, TEMPORAL_TLS_SERVER_NAME: undefined, ...NO_CLIENT_CERT })).rejects.toThrow();
  await expect(listWith({ TEMPORAL_TLS_CLIENT_CERT_PATH: foreign.clientCert, TEMPORAL_TLS_CLIENT_KEY_PATH: foreign.clientKey })).rejects.toThrow();
});
