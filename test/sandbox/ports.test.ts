/**
 * A port already taken: the error names the vendor, the port and the variable to change, both
 * from startSandboxes and from `npm run sandbox` as a real process; nothing is left listening.
 */
import { afterEach, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { portVariable } from '../../sandbox/config.js';
import { startSandboxes } from '../../sandbox/index.js';
import { portFree } from '../../scripts/cluster/free-ports.js';
import { freePort } from '../../scripts/dev-server.js';
import { VENDORS } from '../../workflows/vendors.js';
import { repoRoot } from './openapi.js';

const held: Server[] = [];
afterEach(async () => {
  await Promise.all(held.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A port something else listens on, as another program would hold it. */
async function takenPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  held.push(server);
  return (server.address() as { port: number }).port;
}

test('startSandboxes names the vendor, the port and SANDBOX_<VENDOR>_PORT, and closes the sandboxes it had started', async () => {
  const busy = await takenPort();
  const [netbird, siit] = [await freePort(), await freePort()];
  const started = startSandboxes({ rateLimits: false, ports: { netbird, siit, meetbit: busy } });
  await expect(started).rejects.toThrow(
    `The MeetBit sandbox cannot listen on 127.0.0.1:${busy}: the port is already in use; set SANDBOX_MEETBIT_PORT to a free port (0 picks one), or stop whatever holds 127.0.0.1:${busy}.`,
  );
  // NetBird and Siit had started before MeetBit failed: they are closed again.
  expect([await portFree(netbird), await portFree(siit)]).toEqual([true, true]);
});

test('npm run sandbox exits 1 with that message, no stack trace', async () => {
  const busy = await takenPort();
  const env: NodeJS.ProcessEnv = { ...process.env, SANDBOX_STATE_FILE: 'off', SANDBOX_PARTOO_PORT: String(busy) };
  delete env.NODE_OPTIONS;
  for (const vendor of VENDORS) if (vendor !== 'partoo') env[portVariable(vendor)] = '0';
  const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/main.ts'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdout.resume();
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect({ code, stderr: stderr.trim() }).toEqual({
    code: 1,
    stderr: `The Partoo sandbox cannot listen on 127.0.0.1:${busy}: the port is already in use; set SANDBOX_PARTOO_PORT to a free port (0 picks one), or stop whatever holds 127.0.0.1:${busy}.`,
  });
}, 30_000);
