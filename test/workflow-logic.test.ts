/**
 * The workflow's decisions alone, as a table: the real workflow code on the real dev server (a
 * namespace of its own), with every vendor replaced by scripted in-test activities, so every branch
 * runs in milliseconds. Each case asserts the outcome, the final status, each vendor's state, the
 * undo order (newest first, adopted users never), the invitation and any manual cleanup.
 * The wiring to real HTTP vendors is the saga suite's job (test/saga.test.ts).
 */
import { CancelledFailure, WorkflowFailedError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { NativeConnection } from '@temporalio/worker';
import { OnboardingClient, type OnboardingHandle } from '../client/onboarding-client.js';
import { createOnboardingWorkers, runOnboardingWorkers } from '../workers/onboarding-workers.js';
import { approveSignal, approveUpdate, progressQuery, rejectUpdate } from '../workflows/definitions.js';
import type { NewHireInput } from '../workflows/new-hire.js';
import type { OnboardingOptions } from '../workflows/options.js';
import type { InviteState, OnboardingProgress, OnboardingStatus, VendorState } from '../workflows/progress.js';
import { VENDORS, vendorTaskQueue, type VendorName } from '../workflows/vendors.js';
import { uniqueHire } from './support/hires.js';
import { UNTHROTTLED } from './support/saga-harness.js';
import { ScriptedVendors, type HireScript } from './support/scripted-vendors.js';
import { connectClient, connectWorker, dataConverter, workflowBundle } from './support/temporal.js';
import { until, waitForStatus } from './support/wait.js';

const NAMESPACE = process.env.WORKFLOW_LOGIC_NAMESPACE!;
/**
 * Windows so short that a step failing for good fails at once: its next retry (1 s) would not fit.
 * Cases that hold a step while people act get longer ones (HELD_OPTIONS).
 */
const OPTIONS: OnboardingOptions = { attemptTimeout: '1 second', createTimeout: '1 second', undoTimeout: '1 second', inviteTimeout: '1 second' };
const HELD_OPTIONS: OnboardingOptions = { attemptTimeout: '10 seconds', createTimeout: '10 seconds', undoTimeout: '10 seconds', inviteTimeout: '10 seconds' };

const vendors = new ScriptedVendors();
let client: Client;
let onboardings: OnboardingClient;
let closeClient: () => Promise<void>;
let connection: NativeConnection;
let stopWorkers: () => void;
let workersDone: Promise<unknown>;

beforeAll(async () => {
  ({ client, close: closeClient } = await connectClient(NAMESPACE));
  onboardings = new OnboardingClient(client);
  connection = await connectWorker();
  const workers = await createOnboardingWorkers({
    connection,
    namespace: NAMESPACE,
    activities: vendors.activities(),
    ratePerSecond: UNTHROTTLED,
    dataConverter: dataConverter(),
    workflowBundle: await workflowBundle(),
  });
  workersDone = runOnboardingWorkers(workers, new Promise<void>((resolve) => (stopWorkers = resolve)));
});

afterAll(async () => {
  vendors.releaseAll();
  stopWorkers?.();
  await workersDone;
  await connection?.close();
  await closeClient?.();
});

type Outcome = 'completed' | 'rejected' | 'failed' | 'cancelled' | 'invalid';

interface Run {
  hire: NewHireInput & { email: string };
  handle: OnboardingHandle;
  waitFor(status: OnboardingStatus): Promise<OnboardingProgress>;
  /** The update's refusal, or undefined when it was taken. */
  decide(update: typeof approveUpdate | typeof rejectUpdate, input: unknown): Promise<string | undefined>;
}

interface Case {
  name: string;
  /** A function when the input depends on when the case runs (release times). */
  hire?: Partial<NewHireInput> | (() => Partial<NewHireInput>);
  script?: HireScript;
  /** What people do while it runs. */
  act?: (run: Run) => Promise<void>;
  options?: OnboardingOptions;
  outcome: Outcome;
  status: OnboardingStatus;
  /** Vendors not named are expected `created` (completed) or `undone` (rolled back). */
  vendors?: Partial<Record<VendorName, VendorState>>;
  invite: InviteState;
  invitesSent?: number;
  manualCleanup?: VendorName[];
  message?: RegExp;
}

const approveBy = (by: string) => async (run: Run) => {
  await run.waitFor('awaiting-approval');
  expect(await run.decide(approveUpdate, { by })).toBeUndefined();
};
const rejectWhileWaiting = async (run: Run) => {
  await run.waitFor('awaiting-approval');
  expect(await run.decide(rejectUpdate, { by: 'hr@example.com', reason: 'offer withdrawn' })).toBeUndefined();
};
const inPast = { meetbit: { departmentId: 7 }, partoo: { inviteAt: new Date(0).toISOString() } };
const only = (...enabled: VendorName[]) =>
  Object.fromEntries(VENDORS.map((v) => [v, { enabled: enabled.includes(v), ...(v === 'meetbit' ? { departmentId: 7 } : {}) }])) as NewHireInput['vendors'];
const all = <S extends string>(state: S) => Object.fromEntries(VENDORS.map((v) => [v, state])) as Record<VendorName, S>;

const CASES: Case[] = [
  { name: 'approved: five users, the invitation sent once', act: approveBy('it-lead'), outcome: 'completed', status: 'completed', invite: 'sent', invitesSent: 1 },
  { name: 'a release time already past: no approval needed', hire: { vendors: inPast }, outcome: 'completed', status: 'completed', invite: 'sent', invitesSent: 1 },
  {
    name: 'the release time comes while nobody decides',
    hire: () => ({ vendors: { meetbit: { departmentId: 7 }, partoo: { inviteAt: new Date(Date.now() + 1_500).toISOString() } } }),
    outcome: 'completed',
    status: 'completed',
    invite: 'sent',
    invitesSent: 1,
  },
  {
    name: 'the release time passes while an approval is in flight: one invitation, credited to what came first',
    hire: () => ({ vendors: { meetbit: { departmentId: 7 }, partoo: { inviteAt: new Date(Date.now() + 1_500).toISOString() } } }),
    act: async (run) => {
      await run.waitFor('awaiting-approval');
      const releaseAt = Date.parse((run.hire.vendors as { partoo: { inviteAt: string } }).partoo.inviteAt);
      await new Promise((r) => setTimeout(r, Math.max(0, releaseAt - Date.now() - 5)));
      const refusal = await run.decide(approveUpdate, { by: 'late-approver' });
      const { invite } = await run.handle.result();
      if (refusal) {
        expect(refusal).toMatch(/nothing awaits approval/);
        expect(invite).toMatchObject({ releasedBy: 'release-time' });
      } else {
        expect(invite).toMatchObject({ releasedBy: 'approval', approvedBy: 'late-approver' });
      }
    },
    outcome: 'completed',
    status: 'completed',
    invite: 'sent',
    invitesSent: 1,
  },
  {
    name: 'approve without "by" is refused with the reason; a proper approval then completes',
    act: async (run) => {
      await run.waitFor('awaiting-approval');
      expect(await run.decide(approveUpdate, {})).toMatch(/approve needs \{"by"/);
      expect(await run.decide(approveUpdate, { by: 'it-lead' })).toBeUndefined();
      expect(await run.decide(approveUpdate, { by: 'it-lead' })).toMatch(/already approved by it-lead/);
    },
    outcome: 'completed',
    status: 'completed',
    invite: 'sent',
    invitesSent: 1,
  },
  {
    name: 'Partoo off: nothing to approve (an approval is refused), completes at once',
    hire: { vendors: only('netbird', 'siit', 'meetbit', 'meetergo') },
    act: async (run) => expect(await run.decide(approveUpdate, { by: 'it-lead' })).toMatch(/nothing awaits approval \(the onboarding is (creating|completed)\)/),
    outcome: 'completed',
    status: 'completed',
    vendors: { partoo: 'skipped' },
    invite: 'not-applicable',
  },
  {
    name: 'only two vendors enabled: the others are skipped',
    hire: { vendors: only('netbird', 'siit') },
    outcome: 'completed',
    status: 'completed',
    vendors: { meetbit: 'skipped', meetergo: 'skipped', partoo: 'skipped' },
    invite: 'not-applicable',
  },
  {
    name: 'every account existed: a person approves the adoption; nothing created, nothing deleted',
    script: { create: all('adopted') },
    act: async (run) => {
      const waiting = await run.waitFor('awaiting-approval');
      expect(waiting.approvalFor).toEqual(['adoption']);
      expect(await run.decide(approveUpdate, { by: 'it-lead' })).toBeUndefined();
    },
    outcome: 'completed',
    status: 'completed',
    vendors: all('adopted'),
    invite: 'not-applicable',
  },
  {
    name: 'every account existed and the adoption is rejected: nothing deleted',
    script: { create: all('adopted') },
    act: rejectWhileWaiting,
    outcome: 'rejected',
    status: 'rejected',
    vendors: all('adopted'),
    invite: 'not-applicable',
  },
  {
    name: 'an adoption waits for a person even when the invitation release time has passed',
    hire: { vendors: inPast },
    script: { create: { siit: 'adopted' } },
    act: async (run) => {
      const waiting = await run.waitFor('awaiting-approval');
      expect(waiting.approvalFor).toEqual(['partoo-invitation', 'adoption']);
      expect(await run.decide(approveUpdate, { by: 'it-lead' })).toBeUndefined();
    },
    outcome: 'completed',
    status: 'completed',
    vendors: { siit: 'adopted' },
    invite: 'sent',
    invitesSent: 1,
  },
  {
    name: 'adoptExisting "never": an existing account fails the onboarding at once, naming the vendor; the rest is undone',
    hire: { adoptExisting: 'never' },
    script: { create: { meetbit: 'adopted' } },
    outcome: 'failed',
    status: 'failed',
    vendors: { meetbit: 'adopted' },
    invite: 'cancelled',
    message: /Accounts already exist at MeetBit \(user meetbit-logic-[0-9a-f]+\) and adoptExisting is "never"/,
  },
  {
    name: 'an approve signal without "by" is not dropped silently: it is recorded with the reason, then a proper approval completes',
    act: async (run) => {
      await run.waitFor('awaiting-approval');
      await run.handle.signal(approveSignal, {} as never);
      const recorded = await until('the ignored signal in the progress', async () => {
        const progress = await run.handle.query(progressQuery);
        return progress.ignoredSignals.length > 0 ? progress.ignoredSignals : undefined;
      });
      expect(recorded).toEqual([{ signal: 'approve', at: expect.any(String), reason: 'approve needs {"by": "<who approves>"}' }]);
      expect(await run.decide(approveUpdate, { by: 'it-lead' })).toBeUndefined();
    },
    outcome: 'completed',
    status: 'completed',
    invite: 'sent',
    invitesSent: 1,
  },
  {
    name: 'an approval while the users are still being created is refused: nobody has seen what to approve',
    script: { create: { partoo: 'held' } },
    options: HELD_OPTIONS,
    act: async (run) => {
      await vendors.reached(run.hire.email, 'create', 'partoo');
      expect(await run.decide(approveUpdate, { by: 'it-lead' })).toMatch(/nothing awaits approval \(the onboarding is creating\)/);
      vendors.release(run.hire.email, 'create', 'partoo');
      await approveBy('it-lead')(run);
    },
    outcome: 'completed',
    status: 'completed',
    invite: 'sent',
    invitesSent: 1,
  },
  { name: 'rejected while waiting: every user undone, newest first', act: rejectWhileWaiting, outcome: 'rejected', status: 'rejected', invite: 'cancelled', message: /Rejected by hr@example.com: offer withdrawn/ },
  {
    name: 'rejected while a create is in flight: the create is awaited, then undone',
    script: { create: { netbird: 'held' } },
    options: HELD_OPTIONS,
    act: async (run) => {
      await vendors.reached(run.hire.email, 'create', 'netbird');
      expect(await run.decide(rejectUpdate, { by: 'hr@example.com' })).toBeUndefined();
      vendors.release(run.hire.email, 'create', 'netbird');
    },
    outcome: 'rejected',
    status: 'rejected',
    invite: 'cancelled',
  },
  {
    name: 'a rejection is refused once the invitation is being sent',
    script: { invite: 'held' },
    options: HELD_OPTIONS,
    act: async (run) => {
      await approveBy('it-lead')(run);
      await vendors.reached(run.hire.email, 'invite', 'partoo');
      expect(await run.decide(rejectUpdate, { by: 'hr@example.com' })).toMatch(/the onboarding is inviting, past the point of rejection/);
      vendors.release(run.hire.email, 'invite', 'partoo');
    },
    outcome: 'completed',
    status: 'completed',
    invite: 'sent',
    invitesSent: 1,
  },
  {
    name: 'a second rejection is refused',
    script: { undo: { partoo: 'held' } },
    options: HELD_OPTIONS,
    act: async (run) => {
      await rejectWhileWaiting(run);
      expect(await run.decide(rejectUpdate, { by: 'someone-else' })).toMatch(/already rejected by hr@example.com/);
      vendors.release(run.hire.email, 'undo', 'partoo');
    },
    outcome: 'rejected',
    status: 'rejected',
    invite: 'cancelled',
  },
  {
    name: 'cancelled while waiting: every user undone',
    act: async (run) => {
      await run.waitFor('awaiting-approval');
      await run.handle.cancel();
    },
    outcome: 'cancelled',
    status: 'cancelled',
    invite: 'cancelled',
  },
  {
    name: 'cancelled while a create is in flight: the create is awaited, then undone',
    script: { create: { meetergo: 'held' } },
    options: HELD_OPTIONS,
    act: async (run) => {
      await vendors.reached(run.hire.email, 'create', 'meetergo');
      await run.handle.cancel();
      vendors.release(run.hire.email, 'create', 'meetergo');
    },
    outcome: 'cancelled',
    status: 'cancelled',
    invite: 'cancelled',
  },
  {
    name: 'cancelled while the invitation is being sent: every user undone, the invitation withdrawn',
    script: { invite: 'held' },
    options: HELD_OPTIONS,
    act: async (run) => {
      await approveBy('it-lead')(run);
      await vendors.reached(run.hire.email, 'invite', 'partoo');
      await run.handle.cancel();
    },
    outcome: 'cancelled',
    status: 'cancelled',
    invite: 'cancelled',
  },
  ...VENDORS.map(
    (vendor): Case => ({
      name: `the ${vendor} create is refused: the others are undone, nothing to clean up`,
      script: { create: { [vendor]: 'refused' } },
      outcome: 'failed',
      status: 'failed',
      vendors: { [vendor]: 'failed' },
      invite: 'cancelled',
      message: new RegExp(`Creating users failed \\(.*rejected the create.*every user this onboarding created was undone`, 'i'),
    }),
  ),
  {
    name: 'a create that never answers may have committed: manual cleanup by email',
    script: { create: { meetbit: 'unavailable' } },
    outcome: 'failed',
    status: 'needs-manual-cleanup',
    vendors: { meetbit: 'failed' },
    invite: 'cancelled',
    manualCleanup: ['meetbit'],
    message: /needs manual cleanup: MeetBit/,
  },
  {
    name: 'a create fails after another vendor adopted: the adopted user is never undone',
    script: { create: { netbird: 'adopted', meetergo: 'refused' } },
    outcome: 'failed',
    status: 'failed',
    vendors: { netbird: 'adopted', meetergo: 'failed' },
    invite: 'cancelled',
  },
  ...VENDORS.map(
    (vendor): Case => ({
      name: `the ${vendor} undo fails for good: manual cleanup names it, the other undos still run`,
      script: { undo: { [vendor]: 'fails' } },
      act: rejectWhileWaiting,
      outcome: 'rejected',
      status: 'needs-manual-cleanup',
      vendors: { [vendor]: 'manual-cleanup' },
      invite: 'cancelled',
      manualCleanup: [vendor],
      message: /needs manual cleanup/,
    }),
  ),
  {
    name: 'the invitation fails for good: every user undone',
    script: { invite: 'fails' },
    act: approveBy('it-lead'),
    outcome: 'failed',
    status: 'failed',
    invite: 'cancelled',
    message: /Sending the Partoo invitation failed/,
  },
];

/** The vendors whose createUser completed, in the order the history (and so the workflow) saw them. */
async function createsInCompletionOrder(handle: OnboardingHandle): Promise<VendorName[]> {
  const vendorOfCreate = new Map<string, VendorName>();
  const order: VendorName[] = [];
  for (const event of (await handle.fetchHistory()).events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled?.activityType?.name === 'createUser') {
      vendorOfCreate.set(String(event.eventId), VENDORS.find((v) => vendorTaskQueue(v) === scheduled.taskQueue?.name)!);
    }
    const vendor = vendorOfCreate.get(String(event.activityTaskCompletedEventAttributes?.scheduledEventId));
    if (vendor) order.push(vendor);
  }
  return order;
}

async function outcomeOf(handle: OnboardingHandle): Promise<{ outcome: Outcome; message?: string }> {
  try {
    const result = await handle.result();
    return { outcome: result.status, message: result.status === 'rejected' ? (await handle.query(progressQuery)).failure : undefined };
  } catch (err) {
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause;
    if (cause instanceof CancelledFailure) return { outcome: 'cancelled', message: cause.message };
    const type = (cause as ApplicationFailure).type;
    const outcome = ({ OnboardingFailed: 'failed', InvalidOnboardingInput: 'invalid' } as const)[type as string];
    if (!outcome) throw err;
    return { outcome, message: cause!.message };
  }
}

test.each(CASES)('$name', async (c) => {
  const hire = uniqueHire('logic', typeof c.hire === 'function' ? c.hire() : c.hire);
  vendors.script(hire.email, c.script ?? {});
  const { handle } = await onboardings.start(hire, c.options ?? OPTIONS);
  const run: Run = {
    hire,
    handle,
    waitFor: (status) => waitForStatus(handle, status, 10_000),
    async decide(update, input) {
      try {
        await handle.executeUpdate(update as typeof approveUpdate, { args: [input as never] });
        return undefined;
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError) return (err.cause as Error).message;
        throw err;
      }
    },
  };
  await c.act?.(run);
  const { outcome, message } = await outcomeOf(handle);
  expect(outcome).toBe(c.outcome);
  if (c.message) expect(message).toMatch(c.message);

  const progress = await handle.query(progressQuery);
  const rolledBack = c.outcome !== 'completed';
  const expected = Object.fromEntries(VENDORS.map((v) => [v, c.vendors?.[v] ?? (rolledBack ? 'undone' : 'created')]));
  expect({ status: progress.status, vendors: Object.fromEntries(VENDORS.map((v) => [v, progress.vendors[v].state])) }).toEqual({ status: c.status, vendors: expected });
  expect(progress.invite.state).toBe(c.invite);
  expect(progress.manualCleanup.map((m) => m.vendor)).toEqual(c.manualCleanup ?? []);

  // Undo order: newest first (as the workflow saw the creates complete), only users it created.
  const log = vendors.log(hire.email);
  const created = new Set(log.filter((call) => call.step === 'create' && call.outcome === 'created').map((call) => call.vendor));
  const newestFirst = (await createsInCompletionOrder(handle)).filter((v) => created.has(v)).reverse();
  const undone = [...new Set(log.filter((call) => call.step === 'undo').map((call) => call.vendor))];
  expect(undone).toEqual(rolledBack ? newestFirst : []);
  expect(log.filter((call) => call.step === 'invite' && call.outcome === 'sent')).toHaveLength(c.invitesSent ?? 0);
});

test('bad input fails at once, naming every bad field, and calls no vendor', async () => {
  const hire = { ...uniqueHire('logic-bad'), timezone: 'Mars/Olympus', startDate: '2026-02-30' };
  vendors.script(hire.email, {});
  // Past the library's own validation: the workflow must defend itself too.
  const handle: OnboardingHandle = await client.workflow.start('onboardNewHire', { taskQueue: 'onboarding', workflowId: `onboarding-${hire.employeeId}`, args: [hire] });
  const { outcome, message } = await outcomeOf(handle);
  expect(outcome).toBe('invalid');
  expect(message).toMatch(/timezone: .*startDate: /);
  expect(vendors.log(hire.email)).toEqual([]);
});
