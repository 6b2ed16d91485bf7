/**
 * No Docker engine runs on this project's machines, so docker-compose.yml is checked here against
 * the code it runs: the services exist, images are pinned, ports agree with the code's defaults,
 * and every service's environment passes the same validation the process does at start.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import got from 'got';
import { parse } from 'yaml';
import { loadConfig } from '../config/environment.js';
import { DEFAULT_PORTS, optionsFromEnv } from '../sandbox/config.js';
import { SANDBOX_CREDENTIALS } from '../sandbox/credentials.js';
import { startSandboxes } from '../sandbox/index.js';
import { VENDORS } from '../workflows/vendors.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  env_file?: string[];
}

const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const scripts = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;

function envFile(file: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(path.join(root, file), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/** What the process in a service sees: its env_file(s), then `environment` over them. */
function serviceEnv(name: string): Record<string, string> {
  const service = compose.services[name]!;
  return Object.assign({}, ...(service.env_file ?? []).map(envFile), service.environment ?? {});
}

test('every part of the system is a service', () => {
  expect(Object.keys(compose.services).sort()).toEqual(['gateway', 'postgresql', 'sandbox', 'setup', 'temporal', 'temporal-ui', 'worker']);
});

test('third-party images are pinned to the versions the dev server uses (server 1.29.1, UI 2.42.1)', () => {
  expect(compose.services.temporal!.image).toBe('temporalio/auto-setup:1.29.1');
  expect(compose.services['temporal-ui']!.image).toBe('temporalio/ui:2.42.1');
  expect(compose.services.postgresql!.image).toMatch(/^postgres:\d+\.\d+$/);
  expect(compose.services.temporal!.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
});

test('project services run npm scripts that exist', () => {
  for (const name of ['setup', 'sandbox', 'worker', 'gateway']) {
    const command = compose.services[name]!.command!;
    expect(command.slice(0, 2)).toEqual(['npm', 'run']);
    expect(Object.keys(scripts)).toContain(command[2]);
  }
});

test('ports agree with the code: Temporal 7233, UI 8233, sandboxes on their default ports', () => {
  expect(compose.services.temporal!.ports).toEqual(['7233:7233']);
  expect(compose.services['temporal-ui']!.ports).toEqual(['8233:8080']);
  expect(compose.services.sandbox!.ports).toEqual(VENDORS.map((v) => `${DEFAULT_PORTS[v]}:${DEFAULT_PORTS[v]}`));
  // Listening on every interface, or the other containers could not reach it.
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

test("the worker's environment passes the worker's own validation and reaches the sandbox with its credentials", () => {
  const env = serviceEnv('worker');
  const { temporal, vendors } = loadConfig(['temporal', 'vendors', 'worker'], env);
  expect(temporal).toMatchObject({ address: 'temporal:7233' });
  for (const vendor of VENDORS) {
    const url = new URL(vendors[vendor].baseUrl);
    expect({ vendor, host: url.hostname, port: Number(url.port) }).toEqual({ vendor, host: 'sandbox', port: DEFAULT_PORTS[vendor] });
  }
  expect(vendors.netbird.token).toBe(SANDBOX_CREDENTIALS.netbird.token);
  expect(vendors.meetbit).toMatchObject(SANDBOX_CREDENTIALS.meetbit);
  expect(vendors.meetergo).toMatchObject(SANDBOX_CREDENTIALS.meetergo);
  expect(vendors.partoo.apiKey).toBe(SANDBOX_CREDENTIALS.partoo.apiKey);
  expect(vendors.siit.token).toBe(SANDBOX_CREDENTIALS.siit.token);
});

test('examples/sandbox.env matches the sandboxes that `npm run sandbox` starts', () => {
  const { vendors } = loadConfig(['vendors'], envFile('examples/sandbox.env'));
  for (const vendor of VENDORS) expect(new URL(vendors[vendor].baseUrl).port).toBe(String(DEFAULT_PORTS[vendor]));
});

test('the gateway secret is never in the file: compose requires it from the environment', () => {
  expect(compose.services.gateway!.environment!.GATEWAY_HMAC_SECRET).toMatch(/^\$\{GATEWAY_HMAC_SECRET:\?/);
});
