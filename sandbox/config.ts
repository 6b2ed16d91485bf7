/** Reads the sandbox process's configuration from the environment (see README.md). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { VENDORS, type VendorName } from '../workflows/vendors.js';
import { faultSchema, type LatencySpec } from './faults.js';
import type { SandboxOptions } from './index.js';
import { rateLimitSettingsSchema, type RateLimitSettings } from './rate-limit.js';
import { parseTenantOverride, type TenantOverrides } from './tenant.js';

/** Ports of `npm run sandbox`, in VENDORS order. */
export const DEFAULT_PORTS: Record<VendorName, number> = { netbird: 4101, siit: 4102, meetbit: 4103, meetergo: 4104, partoo: 4105 };

const CREDENTIAL_ENV = {
  netbird: { token: 'SANDBOX_NETBIRD_TOKEN' },
  siit: { token: 'SANDBOX_SIIT_TOKEN' },
  meetbit: { accessKeyId: 'SANDBOX_MEETBIT_ACCESS_KEY_ID', accessKeySecret: 'SANDBOX_MEETBIT_ACCESS_KEY_SECRET' },
  meetergo: { apiKey: 'SANDBOX_MEETERGO_API_KEY', actingUserId: 'SANDBOX_MEETERGO_ACTING_USER_ID' },
  partoo: { apiKey: 'SANDBOX_PARTOO_API_KEY' },
} as const;

/**
 * Where `npm run sandbox` and `npm start` keep the sandboxes' users between runs: under the
 * project's git-ignored `.sandbox-state/`. SANDBOX_STATE_FILE changes it, `off` turns it off.
 */
export const DEFAULT_STATE_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '.sandbox-state', 'sandboxes.json');

/** The variable `npm run sandbox` reads a vendor's port from. */
export function portVariable(vendor: VendorName): string {
  return `SANDBOX_${vendor.toUpperCase()}_PORT`;
}

/** The variable with a vendor's rate-limit settings (or `off`). */
function rateLimitVariable(vendor: VendorName): string {
  return `SANDBOX_${vendor.toUpperCase()}_RATE_LIMIT`;
}

/** The variable with JSON fields over a vendor's default tenant. */
function tenantVariable(vendor: VendorName): string {
  return `SANDBOX_${vendor.toUpperCase()}_TENANT`;
}

/** Every variable read, for the usage text. */
export const ENV_VARIABLES = [
  'SANDBOX_HOST',
  ...VENDORS.map(portVariable),
  ...Object.values(CREDENTIAL_ENV).flatMap((names) => Object.values(names)),
  ...VENDORS.map(tenantVariable),
  'SANDBOX_RATE_LIMITS',
  ...VENDORS.map(rateLimitVariable),
  'SANDBOX_LATENCY_MS',
  'SANDBOX_FAULTS',
  'SANDBOX_STATE_FILE',
];

type Env = Record<string, string | undefined>;

function port(value: string, name: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new Error(`${name} must be a port number (0 for a free one), got "${value}"`);
  return Number(value);
}

/** "off", or JSON settings such as {"limit":120,"windowMs":60000,"burst":1200}. */
function rateLimit(value: string, name: string): RateLimitSettings | false {
  if (value === 'off' || value === 'false') return false;
  const parsed = rateLimitSettingsSchema.safeParse(parseJson(value, name));
  if (!parsed.success) throw new Error(`${name}: ${parsed.error.message}`);
  return parsed.data;
}

/** "50" or "20-200". */
function latency(value: string): LatencySpec {
  const match = /^(\d+)(?:-(\d+))?$/.exec(value.trim());
  if (!match) throw new Error(`SANDBOX_LATENCY_MS must be "<ms>" or "<min>-<max>", got "${value}"`);
  return match[2] === undefined ? Number(match[1]) : [Number(match[1]), Number(match[2])];
}

function parseJson(value: string, name: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw new Error(`${name} is not valid JSON`);
  }
}

const faultsByVendor = z.partialRecord(z.enum(VENDORS), z.array(faultSchema));

/**
 * The sandboxes' options from `env`. `defaults.stateFile` is the state file used when
 * SANDBOX_STATE_FILE is not set (the processes pass DEFAULT_STATE_FILE; tests pass nothing).
 */
export function optionsFromEnv(env: Env, defaults: { stateFile?: string } = {}): SandboxOptions {
  const options: SandboxOptions = { ports: {}, credentials: {} };
  const tenants: TenantOverrides = {};
  const perVendorLimits: Partial<Record<VendorName, RateLimitSettings | false>> = {};
  for (const vendor of VENDORS) {
    const portName = portVariable(vendor);
    options.ports![vendor] = env[portName] === undefined ? DEFAULT_PORTS[vendor] : port(env[portName], portName);
    const given = Object.entries(CREDENTIAL_ENV[vendor]).filter(([, name]) => env[name] !== undefined);
    if (given.length > 0) Object.assign((options.credentials![vendor] ??= {} as never), Object.fromEntries(given.map(([key, name]) => [key, env[name]])));
    const limitName = rateLimitVariable(vendor);
    if (env[limitName] !== undefined) perVendorLimits[vendor] = rateLimit(env[limitName], limitName);
    const tenantName = tenantVariable(vendor);
    if (env[tenantName] !== undefined) Object.assign(tenants, { [vendor]: parseTenantOverride(vendor, parseJson(env[tenantName], tenantName), tenantName) });
  }
  if (Object.keys(tenants).length > 0) options.tenants = tenants;
  const stateFile = env.SANDBOX_STATE_FILE ?? defaults.stateFile;
  if (stateFile !== undefined && !['off', 'false', ''].includes(stateFile)) options.stateFile = stateFile;
  const allOff = ['off', 'false', '0'].includes(env.SANDBOX_RATE_LIMITS ?? '');
  options.rateLimits = allOff ? false : perVendorLimits;
  if (env.SANDBOX_LATENCY_MS) options.latencyMs = latency(env.SANDBOX_LATENCY_MS);
  if (env.SANDBOX_FAULTS) {
    const parsed = faultsByVendor.safeParse(parseJson(env.SANDBOX_FAULTS, 'SANDBOX_FAULTS'));
    if (!parsed.success) throw new Error(`SANDBOX_FAULTS: ${parsed.error.message}`);
    options.faults = parsed.data;
  }
  if (env.SANDBOX_HOST) options.host = env.SANDBOX_HOST;
  return options;
}
