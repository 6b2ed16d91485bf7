/**
 * A port base whose every cluster port is free right now: test runs start a cluster of their own
 * beside a developer's `npm run cluster` and beside other people's test servers on this machine.
 */
import net from 'node:net';
import { HOST, PORT_OFFSETS, portsFrom } from './settings.js';

function free(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

/**
 * Tries random bases below the kernel's ephemeral range (32768+), where the dev servers' free
 * ports and outgoing connections come from, so a port found free is unlikely to be taken next.
 */
export async function freePortBase(low = 20_000, high = 32_000, attempts = 50): Promise<number> {
  const span = Math.max(...Object.values(PORT_OFFSETS)) + 1;
  for (let i = 0; i < attempts; i++) {
    const base = low + Math.floor(Math.random() * ((high - low - span) / span)) * span;
    const results = await Promise.all(Object.values(portsFrom(base)).map(free));
    if (results.every(Boolean)) return base;
  }
  throw new Error(`no ${span} free ports in a row found between ${low} and ${high} on ${HOST}`);
}
