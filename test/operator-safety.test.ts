/**
 * What an operator does is exactly what happens: an undo proves whose account it deletes, an
 * adoption waits for a person who sees the accounts, and a signal the onboarding cannot act on
 * is shown, not dropped. Real dev server, real sandboxes, the real worker code.
 */
import got from 'got';
import type { NativeConnection } from '@temporalio/worker';
import { createVendorActivities } from '../activities/index.js';
import { OnboardingClient } from '../client/onboarding-client.js';
import { authHeaders } from '../sandbox/credentials.js';
import { SAMPLE_CREATE } from '../sandbox/samples.js';
import { sandboxVendorsConfig } from '../sandbox/worker-config.js';
import { createOnboardingWorkers, runOnboardingWorkers } from '../workers/onboarding-workers.js';
import { approveSignal, progressQuery } from '../workflows/definitions.js';
import { VENDORS, type VendorName } from '../workflows/vendors.js';
import { uniqueHire } from './support/hires.js';
import { allUsers, liveUsers, startSagaHarness, UNTHROTTLED, type SagaHarness } from './support/saga-harness.js';
import { sandboxPorts, startSandboxProcess } from './support/sandbox-process.js';
import { connectWorker, dataConverter, temporalConfig, workflowBundle } from './support/temporal.js';
import { until, waitForStatus } from './support/wait.js';

let h: SagaHarness;
beforeAll(async () => {
  h = await startSagaHarness();
});
afterAll(() => h?.close());

/** What the Web UI shows as the workflow's current details (the SDK's metadata query). */
async function currentDetails(workflowId: string): Promise<string> {
  const metadata = await h.client.workflow.getHandle(workflowId).query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  return metadata.currentDetails ?? '';
}

async function createAccount(urls: Record<VendorName, string>, vendor: VendorName, email: string): Promise<void> {
  const { path, body } = SAMPLE_CREATE[vendor];
  await got.post(`${urls[vendor]}${path}`, { headers: authHeaders(vendor), json: body(email), retry: { limit: 0 } });
}

test('sandboxes restarted between create and undo hand the id to another account: the undo deletes nothing and reports manual cleanup naming it', async () => {
  // The demo's scenario: `npm start` stopped and started again, in-memory sandboxes (no state
  // file), MeetBit handing out its ids from the start again.
  const ports = await sandboxPorts();
  let sandbox = await startSandboxProcess(ports, { SANDBOX_STATE_FILE: 'off' });
  const connection: NativeConnection = await connectWorker();
  const workers = await createOnboardingWorkers({
    connection,
    namespace: temporalConfig().namespace,
    activities: createVendorActivities(sandboxVendorsConfig(sandbox.urls)),
    ratePerSecond: UNTHROTTLED,
    dataConverter: dataConverter(),
    workflowBundle: await workflowBundle(),
  });
  try {
    await runOnboardingWorkers(
      workers,
      (async () => {
        const older = uniqueHire('restart-older');
        const { handle, workflowId } = await h.onboardings.start(older, { undoTimeout: '20 seconds' });
        const waiting = await waitForStatus(handle, 'awaiting-approval');
        const meetbitId = waiting.vendors.meetbit.id!;

        await sandbox.stop();
        sandbox = await startSandboxProcess(ports, { SANDBOX_STATE_FILE: 'off' });
        const newer = uniqueHire('restart-newer');
        await createAccount(sandbox.urls, 'meetbit', newer.email);
        const holders = (await got(`${sandbox.adminUrls.meetbit}/users`).json<{ id: string; email: string }[]>()).filter((u) => u.id === meetbitId);
        expect(holders.map((u) => u.email)).toEqual([newer.email]); // the scenario: the id now names the newer hire

        expect(await h.onboardings.reject(workflowId, { by: 'hr@example.com' })).toMatch(/rejected by hr@example.com/);
        expect((await handle.result()).status).toBe('rejected');
        const progress = await handle.query(progressQuery);
        expect(progress.status).toBe('needs-manual-cleanup');
        expect(progress.manualCleanup).toEqual([
          { vendor: 'meetbit', id: meetbitId, error: expect.stringContaining(`user ${meetbitId}: that id now belongs to another account (its email differs); nothing was deleted`) },
        ]);
        const still = await got(`${sandbox.adminUrls.meetbit}/users`).json<{ id: string; email: string; state: string }[]>();
        expect(still.find((u) => u.id === meetbitId)).toMatchObject({ email: newer.email, state: 'invited' });
        expect(await currentDetails(workflowId)).toContain(`MeetBit user \`${meetbitId}\`: Refusing to undo MeetBit user ${meetbitId}: that id now belongs to another account`);
      })(),
    );
  } finally {
    await connection.close();
    await sandbox.stop();
  }
});

