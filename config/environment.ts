/**
 * The one configuration loader. Every process (worker, CLI, gateway, `npm start`, bench) reads
 * its settings from the environment here, by section, validated with zod. Every bad or missing
 * variable of the sections asked for is reported at once, by name, never with its value (some are
 * secrets). An empty variable counts as unset.
 */
import { z } from 'zod';
import { VENDOR_LABELS, VENDORS, type VendorName } from '../workflows/vendors.js';
import { CodecServerSchema, readPayloadEncryption, type CodecServerConfig } from './payload-encryption.js';
import { readTemporalConfig } from './temporal-connection.js';

// ---- Temporal: read through the SDK's envconfig, as the `temporal` CLI reads it ----

export { connectProblem, grpcCode, workflowUiLink, type TemporalConfig } from './temporal-connection.js';

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
  /** This process's pace for the vendor's requests; absent = unpaced (tests against unlimited sandboxes). */
  requestsPerSecond?: number;
  /** Create-request fields not to send (`<VENDOR>_OMIT_FIELDS`): what the tenant does not let us set. */
  omitFields?: string[];
}

export type VendorsConfig = {
  [V in VendorName]: VendorEndpoint & { [F in Exclude<keyof (typeof VENDOR_VARIABLES)[V], 'baseUrl'>]: string };
};

/**
 * The vendors this deployment serves: a vendor is on when its variables are set, off when none of
 * them is (a deployment uses only the vendors it has accounts with). Some but not all is an error.
 */
export type ServedVendors = Partial<VendorsConfig>;

/** Every variable of one vendor, base URL first: for messages that say what turns it on. */
export function vendorVariables(vendor: VendorName): string[] {
  return Object.values(VENDOR_VARIABLES[vendor]);
}

const baseUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL including the vendor base path' })
  .transform((u) => u.replace(/\/+$/, ''));
const secret = z.string({ error: 'is required' }).trim().min(1, 'is required');
/** Create-request fields a tenant refuses to have set, e.g. SIIT_OMIT_FIELDS=job_title,employee_number. */
const omitFieldList = z
  .string()
  .regex(/^\s*[a-z_A-Z]+(\s*,\s*[a-z_A-Z]+)*\s*$/, 'must be field names separated by commas, e.g. job_title,employee_number')
  .transform((list) => list.split(',').map((f) => f.trim()))
  .optional();
/**
 * A vendor's own variables, its omitted fields included: a mistake there is that vendor's alone
 * and names its variable. Read only while the vendor is on: an off vendor's list configures nothing.
 */
const vendorSchema = (vendor: VendorName) =>
  z.object({
    ...Object.fromEntries(Object.entries(VENDOR_VARIABLES[vendor]).map(([field, name]) => [name, field === 'baseUrl' ? baseUrl : secret])),
    [omitVariable(vendor)]: omitFieldList,
  });
const HttpTimeoutSchema = z.object({
  VENDOR_HTTP_TIMEOUT_MS: z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(100, 'must be at least 100')
    .max(300_000, 'must be at most 300000')
    .default(10_000),
});

export function omitVariable(vendor: VendorName): string {
  return `${vendor.toUpperCase()}_OMIT_FIELDS`;
}

/** One vendor as the environment sets it up. */
export type VendorSetting<V extends VendorName = VendorName> =
  | { state: 'on'; config: VendorsConfig[V] }
  | { state: 'off' }
  | { state: 'invalid'; problems: Problem[] };

/**
 * Each vendor's setting, read on its own so that one vendor's mistake leaves the others readable
 * (`npm run onboard -- doctor` reports every vendor; the worker refuses to start on any problem).
 */
export function readVendorSettings(env: NodeJS.ProcessEnv): { settings: { [V in VendorName]: VendorSetting<V> }; problems: Problem[] } {
  const present = presentVariables(env);
  const timeout = HttpTimeoutSchema.safeParse(present);
  // Shared by every vendor: reported once overall, and with each vendor it leaves unusable.
  const timeoutProblems: Problem[] = timeout.success ? [] : timeout.error.issues.map((i) => ({ variable: String(i.path[0]), message: i.message }));
  const problems: Problem[] = [...timeoutProblems];
  const settings = Object.fromEntries(
    VENDORS.map((vendor): [VendorName, VendorSetting] => {
      const names = vendorVariables(vendor);
      const set = names.filter((name) => name in present);
      if (set.length === 0) return [vendor, { state: 'off' }];
      const parsed = vendorSchema(vendor).safeParse(present);
      if (!parsed.success) {
        const own = parsed.error.issues.map((issue) => {
          const variable = String(issue.path[0]);
          // Half a vendor is a mistake, not a choice: say both ways out.
          const message =
            variable in present ? issue.message : `is required: ${set.join(', ')} ${set.length > 1 ? 'are' : 'is'} set, so ${VENDOR_LABELS[vendor]} is on and needs all of ${names.join(', ')} (unset them all to turn ${VENDOR_LABELS[vendor]} off)`;
          return { variable, message };
        });
        problems.push(...own);
        return [vendor, { state: 'invalid', problems: own }];
      }
      if (!timeout.success) return [vendor, { state: 'invalid', problems: timeoutProblems }];
      const values = parsed.data as Record<string, string>;
      const omitFields = (parsed.data as Record<string, unknown>)[omitVariable(vendor)] as string[] | undefined;
      const config = {
        timeoutMs: timeout.data.VENDOR_HTTP_TIMEOUT_MS,
        ...Object.fromEntries(Object.entries(VENDOR_VARIABLES[vendor]).map(([field, name]) => [field, values[name]])),
        ...(omitFields && { omitFields }),
      };
      return [vendor, { state: 'on', config: config as VendorsConfig[typeof vendor] }];
    }),
  ) as { [V in VendorName]: VendorSetting<V> };
  return { settings, problems };
}

