/**
 * What a worker, the CLI, the gateway or a test needs to reach the cluster: the environment the
 * SDK's envconfig (and the `temporal` CLI) read, and the connection settings our one config
 * loader makes of it. Nothing here builds a connection any other way.
 */
import { loadConfig, type TemporalConfig } from '../../config/environment.js';
import type { ClusterLayout } from './layout.js';
import { HOST, NAMESPACE, SERVER_NAME, type Ports } from './settings.js';
import { uiUrl } from './ui-server.js';

/** TEMPORAL_* variables for a client of this cluster (mTLS with the generated client certificate). */
export function clientEnvironment(layout: ClusterLayout, ports: Ports): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: `${HOST}:${ports.frontend}`,
    TEMPORAL_NAMESPACE: NAMESPACE,
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: layout.certs.caCert,
    TEMPORAL_TLS_CLIENT_CERT_PATH: layout.certs.clientCert,
    TEMPORAL_TLS_CLIENT_KEY_PATH: layout.certs.clientKey,
    // The certificate's name, so clients verify a name rather than an IP address (which TLS's
    // SNI cannot carry; Node warns of it).
    TEMPORAL_TLS_SERVER_NAME: SERVER_NAME,
    // Links our CLI prints (onboard start) lead to this cluster's Web UI.
    TEMPORAL_UI_URL: uiUrl(ports),
  };
}

/** The cluster's client settings through `loadConfig(['temporal'])`, exactly as every process reads them. */
export function clientConfig(layout: ClusterLayout, ports: Ports): TemporalConfig {
  return loadConfig(['temporal'], clientEnvironment(layout, ports)).temporal;
}