describe('a hire whose accounts exist at all five vendors', () => {
  async function waitingForAdoption(tag: string) {
    const hire = uniqueHire(tag);
    for (const vendor of VENDORS) await createAccount(h.sandboxes.urls, vendor, hire.email);
    const before = Object.fromEntries(VENDORS.map((v) => [v, allUsers(h.sandboxes, v, hire.email).map((u) => `${u.id}:${u.state}`)]));
    const { handle, workflowId } = await h.onboardings.start(hire);
    const waiting = await waitForStatus(handle, 'awaiting-approval');
    return { hire, handle, workflowId, waiting, before };
  }
  const after = (email: string) => Object.fromEntries(VENDORS.map((v) => [v, allUsers(h.sandboxes, v, email).map((u) => `${u.id}:${u.state}`)]));

  test('waits for approval, listing the five accounts it would adopt; approved, it creates and deletes nothing', () =>
    h.withWorkers(async () => {
      const { hire, handle, workflowId, waiting, before } = await waitingForAdoption('adopt-all');
      expect(waiting.approvalFor).toEqual(['adoption']);
      const details = await currentDetails(workflowId);
      expect(details).toContain('**Waiting for:** approval of adopting the accounts that already exist.');
      for (const vendor of VENDORS) {
        expect(waiting.vendors[vendor]).toMatchObject({ state: 'adopted', id: liveUsers(h.sandboxes, vendor, hire.email)[0]!.id });
        // The account as the vendor shows it, in the last column (after the vendor's settings).
        expect(details).toMatch(new RegExp(`\\| ${waiting.vendors[vendor].id!.replace(/[|]/g, '\\|')} \\| [^|]* \\| Ada Lovelace`));
      }

      expect(await h.onboardings.approve(workflowId, { by: 'it-lead@example.com' })).toBe('approved by it-lead@example.com');
      const result = await handle.result();
      expect(result).toMatchObject({ status: 'completed', approvedBy: 'it-lead@example.com', invite: { state: 'not-applicable' } });
      expect(after(hire.email)).toEqual(before);
    }));

  test('rejected, it deletes nothing', () =>
    h.withWorkers(async () => {
      const { hire, handle, workflowId, before } = await waitingForAdoption('adopt-all-reject');
      await h.onboardings.reject(workflowId, { by: 'hr@example.com', reason: 'not our hire' });
      expect((await handle.result()).status).toBe('rejected');
      expect(after(hire.email)).toEqual(before);
    }));
});

test('an approve signal with no input is shown in the query and the Web UI details, not dropped', () =>
  h.withWorkers(async () => {
    const { handle, workflowId } = await h.onboardings.start(uniqueHire('ignored-signal'));
    await waitForStatus(handle, 'awaiting-approval');
    await handle.signal(approveSignal, undefined as never);
    const ignored = await until('the ignored signal', async () => {
      const { ignoredSignals } = await handle.query(progressQuery);
      return ignoredSignals.length > 0 ? ignoredSignals : undefined;
    });
    expect(ignored).toEqual([{ signal: 'approve', at: expect.any(String), reason: 'approve needs {"by": "<who approves>"}' }]);
    expect(await currentDetails(workflowId)).toContain('⚠️ **Ignored `approve` signal** at');
    // The next decision clears it from the details (it stays in the progress).
    await new OnboardingClient(h.client).approve(workflowId, { by: 'it-lead@example.com' });
    await handle.result();
    expect(await currentDetails(workflowId)).not.toContain('Ignored');
    expect((await handle.query(progressQuery)).ignoredSignals).toHaveLength(1);
  }));

test('a rejected hire sent again by two callers at once starts exactly one new onboarding; neither caller sees an error', () =>
  h.withWorkers(async () => {
    const hire = uniqueHire('restart-race');
    const first = await h.onboardings.start(hire);
    await waitForStatus(first.handle, 'awaiting-approval');
    await h.onboardings.reject(first.workflowId, { by: 'hr' });
    expect((await first.handle.result()).status).toBe('rejected');

    const both = await Promise.all([h.onboardings.start(hire), h.onboardings.start(hire)]);
    expect(both.map((s) => s.workflowId)).toEqual([first.workflowId, first.workflowId]);
    expect(both.filter((s) => s.started)).toHaveLength(1);
    const runs = await until('both runs listed', async () => {
      const ids = new Set<string>();
      for await (const run of h.client.workflow.list({ query: `WorkflowId = '${first.workflowId}'` })) ids.add(run.runId);
      return ids.size >= 2 ? ids : undefined;
    });
    expect(runs.size).toBe(2); // the rejected run and one new one

    const again = both.find((s) => s.started)!;
    await waitForStatus(again.handle, 'awaiting-approval');
    await h.onboardings.reject(again.workflowId, { by: 'hr' });
    await again.handle.result();
  }));
