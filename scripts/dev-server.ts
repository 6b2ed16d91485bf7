/**
 * Starts and stops a real `temporal server start-dev` process for the tests and `npm start`.
 *
 * We spawn the CLI ourselves (rather than through TestWorkflowEnvironment.createLocal) to own the
 * process: its pid, its log file, the UI and persistence flags, and a clean stop that leaves no
 * orphan even when a test run fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { ONBOARDING_SEARCH_ATTRIBUTES, searchAttributeTypeName } from '../workflows/search-attributes.js';
import { findTemporalCli } from './temporal-cli.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const STATE_DIR = path.join(projectRoot, '.temporal');

export interface DevServerOptions {
  /** gRPC port; a free one when omitted. */
  port?: number;
  /** Serve the Web UI (default false). */
  ui?: boolean;
  /** UI port; a free one when omitted. */
  uiPort?: number;
  /**
   * The codec server the Web UI calls from the browser to decrypt payloads (`--ui-codec-endpoint`),
   * e.g. `http://127.0.0.1:8888`; without one the UI shows encrypted payloads as they are stored.
   */
  uiCodecEndpoint?: string;
  /** SQLite file to persist to; in-memory when omitted. */
  dbFilename?: string;
  namespace?: string;
  /** More namespaces to create at start (e.g. one per test suite that must not see the others' workflows). */
  extraNamespaces?: string[];
  /** Register the onboarding search attributes at start (default true). */
  searchAttributes?: boolean;
  /** Path of the CLI; found (or installed) with findTemporalCli when omitted. */
  cliPath?: string;
  /** Where its log goes (default .temporal/, beside the demo's history; tests pass their run's temp folder). */
  logDir?: string;
  /** How long to wait for the server to answer (default 60 s: first start on a cold disk). */
  startTimeoutMs?: number;
  log?: (message: string) => void;
}

export interface DevServer {
  address: string;
  namespace: string;
  pid: number;
  uiUrl?: string;
  logFile: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function searchAttributeFlags(): string[] {
  return ONBOARDING_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${searchAttributeTypeName(key.type)}`]);
}

async function waitUntilServing(address: string, namespace: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`temporal server start-dev exited early (code ${child.exitCode}, signal ${child.signalCode})`);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`temporal server start-dev did not serve on ${address} within ${timeoutMs} ms: ${String(lastError)}`);
}

function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const log = options.log ?? (() => {});
  const cliPath = options.cliPath ?? (await findTemporalCli({ log }));
  const namespace = options.namespace ?? 'default';
  const port = options.port ?? (await freePort());
  const ip = '127.0.0.1';
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(port), '--namespace', namespace, '--log-level', 'warn'];
  args.push('--http-port', String(await freePort()), '--metrics-port', String(await freePort()));
  let uiUrl: string | undefined;
  if (options.ui) {
    const uiPort = options.uiPort ?? (await freePort());
    args.push('--ui-port', String(uiPort));
    if (options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
    uiUrl = `http://${ip}:${uiPort}`;
  } else {
    args.push('--headless');
  }
  if (options.dbFilename) {
    mkdirSync(path.dirname(options.dbFilename), { recursive: true });
    args.push('--db-filename', options.dbFilename);
  }
  for (const extra of options.extraNamespaces ?? []) args.push('--namespace', extra);
  // One partition per task queue, as the cluster's vendor queues have (scripts/cluster/settings.ts):
  // a queue's rate limit is split across its partitions, and with 4 an onboarding arriving well
  // under a vendor's limit still waited for its partition's share (docs/performance.md).
  for (const key of ['matching.numTaskqueueReadPartitions', 'matching.numTaskqueueWritePartitions']) args.push('--dynamic-config-value', `${key}=1`);
  if (options.searchAttributes !== false) args.push(...searchAttributeFlags());

  const logDir = options.logDir ?? STATE_DIR;
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `dev-server-${port}.log`);
  const logStream = createWriteStream(logFile);
  const child = spawn(cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(logStream);
  child.stderr?.pipe(logStream);
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  // If this process dies without calling stop(), do not leave the server running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const address = `${ip}:${port}`;
  try {
    await Promise.race([waitUntilServing(address, namespace, child, options.startTimeoutMs ?? 60_000), spawnError]);
  } catch (err) {
    await stopProcess(child);
    process.removeListener('exit', killOnExit);
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
    throw new Error(`${(err as Error).message}\nCommand: ${cliPath} ${args.join(' ')}\nLast lines of ${logFile}:\n${tail}`);
  }
  log(`Temporal dev server (pid ${child.pid}) serving on ${address}${uiUrl ? `, Web UI at ${uiUrl}` : ''}`);

  return {
    address,
    namespace,
    pid: child.pid!,
    uiUrl,
    logFile,
    async stop() {
      await stopProcess(child);
      process.removeListener('exit', killOnExit);
      logStream.end();
    },
  };
}
