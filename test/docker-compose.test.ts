/**
 * No Docker engine runs on this project's machines, so docker-compose.yml is checked here against
 * the code it runs and against the cluster `npm run cluster` runs and tests (scripts/cluster):
 * the services and their order, pinned images of the same versions, ports on 127.0.0.1, every
 * project service's environment through the validation its process runs at start, the same
 * namespace and search-attribute code, the server image's own config template rendered with the
 * compose environment by the pinned server binary and compared with the cluster's config, and the
 * schema job's script run against a real PostgreSQL.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import got from 'got';
import { parse, stringify } from 'yaml';
import { loadConfig } from '../config/environment.js';
import { DEFAULT_PORTS, DEFAULT_STATE_FILE, optionsFromEnv } from '../sandbox/config.js';
import { SANDBOX_CREDENTIALS } from '../sandbox/credentials.js';
import { startSandboxes } from '../sandbox/index.js';
import { ensureGoBinary, postgresBinDir, serverModuleDir } from '../scripts/cluster/binaries.js';
import { ensureCertificates, SERVER_SUBJECT_ALT_NAMES } from '../scripts/cluster/certs.js';
import { freePortBase } from '../scripts/cluster/free-ports.js';
import { clusterLayout } from '../scripts/cluster/layout.js';
import { postgresPassword, startPostgres, stopPostgres } from '../scripts/cluster/postgres.js';
import { serverConfig } from '../scripts/cluster/server-config.js';
import { DYNAMIC_CONFIG, NAMESPACE, NAMESPACE_RETENTION_DAYS, portsFrom, SEARCH_ATTRIBUTES, SERVER_SETTINGS, TEMPORAL_SERVER_VERSION, TEMPORAL_UI_VERSION } from '../scripts/cluster/settings.js';
import { serverArgs } from '../scripts/cluster/temporal-server.js';
import { VENDORS } from '../workflows/vendors.js';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  entrypoint?: string[];
  user?: string;
  ports?: string[];
  environment?: Record<string, string>;
  env_file?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: unknown;
  stop_grace_period?: string;
}

const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const scripts = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;
const PROJECT_SERVICES = ['certs', 'setup', 'sandbox', 'worker', 'gateway'];

function envFile(file: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(path.join(root, file), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/** Compose's own interpolation of `${VAR:?message}` / `${VAR}`, from `values` (a secret the user gives). */
function interpolate(value: string, values: Record<string, string>): string {
  return value.replace(/\$\{([A-Z_]+)(:\?[^}]*)?\}/g, (_, name: string) => values[name] ?? '');
}

