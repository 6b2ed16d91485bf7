/**
 * The codec server as its users meet it: `npm run codec-server` as a real process, the `temporal`
 * CLI decoding a real onboarding's history through it (`--codec-endpoint`, `--codec-auth`), and a
 * browser's requests: the Web UI's origin is answered, any other origin and a request without
 * the token are refused.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import got from 'got';
import { defaultPayloadConverter } from '@temporalio/common';
import { formatPayloadKey, generatePayloadKey, PayloadEncryptionCodec } from '../../codec/encryption-codec.js';
import { ConfigError, loadConfig } from '../../config/environment.js';
import { findTemporalCli } from '../../scripts/temporal-cli.js';
import { uniqueHire } from '../support/hires.js';
import { findPersonalData, isCodecPayload, payloadsOf } from '../support/personal-data.js';
import { startSagaHarness, type SagaHarness } from '../support/saga-harness.js';
import { payloadEncryption, temporalEnv } from '../support/temporal.js';
import { waitForStatus } from '../support/wait.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const UI_ORIGIN = 'http://127.0.0.1:8233';
const TOKEN = randomBytes(24).toString('hex');

let h: SagaHarness;
let server: { child: ChildProcess; url: string; output: () => string };

/** `npm run codec-server` (tsx, without jest's NODE_OPTIONS), on a free port, with the run's keys. */
async function startCodecServer(env: Record<string, string>): Promise<typeof server> {
  const { NODE_OPTIONS: _jestOnly, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'codec/server-main.ts'], {
    cwd: root,
    env: { ...inherited, ...temporalEnv(), CODEC_SERVER_PORT: '0', LOG_LEVEL: 'warn', ...env },
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const deadline = Date.now() + 30_000;
  for (;;) {
    const url = /Codec server on (http:\/\/\S+):[^]*temporal CLI:/.exec(output)?.[1];
    if (url) return { child, url, output: () => output };
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`codec server did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  h = await startSagaHarness();
  server = await startCodecServer({ CODEC_SERVER_UI_ORIGINS: UI_ORIGIN, CODEC_SERVER_TOKEN: TOKEN });
});
afterAll(async () => {
  server?.child.kill('SIGTERM');
  await h?.close();
});

/** A payload as Temporal stores it: encrypted with the run's key, in the protocol's JSON. */
async function storedPayload(value: unknown) {
  const config = payloadEncryption();
  if (!config.encrypt) throw new Error('tests run encrypted');
  const [encrypted] = await new PayloadEncryptionCodec(config.keys).encode([defaultPayloadConverter.toPayload(value)]);
  return {
    metadata: Object.fromEntries(Object.entries(encrypted!.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])),
    data: Buffer.from(encrypted!.data!).toString('base64'),
  };
}

function post(route: string, body: unknown, headers: Record<string, string> = {}) {
  return got.post(`${server.url}/${route}`, { json: body, headers, throwHttpErrors: false, retry: { limit: 0 } });
}

test('starts on 127.0.0.1 and says how the Web UI and the temporal CLI use it', () => {
  expect(new URL(server.url).hostname).toBe('127.0.0.1');
  expect(server.output()).toContain(`Web UI origins allowed: ${UI_ORIGIN}; bearer token: required`);
  expect(server.output()).toContain(`--codec-endpoint ${server.url}`);
  expect(server.output()).not.toContain(TOKEN);
});

test('the Web UI origin with the token: decoded payloads, CORS allowing that origin only', async () => {
  const hire = uniqueHire('codec-server');
  const res = await post('decode', { payloads: [await storedPayload(hire)] }, { origin: UI_ORIGIN, authorization: `Bearer ${TOKEN}`, 'x-namespace': 'default' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
  const [decoded] = JSON.parse(res.body).payloads;
  expect(JSON.parse(Buffer.from(decoded.data, 'base64').toString('utf8'))).toEqual(hire);

  // The browser's preflight (no credentials in it) is answered for the UI's origin.
  const preflight = await got(`${server.url}/decode`, {
    method: 'OPTIONS',
    headers: { origin: UI_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
    throwHttpErrors: false,
  });
  expect(preflight.statusCode).toBe(204);
  expect(preflight.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
  expect(preflight.headers['access-control-allow-headers']).toContain('x-namespace');

  // /encode then /decode gives the value back (the UI encodes what a person sends from it).
  const encoded = await post('encode', { payloads: [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('"hello"').toString('base64') }] }, { authorization: `Bearer ${TOKEN}` });
  const [sealed] = JSON.parse(encoded.body).payloads;
  expect(Buffer.from(sealed.metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
  const back = await post('decode', { payloads: [sealed] }, { authorization: `Bearer ${TOKEN}` });
  expect(Buffer.from(JSON.parse(back.body).payloads[0].data, 'base64').toString()).toBe('"hello"');
});

test('another origin is refused (403, no CORS grant), even with the token; so is its preflight', async () => {
  const payload = await storedPayload(uniqueHire('codec-foreign'));
  const res = await post('decode', { payloads: [payload] }, { origin: 'https://evil.example', authorization: `Bearer ${TOKEN}` });
  expect(res.statusCode).toBe(403);
  expect(res.headers['access-control-allow-origin']).toBeUndefined();
  expect(res.body).not.toContain('codec-foreign');
  expect(JSON.parse(res.body).error).toMatch(/origin https:\/\/evil\.example is not allowed.*CODEC_SERVER_UI_ORIGINS/);
  const preflight = await got(`${server.url}/decode`, { method: 'OPTIONS', headers: { origin: 'http://localhost:9999', 'access-control-request-method': 'POST' }, throwHttpErrors: false });
  expect(preflight.statusCode).toBe(403);
  expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
});

test('without the token, or with a wrong one: 401, nothing decoded', async () => {
  const payload = await storedPayload(uniqueHire('codec-no-token'));
  const attempts: Record<string, string>[] = [{}, { authorization: `Bearer ${TOKEN.slice(1)}x` }, { authorization: TOKEN }, { origin: UI_ORIGIN }];
  for (const headers of attempts) {
    const res = await post('decode', { payloads: [payload] }, headers);
    expect({ headers, status: res.statusCode }).toEqual({ headers, status: 401 });
    expect(res.body).not.toContain('codec-no-token');
  }
});

test('a payload under a key it does not hold: 422 naming the key id; a malformed body: 400', async () => {
  const foreign = generatePayloadKey('someone-elses-key');
  const [sealed] = await new PayloadEncryptionCodec([foreign]).encode([defaultPayloadConverter.toPayload('x')]);
  const json = { metadata: Object.fromEntries(Object.entries(sealed!.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])), data: Buffer.from(sealed!.data!).toString('base64') };
  const res = await post('decode', { payloads: [json] }, { authorization: `Bearer ${TOKEN}` });
  expect(res.statusCode).toBe(422);
  expect(JSON.parse(res.body).error).toMatch(/key "someone-elses-key", which this process does not hold/);
  expect(res.body).not.toContain(foreign.key.toString('base64'));
  expect((await post('decode', { nope: true }, { authorization: `Bearer ${TOKEN}` })).statusCode).toBe(400);
});

test('the temporal CLI shows an onboarding decrypted through it (--codec-endpoint, --codec-auth), and only ciphertext without it', () =>
  h.withWorkers(async () => {
    const hire = uniqueHire('codec-cli', { firstName: 'Zoë-Marguerite' });
    const { handle } = await h.onboardings.start(hire);
    await waitForStatus(handle, 'awaiting-approval');
    const temporal = await findTemporalCli({ install: false });
    const show = async (extra: string[]) =>
      (await promisify(execFile)(temporal, ['workflow', 'show', '--workflow-id', handle.workflowId, '-o', 'json', ...extra], { env: { ...process.env, ...temporalEnv() }, maxBuffer: 32 * 1024 * 1024 })).stdout;
    // The workflow's input and its summary, as the CLI prints them.
    const decoded = payloadsOf(JSON.parse(await show(['--codec-endpoint', server.url, '--codec-auth', `Bearer ${TOKEN}`])));
    const input = decoded.find((p) => /workflowExecutionStartedEventAttributes\.input\./.test(p.path))!;
    expect(input.encoding).toBe('json/plain');
    expect(JSON.parse(input.text)).toMatchObject({ firstName: 'Zoë-Marguerite', email: hire.email });
    expect(decoded.find((p) => /userMetadata\.summary/.test(p.path))!.text).toBe(`"Onboarding of employee ${hire.employeeId} (starts ${hire.startDate})"`);
    const raw = await show([]);
    const payloads = payloadsOf(JSON.parse(raw)).filter(isCodecPayload);
    expect(payloads.length).toBeGreaterThan(5);
    expect(new Set(payloads.map((p) => p.encoding))).toEqual(new Set(['binary/encrypted']));
    expect(findPersonalData(raw, { firstName: 'Zoë-Marguerite', email: hire.email })).toEqual([]);
    await h.onboardings.reject(handle.workflowId, { by: 'codec-test' });
    await handle.result();
  }));

test('refuses to start without a key, or listening beyond loopback without a token, naming the variable', async () => {
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(['payloadEncryption', 'codecServer'], env);
    } catch (err) {
      return (err as ConfigError).message;
    }
    return '';
  };
  const key = formatPayloadKey(generatePayloadKey('k'));
  expect(problems({ PAYLOAD_KEYS: key, CODEC_SERVER_HOST: '0.0.0.0' })).toMatch(/CODEC_SERVER_TOKEN: is required when CODEC_SERVER_HOST \(0\.0\.0\.0\) is not a loopback address/);
  expect(problems({ PAYLOAD_KEYS: key, CODEC_SERVER_UI_ORIGINS: 'http://127.0.0.1:8233/namespaces' })).toMatch(/CODEC_SERVER_UI_ORIGINS: must be origins/);
  expect(problems({ PAYLOAD_KEYS: key, CODEC_SERVER_TOKEN: 'short' })).toMatch(/CODEC_SERVER_TOKEN: must be at least 32 characters/);
  expect(problems({ PAYLOAD_KEYS: key })).toBe('');
  const keyless = await startCodecServer({ PAYLOAD_KEYS: '' }).catch((err: Error) => err.message);
  expect(keyless).toMatch(/codec server did not start:\nInvalid configuration in the environment:\n {2}PAYLOAD_KEYS: is required/);
});
