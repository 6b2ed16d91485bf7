/**
 * The onboarding saga end to end: real dev server, real sandboxes, the real worker code.
 * Every assertion is about what a user would see: users in the sandboxes, the workflow's result
 * or failure, its progress query and its search attributes.
 */
import { CancelledFailure, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import got from 'got';
import { SANDBOX_CREDENTIALS } from '../sandbox/credentials.js';
import { approveSignal, progressQuery, rejectSignal } from '../workflows/definitions.js';
import type { onboardNewHire } from '../workflows/onboarding.js';
import type { OnboardingOptions } from '../workflows/options.js';
import { ONBOARDING_AWAITING, ONBOARDING_MANUAL_CLEANUP, ONBOARDING_STATUS, ONBOARDING_VENDORS_DONE } from '../workflows/search-attributes.js';
import { VENDORS, type VendorName } from '../workflows/vendors.js';
import { uniqueHire } from './support/hires.js';
import { COMMITTED_HISTORIES_DIR, readHistories, recordHistory, runHistoriesDir } from './support/histories.js';
import { dataConverter, workflowBundle } from './support/temporal.js';
import { Worker } from '@temporalio/worker';
import { allUsers, invitesSent as sentInvites, liveUsers, startSagaHarness, type SagaHarness } from './support/saga-harness.js';
import { waitForStatus } from './support/wait.js';

/** Short retry windows, so failures that exhaust them finish within a test. */
const TEST_OPTIONS: OnboardingOptions = { attemptTimeout: '10 seconds', createTimeout: '30 seconds', undoTimeout: '30 seconds' };

const CREATE = { method: 'POST', path: '^/users?$' };
const RELEASED_AT_ONCE = { meetbit: { departmentId: 7 }, partoo: { inviteAt: new Date(0).toISOString() } };
const UNDO: Record<VendorName, { method: string; path?: string }> = {
  netbird: { method: 'DELETE' },
  siit: { method: 'PATCH', path: '/archive$' },
  meetbit: { method: 'DELETE' },
  meetergo: { method: 'DELETE' },
  partoo: { method: 'DELETE' },
};

let h: SagaHarness;
beforeAll(async () => {
  h = await startSagaHarness();
});
afterAll(() => h?.close());
afterEach(() => VENDORS.forEach((v) => h.sandboxes.vendors[v].clearFaults()));

type Handle = WorkflowHandle<typeof onboardNewHire>;

async function start(hire: unknown, options: OnboardingOptions = TEST_OPTIONS): Promise<Handle> {
  return (await h.onboardings.start(hire, options)).handle;
}

async function failureOf(handle: Handle): Promise<Error> {
  const err = await handle.result().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  return (err as WorkflowFailedError).cause!;
}

function expectNoLiveUser(email: string, vendors: readonly VendorName[] = VENDORS) {
  for (const vendor of vendors) expect({ vendor, live: liveUsers(h.sandboxes, vendor, email) }).toEqual({ vendor, live: [] });
}

function expectExactlyOneLiveUser(email: string) {
  for (const vendor of VENDORS) expect({ vendor, live: liveUsers(h.sandboxes, vendor, email).length }).toEqual({ vendor, live: 1 });
}

const invitesSent = (email: string) => sentInvites(h.sandboxes, email);

test('happy path: five users with the hire data, the Partoo invite held until approved, then sent once', () =>
  h.withWorkers(async () => {
    const hire = uniqueHire('happy');
    const handle = await start(hire);
    await waitForStatus(handle, 'awaiting-approval');

    const waiting = await handle.describe();
    expect(waiting.typedSearchAttributes.get(ONBOARDING_STATUS)).toBe('awaiting-approval');
    expect(waiting.typedSearchAttributes.get(ONBOARDING_AWAITING)).toBe('approval');
    expect(waiting.typedSearchAttributes.get(ONBOARDING_VENDORS_DONE)?.sort()).toEqual([...VENDORS].sort());
    expect(invitesSent(hire.email)).toBe(0);
    expect(allUsers(h.sandboxes, 'partoo', hire.email)[0]?.state).toBe('invited');

    await handle.signal(approveSignal, { by: 'it-lead@example.com' });
    const result = await handle.result();

    for (const vendor of VENDORS) {
      const [user, ...others] = liveUsers(h.sandboxes, vendor, hire.email);
      expect(others).toEqual([]);
      expect(result.vendors[vendor]).toMatchObject({ state: 'created', origin: 'created', id: user!.id });
      // The hire's own name, accents intact, reached every vendor.
      expect(JSON.stringify(user!.body)).toContain('Zoë');
    }
    expect(result.invite).toMatchObject({ state: 'sent', approvedBy: 'it-lead@example.com', releasedBy: 'approval' });
    expect(invitesSent(hire.email)).toBe(1);
    const done = await handle.describe();
    expect(done.typedSearchAttributes.get(ONBOARDING_STATUS)).toBe('completed');
    expect(done.typedSearchAttributes.get(ONBOARDING_AWAITING)).toBe('none');
    await recordHistory(handle);
  }));

test('the invitation is released at its time without any signal', () =>
  h.withWorkers(async () => {
    const hire = uniqueHire('timed', { vendors: { meetbit: { departmentId: 7 }, partoo: { inviteAt: new Date(Date.now() + 4000).toISOString() } } });
    const handle = await start(hire);
    const result = await handle.result();
    expect(result.invite).toMatchObject({ state: 'sent', releasedBy: 'release-time' });
    expect(invitesSent(hire.email)).toBe(1);
    await recordHistory(handle);
  }));

test('reject while waiting undoes every user it created', () =>
  h.withWorkers(async () => {
    const hire = uniqueHire('reject');
    const handle = await start(hire);
    await waitForStatus(handle, 'awaiting-approval');
    await handle.signal(rejectSignal, { by: 'hr@example.com', reason: 'offer withdrawn' });

    // A rejection is a business decision, not a crash: the workflow completes, saying so.
    const result = await handle.result();
    expect(result).toMatchObject({ status: 'rejected', rejectedBy: 'hr@example.com', rejectionReason: 'offer withdrawn' });
    const closed = await handle.describe();
    expect(closed.status.name).toBe('COMPLETED');
    expect(closed.typedSearchAttributes.get(ONBOARDING_STATUS)).toBe('rejected');
    expectNoLiveUser(hire.email);
    for (const vendor of VENDORS) expect(allUsers(h.sandboxes, vendor, hire.email)).toHaveLength(1); // archived or deleted, not left
    expect(invitesSent(hire.email)).toBe(0);
    const progress = await handle.query(progressQuery);
    expect(progress.status).toBe('rejected');
    expect(progress.failure).toMatch(/Rejected by hr@example.com: offer withdrawn; every user this onboarding created was undone/);
    for (const vendor of VENDORS) expect(progress.vendors[vendor].state).toBe('undone');
    await recordHistory(handle);

    // Rejected is not onboarded: HR may send the hire again (say, with corrected data).
    const again = await h.onboardings.start(hire);
    expect(again.started).toBe(true);
    await waitForStatus(again.handle, 'awaiting-approval');
    await again.handle.cancel();
    expect(await again.handle.result().catch((err: Error) => err.name)).toBe('WorkflowFailedError');
  }));

// Each vendor failing in turn is the workflow-logic table's; here one refusal travels the real HTTP path.
test('a permanent create failure (MeetBit answers 400) rolls back the users already created and names the vendor', () =>
  h.withWorkers(async () => {
    const hire = uniqueHire('fail-meetbit');
    h.sandboxes.vendors.meetbit.addFault({ kind: 'fail-next', count: 1, status: 400, match: CREATE });
    const handle = await start(hire);

    const cause = await failureOf(handle);
    expect((cause as ApplicationFailure).type).toBe('OnboardingFailed');
    expect(cause.message).toContain('MeetBit rejected the create as invalid (400)');
    expect(cause.message).toMatch(/every user this onboarding created was undone/);
    expectNoLiveUser(hire.email);
    const progress = await handle.query(progressQuery);
    expect(progress.vendors.meetbit.state).toBe('failed');
    expect(progress.manualCleanup).toEqual([]);
    await recordHistory(handle);
  }));

test('cancelling from the client rolls everything back and ends the workflow as cancelled', () =>
  h.withWorkers(async () => {
    const hire = uniqueHire('cancel');
    const handle = await start(hire);
    await waitForStatus(handle, 'awaiting-approval');
    await handle.cancel();

    const cause = await failureOf(handle);
    expect(cause).toBeInstanceOf(CancelledFailure);
    expect((await handle.describe()).status.name).toBe('CANCELLED');
    expectNoLiveUser(hire.email);
    expect((await handle.query(progressQuery)).status).toBe('cancelled');
    expect((await handle.describe()).typedSearchAttributes.get(ONBOARDING_STATUS)).toBe('cancelled');
    await recordHistory(handle);
  }));

describe('transient vendor faults on every vendor still give exactly one user per vendor', () => {
  test.each([
    ['500s', { kind: 'fail-next', count: 2, status: 500 }],
    ['429s with Retry-After', { kind: 'burst-429', count: 1, retryAfterSeconds: 3 }],
    ['429s without Retry-After', { kind: 'burst-429', count: 1 }],
    ['lost responses (500 after commit)', { kind: 'lost-response', count: 1, mode: '500' }],
    ['lost responses (connection dropped after commit)', { kind: 'lost-response', count: 1, mode: 'drop' }],
  ] as const)('%s', (name, fault) =>
    h.withWorkers(async () => {
      // Released at once (a release time in the past): the faults, not a person, are under test.
      const hire = uniqueHire(`transient-${name.split(' ')[0]}`, { vendors: RELEASED_AT_ONCE });
      for (const vendor of VENDORS) h.sandboxes.vendors[vendor].addFault({ ...fault, match: CREATE });
      const started = Date.now();
      const handle = await start(hire);
      const result = await handle.result();

      expectExactlyOneLiveUser(hire.email);
      for (const vendor of VENDORS) {
        expect(result.vendors[vendor]).toMatchObject({ state: 'created', origin: 'created', id: liveUsers(h.sandboxes, vendor, hire.email)[0]!.id });
      }
      if (fault.kind === 'burst-429' && 'retryAfterSeconds' in fault) {
        // Retry-After (3 s) overrides the 1 s initial retry interval.
        expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
      }
      await recordHistory(handle);
    }),
  );
});

test('a user that existed before is adopted and survives a later rollback', () =>
  h.withWorkers(async () => {
    const hire = uniqueHire('adopt');
    await got.post(`${h.sandboxes.urls.netbird}/users`, {
      headers: { authorization: `Token ${SANDBOX_CREDENTIALS.netbird.token}` },
      json: { email: hire.email, name: 'Existing Account', role: 'user', auto_groups: [], is_service_user: false },
    });
    h.sandboxes.vendors.meetergo.addFault({ kind: 'fail-next', count: 1, status: 400, match: CREATE });
    const handle = await start(hire);

    const cause = await failureOf(handle);
    expect(cause.message).toContain('meetergo');
    const progress = await handle.query(progressQuery);
    expect(progress.vendors.netbird).toMatchObject({ state: 'adopted', origin: 'adopted' });
    expect(liveUsers(h.sandboxes, 'netbird', hire.email)).toHaveLength(1);
    expectNoLiveUser(hire.email, ['siit', 'meetbit', 'meetergo', 'partoo']);
    await recordHistory(handle);
  }));

test('a compensation that keeps failing is reported as manual cleanup; the other undos still happen', () =>
  h.withWorkers(async () => {
    const hire = uniqueHire('stuck-undo');
    const handle = await start(hire, { ...TEST_OPTIONS, undoTimeout: '5 seconds' });
    await waitForStatus(handle, 'awaiting-approval');
    h.sandboxes.vendors.meetergo.addFault({ kind: 'fail-next', count: 1000, status: 500, match: UNDO.meetergo });
    await handle.signal(rejectSignal, { by: 'hr@example.com' });

    expect((await handle.result()).status).toBe('rejected');
    const progress = await handle.query(progressQuery);
    expect(progress.failure).toMatch(/needs manual cleanup: meetergo/);
    expect(progress.status).toBe('needs-manual-cleanup');
    expect(progress.vendors.meetergo.state).toBe('manual-cleanup');
    expect(progress.manualCleanup).toEqual([expect.objectContaining({ vendor: 'meetergo', id: progress.vendors.meetergo.id })]);
    const { typedSearchAttributes } = await handle.describe();
    expect(typedSearchAttributes.get(ONBOARDING_MANUAL_CLEANUP)).toEqual(['meetergo']);
    expect(typedSearchAttributes.get(ONBOARDING_STATUS)).toBe('needs-manual-cleanup');
    expect(liveUsers(h.sandboxes, 'meetergo', hire.email)).toHaveLength(1);
    expectNoLiveUser(hire.email, ['netbird', 'siit', 'meetbit', 'partoo']);
    await recordHistory(handle);
  }));

test('a second start of the same hire is the same onboarding, and creates nothing twice', () =>
  h.withWorkers(async () => {
    const hire = uniqueHire('twice');
    const first = await h.onboardings.start(hire, TEST_OPTIONS);
    const second = await h.onboardings.start(hire, TEST_OPTIONS);
    expect(first.started).toBe(true);
    expect(second).toMatchObject({ started: false, workflowId: first.workflowId });

    await waitForStatus(second.handle, 'awaiting-approval');
    await second.handle.signal(approveSignal, { by: 'it-lead@example.com' });
    await first.handle.result();
    const afterCompletion = await h.onboardings.start(hire, TEST_OPTIONS);
    expect(afterCompletion.started).toBe(false);
    expectExactlyOneLiveUser(hire.email);
    await recordHistory(first.handle);
  }));

// Declared last: jest runs a file's tests in order, so this replays every history recorded above,
// plus the committed ones from earlier versions of the workflow.
test('replaying the recorded histories with the current workflow code is deterministic', async () => {
  const histories = [...readHistories(runHistoriesDir()), ...readHistories(COMMITTED_HISTORIES_DIR)];
  expect(histories.length).toBeGreaterThanOrEqual(10);
  const failures: string[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle: await workflowBundle(), dataConverter: dataConverter() }, histories)) {
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
});