// ---- Worker: how fast each vendor may be called ----

/**
 * Each vendor's documented rate limit, in requests per second. Enforced twice (docs/performance.md):
 * by the Temporal server on the vendor's task queue (`maxTaskQueueActivitiesPerSecond`, across all
 * workers, counting activity attempts), and in each worker process on the requests themselves
 * (activities/request-gate.ts, which also holds them all back after a 429).
 */
export const DOCUMENTED_RATE_PER_SECOND: Record<VendorName, number> = {
  netbird: 120 / 60, // 120/min per token
  siit: 60 / 60, // 60/min
  meetbit: 5, // 5/s per client (10/s per tenant)
  meetergo: 100 / 60, // 100/min per key
  partoo: 300 / 60, // 300/min per organisation
};

/**
 * The shipped pace: 95% of the documented limit. Our clock and the vendor's never agree to the
 * millisecond, and a request that arrives a hair early is refused (MeetBit then lengthens the
 * wait); the 5% margin turned a wave's dozens of 429s into a few (docs/performance.md).
 */
export const DEFAULT_RATE_SHARE = 0.95;

export function rateVariable(vendor: VendorName): string {
  return `${vendor.toUpperCase()}_MAX_REQUESTS_PER_SECOND`;
}

/**
 * Onboardings the workflow worker keeps in memory between steps. Each waiting one costs a few
 * hundred kB of resident memory (bench/, README). An evicted one is replayed when it next moves.
 */
const DEFAULT_MAX_CACHED_WORKFLOWS = 5_000;

/** An IP address and port: the SDK's Prometheus exporter binds a socket address and takes no host names. */
const bindAddress = z
  .string()
  .regex(/^(\d{1,3}(\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\]):([1-9]\d{0,4})$/, 'must be an IP address and port, e.g. 127.0.0.1:9464 or 0.0.0.0:9464');

const WorkerSchema = z.object({
  ...Object.fromEntries(
    VENDORS.map((v) => [rateVariable(v), z.coerce.number({ error: 'must be a number' }).positive('must be above 0').default(DOCUMENTED_RATE_PER_SECOND[v] * DEFAULT_RATE_SHARE)]),
  ),
  /** Provisioning rules (YAML or JSON): HR fields to each vendor's settings; none when unset. */
  ONBOARDING_RULES_FILE: z.string().min(1).optional(),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must be 0 or more').default(DEFAULT_MAX_CACHED_WORKFLOWS),
  TEMPORAL_METRICS_BIND: bindAddress.optional(),
  WORKER_HEALTH_BIND: bindAddress.optional(),
  // A running vendor call makes up to three requests of VENDOR_HTTP_TIMEOUT_MS (10 s) each: the
  // default lets it finish before the worker stops, inside Kubernetes' default 30 s of grace.
  WORKER_SHUTDOWN_GRACE_MS: z.coerce.number({ error: 'must be a number of milliseconds' }).int('must be a whole number of milliseconds').min(0).max(3_600_000).default(25_000),
});

export interface WorkerConfig {
  ratePerSecond: Record<VendorName, number>;
  maxCachedWorkflows: number;
  rulesFile?: string;
  /** Where the SDK serves Prometheus metrics (`/metrics`); none when unset. */
  metricsBind?: string;
  /** Where the worker answers `GET /healthz`; none when unset. */
  healthBind?: string;
  /** How long a stopping worker lets running activities finish before it cancels them. */
  shutdownGraceMs: number;
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

export type Problem = { variable: string; message: string };
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
  vendors: (present: Present): { config?: ServedVendors; problems: Problem[] } => {
    const { settings, problems } = readVendorSettings(present);
    const served = Object.fromEntries(Object.entries(settings).flatMap(([vendor, s]) => (s.state === 'on' ? [[vendor, s.config]] : [])));
    return { config: served as ServedVendors, problems };
  },
  worker: zodSection(
    WorkerSchema,
    (v: Record<string, unknown>): WorkerConfig => ({
      ratePerSecond: Object.fromEntries(VENDORS.map((vendor) => [vendor, v[rateVariable(vendor)]])) as Record<VendorName, number>,
      maxCachedWorkflows: v.WORKER_MAX_CACHED_WORKFLOWS as number,
      ...(v.ONBOARDING_RULES_FILE !== undefined && { rulesFile: v.ONBOARDING_RULES_FILE as string }),
      ...(typeof v.TEMPORAL_METRICS_BIND === 'string' && { metricsBind: v.TEMPORAL_METRICS_BIND }),
      ...(typeof v.WORKER_HEALTH_BIND === 'string' && { healthBind: v.WORKER_HEALTH_BIND }),
      shutdownGraceMs: v.WORKER_SHUTDOWN_GRACE_MS as number,
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
  const present = presentVariables(env);
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

/** The variables that are set: an empty one counts as unset. */
function presentVariables(env: NodeJS.ProcessEnv): Present {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1].trim() !== ''));
}

/** The environment that configures `vendors`, and only them (for child processes and tests). */
export function vendorEnvironment(vendors: ServedVendors): Record<string, string> {
  return Object.fromEntries(
    VENDORS.flatMap((vendor) =>
      Object.entries(VENDOR_VARIABLES[vendor]).flatMap(([field, name]) => {
        const config = vendors[vendor] as unknown as Record<string, string> | undefined;
        return config ? [[name, config[field]!]] : [];
      }),
    ),
  );
}