const SECRETS = { POSTGRES_PASSWORD: 'compose-test-password', GATEWAY_HMAC_SECRET: 'x'.repeat(32), PAYLOAD_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}` };

/** What the process in a service sees: its env_file(s), then `environment` over them, interpolated. */
function serviceEnv(name: string): Record<string, string> {
  const service = compose.services[name]!;
  const env = Object.assign({}, ...(service.env_file ?? []).map(envFile), service.environment ?? {}) as Record<string, string>;
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(String(v), SECRETS)]));
}

/** The certs volume as the certs job fills it: the same script, into a folder of ours. */
let certsVolume: string;
beforeAll(async () => {
  certsVolume = path.join(mkdtempSync(path.join(os.tmpdir(), 'compose-certs-')), 'certs');
  await ensureCertificates(certsVolume, { shared: true });
});
afterAll(() => rmSync(path.dirname(certsVolume), { recursive: true, force: true }));
const mounted = (env: Record<string, string>) => Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replace(/^\/certs\//, `${certsVolume}/`)]));

test('every part of the system is a service', () => {
  expect(Object.keys(compose.services).sort()).toEqual(['certs', 'gateway', 'postgresql', 'sandbox', 'schema', 'setup', 'temporal', 'temporal-ui', 'worker']);
});

test('third-party images are pinned to the versions npm run cluster installs and tests (server 1.29.1, UI 2.42.1); no auto-setup', () => {
  expect(compose.services.temporal!.image).toBe(`temporalio/server:${TEMPORAL_SERVER_VERSION}`);
  expect(compose.services.schema!.image).toBe(`temporalio/admin-tools:${TEMPORAL_SERVER_VERSION}`);
  expect(compose.services['temporal-ui']!.image).toBe(`temporalio/ui:${TEMPORAL_UI_VERSION}`);
  expect(compose.services.postgresql!.image).toMatch(/^postgres:\d+\.\d+$/);
  expect(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')).not.toContain('auto-setup');
});

test('start order: schema after a healthy PostgreSQL, the server after the schema and certificates, the rest after the namespace job', () => {
  const needs = (name: string) => compose.services[name]!.depends_on;
  expect(compose.services.postgresql!.healthcheck).toBeDefined();
  expect(needs('schema')).toEqual({ postgresql: { condition: 'service_healthy' } });
  expect(needs('temporal')).toEqual({ schema: { condition: 'service_completed_successfully' }, certs: { condition: 'service_completed_successfully' } });
  expect(needs('setup')).toEqual({ temporal: { condition: 'service_started' } });
  for (const name of ['temporal-ui', 'worker', 'gateway']) expect(needs(name)).toMatchObject({ setup: { condition: 'service_completed_successfully' } });
});

test('project services run npm scripts or project files that exist', () => {
  for (const name of PROJECT_SERVICES) {
    const command = compose.services[name]!.command!;
    if (command[0] === 'npm') {
      expect(command[1]).toBe('run');
      expect(Object.keys(scripts)).toContain(command[2]);
    } else {
      // The certs job runs one file through tsx: `npm run cluster` would load dev dependencies the image leaves out.
      expect(command.slice(0, 3)).toEqual(['node', '--import', 'tsx']);
      expect(existsSync(path.join(root, command[3]!))).toBe(true);
    }
  }
});

test('published ports are on 127.0.0.1 only and agree with the code: Temporal 7233, UI 8233, sandboxes, gateway 8080', () => {
  for (const [name, service] of Object.entries(compose.services)) for (const port of service.ports ?? []) expect({ name, port }).toEqual({ name, port: expect.stringMatching(/^127\.0\.0\.1:\d+:\d+$/) });
  expect(compose.services.temporal!.ports).toEqual(['127.0.0.1:7233:7233']);
  expect(compose.services['temporal-ui']!.ports).toEqual(['127.0.0.1:8233:8080']);
  expect(compose.services.gateway!.ports).toEqual(['127.0.0.1:8080:8080']);
  expect(compose.services.sandbox!.ports).toEqual(VENDORS.map((v) => `127.0.0.1:${DEFAULT_PORTS[v]}:${DEFAULT_PORTS[v]}`));
  // Listening on every interface of its container, or the other containers could not reach it.
  expect(optionsFromEnv(serviceEnv('sandbox'))).toMatchObject({ ports: DEFAULT_PORTS, host: '0.0.0.0' });
});

test('the sandbox service listens on every interface and still answers on loopback', async () => {
  const sandboxes = await startSandboxes({ ...optionsFromEnv(serviceEnv('sandbox')), ports: {} });
  try {
    // No credentials: a 401 in the vendor's own shape proves the vendor route answered.
    const res = await got.get(`${sandboxes.urls.netbird}/users`, { throwHttpErrors: false, retry: { limit: 0 } });
    expect(res.statusCode).toBe(401);
  } finally {
    await sandboxes.stop();
  }
});

test('the sandbox service keeps its users in a named volume at the state directory npm run sandbox defaults to', () => {
  // The image holds the project at its WORKDIR, so the default state file's place there is the
  // same path relative to the project root.
  const workdir = /^WORKDIR (\S+)$/m.exec(readFileSync(path.join(root, 'Dockerfile'), 'utf8'))![1]!;
  const stateDir = path.posix.join(workdir, path.relative(root, path.dirname(DEFAULT_STATE_FILE)));
  expect(compose.services.sandbox!.volumes).toContain(`sandbox-state:${stateDir}`);
  expect(Object.keys(compose.volumes)).toContain('sandbox-state');
  // Nothing in the service's environment moves or turns off the default file.
  expect(optionsFromEnv(serviceEnv('sandbox'), { stateFile: DEFAULT_STATE_FILE }).stateFile).toBe(DEFAULT_STATE_FILE);
});

test("the worker's environment passes the worker's own validation: mTLS with the certs volume, the cluster's namespace, the sandbox's credentials", () => {
  const env = mounted(serviceEnv('worker'));
  const { temporal, vendors } = loadConfig(['temporal', 'vendors', 'worker', 'payloadEncryption'], env);
  expect(temporal).toMatchObject({ address: 'temporal:7233', namespace: NAMESPACE, tls: true });
  expect(temporal.connectionOptions.tls).toMatchObject({ serverNameOverride: 'temporal', clientCertPair: expect.anything() });
  // Every vendor on: a vendor whose variables are absent would be off.
  expect(Object.keys(vendors).sort()).toEqual([...VENDORS].sort());
  for (const vendor of VENDORS) {
    const url = new URL(vendors[vendor]!.baseUrl);
    expect({ vendor, host: url.hostname, port: Number(url.port) }).toEqual({ vendor, host: 'sandbox', port: DEFAULT_PORTS[vendor] });
  }
  expect(vendors.netbird!.token).toBe(SANDBOX_CREDENTIALS.netbird.token);
  expect(vendors.meetbit).toMatchObject(SANDBOX_CREDENTIALS.meetbit);
  expect(vendors.meetergo).toMatchObject(SANDBOX_CREDENTIALS.meetergo);
  expect(vendors.partoo!.apiKey).toBe(SANDBOX_CREDENTIALS.partoo.apiKey);
  expect(vendors.siit!.token).toBe(SANDBOX_CREDENTIALS.siit.token);
});

test("the worker's health check probes its own health endpoint, and compose waits longer than the worker's shutdown grace", () => {
  const { worker } = loadConfig(['worker'], mounted(serviceEnv('worker')));
  expect(worker.metricsBind).toBe('0.0.0.0:9464');
  const check = (compose.services.worker!.healthcheck as { test: string[] }).test.join(' ');
  expect(check).toContain(`http://${worker.healthBind}/healthz`);
  // Compose's "35s": docker kills the worker after it; the worker stops waiting for activities after shutdownGraceMs.
  const graceSeconds = Number(/^(\d+)s$/.exec(compose.services.worker!.stop_grace_period ?? '')?.[1]);
  expect(graceSeconds * 1000).toBeGreaterThan(worker.shutdownGraceMs + 5_000);
});

