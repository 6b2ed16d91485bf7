/**
 * The worker's health endpoint (`WORKER_HEALTH_BIND`): `GET /healthz` answers 200 while every
 * Worker of the process runs, 503 before they run and from the moment a shutdown begins, so a
 * load balancer or an orchestrator's readiness probe stops counting on a worker that is draining.
 * It keeps answering until the process has finished its running activities and closes it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { State, Worker } from '@temporalio/worker';

export interface HealthServer {
  url: string;
  close(): Promise<void>;
}

/** What the endpoint says for the Workers' states: any one not running makes the process unhealthy. */
function healthOf(workers: readonly Worker[]): { ok: boolean; status: string; workers: { taskQueue: string; state: State }[] } {
  const states = workers.map((w) => ({ taskQueue: w.options.taskQueue, state: w.getState() }));
  const all = (s: State) => states.every((w) => w.state === s);
  const any = (...s: State[]) => states.some((w) => s.includes(w.state));
  const status = all('RUNNING') ? 'running' : any('FAILED') ? 'failed' : any('STOPPING', 'DRAINING', 'DRAINED', 'STOPPED') ? 'shutting-down' : 'starting';
  return { ok: status === 'running', status, workers: states };
}

/** Listens on `bind` (`<ip>:<port>`, as the config loader checked it). */
export async function startHealthServer(bind: string, workers: readonly Worker[]): Promise<HealthServer> {
  const separator = bind.lastIndexOf(':');
  const host = bind.slice(0, separator).replace(/^\[|\]$/g, '');
  const port = Number(bind.slice(separator + 1));
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/healthz') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found: GET /healthz' }));
      return;
    }
    const { ok, ...body } = healthOf(workers);
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(err.code === 'EADDRINUSE' ? `WORKER_HEALTH_BIND: ${bind} is already in use: choose another port` : `WORKER_HEALTH_BIND: cannot listen on ${bind}: ${err.message}`)),
    );
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}/healthz`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
