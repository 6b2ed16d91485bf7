/**
 * Local simulators of the five vendors' user APIs, one HTTP port each, every one under the
 * vendor's real base path: a client switches between sandbox and vendor by base URL alone.
 */
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { VENDOR_LABELS, VENDORS, type VendorName } from '../workflows/vendors.js';
import { portVariable } from './config.js';
import { SANDBOX_CREDENTIALS, type SandboxCredentials } from './credentials.js';
import type { Fault, LatencySpec } from './faults.js';
import type { RateLimitSettings } from './rate-limit.js';
import type { VendorSandbox } from './controls.js';
import { ADMIN_PREFIX, createVendorServer, type VendorServer } from './server.js';
import { loadState, StateWriter } from './state-file.js';
import { resolveTenant, type SandboxTenants, type TenantOverrides } from './tenant.js';
import type { VendorDefinition } from './vendor.js';
import { meetbit } from './vendors/meetbit.js';
import { meetergo } from './vendors/meetergo.js';
import { netbird } from './vendors/netbird.js';
import { partoo } from './vendors/partoo.js';
import { siit } from './vendors/siit.js';

export { SANDBOX_CREDENTIALS } from './credentials.js';
export { DEFAULT_TENANTS } from './tenant.js';
export type { SandboxTenants, TenantOverrides } from './tenant.js';
export type { Fault } from './faults.js';
export type { RateLimitSettings } from './rate-limit.js';
export type { LoggedRequest } from './request-log.js';
export type { VendorSandbox } from './controls.js';
export type { SandboxUser } from './store.js';

export interface SandboxOptions {
  /** Address to listen on; default 127.0.0.1. 0.0.0.0 in a container (docker-compose). */
  host?: string;
  /** Default 0: a free port. */
  ports?: Partial<Record<VendorName, number>>;
  /** Per vendor, merged over SANDBOX_CREDENTIALS. */
  credentials?: Partial<SandboxCredentials>;
  /** Per vendor, fields replacing those of DEFAULT_TENANTS (see tenant.ts). */
  tenants?: TenantOverrides;
  /** Default true: each vendor's documented limit. false turns limiting off. */
  rateLimits?: boolean | Partial<Record<VendorName, RateLimitSettings | false>>;
  /** Latency added to every vendor's every request, fixed or a random [min, max]. */
  latencyMs?: LatencySpec;
  /** Faults installed at start (and again on reset). */
  faults?: Partial<Record<VendorName, Fault[]>>;
  /** The sandboxes' clock in ms (timestamps, rate limits, Partoo's invite interval); default Date.now. */
  now?: () => number;
  /**
   * A JSON file keeping every vendor's users and id counters across restarts: read at start
   * (absent = empty sandboxes), rewritten after each change. Default: none (memory only).
   */
  stateFile?: string;
}

export interface Sandboxes {
  /** Full base URLs, e.g. http://127.0.0.1:4101/api (no trailing slash). */
  urls: Record<VendorName, string>;
  /** e.g. http://127.0.0.1:4101/_sandbox */
  adminUrls: Record<VendorName, string>;
  /** The controls. */
  vendors: { [V in VendorName]: VendorSandbox<SandboxTenants[V]> };
  /** Where the state is kept, when a state file was given. */
  stateFile?: string;
  stop(): Promise<void>;
}

// Each definition is typed by its own credentials, user body and tenant; only createVendorServer,
// which keeps them together, needs to know them.
const DEFINITIONS: { [V in VendorName]: VendorDefinition<SandboxCredentials[V], never, SandboxTenants[V]> } = { netbird, siit, meetbit, meetergo, partoo };

const LOOPBACK = '127.0.0.1';

function rateLimitFor(vendor: VendorName, documented: RateLimitSettings, option: SandboxOptions['rateLimits']): RateLimitSettings | false {
  if (option === undefined || option === true) return documented;
  if (option === false) return false;
  return option[vendor] ?? documented;
}

