/**
 * The payload codec: every payload (workflow input, results, signals, updates, queries' answers,
 * memo, user metadata, failure messages) is encrypted with AES-256-GCM before it leaves a process,
 * so what Temporal stores is readable only by those who hold a key.
 *
 * Shape of an encrypted payload (the samples-typescript `encryption` layout, so Temporal's tools
 * recognise it): metadata `encoding: binary/encrypted` and `encryption-key-id: <id>`; data =
 * nonce (12 bytes, fresh per payload) || ciphertext || GCM tag (16 bytes). The ciphertext is the
 * whole original Payload (its own metadata too: even "json/plain" says nothing). The key id is
 * bound in as associated data, so a payload relabelled with another key id fails to decrypt.
 *
 * Several keys may be held: the newest encrypts, any of them decrypts, so a key is rotated by
 * adding a new one while onboardings written under the old one are still running.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
// The default import: @temporalio/proto is CommonJS, and ESM (jest's included) sees no named exports in it.
import proto from '@temporalio/proto';

const { Payload: PayloadMessage } = proto.temporal.api.common.v1;

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const ALGORITHM = 'aes-256-gcm';
const NONCE_BYTES = 12; // GCM's standard nonce; random per payload (2^-32 collision bound holds far beyond our volumes)
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

export interface PayloadKey {
  /** Stored in plain text beside every payload it encrypts: a name, never key material. */
  id: string;
  key: Buffer;
}

/** A payload this process cannot read: no key of that id, or the key does not open it. */
export class PayloadDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadDecryptionError';
  }
}

const text = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

export class PayloadEncryptionCodec implements PayloadCodec {
  private readonly keys: Map<string, Buffer>;
  /** The key that encrypts: the last one configured (the newest). */
  readonly currentKeyId: string;

  /** `keys` oldest first: the last one encrypts, every one decrypts. */
  constructor(keys: readonly PayloadKey[]) {
    if (keys.length === 0) throw new Error('PayloadEncryptionCodec needs at least one key');
    for (const { id, key } of keys) {
      if (key.length !== KEY_BYTES) throw new Error(`payload key ${id} must be ${KEY_BYTES} bytes (AES-256), not ${key.length}`);
    }
    this.keys = new Map(keys.map(({ id, key }) => [id, key]));
    if (this.keys.size !== keys.length) throw new Error('payload key ids must be unique');
    this.currentKeyId = keys[keys.length - 1]!.id;
  }

  /** The ids this codec can decrypt, oldest first. */
  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const id = this.currentKeyId;
    const key = this.keys.get(id)!;
    return payloads.map((payload) => {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(id, 'utf8'));
      const plain = PayloadMessage.encode(payload).finish();
      return {
        metadata: { [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from(id) },
        data: Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]),
      };
    });
  }

  /**
   * Payloads that are not encrypted pass through: histories written before encryption was turned
   * on, and what the Web UI or the `temporal` CLI sends without a codec endpoint (a signal typed
   * in the UI), stay readable.
   */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (text(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING) return payload;
      const id = text(payload.metadata?.[KEY_ID_METADATA]);
      if (!id) throw new PayloadDecryptionError(`an encrypted payload carries no ${KEY_ID_METADATA}: it was not written by this codec`);
      const key = this.keys.get(id);
      if (!key) {
        throw new PayloadDecryptionError(
          `a payload is encrypted with key "${id}", which this process does not hold (it holds: ${this.keyIds.join(', ')}): ` +
            'add that key to PAYLOAD_KEYS or PAYLOAD_KEY_FILE (keep old keys while onboardings written with them may still run)',
        );
      }
      const data = Buffer.from(payload.data ?? []);
      if (data.length < NONCE_BYTES + TAG_BYTES) throw new PayloadDecryptionError(`an encrypted payload (key "${id}") is too short to be one`);
      const decipher = createDecipheriv(ALGORITHM, key, data.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(id, 'utf8'));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(data.subarray(NONCE_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      } catch {
        throw new PayloadDecryptionError(
          `a payload encrypted with key "${id}" does not decrypt with the key configured under that id: it is another key of the same name, or the payload was altered`,
        );
      }
      return PayloadMessage.decode(plain);
    });
  }
}

/**
 * The codec a process installs when a person set PAYLOAD_ENCRYPTION=off: it changes nothing, but
 * its presence says "plain text on purpose", so the library can refuse a Client that simply
 * forgot the data converter.
 */
export class PlaintextOnPurposeCodec implements PayloadCodec {
  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads;
  }
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads;
  }
}

/** A new random key (for the demo's key file and the tests' per-run keys). */
export function generatePayloadKey(id: string): PayloadKey {
  return { id, key: randomBytes(KEY_BYTES) };
}

/** The `<id>:<base64 key>` form PAYLOAD_KEYS and PAYLOAD_KEY_FILE read. */
export function formatPayloadKey({ id, key }: PayloadKey): string {
  return `${id}:${key.toString('base64')}`;
}
