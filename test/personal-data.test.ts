/**
 * Personal data is readable only by those who hold the key. Three onboardings (completed,
 * rejected with a reason naming the hire, failed on a vendor whose error echoes the hire's name,
 * email and phone) run on the real worker process (`npm run worker`: its config, its logger),
 * then everything Temporal keeps of them is read the way someone without the key reads it: the
 * `temporal` CLI with no codec endpoint (history, description, the current details). None of the
 * hire's name, email, phone or manager, nor any vendor credential or the payload key, appears in
 * it as text or base64; every payload but the search attributes is encrypted. The worker's log
 * lines name the onboarding by its id and hold none of it either. With the key, the same
 * onboardings read in full. Last, the erasure docs/personal-data.md describes, run as written.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { WorkflowFailedError } from '@temporalio/client';
import { SANDBOX_CREDENTIALS } from '../sandbox/credentials.js';
import { startSandboxes, type Sandboxes } from '../sandbox/index.js';
import { sandboxVendorsConfig } from '../sandbox/worker-config.js';
import { OnboardingClient } from '../client/onboarding-client.js';
import { findTemporalCli } from '../scripts/temporal-cli.js';
import { progressQuery } from '../workflows/definitions.js';
import { VENDORS } from '../workflows/vendors.js';
import { uniqueHire } from './support/hires.js';
import { liveUsers } from './support/saga-harness.js';
import { findPersonalData, isCodecPayload, payloadsOf } from './support/personal-data.js';
import { connectClient, payloadEncryption, temporalEnv } from './support/temporal.js';
import { until, waitForStatus } from './support/wait.js';
import { spawnWorkerProcess, type WorkerProcess } from './support/worker-process.js';

const PHONE = '+33 6 12 34 56 78';

function personalHire(tag: string) {
  return uniqueHire(tag, {
    firstName: 'Zoë-Marguerite',
    lastName: 'Ñúñez-Åberg',
    manager: { name: 'Henrietta Okonkwo-Lindqvist', email: `manager.${tag}@example.org` },
    vendors: { meetbit: { departmentId: 7 }, siit: { workPhone: PHONE } },
  });
}
type Hire = ReturnType<typeof personalHire>;

/** What must never be readable without the key: the hire's data, the vendors' credentials, the key itself. */
function secretsOf(hire: Hire): Record<string, string> {
  const encryption = payloadEncryption();
  const keys = encryption.encrypt ? encryption.keys : [];
  return {
    firstName: hire.firstName,
    lastName: hire.lastName,
    fullName: `${hire.firstName} ${hire.lastName}`,
    email: hire.email,
    phone: PHONE,
    phoneDigits: PHONE.replace(/\D/g, ''),
    manager: hire.manager!.name,
    managerEmail: hire.manager!.email,
    ...Object.fromEntries(
      Object.entries(SANDBOX_CREDENTIALS).flatMap(([vendor, credentials]) =>
        Object.entries(credentials)
          .filter(([field]) => field !== 'actingUserId') // an account id, not a secret
          .map(([field, value]) => [`${vendor}.${field}`, value]),
      ),
    ),
    ...Object.fromEntries(keys.flatMap((k) => [[`payload key ${k.id}`, k.key.toString('base64')], [`payload key ${k.id} (hex)`, k.key.toString('hex')]])),
  };
}

let sandboxes: Sandboxes;
let worker: WorkerProcess;
let onboardings: OnboardingClient;
let closeClient: () => Promise<void>;
let temporal: string;

beforeAll(async () => {
  sandboxes = await startSandboxes({ rateLimits: false });
  // The worker as operators run it, at its most talkative level.
  worker = await spawnWorkerProcess(sandboxVendorsConfig(sandboxes.urls), 90_000, { LOG_LEVEL: 'DEBUG' });
  const { client, close } = await connectClient();
  onboardings = new OnboardingClient(client);
  closeClient = close;
  temporal = await findTemporalCli({ install: false });
}, 120_000);

afterAll(async () => {
  worker?.child.kill('SIGTERM');
  await worker?.exited;
  await closeClient?.();
  await sandboxes?.stop();
});

