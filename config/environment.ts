/**
 * The one configuration loader. Every process (worker, CLI, gateway, `npm start`, bench) reads
 * its settings from the environment here, by section, validated with zod. Every bad or missing
 * variable of the sections asked for is reported at once, by name, never with its value (some are
 * secrets). An empty variable counts as unset.
 */
import { z } from 'zod';
import { VENDORS, type VendorName } from '../workflows/vendors.js';
import { CodecServerSchema, readPayloadEncryption, type CodecServerConfig } from './payload-encryption.js';
import { readTemporalConfig } from './temporal-connection.js';

// ---- Temporal: read through the SDK's envconfig, as the `temporal` CLI reads it ----

export { workflowUiLink, type TemporalConfig } from './temporal-connection.js';

// ---- Payload encryption (every process) and the codec server: see payload-encryption.ts ----

export { describePayloadEncryption, type CodecServerConfig, type PayloadEncryptionConfig } from './payload-encryption.js';

// ---- Vendors: endpoints and credentials (the worker's only; never in workflow input) ----

/** Every vendor's variables: the config field each one fills. */
export const VENDOR_VARIABLES = {
  netbird: { baseUrl: 'NETBIRD_BASE_URL', token: 'NETBIRD_TOKEN' },
  siit: { baseUrl: 'SIIT_BASE_URL', token: 'SIIT_TOKEN' },
  meetbit: { baseUrl: 'MEETBIT_BASE_URL', accessKeyId: 'MEETBIT_ACCESS_KEY_ID', accessKeySecret: 'MEETBIT_ACCESS_KEY_SECRET' },
  meetergo: { baseUrl: 'MEETERGO_BASE_URL', apiKey: 'MEETERGO_API_KEY', actingUserId: 'MEETERGO_ACTING_USER_ID' },
  partoo: { baseUrl: 'PARTOO_BASE_URL', apiKey: 'PARTOO_API_KEY' },
} as const satisfies Record<VendorName, { baseUrl: string } & Record<string, string>>;

/** What every vendor client needs besides its credentials. */
export interface VendorEndpoint {
  /** Includes the vendor's base path, no trailing slash, e.g. `https://api.siit.io/v1`. */
  baseUrl: string;
  timeoutMs: number;
}

export type VendorsConfig = {
  [V in VendorName]: VendorEndpoint & { [F in Exclude<keyof (typeof VENDOR_VARIABLES)[V], 'baseUrl'>]: string };
};

const baseUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL including the vendor base path' })
  .transform((u) => u.replace(/\/+$/, ''));
const secret = z.string({ error: 'is required' }).trim().min(1, 'is required');
const VendorsSchema = z.object({
  ...Object.fromEntries(
    VENDORS.flatMap((vendor) => Object.entries(VENDOR_VARIABLES[vendor]).map(([field, name]) => [name, field === 'baseUrl' ? baseUrl : secret])),
  ),
  VENDOR_HTTP_TIMEOUT_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(100, 'must be at least 100')
    .max(300_000, 'must be at most 300000')
    .default(10_000),
});

// ---- Worker: how fast each vendor may be called ----

/**
 * Each vendor's documented rate limit, in requests per second. Enforced by the Temporal server on
 * the vendor's task queue (`maxTaskQueueActivitiesPerSecond`), so it holds across all workers.
 */
export const DOCUMENTED_RATE_PER_SECOND: Record<VendorName, number> = {
  netbird: 120 / 60, // 120/min per token
  siit: 60 / 60, // 60/min
  meetbit: 5, // 5/s per client (10/s per tenant)
  meetergo: 100 / 60, // 100/min per key
  partoo: 300 / 60, // 300/min per organisation
};

export function rateVariable(vendor: VendorName): string {
  return `${vendor.toUpperCase()}_MAX_ACTIVITIES_PER_SECOND`;
}

const WorkerSchema = z.object(
  Object.fromEntries(
    VENDORS.map((v) => [rateVariable(v), z.coerce.number({ error: 'must be a number' }).positive('must be above 0').default(DOCUMENTED_RATE_PER_SECOND[v])]),
  ),
);

