/**
 * The Temporal Web UI server, connected to the frontend over mTLS with the client certificate,
 * serving plain HTTP on 127.0.0.1 (put a TLS-terminating proxy in front for anything else).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import type { ClusterLayout } from './layout.js';
import { runningPid, startDaemon, stopDaemon, waitUntil } from './processes.js';
import { HOST, NAMESPACE, SERVER_NAME, type Ports } from './settings.js';

export function uiUrl(ports: Ports): string {
  return `http://${HOST}:${ports.ui}`;
}

export function writeUiConfig(layout: ClusterLayout, ports: Ports): void {
  mkdirSync(layout.ui.configDir, { recursive: true });
  const config = {
    temporalGrpcAddress: `${HOST}:${ports.frontend}`,
    host: HOST,
    port: ports.ui,
    enableUi: true,
    defaultNamespace: NAMESPACE,
    showTemporalSystemNamespace: false,
    notifyOnNewVersion: false, // no internet here, and a pinned version anyway
    tls: {
      caFile: layout.certs.caCert,
      certFile: layout.certs.clientCert,
      keyFile: layout.certs.clientKey,
      enableHostVerification: true,
      serverName: SERVER_NAME,
    },
  };
  writeFileSync(layout.ui.configFile, `# Written by npm run cluster (scripts/cluster/ui-server.ts) on every up; edits are lost.\n${stringify(config)}`);
}

export function startUiServer(layout: ClusterLayout, uiBinary: string): void {
  if (runningPid(layout, 'ui') !== undefined) return;
  startDaemon(layout, { name: 'ui', command: uiBinary, args: ['--root', layout.ui.root, '--config', 'config', '--env', 'cluster', 'start'], cwd: layout.ui.root });
}

/**
 * One check: does the UI's own API show the namespace? That answer came from the frontend over
 * mTLS, so the UI's certificate setup works, not just its HTTP listener. Throws what it got instead.
 */
export async function uiServing(ports: Ports): Promise<boolean> {
  const res = await fetch(`${uiUrl(ports)}/api/v1/namespaces/${NAMESPACE}`, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`);
  return true;
}

/** Resolves once the UI serves the namespace (uiServing). */
export async function waitForUiServer(layout: ClusterLayout, ports: Ports, timeoutMs = 60_000): Promise<void> {
  await waitUntil(`the Web UI at ${uiUrl(ports)} to show namespace ${NAMESPACE}`, () => uiServing(ports), { timeoutMs, service: { layout, name: 'ui' } });
}

export function stopUiServer(layout: ClusterLayout): Promise<boolean> {
  return stopDaemon(layout, 'ui', { graceMs: 10_000 });
}
