import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { createVendorActivities } from '../activities/index.js';
import { ConfigError, loadConfig, readVendorSettings } from '../config/environment.js';

const loadVendorConfig = (env: NodeJS.ProcessEnv) => loadConfig(['vendors'], env).vendors;

const validEnv = {
  NETBIRD_BASE_URL: 'https://api.netbird.io/api',
  NETBIRD_TOKEN: 'nbp_secret_token_value',
  SIIT_BASE_URL: 'https://api.siit.io/v1/',
  SIIT_TOKEN: 'siit-secret-token',
  MEETBIT_BASE_URL: 'https://tenant.example.com/api/public/v2.0',
  MEETBIT_ACCESS_KEY_ID: 'mb-id',
  MEETBIT_ACCESS_KEY_SECRET: 'mb-secret-value',
  MEETERGO_BASE_URL: 'https://api.meetergo.com/v4',
  MEETERGO_API_KEY: 'ak_live:1234:secret-value',
  MEETERGO_ACTING_USER_ID: '00000000-0000-4000-8000-000000000001',
  PARTOO_BASE_URL: 'https://api.partoo.co/v2',
  PARTOO_API_KEY: 'partoo-secret-value',
};

function errorOf(env: NodeJS.ProcessEnv): string {
  try {
    loadVendorConfig(env);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected loadVendorConfig to throw');
}

describe('loadVendorConfig', () => {
  it('reads every vendor, strips trailing slashes and defaults the timeout', () => {
    const config = loadVendorConfig(validEnv);
    expect(config.siit).toEqual({ baseUrl: 'https://api.siit.io/v1', timeoutMs: 10_000, token: 'siit-secret-token' });
    expect(config.meetergo!.actingUserId).toBe('00000000-0000-4000-8000-000000000001');
    expect(config.meetbit).toMatchObject({ accessKeyId: 'mb-id', accessKeySecret: 'mb-secret-value' });
    expect(loadVendorConfig({ ...validEnv, VENDOR_HTTP_TIMEOUT_MS: '2500' }).partoo!.timeoutMs).toBe(2500);
  });

  it('a vendor whose variables are all absent (or empty) is off: only the vendors you use', () => {
    const { MEETBIT_BASE_URL, MEETBIT_ACCESS_KEY_ID, MEETBIT_ACCESS_KEY_SECRET, PARTOO_BASE_URL, PARTOO_API_KEY, ...rest } = validEnv;
    const config = loadVendorConfig({ ...rest, PARTOO_API_KEY: '' });
    expect(Object.keys(config).sort()).toEqual(['meetergo', 'netbird', 'siit']);
    expect(loadVendorConfig({})).toEqual({});
  });

  it('a vendor with some but not all of its variables set names each missing one and both ways out', () => {
    const { NETBIRD_TOKEN, MEETERGO_API_KEY, MEETERGO_ACTING_USER_ID, ...rest } = validEnv;
    let error: ConfigError | undefined;
    try {
      loadVendorConfig(rest);
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems.map((p) => p.variable).sort()).toEqual(['MEETERGO_ACTING_USER_ID', 'MEETERGO_API_KEY', 'NETBIRD_TOKEN']);
    expect(error!.message).toContain(
      'NETBIRD_TOKEN: is required: NETBIRD_BASE_URL is set, so NetBird is on and needs all of NETBIRD_BASE_URL, NETBIRD_TOKEN (unset them all to turn NetBird off)',
    );
    expect(error!.message).toContain('MEETERGO_API_KEY: is required: MEETERGO_BASE_URL is set, so meetergo is on');
  });

  it('names bad values without echoing them, and counts empty as missing', () => {
    const message = errorOf({ ...validEnv, SIIT_BASE_URL: 'ftp://siit', PARTOO_API_KEY: '  ', VENDOR_HTTP_TIMEOUT_MS: 'soon', MEETERGO_BASE_URL: 'not a url' });
    expect(message).toMatch(/SIIT_BASE_URL: must be an http\(s\) URL/);
    expect(message).toMatch(/MEETERGO_BASE_URL: must be an http\(s\) URL/);
    expect(message).toContain('PARTOO_API_KEY: is required');
    expect(message).toMatch(/VENDOR_HTTP_TIMEOUT_MS: must be/);
    expect(message).not.toContain('ftp://siit');
    for (const secret of ['nbp_secret_token_value', 'siit-secret-token', 'mb-secret-value', 'secret-value']) expect(message).not.toContain(secret);
  });

  it("<VENDOR>_OMIT_FIELDS is that vendor's own: a bad SIIT_OMIT_FIELDS is named and leaves the other vendors valid", () => {
    expect(loadVendorConfig({ ...validEnv, SIIT_OMIT_FIELDS: ' job_title , employee_number' }).siit!.omitFields).toEqual(['job_title', 'employee_number']);

    const { settings, problems } = readVendorSettings({ ...validEnv, SIIT_OMIT_FIELDS: 'job title; employee number' });
    const siitProblem = { variable: 'SIIT_OMIT_FIELDS', message: expect.stringMatching(/^must be field names separated by commas/) };
    expect(problems).toEqual([siitProblem]);
    expect(settings.siit).toEqual({ state: 'invalid', problems: [siitProblem] });
    for (const vendor of ['netbird', 'meetbit', 'meetergo', 'partoo'] as const) expect({ vendor, state: settings[vendor].state }).toEqual({ vendor, state: 'on' });
    expect(errorOf({ ...validEnv, SIIT_OMIT_FIELDS: 'job title' })).toMatch(/^Invalid configuration in the environment:\n {2}SIIT_OMIT_FIELDS: must be field names/);
  });

  it('a field the vendor requires, or one it does not have, in <VENDOR>_OMIT_FIELDS is a ConfigError naming the variable', () => {
    const vendors = loadVendorConfig({ ...validEnv, SIIT_OMIT_FIELDS: 'email,no_such_field', PARTOO_OMIT_FIELDS: 'lang' });
    let error: unknown;
    try {
      createVendorActivities(vendors);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      { variable: 'SIIT_OMIT_FIELDS', message: "email is required by Siit's create contract and cannot be left out" },
      { variable: 'SIIT_OMIT_FIELDS', message: expect.stringMatching(/^no_such_field is not a field of the Siit create request \(email, first_name, /) },
    ]);
  });
});

describe('loadConfig', () => {
  it('defaults the Temporal settings and each vendor rate to its documented limit', () => {
    const { temporal, worker } = loadConfig(['temporal', 'worker'], {});
    expect(temporal).toEqual({ address: '127.0.0.1:7233', namespace: 'default', tls: false, connectionOptions: { address: '127.0.0.1:7233' }, uiUrl: 'http://127.0.0.1:8233' });
    // 95% of each documented limit: a margin for clocks that never agree to the millisecond.
    expect(worker.ratePerSecond).toEqual({ netbird: 2 * 0.95, siit: 0.95, meetbit: 5 * 0.95, meetergo: (100 / 60) * 0.95, partoo: 5 * 0.95 });
  });

  it('reads only the sections asked for: a CLI needs no vendor credentials', () => {
    expect(() => loadConfig(['temporal'], { TEMPORAL_ADDRESS: 'temporal:7233', NETBIRD_BASE_URL: 'https://api.netbird.io/api' })).not.toThrow();
    expect(() => loadConfig(['temporal', 'vendors'], { TEMPORAL_ADDRESS: 'temporal:7233', NETBIRD_BASE_URL: 'https://api.netbird.io/api' })).toThrow(ConfigError);
  });

  it('worker operations: metrics and health addresses, shutdown grace', () => {
    expect(loadConfig(['worker'], {}).worker).toMatchObject({ shutdownGraceMs: 25_000 });
    expect(loadConfig(['worker'], {}).worker.metricsBind).toBeUndefined();
    expect(loadConfig(['worker'], { TEMPORAL_METRICS_BIND: '0.0.0.0:9464', WORKER_HEALTH_BIND: '127.0.0.1:8081', WORKER_SHUTDOWN_GRACE_MS: '5000' }).worker).toMatchObject({
      metricsBind: '0.0.0.0:9464',
      healthBind: '127.0.0.1:8081',
      shutdownGraceMs: 5000,
    });
    expect(() => loadConfig(['worker'], { TEMPORAL_METRICS_BIND: 'localhost:9464', WORKER_HEALTH_BIND: '8081' })).toThrow(
      /TEMPORAL_METRICS_BIND: must be an IP address and port[^\n]*\n\s+WORKER_HEALTH_BIND: must be an IP address and port/,
    );
  });

  it('reports every bad variable of every section at once, by name', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig(['temporal', 'gateway', 'worker'], { TEMPORAL_ADDRESS: 'no-port', GATEWAY_HMAC_SECRET: 'short-secret', SIIT_MAX_REQUESTS_PER_SECOND: '-1' });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems.map((p) => p.variable).sort()).toEqual(['GATEWAY_HMAC_SECRET', 'SIIT_MAX_REQUESTS_PER_SECOND', 'TEMPORAL_ADDRESS']);
    expect(error!.message).toMatch(/TEMPORAL_ADDRESS: must be host:port/);
    expect(error!.message).toMatch(/GATEWAY_HMAC_SECRET: must be at least 32 characters/);
    expect(error!.message).not.toContain('short-secret');
  });

  it('the gateway secret is required and never defaulted', () => {
    expect(() => loadConfig(['gateway'], {})).toThrow(/GATEWAY_HMAC_SECRET: is required/);
    expect(loadConfig(['gateway'], { GATEWAY_HMAC_SECRET: 'x'.repeat(32), GATEWAY_PORT: '9090' }).gateway).toEqual({ port: 9090, host: '127.0.0.1', hmacSecret: 'x'.repeat(32) });
  });
});

