import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../config/environment.js';

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
    expect(config.meetergo.actingUserId).toBe('00000000-0000-4000-8000-000000000001');
    expect(config.meetbit).toMatchObject({ accessKeyId: 'mb-id', accessKeySecret: 'mb-secret-value' });
    expect(loadVendorConfig({ ...validEnv, VENDOR_HTTP_TIMEOUT_MS: '2500' }).partoo.timeoutMs).toBe(2500);
  });

  it('lists every missing variable by name', () => {
    const message = errorOf({});
    for (const name of Object.keys(validEnv)) expect(message).toContain(`${name}: is required`);
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
});

describe('loadConfig', () => {
  it('defaults the Temporal settings and each vendor rate to its documented limit', () => {
    const { temporal, worker } = loadConfig(['temporal', 'worker'], {});
    expect(temporal).toEqual({ address: '127.0.0.1:7233', namespace: 'default' });
    expect(worker.ratePerSecond).toEqual({ netbird: 2, siit: 1, meetbit: 5, meetergo: 100 / 60, partoo: 5 });
  });

  it('reads only the sections asked for: a CLI needs no vendor credentials', () => {
    expect(() => loadConfig(['temporal'], { TEMPORAL_ADDRESS: 'temporal:7233' })).not.toThrow();
    expect(() => loadConfig(['temporal', 'vendors'], { TEMPORAL_ADDRESS: 'temporal:7233' })).toThrow(ConfigError);
  });

  it('reports every bad variable of every section at once, by name', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig(['temporal', 'gateway', 'worker'], { TEMPORAL_ADDRESS: 'no-port', GATEWAY_HMAC_SECRET: 'short-secret', SIIT_MAX_ACTIVITIES_PER_SECOND: '-1' });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems.map((p) => p.variable).sort()).toEqual(['GATEWAY_HMAC_SECRET', 'SIIT_MAX_ACTIVITIES_PER_SECOND', 'TEMPORAL_ADDRESS']);
    expect(error!.message).toMatch(/TEMPORAL_ADDRESS: must be host:port/);
    expect(error!.message).toMatch(/GATEWAY_HMAC_SECRET: must be at least 32 characters/);
    expect(error!.message).not.toContain('short-secret');
  });

  it('the gateway secret is required and never defaulted', () => {
    expect(() => loadConfig(['gateway'], {})).toThrow(/GATEWAY_HMAC_SECRET: is required/);
    expect(loadConfig(['gateway'], { GATEWAY_HMAC_SECRET: 'x'.repeat(32), GATEWAY_PORT: '9090' }).gateway).toEqual({ port: 9090, host: '127.0.0.1', hmacSecret: 'x'.repeat(32) });
  });
});
