/**
 * Rotating the payload key without breaking onboardings in flight: onboardings started while the
 * worker (`npm run worker`) and the client hold key A are waiting for approval; the worker is
 * restarted with keys A (old) and B (new, listed last); they are approved with a client that holds
 * both, and finish. Their histories show both keys at work: what was written before the restart
 * under A, what was written after under B. A process that holds only B cannot read what A wrote,
 * and says which key it lacks.
 */
import { Client, Connection } from '@temporalio/client';
import { onboardingDataConverter } from '../../codec/data-converter.js';
import { formatPayloadKey, generatePayloadKey, KEY_ID_METADATA, type PayloadKey } from '../../codec/encryption-codec.js';
import { OnboardingClient } from '../../client/onboarding-client.js';
import { startSandboxes, type Sandboxes } from '../../sandbox/index.js';
import { sandboxVendorsConfig } from '../../sandbox/worker-config.js';
import { VENDORS } from '../../workflows/vendors.js';
import { uniqueHire } from '../support/hires.js';
import { liveUsers } from '../support/saga-harness.js';
import { temporalConfig } from '../support/temporal.js';
import { until, waitForStatus } from '../support/wait.js';
import { spawnWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

const keyA = generatePayloadKey(`rotation-a-${Date.now()}`);
const keyB = generatePayloadKey(`rotation-b-${Date.now()}`);

let sandboxes: Sandboxes;
let connection: Connection;
const workers: WorkerProcess[] = [];

/** A client holding `keys` (oldest first), as a process configured with PAYLOAD_KEYS would. */
function onboardingsWith(keys: PayloadKey[]): OnboardingClient {
  const dataConverter = onboardingDataConverter({ encrypt: true, keys, source: 'PAYLOAD_KEYS' });
  return new OnboardingClient(new Client({ connection, namespace: temporalConfig().namespace, dataConverter }));
}

/** The worker process with PAYLOAD_KEYS set to `keys`, as an operator rotating keys configures it. */
async function workerWith(keys: PayloadKey[]): Promise<WorkerProcess> {
  const worker = await spawnWorkerProcess(sandboxVendorsConfig(sandboxes.urls), 90_000, { PAYLOAD_KEYS: keys.map(formatPayloadKey).join(',') });
  workers.push(worker);
  return worker;
}

beforeAll(async () => {
  sandboxes = await startSandboxes({ rateLimits: false });
  connection = await Connection.connect(temporalConfig().connectionOptions);
});
afterAll(async () => {
  for (const worker of workers) worker.child.kill('SIGKILL');
  await connection?.close();
  await sandboxes?.stop();
});

test('onboardings started under key A finish after the worker restarts with keys A (old) and B (new)', async () => {
  const first = await workerWith([keyA]);
  expect(first.messages()).toContain(`Payloads encrypted (AES-256-GCM) with key "${keyA.id}" from PAYLOAD_KEYS.`);
  const underA = onboardingsWith([keyA]);
  const hires = [uniqueHire('rotation-1'), uniqueHire('rotation-2')];
  const started = await Promise.all(hires.map((hire) => underA.start(hire)));
  for (const { handle } of started) await waitForStatus(handle, 'awaiting-approval');

  // Rotation: the worker restarts holding both keys, the new one last (the one that encrypts).
  first.child.kill('SIGTERM');
  expect(await first.exited).toBe(0);
  const second = await workerWith([keyA, keyB]);
  expect(second.messages()).toContain(`Payloads encrypted (AES-256-GCM) with key "${keyB.id}" from PAYLOAD_KEYS; 1 older key still decrypts.`);

  const rotated = onboardingsWith([keyA, keyB]);
  for (const { workflowId } of started) expect(await rotated.approve(workflowId, { by: 'it-lead' })).toBe('approved by it-lead');
  for (const [i, { workflowId }] of started.entries()) {
    expect(await rotated.handle(workflowId).result()).toMatchObject({ status: 'completed', invite: { state: 'sent', approvedBy: 'it-lead' } });
    for (const vendor of VENDORS) expect(liveUsers(sandboxes, vendor, hires[i]!.email)).toHaveLength(1);
  }

  // Both keys wrote to each history: the start under A, the approval and the result under B.
  const history = await rotated.handle(started[0]!.workflowId).fetchHistory();
  const keyIdOf = (payload: { metadata?: Record<string, Uint8Array | null> | null } | null | undefined) =>
    Buffer.from(payload?.metadata?.[KEY_ID_METADATA] ?? []).toString();
  const events = history.events!;
  expect(keyIdOf(events[0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0])).toBe(keyA.id);
  const accepted = events.find((e) => e.workflowExecutionUpdateAcceptedEventAttributes)!;
  expect(keyIdOf(accepted.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!.input!.args!.payloads![0])).toBe(keyB.id);
  const completed = events.find((e) => e.workflowExecutionCompletedEventAttributes)!;
  expect(keyIdOf(completed.workflowExecutionCompletedEventAttributes!.result!.payloads![0])).toBe(keyB.id);

  // Dropping key A too early: what it wrote becomes unreadable (here the summary given at the
  // start), and the error says which key is missing.
  const onlyB = onboardingsWith([keyB]);
  const described = await onlyB.handle(started[0]!.workflowId).describe();
  expect(described.memo).toEqual({ approvedBy: 'it-lead' }); // written after the rotation, under B
  await expect(described.staticSummary()).rejects.toThrow(
    new RegExp(`encrypted with key "${keyA.id}", which this process does not hold \\(it holds: ${keyB.id}\\)`),
  );

  // The list still lists every onboarding: with the keys, who approved; without them, why not.
  const ids = started.map((s) => s.workflowId);
  const listedBy = (client: OnboardingClient) =>
    until('both onboardings listed with their approver', async () => {
      const rows = (await client.list({ limit: 10_000 })).filter((r) => ids.includes(r.workflowId));
      return rows.length === ids.length && rows.every((r) => r.approvedBy || r.memoUnreadable) ? rows : undefined;
    });
  for (const row of await listedBy(rotated)) expect(row).toMatchObject({ status: 'completed', approvedBy: 'it-lead' });
  for (const row of await listedBy(onboardingsWith([keyA]))) {
    expect(row).toMatchObject({ status: 'completed', approvedBy: null, memoUnreadable: expect.stringContaining(`encrypted with key "${keyB.id}"`) });
  }
}, 180_000);
