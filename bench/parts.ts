/**
 * The bench runs each part of the system in its own process, as a deployment does: the Temporal
 * dev server, the vendor sandboxes (`npm run sandbox`) and the worker (`npm run worker`), so the
 * CPU and memory each one uses can be read from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rateVariable, vendorEnvironment } from '../config/environment.js';
import { portVariable } from '../sandbox/config.js';
import { freePort } from '../scripts/dev-server.js';
import { sandboxVendorsConfig } from '../sandbox/worker-config.js';
import { VENDORS, type VendorName } from '../workflows/vendors.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLOCK_TICKS_PER_SECOND = 100;

export interface Part {
  pid: number;
  stop(): Promise<void>;
}

/** CPU time (user + system) a process has used so far, in ms. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** Resident memory, in bytes. */
export function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) * 1024;
}

/** Spawns `node --import tsx <script>` and resolves once `ready` (given its output so far) says so. */
async function spawnPart(script: string, env: NodeJS.ProcessEnv, ready: (output: string) => boolean | Promise<boolean>): Promise<Part & { output(): string }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 120_000;
  while (!(await ready(output))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${script} did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    pid: child.pid!,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface SandboxPart extends Part {
  urls: Record<VendorName, string>;
  adminUrls: Record<VendorName, string>;
  /** Adds latency to every call of every vendor (0 clears it). */
  setLatency(ms: number): Promise<void>;
  /** Each vendor's documented rate limit, or none. */
  setRateLimits(on: boolean): Promise<void>;
  /** How many requests each vendor refused with 429 since the last reset. */
  count429(): Promise<Record<VendorName, number>>;
  reset(): Promise<void>;
}

export async function startSandboxPart(): Promise<SandboxPart> {
  const ports = Object.fromEntries(await Promise.all(VENDORS.map(async (v) => [v, await freePort()]))) as Record<VendorName, number>;
  const env = {
    ...process.env,
    NODE_OPTIONS: '',
    SANDBOX_STATE_FILE: 'off',
    ...Object.fromEntries(VENDORS.map((v) => [portVariable(v), String(ports[v])])),
  };
  const part = await spawnPart('sandbox/main.ts', env, (output) => output.includes('Configurable through'));
  const urls = {} as Record<VendorName, string>;
  const adminUrls = {} as Record<VendorName, string>;
  for (const vendor of VENDORS) {
    const match = new RegExp(`(http://\\S+:${ports[vendor]}/\\S*)\\s+admin (\\S+)`).exec(part.output())!;
    [urls[vendor], adminUrls[vendor]] = [match[1]!, match[2]!];
  }
  const admin = async (vendor: VendorName, method: string, route: string, body?: unknown) => {
    const res = await fetch(`${adminUrls[vendor]}/${route}`, { method, ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
    if (!res.ok) throw new Error(`sandbox admin ${method} ${route}: ${res.status}`);
    return res.status === 204 ? undefined : res.json();
  };
  const everyVendor = (fn: (v: VendorName) => Promise<unknown>) => Promise.all(VENDORS.map(fn)).then(() => undefined);
  return {
    ...part,
    urls,
    adminUrls,
    setLatency: (ms) => everyVendor(async (v) => {
      await admin(v, 'DELETE', 'faults');
      if (ms > 0) await admin(v, 'POST', 'faults', { kind: 'latency', ms });
    }),
    setRateLimits: (on) => everyVendor((v) => admin(v, 'PUT', 'rate-limit', { enabled: on })),
    async count429() {
      const logs = (await Promise.all(VENDORS.map((v) => admin(v, 'GET', 'requests')))) as { status?: number }[][];
      return Object.fromEntries(VENDORS.map((v, i) => [v, logs[i]!.filter((r) => r.status === 429).length])) as Record<VendorName, number>;
    },
    reset: () => everyVendor((v) => admin(v, 'POST', 'reset')),
  };
}

export interface WorkerSettings {
  /** PAYLOAD_KEYS for the worker: the bench's client encrypts with the same key. */
  payloadKeys: string;
  /** Requests per second per vendor; undefined = the shipped defaults (the documented limits). */
  ratePerSecond?: number;
  maxCachedWorkflows?: number;
}

/** `npm run worker` against the sandboxes, configured only through its environment. */
export async function startWorkerPart(temporal: { address: string; namespace: string }, sandboxes: SandboxPart, settings: WorkerSettings): Promise<Part> {
  const healthBind = `127.0.0.1:${await freePort()}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
    // Logging as shipped (INFO, JSON lines off a terminal): its cost is part of what users get.
    WORKER_HEALTH_BIND: healthBind,
    PAYLOAD_KEYS: settings.payloadKeys,
    MALLOC_ARENA_MAX: '2', // as `npm run worker` runs it (docs/performance.md)
    ...vendorEnvironment(sandboxVendorsConfig(sandboxes.urls, 10_000)),
    ...(settings.ratePerSecond !== undefined && Object.fromEntries(VENDORS.map((v) => [rateVariable(v), String(settings.ratePerSecond)]))),
    ...(settings.maxCachedWorkflows !== undefined && { WORKER_MAX_CACHED_WORKFLOWS: String(settings.maxCachedWorkflows) }),
  };
  // Ready when its health endpoint says it polls every queue (workers/health.ts), whatever it logs.
  return spawnPart('workers/main.ts', env, () =>
    fetch(`http://${healthBind}/healthz`).then(
      (res) => res.ok,
      () => false,
    ),
  );
}
