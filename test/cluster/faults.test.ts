/**
 * Faults a real deployment meets, on the production-like cluster (PostgreSQL, Temporal with
 * mTLS): the Temporal server restarted under running onboardings, and the database going away
 * and coming back mid-onboarding. The workers keep running through both, as they would on their
 * own hosts. What must hold is what a user sees: every onboarding finishes, with exactly one user
 * per vendor and one Partoo invitation.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { existingCluster, restartTemporal, startPostgres, stopPostgres, type Cluster } from '../../scripts/cluster/cluster.js';
import { runningPid } from '../../scripts/cluster/processes.js';
import type { onboardNewHire } from '../../workflows/onboarding.js';
import type { OnboardingOptions } from '../../workflows/options.js';
import { VENDORS } from '../../workflows/vendors.js';
import { uniqueHire } from '../support/hires.js';
import { invitesSent, liveUsers, startSagaHarness, type SagaHarness } from '../support/saga-harness.js';
import { until, waitForStatus } from '../support/wait.js';

/** Retry windows long enough to ride out an outage of tens of seconds. */
const OPTIONS: OnboardingOptions = { attemptTimeout: '10 seconds', createTimeout: '3 minutes', undoTimeout: '3 minutes' };
const ONBOARDINGS = 3;

let h: SagaHarness;
let cluster: Cluster;
beforeAll(async () => {
  cluster = existingCluster({ dir: process.env.CLUSTER_TEST_DIR })!;
  if (!cluster) throw new Error('CLUSTER_TEST_DIR names no cluster: run this suite with jest -c jest.cluster.config.js');
  h = await startSagaHarness();
});
afterAll(async () => {
  // A failed test must not leave the next one without a database.
  if (cluster && runningPid(cluster.layout, 'postgres') === undefined) await startPostgres(cluster);
  await h?.close();
});
afterEach(() => VENDORS.forEach((v) => h.sandboxes.vendors[v].clearFaults()));

type Handle = WorkflowHandle<typeof onboardNewHire>;

function expectCompletedOnce(hire: { email: string }, result: Awaited<ReturnType<Handle['result']>>) {
  for (const vendor of VENDORS) {
    const live = liveUsers(h.sandboxes, vendor, hire.email);
    expect({ vendor, live: live.length }).toEqual({ vendor, live: 1 });
    expect(result.vendors[vendor]).toMatchObject({ state: 'created', id: live[0]!.id });
  }
  expect(result.invite.state).toBe('sent');
  expect(invitesSent(h.sandboxes, hire.email)).toBe(1);
}

test('the Temporal server restarted while onboardings wait for approval: approved afterwards, each completes with one user per vendor', () =>
  h.withWorkers(async () => {
    const hires = Array.from({ length: ONBOARDINGS }, () => uniqueHire('restart'));
    const handles: Handle[] = await Promise.all(hires.map(async (hire) => (await h.onboardings.start(hire, OPTIONS)).handle));
    await Promise.all(handles.map((handle) => waitForStatus(handle, 'awaiting-approval')));

    const before = runningPid(cluster.layout, 'temporal');
    await restartTemporal(cluster);
    expect(runningPid(cluster.layout, 'temporal')).not.toBe(before); // a new server process, not the same one

    // Approvals through the library (an update: the workflow answers), on the client connection
    // that saw the server go away; the waits were kept in PostgreSQL, not in the old process.
    for (const handle of handles) await h.onboardings.approve(handle.workflowId, { by: 'it-lead@example.com' });
    const results = await Promise.all(handles.map((handle) => handle.result()));
    hires.forEach((hire, i) => {
      expectCompletedOnce(hire, results[i]!);
      expect(results[i]!.invite).toMatchObject({ approvedBy: 'it-lead@example.com', releasedBy: 'approval' });
    });
  }));

test('PostgreSQL stopped while the vendor creates are in flight, then started: each onboarding completes with one user per vendor', () =>
  h.withWorkers(async () => {
    // Every create takes 2 s, so the database goes away while the vendors are being called and
    // their answers arrive while it is gone.
    for (const v of VENDORS) h.sandboxes.vendors[v].addFault({ kind: 'latency', ms: 2000, match: { method: 'POST', path: '^/users?$' } });
    // Released at once (a release time in the past), so each runs to the end by itself: an approve
    // signal sent up front is ignored while the onboarding is still creating.
    const hires = Array.from({ length: ONBOARDINGS }, () => uniqueHire('pg-down', { vendors: { meetbit: { departmentId: 7 }, partoo: { inviteAt: new Date(0).toISOString() } } }));
    const handles: Handle[] = await Promise.all(hires.map(async (hire) => (await h.onboardings.start(hire, OPTIONS)).handle));
    const requested = (email: string) => VENDORS.every((v) => h.sandboxes.vendors[v].requests().some((r) => r.method === 'POST' && JSON.stringify(r.body ?? '').toLowerCase().includes(email.toLowerCase())));
    await until('every create to reach its vendor', async () => (hires.every((hire) => requested(hire.email)) ? true : undefined));

    await stopPostgres(cluster);
    expect(runningPid(cluster.layout, 'postgres')).toBeUndefined();
    // The vendors answer (users created) while the server cannot record it.
    await until('the vendors to have created the users', async () => (hires.every((hire) => VENDORS.every((v) => liveUsers(h.sandboxes, v, hire.email).length > 0)) ? true : undefined));
    for (const v of VENDORS) h.sandboxes.vendors[v].clearFaults();
    await startPostgres(cluster);

    const results = await Promise.all(handles.map((handle) => handle.result()));
    hires.forEach((hire, i) => expectCompletedOnce(hire, results[i]!));
  }));
