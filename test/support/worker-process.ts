/**
 * Runs `workers/main.ts` as its own process (what `npm run worker` runs), configured only
 * through its environment, so a test can SIGKILL it like a crashed host.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rateVariable, vendorEnvironment, type ServedVendors } from '../../config/environment.js';
import { VENDORS } from '../../workflows/vendors.js';
import { temporalEnv } from './temporal.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  /** The `message` of each log line (the worker logs JSON lines when its output is not a terminal). */
  messages(): string[];
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/**
 * Starts the worker process and resolves once it polls its task queues; rejects with its output
 * if it exits first. Only the vendors in `vendors` are configured (the others are off).
 * `overrides` changes its environment (undefined removes a variable).
 */
export async function spawnWorkerProcess(vendors: ServedVendors, timeoutMs = 90_000, overrides: Record<string, string | undefined> = {}): Promise<WorkerProcess> {
  const worker = spawnWorker(vendors, overrides);
  const deadline = Date.now() + timeoutMs;
  while (!worker.output().includes('Worker polling')) {
    if (worker.child.exitCode !== null || Date.now() > deadline) {
      worker.child.kill('SIGKILL');
      throw new Error(`worker process did not start:\n${worker.output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return worker;
}

/** Starts the worker process expecting it to refuse to start: resolves with its exit code and output. */
export async function failedWorkerStart(vendors: ServedVendors, overrides: Record<string, string | undefined> = {}, timeoutMs = 60_000): Promise<{ code: number | null; output: string }> {
  const worker = spawnWorker(vendors, overrides);
  const timer = setTimeout(() => worker.child.kill('SIGKILL'), timeoutMs);
  // 'close', not 'exit': the output is complete only once the pipes are.
  const code = await new Promise<number | null>((resolve) => worker.child.once('close', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, output: worker.output() };
}

function spawnWorker(vendors: ServedVendors, overrides: Record<string, string | undefined>): WorkerProcess {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...temporalEnv(), // address, namespace and, on the cluster, the mTLS files
    ...vendorEnvironment(vendors),
    ...Object.fromEntries(VENDORS.map((v) => [rateVariable(v), '1000'])),
    ...overrides,
  };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, messages: () => logMessages(output), exited };
}

function logMessages(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        const parsed = JSON.parse(line) as { message?: unknown };
        return typeof parsed.message === 'string' ? parsed.message : line;
      } catch {
        return line;
      }
    });
}