export interface WorkerConfig {
  ratePerSecond: Record<VendorName, number>;
}

// ---- Gateway ----

const GatewaySchema = z.object({
  GATEWAY_PORT: z.coerce.number({ error: 'must be a port number' }).int().min(0).max(65535).default(8080),
  GATEWAY_HOST: z.string().min(1).default('127.0.0.1'),
  GATEWAY_HMAC_SECRET: z
    .string({ error: 'is required: the secret shared with the HR system (32+ characters, e.g. `openssl rand -hex 32`)' })
    .min(32, 'must be at least 32 characters (e.g. `openssl rand -hex 32`)'),
});

export interface GatewayConfig {
  port: number;
  host: string;
  hmacSecret: string;
}

// ---- The loader ----

type Problem = { variable: string; message: string };
type Present = Record<string, string>;

/** A section read with a zod schema: its problems are the schema's issues, by variable. */
function zodSection<S extends z.ZodType, T>(schema: S, build: (values: z.output<S>) => T) {
  return (present: Present): { config?: T; problems: Problem[] } => {
    const parsed = schema.safeParse(present);
    if (parsed.success) return { config: build(parsed.data), problems: [] };
    return {
      problems: parsed.error.issues.map((issue) => {
        const variable = String(issue.path[0]);
        // A custom rule about a missing variable says more than "is required": keep its words.
        return { variable, message: variable in present || issue.code === 'custom' ? issue.message : 'is required' };
      }),
    };
  };
}

const SECTIONS = {
  temporal: readTemporalConfig,
  vendors: zodSection(VendorsSchema, (v: Record<string, unknown>): VendorsConfig => {
    const timeoutMs = v.VENDOR_HTTP_TIMEOUT_MS as number;
    return Object.fromEntries(
      VENDORS.map((vendor) => [vendor, { timeoutMs, ...Object.fromEntries(Object.entries(VENDOR_VARIABLES[vendor]).map(([field, name]) => [field, v[name]])) }]),
    ) as VendorsConfig;
  }),
  worker: zodSection(
    WorkerSchema,
    (v: Record<string, unknown>): WorkerConfig => ({
      ratePerSecond: Object.fromEntries(VENDORS.map((vendor) => [vendor, v[rateVariable(vendor)]])) as Record<VendorName, number>,
    }),
  ),
  gateway: zodSection(GatewaySchema, (v): GatewayConfig => ({ port: v.GATEWAY_PORT, host: v.GATEWAY_HOST, hmacSecret: v.GATEWAY_HMAC_SECRET })),
  payloadEncryption: readPayloadEncryption,
  codecServer: zodSection(
    CodecServerSchema,
    (v): CodecServerConfig => ({ host: v.CODEC_SERVER_HOST, port: v.CODEC_SERVER_PORT, uiOrigins: v.CODEC_SERVER_UI_ORIGINS, ...(v.CODEC_SERVER_TOKEN && { token: v.CODEC_SERVER_TOKEN }) }),
  ),
};

export type SectionName = keyof typeof SECTIONS;
export type Config = { [S in SectionName]: NonNullable<ReturnType<(typeof SECTIONS)[S]>['config']> };

export class ConfigError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`Invalid configuration in the environment:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the sections asked for; throws one ConfigError naming every bad variable of them. */
export function loadConfig<S extends SectionName>(sections: readonly S[], env: NodeJS.ProcessEnv = process.env): Pick<Config, S> {
  const present = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1].trim() !== ''));
  const problems: Problem[] = [];
  const config: Partial<Config> = {};
  for (const name of sections) {
    const read = SECTIONS[name](present);
    problems.push(...read.problems);
    (config as Record<string, unknown>)[name] = read.config;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config as Pick<Config, S>;
}

/** The environment that configures `vendors` (for child processes and tests). */
export function vendorEnvironment(vendors: VendorsConfig): Record<string, string> {
  return Object.fromEntries(
    VENDORS.flatMap((vendor) =>
      Object.entries(VENDOR_VARIABLES[vendor]).map(([field, name]) => [name, (vendors[vendor] as unknown as Record<string, string>)[field]!]),
    ),
  );
}