test('every Temporal client uses the cluster namespace over mTLS; the setup job runs the namespace and search-attribute code npm run cluster runs', () => {
  for (const name of ['setup', 'worker', 'gateway']) {
    const { temporal } = loadConfig(['temporal'], mounted(serviceEnv(name)));
    // The processes that read or write payloads hold the key (the setup job writes none).
    if (name !== 'setup') expect(loadConfig(['payloadEncryption'], serviceEnv(name)).payloadEncryption).toMatchObject({ encrypt: true, source: 'PAYLOAD_KEYS' });
    expect({ name, namespace: temporal.namespace, tls: temporal.tls, clientCert: typeof temporal.connectionOptions.tls === 'object' && Boolean(temporal.connectionOptions.tls?.clientCertPair) }).toEqual({ name, namespace: NAMESPACE, tls: true, clientCert: true });
    // The name clients verify is one the server certificate carries.
    expect(SERVER_SUBJECT_ALT_NAMES).toContain(`DNS:${serviceEnv(name).TEMPORAL_TLS_SERVER_NAME}`);
  }
  expect(compose.services.setup!.command).toEqual(['npm', 'run', 'temporal:namespace']);
  expect(scripts['temporal:namespace']).toBe('tsx scripts/cluster/namespace.ts');
  const ui = serviceEnv('temporal-ui');
  expect(ui).toMatchObject({ TEMPORAL_DEFAULT_NAMESPACE: NAMESPACE, TEMPORAL_TLS_CA: '/certs/ca.pem', TEMPORAL_TLS_CERT: '/certs/client.pem', TEMPORAL_TLS_KEY: '/certs/client.key', TEMPORAL_TLS_ENABLE_HOST_VERIFICATION: 'true' });
  expect(SERVER_SUBJECT_ALT_NAMES).toContain(`DNS:${ui.TEMPORAL_TLS_SERVER_NAME}`);
});

test('examples/sandbox.env matches the sandboxes that `npm run sandbox` starts', () => {
  const { vendors } = loadConfig(['vendors'], envFile('examples/sandbox.env'));
  for (const vendor of VENDORS) expect(new URL(vendors[vendor]!.baseUrl).port).toBe(String(DEFAULT_PORTS[vendor]));
});

