/**
 * The production-like cluster as one API: PostgreSQL, the schema, the Temporal server with mTLS,
 * the Web UI, the namespace and its search attributes. Used by `npm run cluster` (main.ts) and
 * by the cluster test run (test/cluster/global-setup.js), which also restarts parts of it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { TemporalConfig } from '../../config/environment.js';
import { ensureGoBinaries, type Binaries } from './binaries.js';
import { ensureCertificates } from './certs.js';
import { assertPortsFree } from './free-ports.js';
import { clientConfig, clientEnvironment } from './client-settings.js';
import { clusterLayout, type ClusterLayout, type ServiceName } from './layout.js';
import { setUpNamespace } from './namespace.js';
import { postgresPassword, startPostgres as startPostgresProcess, stopPostgres as stopPostgresProcess } from './postgres.js';
import { runningPid } from './processes.js';
import { setUpSchema } from './schema.js';
import { writeServerConfig } from './server-config.js';
import { DEFAULT_PORT_BASE, PORT_OFFSETS, portsFrom, type PortName, type Ports } from './settings.js';
import { startTemporalServer, stopTemporalServer, temporalServing, waitForTemporalServer } from './temporal-server.js';
import { startUiServer, stopUiServer, uiServing, uiUrl, waitForUiServer, writeUiConfig } from './ui-server.js';

export interface ClusterOptions {
  /** The cluster's directory (default `.cluster/`). */
  dir?: string;
  /** First of the cluster's ports (default: the one the cluster was made with, else $CLUSTER_PORT_BASE, else 7400). */
  portBase?: number;
  log?: (message: string) => void;
}

export interface Cluster {
  layout: ClusterLayout;
  ports: Ports;
  binaries: Binaries;
  /** TEMPORAL_* variables a worker, the CLI or the gateway needs (mTLS). */
  env: Record<string, string>;
  /** The same, read through `loadConfig(['temporal'])`. */
  temporal: TemporalConfig;
  uiUrl: string;
}

interface State {
  portBase: number;
  binaries: Binaries;
}

function readState(layout: ClusterLayout): State | undefined {
  return existsSync(layout.stateFile) ? (JSON.parse(readFileSync(layout.stateFile, 'utf8')) as State) : undefined;
}

const SERVICES: ServiceName[] = ['postgres', 'temporal', 'ui'];
const TEMPORAL_PORTS = (Object.keys(PORT_OFFSETS) as PortName[]).filter((name) => name !== 'postgres' && name !== 'ui');

function portBase(layout: ClusterLayout, options: ClusterOptions): number {
  const previous = readState(layout)?.portBase;
  const fromEnv = process.env.CLUSTER_PORT_BASE ? Number(process.env.CLUSTER_PORT_BASE) : undefined;
  const base = options.portBase ?? previous ?? fromEnv ?? DEFAULT_PORT_BASE;
  if (!Number.isInteger(base) || base < 1024 || base > 65_000) throw new Error(`CLUSTER_PORT_BASE must be a port number from 1024 to 65000 (got ${base})`);
  const running = SERVICES.filter((s) => runningPid(layout, s) !== undefined);
  if (previous !== undefined && base !== previous && running.length > 0) {
    throw new Error(`the cluster in ${layout.dir} runs on port base ${previous} (${running.join(', ')} running); run \`npm run cluster -- down\` before changing it to ${base}`);
  }
  return base;
}

function describe(layout: ClusterLayout, ports: Ports, binaries: Binaries): Cluster {
  return { layout, ports, binaries, env: clientEnvironment(layout, ports), temporal: clientConfig(layout, ports), uiUrl: uiUrl(ports) };
}