/** A listen failure worded for the person who has to fix it: which vendor, which port, which variable. */
function listenError(vendor: VendorName, host: string, port: number, error: NodeJS.ErrnoException): Error {
  const where = `${host}:${port}`;
  const fix = `set ${portVariable(vendor)} to a free port (0 picks one), or stop whatever holds ${where}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return new Error(`The ${VENDOR_LABELS[vendor]} sandbox cannot listen on ${where}: the port is already in use; ${fix}.`, { cause: error });
    case 'EACCES':
      return new Error(`The ${VENDOR_LABELS[vendor]} sandbox may not listen on ${where} (permission denied); ${fix}.`, { cause: error });
    case 'EADDRNOTAVAIL':
      return new Error(`The ${VENDOR_LABELS[vendor]} sandbox cannot listen on ${where}: no such address here; check SANDBOX_HOST.`, { cause: error });
    default:
      return error;
  }
}

interface Running {
  vendor: VendorName;
  server: VendorServer<unknown>;
  port: number;
}

export async function startSandboxes(options: SandboxOptions = {}): Promise<Sandboxes> {
  const now = options.now ?? Date.now;
  const host = options.host ?? LOOPBACK;
  // URLs name an address a client can dial: a wildcard bind is reached through loopback.
  const urlHost = host === '0.0.0.0' ? LOOPBACK : host;
  const stateFile = options.stateFile === undefined ? undefined : path.resolve(options.stateFile);
  const saved = stateFile === undefined ? {} : loadState(stateFile);
  const running: Running[] = [];
  const writer = stateFile === undefined ? undefined : new StateWriter(stateFile, () => Object.fromEntries(running.map((r) => [r.vendor, r.server.exportState()])));

  try {
    for (const vendor of VENDORS) {
      const def = DEFINITIONS[vendor] as VendorDefinition<SandboxCredentials[typeof vendor], never, SandboxTenants[typeof vendor]>;
      const credentials = { ...SANDBOX_CREDENTIALS[vendor], ...options.credentials?.[vendor] } as SandboxCredentials[typeof vendor];
      const startFaults: Fault[] = [...(options.latencyMs === undefined ? [] : [{ kind: 'latency' as const, ms: options.latencyMs }]), ...(options.faults?.[vendor] ?? [])];
      const server = createVendorServer(def, {
        credentials,
        tenant: resolveTenant(vendor, options.tenants?.[vendor] as Partial<SandboxTenants[typeof vendor]> | undefined, credentials),
        rateLimit: rateLimitFor(vendor, def.rateLimit.documented, options.rateLimits),
        startFaults,
        now,
        state: saved[vendor],
        onChange: () => writer?.changed(),
      });
      const port = options.ports?.[vendor] ?? 0;
      try {
        await server.app.listen({ host, port });
      } catch (error) {
        await server.app.close();
        throw listenError(vendor, host, port, error as NodeJS.ErrnoException);
      }
      running.push({ vendor, server: server as VendorServer<unknown>, port: (server.app.server.address() as AddressInfo).port });
    }
  } catch (error) {
    await Promise.all(running.map((r) => r.server.app.close()));
    throw error;
  }

  const record = <T>(pick: (r: Running) => T) => Object.fromEntries(running.map((r) => [r.vendor, pick(r)])) as Record<VendorName, T>;
  return {
    urls: record((r) => `http://${urlHost}:${r.port}${DEFINITIONS[r.vendor].basePath}`),
    adminUrls: record((r) => `http://${urlHost}:${r.port}${ADMIN_PREFIX}`),
    vendors: record((r) => r.server.sandbox) as Sandboxes['vendors'],
    ...(stateFile === undefined ? {} : { stateFile }),
    async stop() {
      await Promise.all(running.map((r) => r.server.app.close()));
      writer?.flush();
    },
  };
}