/** The `temporal` CLI as someone without the key runs it: no codec endpoint. */
async function temporalCli(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(temporal, args, { env: { ...process.env, ...temporalEnv() }, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** Everything the server gives out about one onboarding, read without the key. */
async function readWithoutKey(workflowId: string): Promise<{ history: string; description: string; metadata: string }> {
  return {
    history: await temporalCli(['workflow', 'show', '--workflow-id', workflowId, '-o', 'json']),
    description: await temporalCli(['workflow', 'describe', '--workflow-id', workflowId, '-o', 'json']),
    // The Web UI's "current details" (answered by the worker, through its codec).
    metadata: await temporalCli(['workflow', 'metadata', '--workflow-id', workflowId, '-o', 'json']),
  };
}

function expectNothingReadable(hire: Hire, read: Awaited<ReturnType<typeof readWithoutKey>>) {
  for (const [what, text] of Object.entries(read)) {
    expect({ what, found: findPersonalData(text, secretsOf(hire)) }).toEqual({ what, found: [] });
  }
  const payloads = payloadsOf(JSON.parse(read.history)).filter(isCodecPayload);
  // Input, results, activity inputs and results, updates, memo, summaries and failures.
  expect(payloads.length).toBeGreaterThan(20);
  const plain = payloads.filter((p) => p.encoding !== 'binary/encrypted');
  expect(plain.map((p) => p.path)).toEqual([]);
  const described = payloadsOf(JSON.parse(read.description)).filter(isCodecPayload);
  expect(described.length).toBeGreaterThan(0); // the summary and the memo
  expect(described.filter((p) => p.encoding !== 'binary/encrypted').map((p) => p.path)).toEqual([]);
  // Failures keep no message or stack trace in plain text, only their type.
  expect(read.history).not.toMatch(/"message":\s*"(?!Encoded failure")[^"]+"/);
  expect(read.history).not.toMatch(/"stackTrace":\s*"[^"]+"/);
}

/** The worker's log lines about one onboarding: present, and naming it by id only. */
function expectLogsClean(hire: Hire, workflowId: string, outcome: RegExp) {
  const lines = worker.output().split('\n').filter((line) => line.includes(workflowId));
  expect(lines.some((line) => outcome.test(line))).toBe(true);
  expect(findPersonalData(worker.output(), secretsOf(hire))).toEqual([]);
}

test('a completed onboarding: history, description and current details hold nothing readable without the key', async () => {
  const hire = personalHire('pd-completed');
  const { handle, workflowId } = await onboardings.start(hire);
  await waitForStatus(handle, 'awaiting-approval');
  await onboardings.approve(workflowId, { by: 'it-lead' });
  expect((await handle.result()).status).toBe('completed');

  const read = await readWithoutKey(workflowId);
  expectNothingReadable(hire, read);
  // The current details come back as one encrypted payload.
  const details = payloadsOf(JSON.parse(read.metadata)).filter(isCodecPayload);
  expect(details.map((p) => p.encoding)).toEqual(['binary/encrypted']);
  expect(read.metadata).not.toContain('Status:');
  expectLogsClean(hire, workflowId, /Onboarding completed/);

  // With the key, the same onboarding reads in full: the input and what each vendor was sent.
  const history = await handle.fetchHistory();
  const input = await onboardings.client.options.loadedDataConverter.payloadCodecs[0]!.decode(
    history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads!,
  );
  expect(JSON.parse(Buffer.from(input[0]!.data!).toString())).toMatchObject({ firstName: hire.firstName, email: hire.email, vendors: { siit: { workPhone: PHONE } } });
  expect((await handle.query(progressQuery)).approvedBy).toBe('it-lead');
});

test('a rejected onboarding, its reason naming the hire: nothing readable without the key, nothing in the logs', async () => {
  const hire = personalHire('pd-rejected');
  const { handle, workflowId } = await onboardings.start(hire);
  await waitForStatus(handle, 'awaiting-approval');
  await onboardings.reject(workflowId, { by: 'hr-partner', reason: `${hire.firstName} ${hire.lastName} declined the offer` });
  expect(await handle.result()).toMatchObject({ status: 'rejected', rejectionReason: `${hire.firstName} ${hire.lastName} declined the offer` });

  expectNothingReadable(hire, await readWithoutKey(workflowId));
  expectLogsClean(hire, workflowId, /Onboarding rejected/);
  expect(worker.output()).not.toContain('declined the offer');
});

test("a failed onboarding, the vendor's error echoing the hire: the failure is encrypted, and its words leave the activity without the hire's values", async () => {
  const hire = personalHire('pd-failed');
  const echo = `user ${hire.firstName} ${hire.lastName}, email ${hire.email.toLowerCase()}, phone ${PHONE}: invalid role`;
  sandboxes.vendors.netbird.addFault({ kind: 'fail-next', count: 1, status: 400, body: { message: echo, code: 400 }, match: { method: 'POST', path: '^/users$' } });
  const { handle, workflowId } = await onboardings.start(hire);
  const failure = await handle.result().then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  // With the key: the vendor's words, the hire's values replaced by their fields' names.
  const message = ((failure as WorkflowFailedError).cause as Error).message;
  expect(message).toContain('NetBird rejected the create as invalid (400): user <name>, email <email>, phone <workPhone>: invalid role');

  const read = await readWithoutKey(workflowId);
  expectNothingReadable(hire, read);
  expect(read.history).toContain('"type": "OnboardingFailed"'); // what kind of failure stays visible
  expectLogsClean(hire, workflowId, /Onboarding failed/);
});

test("erasing one hire as docs/personal-data.md says: every run of the hire's onboarding is deleted from Temporal", async () => {
  // A rejected onboarding started again: two runs under one workflow id.
  const hire = personalHire('pd-erase');
  const first = await onboardings.start(hire);
  await waitForStatus(first.handle, 'awaiting-approval');
  await onboardings.reject(first.workflowId, { by: 'hr-partner' });
  await first.handle.result();
  const second = await onboardings.start(hire);
  expect(second).toMatchObject({ started: true, workflowId: first.workflowId });
  await waitForStatus(second.handle, 'awaiting-approval');
  await onboardings.cancel(first.workflowId); // step 1: a running onboarding is cancelled first, so it undoes
  await expect(second.handle.result()).rejects.toThrow();
  for (const vendor of VENDORS) expect({ vendor, live: liveUsers(sandboxes, vendor, hire.email) }).toEqual({ vendor, live: [] });

  const query = `WorkflowId = '${first.workflowId}'`;
  const runs = async () => {
    const found: string[] = [];
    for await (const wf of onboardings.client.workflow.list({ query })) found.push(wf.runId);
    return found;
  };
  await until('both runs to be listed', async () => ((await runs()).length === 2 ? true : undefined));
  await temporalCli(['workflow', 'delete', '--query', query, '--reason', 'erasure request', '--yes']);
  await until('every run to be deleted', async () => ((await runs()).length === 0 ? true : undefined), 60_000);
  await expect(temporalCli(['workflow', 'show', '--workflow-id', first.workflowId, '-o', 'json'])).rejects.toThrow(/not found/i);
}, 120_000);