/** Starts whatever is not running yet and waits until all of it serves. Safe to call again. */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const log = options.log ?? (() => {});
  const layout = clusterLayout(options.dir);
  mkdirSync(layout.dir, { recursive: true });
  const ports = portsFrom(portBase(layout, options));
  const binaries = await ensureGoBinaries(log);
  writeFileSync(layout.stateFile, JSON.stringify({ portBase: ports.postgres, binaries } satisfies State, null, 2));

  const { made } = await ensureCertificates(layout.certs.dir, { log });
  if (made) {
    // New certificates: a server still holding the old ones would refuse the new client certificate.
    await stopUiServer(layout);
    await stopTemporalServer(layout);
  }
  if (runningPid(layout, 'postgres') === undefined) await assertPortsFree(ports, ['postgres']);
  await startPostgresProcess(layout, ports.postgres, log);
  const password = postgresPassword(layout);
  await setUpSchema({ sqlTool: binaries.sql, port: ports.postgres, password }, log);

  const cluster = describe(layout, ports, binaries);
  writeServerConfig({ layout, ports, postgresPassword: password });
  if (runningPid(layout, 'temporal') === undefined) {
    await assertPortsFree(ports, TEMPORAL_PORTS);
    log(`Starting the Temporal server on ${cluster.temporal.address} (mTLS)`);
  }
  startTemporalServer(layout, binaries.server);
  await waitForTemporalServer(layout, cluster.temporal);
  await setUpNamespace(cluster.temporal, log);

  writeUiConfig(layout, ports);
  if (runningPid(layout, 'ui') === undefined) await assertPortsFree(ports, ['ui']);
  startUiServer(layout, binaries.ui);
  await waitForUiServer(layout, ports);

  writeFileSync(layout.clientEnvFile, `${Object.entries(cluster.env).map(([k, v]) => `${k}=${v}`).join('\n')}\n`);
  return cluster;
}

/** The cluster in `dir` as it was made (for status and tests), or undefined if it never was. */
export function existingCluster(options: ClusterOptions = {}): Cluster | undefined {
  const layout = clusterLayout(options.dir);
  const state = readState(layout);
  return state && describe(layout, portsFrom(state.portBase), state.binaries);
}

/** Stops the UI, the server, then PostgreSQL (the reverse of start). Data and certificates are kept. */
export async function stopCluster(options: ClusterOptions = {}): Promise<ServiceName[]> {
  const layout = clusterLayout(options.dir);
  const stopped: ServiceName[] = [];
  if (await stopUiServer(layout)) stopped.push('ui');
  if (await stopTemporalServer(layout)) stopped.push('temporal');
  if (await stopPostgresProcess(layout)) stopped.push('postgres');
  return stopped;
}

export interface ServiceStatus {
  name: ServiceName;
  pid?: number;
  /** Whether it answers (PostgreSQL is not probed beyond its pid). */
  serving?: boolean;
}

export async function clusterStatus(cluster: Cluster): Promise<ServiceStatus[]> {
  const { layout } = cluster;
  // The checks `up` waits on, once each: a failure to connect is "not serving".
  const serving = (name: 'temporal' | 'ui') => (name === 'temporal' ? temporalServing(cluster.temporal) : uiServing(cluster.ports)).catch(() => false);
  return Promise.all(
    SERVICES.map(async (name): Promise<ServiceStatus> => {
      const pid = runningPid(layout, name);
      if (pid === undefined || name === 'postgres') return { name, pid };
      return { name, pid, serving: await serving(name) };
    }),
  );
}

/** Stops the Temporal server (SIGTERM) and starts it again; resolves once it serves. */
export async function restartTemporal(cluster: Cluster): Promise<void> {
  await stopTemporalServer(cluster.layout);
  startTemporalServer(cluster.layout, cluster.binaries.server);
  await waitForTemporalServer(cluster.layout, cluster.temporal);
}

/** Stops PostgreSQL under the running Temporal server, as a database failover or restart would. */
export async function stopPostgres(cluster: Cluster): Promise<void> {
  await stopPostgresProcess(cluster.layout);
}

export async function startPostgres(cluster: Cluster): Promise<void> {
  await startPostgresProcess(cluster.layout, cluster.ports.postgres);
}
