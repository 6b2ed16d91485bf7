/**
 * Where Temporal is and how to reach it, read by the SDK's own loader (@temporalio/envconfig) from
 * the same places the `temporal` CLI reads: a `temporal.toml` profile (TEMPORAL_CONFIG_FILE, else
 * ~/.config/temporalio/temporal.toml; TEMPORAL_PROFILE picks one) with the environment over it:
 * TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS, TEMPORAL_TLS_SERVER_CA_CERT_PATH,
 * TEMPORAL_TLS_CLIENT_CERT_PATH, TEMPORAL_TLS_CLIENT_KEY_PATH, TEMPORAL_TLS_SERVER_NAME (and the
 * *_DATA forms). Certificate files are checked here, before any connection is tried, so a bad one
 * is an error naming the variable (or profile key) and the path, not a TLS handshake failure.
 */
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { isGrpcServiceError } from '@temporalio/client';
import { loadClientConfigProfile, toClientOptions, type ClientConfigProfile, type ConfigDataSource } from '@temporalio/envconfig';

export interface TemporalConfig {
  address: string;
  namespace: string;
  /** For `Connection.connect` (client) and `NativeConnection.connect` (worker) alike. */
  connectionOptions: {
    address: string;
    tls?: ReturnType<typeof toClientOptions>['connectionOptions']['tls'];
    apiKey?: string;
    metadata?: Record<string, string>;
  };
  /** Whether the connection uses TLS (for messages and links). */
  tls: boolean;
  /**
   * The Web UI's base URL, for links: TEMPORAL_UI_URL, else the dev server's convention (UI port =
   * frontend port + 1000) for a server on this machine, else none.
   */
  uiUrl?: string;
}

export const DEFAULT_ADDRESS = '127.0.0.1:7233';

type Problem = { variable: string; message: string };

