/**
 * What integration suites share: the dev server started by global-setup, and one workflow bundle
 * per test run (bundling takes seconds; every suite reuses the file the first one wrote).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function temporalAddress(): string {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEMPORAL_ADDRESS is unset: run the tests through jest (test/global-setup.ts starts the server)');
  return address;
}

export async function connectClient(namespace = process.env.TEMPORAL_NAMESPACE): Promise<{ client: Client; close: () => Promise<void> }> {
  const connection = await Connection.connect({ address: temporalAddress() });
  return { client: new Client({ connection, namespace }), close: () => connection.close() };
}

let runtimeInstalled = false;

/** Worker-side connection; the SDK's runtime logs only errors: the tests fail workflows on purpose, and the SDK warns of each. */
export function connectWorker(): Promise<NativeConnection> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    runtimeInstalled = true;
  }
  return NativeConnection.connect({ address: temporalAddress() });
}

export async function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  const file = process.env.WORKFLOW_BUNDLE_FILE;
  if (!file) throw new Error('WORKFLOW_BUNDLE_FILE is unset: run the tests through jest');
  if (!existsSync(file)) {
    const bundle = await bundleWorkflowCode({ workflowsPath: path.join(root, 'workflows/index.ts'), logger: quietLogger });
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
