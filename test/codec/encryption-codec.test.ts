/**
 * The payload codec and its configuration, without a server: what an encrypted payload looks like,
 * that every key listed decrypts and only the newest encrypts, that a missing or wrong key is an
 * error naming the key id (never its material), and the errors of PAYLOAD_* settings.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { ApplicationFailure, defaultPayloadConverter, METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { ConfigError, loadConfig } from '../../config/environment.js';
import { onboardingDataConverter, FAILURE_CONVERTER_PATH } from '../../codec/data-converter.js';
import {
  ENCRYPTED_ENCODING,
  formatPayloadKey,
  generatePayloadKey,
  KEY_ID_METADATA,
  PayloadDecryptionError,
  PayloadEncryptionCodec,
} from '../../codec/encryption-codec.js';
import { tempDir } from '../support/temp-dir.js';

const hire = { firstName: 'Zoë-Marguerite', email: 'zoe.secret@example.com', workPhone: '+33 6 12 34 56 78' };
const json = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');

describe('PayloadEncryptionCodec', () => {
  const a = generatePayloadKey('key-a');
  const b = generatePayloadKey('key-b');

  test('an encrypted payload carries its key id and nothing of the value; decoding gives the value back', async () => {
    const codec = new PayloadEncryptionCodec([a]);
    const [encrypted] = await codec.encode([json(hire)]);
    expect(text(encrypted!.metadata![METADATA_ENCODING_KEY])).toBe(ENCRYPTED_ENCODING);
    expect(text(encrypted!.metadata![KEY_ID_METADATA])).toBe('key-a');
    expect(Object.keys(encrypted!.metadata!).sort()).toEqual([KEY_ID_METADATA, METADATA_ENCODING_KEY].sort());
    const raw = Buffer.from(encrypted!.data!);
    for (const secret of Object.values(hire)) {
      expect(raw.includes(Buffer.from(secret))).toBe(false);
      expect(raw.toString('base64')).not.toContain(Buffer.from(secret).toString('base64').slice(0, 8));
    }
    const [decoded] = await codec.decode([encrypted!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(hire);
  });

  test('a fresh nonce per payload: the same value encrypts differently each time', async () => {
    const codec = new PayloadEncryptionCodec([a]);
    const [one, two] = await codec.encode([json(hire), json(hire)]);
    expect(Buffer.from(one!.data!).equals(Buffer.from(two!.data!))).toBe(false);
    expect(Buffer.from(one!.data!).subarray(0, 12).equals(Buffer.from(two!.data!).subarray(0, 12))).toBe(false);
  });

  test('rotation: the newest (last) key encrypts, every key listed decrypts', async () => {
    const [underA] = await new PayloadEncryptionCodec([a]).encode([json('written under A')]);
    const rotated = new PayloadEncryptionCodec([a, b]);
    expect(rotated.currentKeyId).toBe('key-b');
    const [underB] = await rotated.encode([json('written under B')]);
    expect(text(underB!.metadata![KEY_ID_METADATA])).toBe('key-b');
    const decoded = await rotated.decode([underA!, underB!]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual(['written under A', 'written under B']);
  });

  test('a payload under a key this process does not hold: an error naming the key id and where keys go', async () => {
    const [underA] = await new PayloadEncryptionCodec([a]).encode([json(hire)]);
    const decoding = new PayloadEncryptionCodec([b]).decode([underA!]);
    await expect(decoding).rejects.toBeInstanceOf(PayloadDecryptionError);
    await expect(decoding).rejects.toThrow(/key "key-a", which this process does not hold \(it holds: key-b\).*PAYLOAD_KEYS or PAYLOAD_KEY_FILE/);
  });

  test('another key under the same id, a relabelled or an altered payload: refused, never garbage', async () => {
    const [underA] = await new PayloadEncryptionCodec([a]).encode([json(hire)]);
    const impostor = new PayloadEncryptionCodec([{ id: 'key-a', key: b.key }]);
    await expect(impostor.decode([underA!])).rejects.toThrow(/does not decrypt with the key configured under that id/);

    const both = new PayloadEncryptionCodec([a, b]);
    const relabelled = { ...underA!, metadata: { ...underA!.metadata, [KEY_ID_METADATA]: Buffer.from('key-b') } };
    await expect(both.decode([relabelled])).rejects.toThrow(PayloadDecryptionError);
    const data = Buffer.from(underA!.data!);
    data[20]! ^= 1;
    await expect(both.decode([{ ...underA!, data }])).rejects.toThrow(PayloadDecryptionError);
  });

  test('plain payloads pass through: older histories and a signal typed in the Web UI stay readable', async () => {
    const plain = json({ by: 'alice' });
    expect(await new PayloadEncryptionCodec([a]).decode([plain])).toEqual([plain]);
  });
});

describe('failure messages', () => {
  test("the client's and the worker's failure converters both move message and stack trace into a payload", async () => {
    const keys = { encrypt: true as const, keys: [generatePayloadKey('k')], source: 'test' };
    const { failureConverter, payloadConverter } = onboardingDataConverter(keys);
    // The Worker loads its converter by path, as the SDK does (require).
    const { failureConverter: workerConverter } = createRequire(import.meta.url)(FAILURE_CONVERTER_PATH);
    for (const converter of [failureConverter, workerConverter]) {
      const failure = converter.errorToFailure(ApplicationFailure.nonRetryable(`NetBird said: ${hire.email} is taken`, 'VendorConflict'), payloadConverter);
      expect(failure.message).toBe('Encoded failure');
      expect(failure.stackTrace).toBe('');
      expect(failure.applicationFailureInfo?.type).toBe('VendorConflict');
      expect(JSON.stringify(payloadConverter.fromPayload(failure.encodedAttributes!))).toContain(hire.email);
    }
  });
});

describe('the payloadEncryption settings', () => {
  const load = (env: Record<string, string>) => loadConfig(['payloadEncryption'], env).payloadEncryption;
  function problems(env: Record<string, string>): string {
    try {
      load(env);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as Error).message;
    }
    throw new Error('expected a ConfigError');
  }
  const a = generatePayloadKey('2026-01');
  const b = generatePayloadKey('2026-06');

  test('PAYLOAD_KEYS, oldest first: the last one encrypts; hex keys too', () => {
    const config = load({ PAYLOAD_KEYS: `${formatPayloadKey(a)}, ${b.id}:${b.key.toString('hex')}` });
    expect(config).toEqual({ encrypt: true, keys: [a, b], source: 'PAYLOAD_KEYS' });
  });

  test('PAYLOAD_KEY_FILE: one key per line, comments and blank lines allowed', () => {
    const file = path.join(tempDir('payload-keys'), 'keys');
    writeFileSync(file, `# rotated 2026-06\n${formatPayloadKey(a)}\n\n${formatPayloadKey(b)}\n`);
    expect(load({ PAYLOAD_KEY_FILE: file })).toEqual({ encrypt: true, keys: [a, b], source: file });
  });

  test('no key: refused, naming the variables and the way out; "off" only when asked for', () => {
    expect(problems({})).toMatch(/PAYLOAD_KEYS: is required: .*PAYLOAD_KEY_FILE.*PAYLOAD_ENCRYPTION=off/);
    expect(load({ PAYLOAD_ENCRYPTION: 'off' })).toEqual({ encrypt: false });
    expect(problems({ PAYLOAD_ENCRYPTION: 'maybe' })).toMatch(/PAYLOAD_ENCRYPTION: must be "on"/);
    expect(problems({ PAYLOAD_ENCRYPTION: 'off', PAYLOAD_KEYS: formatPayloadKey(a) })).toMatch(/PAYLOAD_ENCRYPTION: is "off", but PAYLOAD_KEYS is set too/);
  });

  test('bad keys are named by entry or line, never echoed', () => {
    const short = 'c2hvcnQta2V5'; // "short-key"
    const message = problems({ PAYLOAD_KEYS: `${formatPayloadKey(a)},nokey,k2:${short},${formatPayloadKey(a)}` });
    expect(message).toMatch(/PAYLOAD_KEYS: entry 2 must be <id>:<key>/);
    expect(message).toMatch(/PAYLOAD_KEYS: key "k2" must be 32 random bytes/);
    expect(message).toMatch(/PAYLOAD_KEYS: key id "2026-01" is listed twice/);
    expect(message).not.toContain(short);
    expect(message).not.toContain(a.key.toString('base64'));

    const file = path.join(tempDir('payload-keys'), 'keys');
    writeFileSync(file, `# comment\n${formatPayloadKey(a)}\nk3:${short}\n`);
    expect(problems({ PAYLOAD_KEY_FILE: file })).toContain(`PAYLOAD_KEY_FILE: key "k3" must be 32 random bytes`);
    expect(problems({ PAYLOAD_KEY_FILE: `${file}.missing` })).toContain(`PAYLOAD_KEY_FILE: no such file: ${file}.missing`);
    expect(problems({ PAYLOAD_KEY_FILE: file, PAYLOAD_KEYS: formatPayloadKey(a) })).toMatch(/PAYLOAD_KEYS: and PAYLOAD_KEY_FILE are both set/);
  });
});
