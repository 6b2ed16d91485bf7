/**
 * `npm run gateway`: the HTTP endpoint for HR apps (see client/openapi.yaml).
 * Needs GATEWAY_HMAC_SECRET (32+ characters) and a payload key (PAYLOAD_KEYS or PAYLOAD_KEY_FILE, or
 * PAYLOAD_ENCRYPTION=off); GATEWAY_PORT (8080), GATEWAY_HOST (127.0.0.1),
 * TEMPORAL_ADDRESS (127.0.0.1:7233) and TEMPORAL_NAMESPACE (default) are optional.
 * On SIGINT/SIGTERM it stops accepting, finishes the requests in flight, then disconnects.
 */
import { Client, Connection } from '@temporalio/client';
import { onboardingDataConverter } from '../codec/data-converter.js';
import { ConfigError, describePayloadEncryption, loadConfig } from '../config/environment.js';
import { createGateway } from './gateway.js';
import { OnboardingClient } from './onboarding-client.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(['temporal', 'gateway', 'payloadEncryption']);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
  const { temporal, gateway, payloadEncryption } = config;
  const connection = await Connection.connect(temporal.connectionOptions);
  const onboardings = new OnboardingClient(new Client({ connection, namespace: temporal.namespace, dataConverter: onboardingDataConverter(payloadEncryption) }));
  // JSON lines (pino): request id, method, url (which holds the workflow id), status, duration.
  const app = createGateway({ onboardings, secret: gateway.hmacSecret, logger: { level: process.env.LOG_LEVEL ?? 'info' } });

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

  await app.listen({ port: gateway.port, host: gateway.host });
  app.log.info({ temporal: temporal.address, namespace: temporal.namespace, payloads: describePayloadEncryption(payloadEncryption) }, 'gateway ready');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
