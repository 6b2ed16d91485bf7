/**
 * The Temporal server's configuration for the cluster: PostgreSQL for persistence and
 * visibility, mTLS on the frontend and between the server's services, everything bound to
 * 127.0.0.1, and the dynamic config from settings.ts. Same shape as the server image's
 * config_template.yaml renders for docker-compose.yml's environment (see docs/deployment.md).
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import type { ClusterLayout } from './layout.js';
import { DYNAMIC_CONFIG, HOST, SERVER_NAME, SERVER_SETTINGS, type Ports } from './settings.js';

export interface ServerConfigInput {
  layout: ClusterLayout;
  ports: Ports;
  postgresPassword: string;
}

export function serverConfig({ layout, ports, postgresPassword }: ServerConfigInput): Record<string, unknown> {
  const { certs } = layout;
  const datastore = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: SERVER_SETTINGS.sqlPlugin,
      databaseName,
      connectAddr: `${HOST}:${ports.postgres}`,
      connectProtocol: 'tcp',
      user: SERVER_SETTINGS.dbUser,
      password: postgresPassword,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  // One server certificate for the frontend and internode, like the image's TEMPORAL_TLS_*
  // variables; the client side verifies it by name (SERVER_NAME is in its subjectAltName).
  const tlsGroup = {
    server: { certFile: certs.serverCert, keyFile: certs.serverKey, clientCaFiles: [certs.caCert], requireClientAuth: SERVER_SETTINGS.requireClientAuth },
    client: { serverName: SERVER_NAME, rootCaFiles: [certs.caCert] },
  };
  const service = (grpcPort: number, membershipPort: number, httpPort?: number) => ({
    rpc: { grpcPort, membershipPort, bindOnIP: HOST, ...(httpPort && { httpPort }) },
  });
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'default',
      visibilityStore: 'visibility',
      numHistoryShards: SERVER_SETTINGS.numHistoryShards,
      datastores: {
        default: datastore(SERVER_SETTINGS.databases.temporal, 20),
        visibility: datastore(SERVER_SETTINGS.databases.visibility, 10),
      },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: HOST },
      pprof: { port: 0 },
      // The system worker (the server's own, for namespace deletion, scanners...) connects to the
      // frontend like any client; with no `systemWorker` section it presents the internode
      // certificate and trusts frontend.client's CA, as the docker image does.
      tls: { internode: tlsGroup, frontend: tlsGroup },
      metrics: { prometheus: { framework: 'tally', timerType: 'histogram', listenAddress: `${HOST}:${ports.metrics}` } },
    },
    services: {
      frontend: service(ports.frontend, ports.frontendMembership, ports.frontendHttp),
      history: service(ports.history, ports.historyMembership),
      matching: service(ports.matching, ports.matchingMembership),
      worker: service(ports.worker, ports.workerMembership),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `${HOST}:${ports.frontend}`, httpAddress: `${HOST}:${ports.frontendHttp}` },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
    dynamicConfigClient: { filepath: layout.temporal.dynamicConfigFile, pollInterval: '10s' },
  };
}

/** Writes the server's config and dynamic config; owner-only, since the config holds the database password. */
export function writeServerConfig(input: ServerConfigInput): void {
  const { temporal } = input.layout;
  mkdirSync(temporal.configDir, { recursive: true, mode: 0o700 });
  writeFileSync(temporal.configFile, `# Written by npm run cluster (scripts/cluster/server-config.ts) on every up; edits are lost.\n${stringify(serverConfig(input))}`, { mode: 0o600 });
  chmodSync(temporal.configFile, 0o600);
  writeFileSync(temporal.dynamicConfigFile, stringify(DYNAMIC_CONFIG));
}
