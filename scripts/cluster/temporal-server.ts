/**
 * The Temporal server process (all four services in one process, as a small deployment runs
 * it): started from the written config, ready once its frontend answers a health check over mTLS.
 */
import { Connection } from '@temporalio/client';
import type { TemporalConfig } from '../../config/environment.js';
import type { ClusterLayout } from './layout.js';
import { runningPid, startDaemon, stopDaemon, waitUntil } from './processes.js';

/**
 * The server's command line. --allow-no-auth says out loud what the config means: mTLS decides
 * who may connect, and no authorizer then limits what a holder of a client certificate may do
 * (docs/deployment.md).
 */
export function serverArgs(layout: ClusterLayout): string[] {
  return ['--root', layout.temporal.root, '--config', 'config', '--env', 'cluster', '--allow-no-auth', 'start'];
}

export function startTemporalServer(layout: ClusterLayout, serverBinary: string): void {
  if (runningPid(layout, 'temporal') !== undefined) return;
  startDaemon(layout, { name: 'temporal', command: serverBinary, args: serverArgs(layout), cwd: layout.temporal.root });
}

/** One check: does the frontend serve over mTLS (the gRPC health check answers SERVING)? Throws why it cannot connect. */
export async function temporalServing(client: TemporalConfig): Promise<boolean> {
  const connection = await Connection.connect({ ...client.connectionOptions, connectTimeout: 2_000 });
  try {
    const { status } = await connection.healthService.check({ service: 'temporal.api.workflowservice.v1.WorkflowService' });
    return status === 1; // SERVING
  } finally {
    await connection.close();
  }
}

/** Resolves once the frontend serves over mTLS (temporalServing). */
export async function waitForTemporalServer(layout: ClusterLayout, client: TemporalConfig, timeoutMs = 120_000): Promise<void> {
  await waitUntil(`the Temporal frontend to serve on ${client.address} (mTLS)`, () => temporalServing(client), { timeoutMs, service: { layout, name: 'temporal' } });
}

/** SIGTERM lets the server hand its shards over and close its database connections. */
export function stopTemporalServer(layout: ClusterLayout): Promise<boolean> {
  return stopDaemon(layout, 'temporal', { graceMs: 20_000 });
}
