/**
 * Vendor endpoints and credentials, read from the worker's environment (never from workflow
 * input: histories must hold no keys). Every bad or missing variable is reported at once, by
 * name, never with its value.
 */
import { z } from 'zod';
import type { VendorName } from '../workflows/vendors.js';

const DEFAULT_TIMEOUT_MS = 10_000;

const baseUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL including the vendor base path' })
  .transform((u) => u.replace(/\/+$/, ''));
const secret = z.string({ error: 'is required' }).trim().min(1, 'is required');
const timeoutMs = z.coerce
  .number({ error: 'must be a number of milliseconds' })
  .int('must be a whole number of milliseconds')
  .min(100, 'must be at least 100')
  .max(300_000, 'must be at most 300000')
  .default(DEFAULT_TIMEOUT_MS);

const EnvSchema = z.object({
  NETBIRD_BASE_URL: baseUrl,
  NETBIRD_TOKEN: secret,
  SIIT_BASE_URL: baseUrl,
  SIIT_TOKEN: secret,
  MEETBIT_BASE_URL: baseUrl,
  MEETBIT_ACCESS_KEY_ID: secret,
  MEETBIT_ACCESS_KEY_SECRET: secret,
  MEETERGO_BASE_URL: baseUrl,
  MEETERGO_API_KEY: secret,
  MEETERGO_ACTING_USER_ID: secret,
  PARTOO_BASE_URL: baseUrl,
  PARTOO_API_KEY: secret,
  VENDOR_HTTP_TIMEOUT_MS: timeoutMs,
});

/** What every vendor client needs besides its credentials. */
export interface VendorEndpoint {
  /** Includes the vendor's base path, no trailing slash, e.g. `https://api.siit.io/v1`. */
  baseUrl: string;
  timeoutMs: number;
}

export interface VendorsConfig extends Record<VendorName, VendorEndpoint> {
  netbird: VendorEndpoint & { token: string };
  siit: VendorEndpoint & { token: string };
  meetbit: VendorEndpoint & { accessKeyId: string; accessKeySecret: string };
  meetergo: VendorEndpoint & { apiKey: string; actingUserId: string };
  partoo: VendorEndpoint & { apiKey: string };
}

export function loadVendorConfig(env: NodeJS.ProcessEnv = process.env): VendorsConfig {
  // An empty variable counts as missing.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const name = String(i.path[0]);
      return `  ${name}: ${name in present ? i.message : 'is required'}`;
    });
    throw new Error(`Invalid vendor configuration in the environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const endpoint = (url: string): VendorEndpoint => ({ baseUrl: url, timeoutMs: e.VENDOR_HTTP_TIMEOUT_MS });
  return {
    netbird: { ...endpoint(e.NETBIRD_BASE_URL), token: e.NETBIRD_TOKEN },
    siit: { ...endpoint(e.SIIT_BASE_URL), token: e.SIIT_TOKEN },
    meetbit: { ...endpoint(e.MEETBIT_BASE_URL), accessKeyId: e.MEETBIT_ACCESS_KEY_ID, accessKeySecret: e.MEETBIT_ACCESS_KEY_SECRET },
    meetergo: { ...endpoint(e.MEETERGO_BASE_URL), apiKey: e.MEETERGO_API_KEY, actingUserId: e.MEETERGO_ACTING_USER_ID },
    partoo: { ...endpoint(e.PARTOO_BASE_URL), apiKey: e.PARTOO_API_KEY },
  };
}