describe('Temporal connection settings (envconfig: the variables and temporal.toml the temporal CLI reads)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'config-test-'));
  const file = (name: string, content: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  // Only the markers matter to the checks; the TLS library reads the real thing.
  const cert = file('client.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  const key = file('client.key', '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n');
  const ca = file('ca.pem', '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n');
  const notPem = file('notes.txt', 'hello');
  const temporal = (env: NodeJS.ProcessEnv) => loadConfig(['temporal'], env).temporal;
  const problemsOf = (env: NodeJS.ProcessEnv) => {
    try {
      loadConfig(['temporal'], env);
    } catch (err) {
      return (err as ConfigError).problems;
    }
    throw new Error('expected a ConfigError');
  };

  it('mTLS from the environment: CA, client pair, server name', () => {
    const config = temporal({ TEMPORAL_ADDRESS: 'temporal.example.com:7233', TEMPORAL_TLS_SERVER_CA_CERT_PATH: ca, TEMPORAL_TLS_CLIENT_CERT_PATH: cert, TEMPORAL_TLS_CLIENT_KEY_PATH: key, TEMPORAL_TLS_SERVER_NAME: 'frontend' });
    expect(config.tls).toBe(true);
    const tls = config.connectionOptions.tls as { serverNameOverride?: string; clientCertPair?: { crt: Uint8Array } };
    expect(tls.serverNameOverride).toBe('frontend');
    expect(Buffer.from(tls.clientCertPair!.crt).toString()).toContain('BEGIN CERTIFICATE');
  });

  it('an API key alone turns TLS on (Temporal Cloud)', () => {
    const config = temporal({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'ns.acct', TEMPORAL_API_KEY: 'key-from-env' });
    expect(config).toMatchObject({ tls: true, namespace: 'ns.acct', connectionOptions: { apiKey: 'key-from-env', tls: true } });
  });

  it('a missing or non-PEM certificate names the variable and the path, before any connection', () => {
    const missing = path.join(dir, 'nope.pem');
    expect(problemsOf({ TEMPORAL_TLS_CLIENT_CERT_PATH: missing, TEMPORAL_TLS_CLIENT_KEY_PATH: notPem })).toEqual([
      { variable: 'TEMPORAL_TLS_CLIENT_CERT_PATH', message: `no such file: ${missing}` },
      { variable: 'TEMPORAL_TLS_CLIENT_KEY_PATH', message: `${notPem} is not a PEM private key` },
    ]);
  });

  it('a client certificate without its key is refused', () => {
    expect(problemsOf({ TEMPORAL_TLS_CLIENT_CERT_PATH: cert })).toEqual([{ variable: 'TEMPORAL_TLS_CLIENT_KEY_PATH', message: expect.stringMatching(/mTLS needs both/) }]);
  });

  it('a temporal.toml profile, picked by TEMPORAL_PROFILE, with the environment over it; its bad paths name the profile key', () => {
    const toml = file('temporal.toml', `[profile.prod]\naddress = "prod.example.com:7233"\nnamespace = "onboarding"\n[profile.prod.tls]\nserver_ca_cert_path = "${ca}"\n\n[profile.broken.tls]\nclient_cert_path = "${notPem}"\nclient_key_path = "${key}"\n`);
    expect(temporal({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'prod' })).toMatchObject({ address: 'prod.example.com:7233', namespace: 'onboarding', tls: true });
    expect(temporal({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'prod', TEMPORAL_NAMESPACE: 'other' }).namespace).toBe('other');
    expect(problemsOf({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'broken' })).toEqual([
      { variable: 'tls.client_cert_path (profile broken)', message: `${notPem} is not a PEM certificate` },
    ]);
    expect(problemsOf({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'staging' })).toEqual([{ variable: 'TEMPORAL_PROFILE', message: expect.stringMatching(/staging/) }]);
    expect(problemsOf({ TEMPORAL_CONFIG_FILE: path.join(dir, 'missing.toml') })).toEqual([{ variable: 'TEMPORAL_CONFIG_FILE', message: expect.stringMatching(/no such file/) }]);
  });
});