/** The environment variable that sets each TLS file, for messages. */
const TLS_FILES = {
  serverCACert: { variable: 'TEMPORAL_TLS_SERVER_CA_CERT_PATH', key: 'tls.server_ca_cert_path', what: 'a PEM certificate', marker: /-----BEGIN CERTIFICATE-----/ },
  clientCert: { variable: 'TEMPORAL_TLS_CLIENT_CERT_PATH', key: 'tls.client_cert_path', what: 'a PEM certificate', marker: /-----BEGIN CERTIFICATE-----/ },
  clientKey: { variable: 'TEMPORAL_TLS_CLIENT_KEY_PATH', key: 'tls.client_key_path', what: 'a PEM private key', marker: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
} as const;

/** Reads and checks the Temporal settings; returns the problems instead of throwing, for the loader. */
export function readTemporalConfig(env: Record<string, string>): { config?: TemporalConfig; problems: Problem[] } {
  const problems: Problem[] = [];
  if (env.TEMPORAL_CONFIG_FILE && !existsSync(env.TEMPORAL_CONFIG_FILE)) {
    return { problems: [{ variable: 'TEMPORAL_CONFIG_FILE', message: `no such file: ${env.TEMPORAL_CONFIG_FILE}` }] };
  }
  let profile: ClientConfigProfile;
  try {
    profile = loadClientConfigProfile({ overrideEnvVars: env });
  } catch (err) {
    const variable = /Profile '/.test((err as Error).message) ? 'TEMPORAL_PROFILE' : 'TEMPORAL_CONFIG_FILE';
    return { problems: [{ variable, message: (err as Error).message }] };
  }
  const fromFile = (variable: string, key: string) => (env[variable] ? variable : `${key} (profile ${env.TEMPORAL_PROFILE ?? 'default'})`);

  const address = profile.address ?? DEFAULT_ADDRESS;
  if (!/^[^\s:]+:\d{1,5}$/.test(address)) problems.push({ variable: fromFile('TEMPORAL_ADDRESS', 'address'), message: 'must be host:port, e.g. 127.0.0.1:7233' });
  const namespace = profile.namespace ?? 'default';

  const tls = profile.tls;
  if (tls && !tls.disabled) {
    for (const [field, spec] of Object.entries(TLS_FILES) as [keyof typeof TLS_FILES, (typeof TLS_FILES)[keyof typeof TLS_FILES]][]) {
      const problem = checkFile(tls[field], spec.what, spec.marker);
      if (problem) problems.push({ variable: fromFile(spec.variable, spec.key), message: problem });
    }
    if (Boolean(tls.clientCert) !== Boolean(tls.clientKey)) {
      const missing = tls.clientCert ? TLS_FILES.clientKey : TLS_FILES.clientCert;
      problems.push({ variable: missing.variable, message: 'is required: mTLS needs both the client certificate and its key' });
    }
  }
  if (env.TEMPORAL_UI_URL && !/^https?:\/\/\S+$/.test(env.TEMPORAL_UI_URL)) problems.push({ variable: 'TEMPORAL_UI_URL', message: 'must be an http(s) URL, e.g. http://127.0.0.1:8233' });
  if (problems.length > 0) return { problems };

  const { connectionOptions } = toClientOptions(profile);
  const useTls = connectionOptions.tls !== undefined && connectionOptions.tls !== false;
  const uiUrl = env.TEMPORAL_UI_URL?.replace(/\/+$/, '') ?? devServerUiUrl(address);
  return {
    problems,
    config: {
      address,
      namespace,
      tls: useTls,
      ...(uiUrl && { uiUrl }),
      connectionOptions: {
        address,
        ...(useTls && { tls: connectionOptions.tls }),
        ...(connectionOptions.apiKey !== undefined && { apiKey: connectionOptions.apiKey as string }),
        ...(profile.grpcMeta && { metadata: profile.grpcMeta }),
      },
    },
  };
}

function devServerUiUrl(address: string): string | undefined {
  const [host, port] = address.split(':');
  return host === '127.0.0.1' || host === 'localhost' ? `http://${host}:${Number(port) + 1000}` : undefined;
}

/** The Web UI page of one workflow. */
export function workflowUiLink(config: TemporalConfig, workflowId: string): string | undefined {
  return config.uiUrl && `${config.uiUrl}/namespaces/${encodeURIComponent(config.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

/**
 * Why a process could not connect, in words: a server that requires client certificates (mTLS)
 * closes the connection right after the TLS handshake, which the SDK reports only as a broken
 * pipe, so say which setting is the likely cause.
 */
export function connectProblem(temporal: TemporalConfig, err: Error): string {
  const opts = temporal.connectionOptions;
  const clientCert = typeof opts.tls === 'object' && opts.tls?.clientCertPair !== undefined;
  const how = temporal.tls ? (clientCert ? 'TLS with a client certificate' : 'TLS, no client certificate') : 'no TLS';
  const hint =
    temporal.tls && !clientCert
      ? ' If the server requires client certificates (mTLS), set TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH.'
      : !temporal.tls
        ? ' If the server uses TLS, set TEMPORAL_TLS_SERVER_CA_CERT_PATH (or TEMPORAL_TLS=true).'
        : '';
  return `cannot connect to Temporal at ${temporal.address} (${how}): ${err.message}.${hint}`;
}

/** Why a configured file cannot serve, or undefined when it can (inline data is left to TLS). */
function checkFile(source: ConfigDataSource | undefined, what: string, marker: RegExp): string | undefined {
  if (!source || !('path' in source)) return undefined;
  const { path } = source;
  if (!existsSync(path)) return `no such file: ${path}`;
  try {
    accessSync(path, constants.R_OK);
  } catch {
    return `cannot read ${path} (permissions)`;
  }
  return marker.test(readFileSync(path, 'utf8')) ? undefined : `${path} is not ${what}`;
}

/** The gRPC status code of a Temporal call's failure (UNAVAILABLE 14, NOT_FOUND 5, ...), wherever in its causes it is. */
export function grpcCode(err: unknown): number | undefined {
  for (let e = err; e instanceof Error; e = e.cause) if (isGrpcServiceError(e)) return e.code;
  return undefined;
}