test('secrets are never in the file: compose requires the gateway secret and the database password from the environment', () => {
  const raw = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
  expect(raw.services.gateway!.environment!.GATEWAY_HMAC_SECRET).toMatch(/^\$\{GATEWAY_HMAC_SECRET:\?/);
  for (const name of ['worker', 'gateway']) expect({ name, value: raw.services[name]!.environment!.PAYLOAD_KEYS }).toEqual({ name, value: expect.stringMatching(/^\$\{PAYLOAD_KEYS:\?/) });
  for (const [name, variable] of [['postgresql', 'POSTGRES_PASSWORD'], ['schema', 'SQL_PASSWORD'], ['temporal', 'POSTGRES_PWD']] as const) {
    expect({ name, value: raw.services[name]!.environment![variable] }).toEqual({ name, value: expect.stringMatching(/^\$\{POSTGRES_PASSWORD:\?/) });
  }
});

// ---- The server's settings: the image's template with compose's environment vs the cluster's config ----

/**
 * The configuration the temporalio/server image would run with: its config_template.yaml (the
 * same file, from the pinned server's module) rendered with the compose service's environment by
 * the pinned server binary's own loader. The image renders it with dockerize, whose `default`
 * takes its arguments the other way round from the loader's sprig `default`, and reads `.Env.X`
 * where sprig has `env "X"`: both rewritten here.
 */
async function renderImageConfig(env: Record<string, string>): Promise<Config> {
  const template = readFileSync(path.join(await serverModuleDir(), 'docker', 'config_template.yaml'), 'utf8')
    .replace(/default \.Env\.([A-Z0-9_]+) ("[^"]*"|\$[A-Za-z_]+)/g, 'default $2 (env "$1")')
    .replace(/\.Env\.([A-Z0-9_]+)/g, '(env "$1")');
  return render(`# enable-template\n${template}`, env);
}

/** A config as the server's loader reads it (defaults filled in), printed by `server render-config`. */
async function render(configYaml: string, env: Record<string, string> = {}): Promise<Config> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'server-config-'));
  try {
    mkdirSync(path.join(dir, 'config'));
    writeFileSync(path.join(dir, 'config', 'docker.yaml'), configYaml);
    const server = await ensureGoBinary('server', () => {});
    // render-config takes --config as is (start joins it to --root).
    const { stdout } = await run(server, ['--config', path.join(dir, 'config'), '--env', 'docker', 'render-config'], { env: { PATH: process.env.PATH, ...env } });
    return parse(stdout) as Config;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Config = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What must agree, with certificate files named by their role (the paths differ by design). */
function essentials(config: Config) {
  const role = (file: string) => path.basename(file);
  const tls = (group: Config) => ({
    server: { cert: role(group.server.certFile), key: role(group.server.keyFile), clientCas: [...new Set<string>(group.server.clientCaFiles.map(role))], requireClientAuth: group.server.requireClientAuth },
    client: { rootCas: group.client.rootCaFiles.map(role), hostVerification: !group.client.disableHostVerification, serverNameInCertificate: group.client.serverName === '' || SERVER_SUBJECT_ALT_NAMES.includes(`DNS:${group.client.serverName}`) },
  });
  const store = (name: string) => {
    const { pluginName, databaseName, user, maxConns, maxIdleConns } = config.persistence.datastores[name].sql;
    return { pluginName, databaseName, user, maxConns, maxIdleConns };
  };
  return {
    numHistoryShards: config.persistence.numHistoryShards,
    defaultStore: store(config.persistence.defaultStore),
    visibilityStore: store(config.persistence.visibilityStore),
    tls: { internode: tls(config.global.tls.internode), frontend: tls(config.global.tls.frontend), systemWorker: config.global.tls.systemWorker },
    authorizer: config.global.authorization.authorizer,
    namespaceArchival: { history: config.namespaceDefaults.archival.history.state, visibility: config.namespaceDefaults.archival.visibility.state },
  };
}

test("the server image's config, rendered from the compose environment, has the cluster's settings (persistence, shards, mTLS, authorizer)", async () => {
  const env = serviceEnv('temporal');
  const image = await renderImageConfig(env);
  const layout = clusterLayout(path.join(os.tmpdir(), 'render-only'));
  const cluster = await render(stringify(serverConfig({ layout, ports: portsFrom(7400), postgresPassword: 'x' })));

  expect(essentials(image)).toEqual(essentials(cluster));
  // And those are the settings asked for, not two equal mistakes.
  expect(essentials(cluster)).toMatchObject({
    numHistoryShards: SERVER_SETTINGS.numHistoryShards,
    defaultStore: { pluginName: SERVER_SETTINGS.sqlPlugin, databaseName: SERVER_SETTINGS.databases.temporal, user: SERVER_SETTINGS.dbUser },
    visibilityStore: { pluginName: SERVER_SETTINGS.sqlPlugin, databaseName: SERVER_SETTINGS.databases.visibility, user: SERVER_SETTINGS.dbUser },
    tls: { internode: { server: { requireClientAuth: true, cert: 'server.pem', clientCas: ['ca.pem'] } }, frontend: { server: { requireClientAuth: true } } },
  });
  expect(image.persistence.datastores[image.persistence.defaultStore].sql.connectAddr).toBe('postgresql:5432');
  // No authorizer on either: said out loud with --allow-no-auth / TEMPORAL_ALLOW_NO_AUTH.
  expect(serverArgs(layout)).toContain('--allow-no-auth');
  expect(env.TEMPORAL_ALLOW_NO_AUTH).toBe('true');
});

test('the dynamic config compose mounts is the one npm run cluster writes', () => {
  const env = serviceEnv('temporal');
  const mount = compose.services.temporal!.volumes!.find((v) => v.endsWith(`:${env.DYNAMIC_CONFIG_FILE_PATH}:ro`));
  expect(mount).toBeDefined();
  const file = path.join(root, mount!.split(':')[0]!);
  expect(parse(readFileSync(file, 'utf8'))).toEqual(DYNAMIC_CONFIG);
});

test("the schema job's script sets both databases up to the pinned schema on a real PostgreSQL, and can run again", async () => {
  const layout = clusterLayout(path.join(root, '.cluster', 'compose-schema-test'));
  rmSync(layout.dir, { recursive: true, force: true });
  const { postgres: port } = portsFrom(await freePortBase());
  const sql = await ensureGoBinary('sql', () => {});
  const schemaRoot = path.join(await serverModuleDir(), 'schema');
  // The image's names: temporal-sql-tool on PATH, the schema under /etc/temporal/schema.
  const bin = path.join(layout.dir, 'bin');
  mkdirSync(bin, { recursive: true });
  symlinkSync(sql, path.join(bin, 'temporal-sql-tool'));
  const service = compose.services.schema!;
  // Compose turns `$$` into `$` before the shell sees the script.
  const script = service.command![0]!.replaceAll('$$', '$').replaceAll('/etc/temporal/schema/', `${schemaRoot}/`);
  const env: Record<string, string> = { ...serviceEnv('schema'), SQL_HOST: '127.0.0.1', SQL_PORT: String(port), PATH: `${bin}:${process.env.PATH}` };
  await startPostgres(layout, port);
  try {
    env.SQL_PASSWORD = postgresPassword(layout);
    expect(service.entrypoint).toEqual(['/bin/sh', '-c']);
    await run('/bin/sh', ['-c', script], { env });
    await run('/bin/sh', ['-c', script], { env }); // a restarted stack runs it again
    for (const [database, kind] of [[SERVER_SETTINGS.databases.temporal, 'temporal'], [SERVER_SETTINGS.databases.visibility, 'visibility']] as const) {
      const latest = readdirSync(path.join(schemaRoot, 'postgresql', 'v12', kind, 'versioned'))
        .map((d) => d.replace(/^v/, ''))
        .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
        .at(-1);
      const { stdout } = await run(path.join(postgresBinDir(), 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', SERVER_SETTINGS.dbUser, '-d', database, '-tAc', 'select curr_version from schema_version'], {
        env: { ...process.env, PGPASSWORD: env.SQL_PASSWORD },
      });
      expect({ database, version: stdout.trim() }).toEqual({ database, version: latest });
    }
  } finally {
    await stopPostgres(layout);
    rmSync(layout.dir, { recursive: true, force: true });
  }
});

test("docs/deployment.md gives operators the cluster's versions, namespace, search attributes and settings", () => {
  const doc = readFileSync(path.join(root, 'docs', 'deployment.md'), 'utf8');
  expect(doc).toContain(`go.temporal.io/server/cmd/server@v${TEMPORAL_SERVER_VERSION}`);
  expect(doc).toContain(`go.temporal.io/server/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}`);
  expect(doc).toContain(`ui-server/v2/cmd/server@v${TEMPORAL_UI_VERSION}`);
  expect(doc).toContain(`temporal operator namespace create --namespace ${NAMESPACE} --retention ${NAMESPACE_RETENTION_DAYS}d`);
  const created = [...doc.matchAll(/search-attribute create --namespace (\S+) --name (\S+) --type (\S+)/g)].map(([, namespace, name, type]) => ({ namespace, name, type }));
  expect(created).toEqual(Object.entries(SEARCH_ATTRIBUTES).map(([name, type]) => ({ namespace: NAMESPACE, name, type })));
  expect(doc).toContain(`numHistoryShards: ${SERVER_SETTINGS.numHistoryShards} `);
  expect(doc).toContain(stringify(DYNAMIC_CONFIG).trim());
  for (const database of Object.values(SERVER_SETTINGS.databases)) expect(doc).toContain(`temporal-sql-tool --db ${database} create-database`);
});
