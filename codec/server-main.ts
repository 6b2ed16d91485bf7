/**
 * `npm run codec-server`: decrypts payloads for the Temporal Web UI and the `temporal` CLI (see
 * codec/server.ts). Reads the same payload keys as every other process, and CODEC_SERVER_HOST
 * (127.0.0.1), CODEC_SERVER_PORT (8888), CODEC_SERVER_UI_ORIGINS (the dev server's Web UI:
 * http://127.0.0.1:8233,http://localhost:8233) and CODEC_SERVER_TOKEN (optional; required off
 * loopback). Stops on SIGINT/SIGTERM after the requests in flight.
 */
import { PayloadEncryptionCodec } from './encryption-codec.js';
import { createCodecServer } from './server.js';
import { ConfigError, describePayloadEncryption, loadConfig } from '../config/environment.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(['payloadEncryption', 'codecServer']);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
  const { payloadEncryption, codecServer } = config;
  if (!payloadEncryption.encrypt) {
    console.error('PAYLOAD_ENCRYPTION is "off": there is nothing to decrypt, so no codec server is needed.');
    process.exit(2);
  }
  const app = createCodecServer({
    codec: new PayloadEncryptionCodec(payloadEncryption.keys),
    uiOrigins: codecServer.uiOrigins,
    token: codecServer.token,
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
  });
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const url = await app.listen({ host: codecServer.host, port: codecServer.port });
  // One write: whoever waits for the first line (a script, a test) gets the whole banner.
  console.log(
    [
      `Codec server on ${url}: ${describePayloadEncryption(payloadEncryption)}`,
      `  Web UI origins allowed: ${codecServer.uiOrigins.join(', ')}; bearer token: ${codecServer.token ? 'required' : 'not required'}`,
      `  Web UI: temporal server start-dev --ui-codec-endpoint ${url}   temporal CLI: --codec-endpoint ${url}${codecServer.token ? ' --codec-auth "Bearer $CODEC_SERVER_TOKEN"' : ''}`,
    ].join('\n'),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
