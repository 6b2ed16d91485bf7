/**
 * What integration suites share: the Temporal server started by the run's global setup (the dev
 * server, or the mTLS cluster under jest.cluster.config.js), and one workflow bundle per test run
 * (bundling takes seconds; every suite reuses the file the first one wrote).
 *
 * Every connection is built from `loadConfig(['temporal'])`, the loader every process uses, from
 * the TEMPORAL_* variables global setup exported: address, namespace and, on the cluster, mTLS.
 * Every client and worker encrypts payloads with the run's own key (PAYLOAD_KEYS, made by global
 * setup), through the data converter every process uses.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { onboardingDataConverter, type OnboardingDataConverter } from '../../codec/data-converter.js';
import { loadConfig, type PayloadEncryptionConfig, type TemporalConfig } from '../../config/environment.js';
import { workflowBundleOptions } from '../../workers/workflow-bundle.js';

/** The run's Temporal settings, as every process reads them. */
export function temporalConfig(): TemporalConfig {
  if (!process.env.TEMPORAL_ADDRESS) throw new Error('TEMPORAL_ADDRESS is unset: run the tests through jest (global setup starts the server)');
  return loadConfig(['temporal']).temporal;
}

/** The server's host:port (for messages; connections take temporalConfig() whole, TLS included). */
export function temporalAddress(): string {
  return temporalConfig().address;
}

/**
 * The TEMPORAL_* and PAYLOAD_* variables for a process the tests spawn (worker, our CLI, the
 * temporal CLI): where the server is, and the run's payload key.
 */
export function temporalEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => /^(TEMPORAL|PAYLOAD)_/.test(e[0]) && e[1] !== undefined));
}

/** The run's payload encryption, as every process reads it. */
export function payloadEncryption(): PayloadEncryptionConfig {
  if (!process.env.PAYLOAD_KEYS) throw new Error('PAYLOAD_KEYS is unset: run the tests through jest (global setup makes the run its key)');
  return loadConfig(['payloadEncryption']).payloadEncryption;
}

/** The data converter every client and worker of the run uses. */
export function dataConverter(): OnboardingDataConverter {
  return onboardingDataConverter(payloadEncryption());
}

export async function connectClient(namespace = temporalConfig().namespace): Promise<{ client: Client; close: () => Promise<void> }> {
  const connection = await Connection.connect(temporalConfig().connectionOptions);
  return { client: new Client({ connection, namespace, dataConverter: dataConverter() }), close: () => connection.close() };
}

let runtimeInstalled = false;

/** Worker-side connection; the SDK's runtime logs only errors: the tests fail workflows on purpose, and the SDK warns of each. */
export function connectWorker(): Promise<NativeConnection> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    runtimeInstalled = true;
  }
  return NativeConnection.connect(temporalConfig().connectionOptions);
}

export async function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  const file = process.env.WORKFLOW_BUNDLE_FILE;
  if (!file) throw new Error('WORKFLOW_BUNDLE_FILE is unset: run the tests through jest');
  if (!existsSync(file)) {
    const bundle = await bundleWorkflowCode({ ...workflowBundleOptions(dataConverter()), logger: quietLogger });
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(bundle));
    return bundle;
  }
  return JSON.parse(readFileSync(file, 'utf8')) as WorkflowBundleWithSourceMap;
}

const quietLogger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn(message: string) {
    console.warn(message);
  },
  error(message: string) {
    console.error(message);
  },
};
