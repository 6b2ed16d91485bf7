/**
 * `npm run gateway`: the HTTP endpoint for HR apps (see client/openapi.yaml).
 * Needs GATEWAY_HMAC_SECRET (32+ characters); GATEWAY_PORT (8080), GATEWAY_HOST (127.0.0.1),
 * TEMPORAL_ADDRESS (127.0.0.1:7233) and TEMPORAL_NAMESPACE (default) are optional.
 * On SIGINT/SIGTERM it stops accepting, finishes the requests in flight, then disconnects.
 */
import { Client, Connection } from '@temporalio/client';
import { createGateway } from './gateway.js';
import { loadGatewayConfig } from './gateway/config.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadGatewayConfig();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  // JSON lines (pino): request id, method, url (which holds the workflow id), status, duration.
  const app = createGateway({ client, secret: config.GATEWAY_HMAC_SECRET, logger: { level: process.env.LOG_LEVEL ?? 'info' } });

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing requests in flight');
    try {
      await app.close();
      await connection.close();
      process.exit(0);
    } catch (err) {
      app.log.error({ err: (err as Error).message }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  await app.listen({ port: config.GATEWAY_PORT, host: config.GATEWAY_HOST });
  app.log.info({ temporal: config.TEMPORAL_ADDRESS, namespace: config.TEMPORAL_NAMESPACE }, 'gateway ready');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
