/**
 * The vendor sandboxes as their own process (`npm run sandbox`), on fixed ports, so a test can
 * stop and start them like an operator stops and starts the demo.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { portVariable } from '../../sandbox/config.js';
import { freePort } from '../../scripts/dev-server.js';
import { VENDORS, type VendorName } from '../../workflows/vendors.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface SandboxProcess {
  urls: Record<VendorName, string>;
  adminUrls: Record<VendorName, string>;
  stop(): Promise<void>;
}

/** Free ports for the five vendors, to reuse across restarts. */
export async function sandboxPorts(): Promise<Record<VendorName, number>> {
  return Object.fromEntries(await Promise.all(VENDORS.map(async (v) => [v, await freePort()]))) as Record<VendorName, number>;
}

/** Starts `sandbox/main.ts` with rate limits off, resolving once it prints its URLs. */
export async function startSandboxProcess(ports: Record<VendorName, number>, extraEnv: Record<string, string> = {}): Promise<SandboxProcess> {
  const { NODE_OPTIONS: _jestOnly, ...env } = process.env;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'sandbox/main.ts'], {
    cwd: root,
    env: { ...env, SANDBOX_RATE_LIMITS: 'off', ...Object.fromEntries(VENDORS.map((v) => [portVariable(v), String(ports[v])])), ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  const urls: Partial<Record<VendorName, string>> = {};
  const adminUrls: Partial<Record<VendorName, string>> = {};
  while (Object.keys(urls).length < VENDORS.length) {
    for (const vendor of VENDORS) {
      const match = new RegExp(`(http://\\S+:${ports[vendor]}/\\S*)\\s+admin (\\S+)`).exec(output);
      if (match) [urls[vendor], adminUrls[vendor]] = [match[1]!, match[2]!];
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the sandbox process did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    urls: urls as Record<VendorName, string>,
    adminUrls: adminUrls as Record<VendorName, string>,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
