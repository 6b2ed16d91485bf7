/**
 * A port base whose every cluster port is free right now: test runs start a cluster of their own
 * beside a developer's `npm run cluster` and beside other people's test servers on this machine.
 */
import net from 'node:net';
import { HOST, PORT_OFFSETS, portsFrom, type PortName, type Ports } from './settings.js';

export function portFree(port: number): Promise<boolean> {
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
    const results = await Promise.all(Object.values(portsFrom(base)).map(portFree));
    if (results.every(Boolean)) return base;
  }
  throw new Error(`no ${span} free ports in a row found between ${low} and ${high} on ${HOST}`);
}

/** Fails naming every port of `names` that another program holds, before a start that would only log a bind error. */
export async function assertPortsFree(ports: Ports, names: PortName[]): Promise<void> {
  const taken = (await Promise.all(names.map(async (name) => ((await portFree(ports[name])) ? undefined : `${ports[name]} (${name})`)))).filter(Boolean);
  if (taken.length > 0) {
    throw new Error(`port${taken.length > 1 ? 's' : ''} ${taken.join(', ')} on ${HOST} ${taken.length > 1 ? 'are' : 'is'} in use by another program: choose another --port-base (or CLUSTER_PORT_BASE), or stop that program`);
  }
}
