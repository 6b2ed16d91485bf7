/**
 * The one data converter every process uses: the worker (workflows and activities), the library's
 * Client (and so the CLI, the gateway, `npm start`, the bench and the tests). Built from the
 * `payloadEncryption` section of the config loader:
 *
 *   const { payloadEncryption } = loadConfig(['payloadEncryption']);
 *   new Client({ connection, dataConverter: onboardingDataConverter(payloadEncryption) });
 *   Worker.create({ ..., dataConverter: onboardingDataConverter(payloadEncryption) });
 *
 * With encryption on, payloads go through PayloadEncryptionCodec and failures keep their message
 * and stack trace in an (encrypted) payload. With PAYLOAD_ENCRYPTION=off, the SDK's defaults plus
 * a marker codec that says plain text was chosen.
 */
import { fileURLToPath } from 'node:url';
import {
  DefaultFailureConverter,
  defaultFailureConverter,
  defaultPayloadConverter,
  type DataConverter,
  type LoadedDataConverter,
} from '@temporalio/common';
import type { Client } from '@temporalio/client';
import type { PayloadEncryptionConfig } from '../config/payload-encryption.js';
import { PayloadEncryptionCodec, PlaintextOnPurposeCodec } from './encryption-codec.js';

/**
 * Where the Worker finds the failure converter: it bundles this file into the workflow code and
 * `require`s it for activities (the SDK takes no instance there).
 */
export const FAILURE_CONVERTER_PATH = fileURLToPath(new URL('./failure-converter.cjs', import.meta.url));

/**
 * Both shapes at once: a Client takes it as loaded (it sees `payloadConverter`), a Worker reads
 * `payloadCodecs` and `failureConverterPath` from it.
 */
export type OnboardingDataConverter = LoadedDataConverter & DataConverter;

export function onboardingDataConverter(config: PayloadEncryptionConfig): OnboardingDataConverter {
  if (!config.encrypt) {
    return { payloadConverter: defaultPayloadConverter, failureConverter: defaultFailureConverter, payloadCodecs: [new PlaintextOnPurposeCodec()] };
  }
  return {
    payloadConverter: defaultPayloadConverter,
    // The same as failure-converter.cjs exports (the Worker's); kept here as an instance because
    // a Client takes no path, and loading the .cjs from here would give it a second copy of the SDK.
    failureConverter: new DefaultFailureConverter({ encodeCommonAttributes: true }),
    payloadCodecs: [new PayloadEncryptionCodec(config.keys)],
    failureConverterPath: FAILURE_CONVERTER_PATH,
  };
}

/** How a Client treats payloads: encrypted, plain on purpose, or plain because nobody set it up. */
export function payloadProtectionOf(client: Client): 'encrypted' | 'plaintext-on-purpose' | 'none' {
  const codecs = client.options.loadedDataConverter.payloadCodecs;
  if (codecs.some((c) => c instanceof PayloadEncryptionCodec)) return 'encrypted';
  if (codecs.some((c) => c instanceof PlaintextOnPurposeCodec)) return 'plaintext-on-purpose';
  return 'none';
}
