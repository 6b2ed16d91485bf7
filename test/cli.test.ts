/**
 * The operator CLI as a user runs it: the real `client/cli.ts` process against the real dev
 * server, with the real workers running in this process and the vendor sandboxes behind them.
 * Each test checks what the user sees (stdout, stderr, exit code) and what happened (the
 * workflow's outcome, the users in the sandboxes).
 */
import { spawn, execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { WorkflowFailedError, WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import { findTemporalCli } from '../scripts/temporal-cli.js';
import { onboardingWorkflowId, progressQuery } from '../workflows/definitions.js';
import type { onboardNewHire } from '../workflows/onboarding.js';
import type { OnboardingProgress } from '../workflows/progress.js';
import { uniqueHire } from './support/hires.js';
import { invitesSent as sentInvites, liveUsers, startSagaHarness, type SagaHarness } from './support/saga-harness.js';
import { temporalConfig, temporalEnv } from './support/temporal.js';
import { until, waitForStatus } from './support/wait.js';
import { tempDir } from './support/temp-dir.js';

let h: SagaHarness;
beforeAll(async () => {
  h = await startSagaHarness();
});
afterAll(() => h?.close());
afterEach(() => h.sandboxes.vendors.partoo.clearFaults());

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run onboard -- ...args` as its own process (tsx, without jest's NODE_OPTIONS). */
function onboard(args: string[], stdin = '', extraEnv: Record<string, string> = {}): Promise<Run> {
  return running(args, stdin, extraEnv).done;
}

/** The same, handing back the process too, for a test that signals it. */
function running(args: string[], stdin = '', extraEnv: Record<string, string> = {}) {
  const { NODE_OPTIONS: _jestOnly, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'client/cli.ts', ...args], {
    env: { ...env, ...temporalEnv(), ...extraEnv },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdin.end(stdin);
  const done = new Promise<Run>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? -1 : null), stdout, stderr }));
  });
  return { child, done, stdout: () => stdout };
}

type Handle = WorkflowHandle<typeof onboardNewHire>;

async function awaitingApproval(hire = uniqueHire('cli')): Promise<{ hire: typeof hire; handle: Handle }> {
  const { handle } = await h.onboardings.start(hire);
  await waitForStatus(handle, 'awaiting-approval');
  return { hire, handle };
}

const invitesSent = (email: string) => sentInvites(h.sandboxes, email);

function hireFile(content: unknown): string {
  const file = path.join(tempDir('onboard-cli'), 'hire.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

test('start with a bad file: exit 2, every bad field named on stderr, nothing started', async () => {
  const hire = uniqueHire('cli-bad', { email: 'not-an-email', startDate: '2026-02-30' });
  const run = await onboard(['start', hireFile(hire)]);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/^error: .*hire\.json: email: /m);
  expect(run.stderr).toMatch(/^error: .*hire\.json: startDate: /m);
  expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  await expect(h.client.workflow.getHandle(onboardingWorkflowId(hire.employeeId)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
});

test('a file path is relative to where the user ran the command; a JSON mistake names its line and column', async () => {
  const dir = tempDir('onboard-cli-cwd');
  writeFileSync(path.join(dir, 'broken.json'), '{\n  "employeeId": "E1",\n  "email": ,\n}\n');
  // npm runs scripts from the project root and keeps the caller's directory in INIT_CWD.
  const run = await onboard(['start', 'broken.json'], '', { INIT_CWD: dir });
  expect(run).toMatchObject({ code: 2, stdout: '' });
  expect(run.stderr.trim()).toBe('error: broken.json is not valid JSON at line 3, column 12: value expected');
  const missing = await onboard(['start', 'nowhere.json'], '', { INIT_CWD: dir });
  expect(missing.stderr.trim()).toBe(`error: cannot read nowhere.json: no such file (${path.join(dir, 'nowhere.json')})`);
});

test('Ctrl-C during `status --watch`: exit 130, no error output, the CLI gone', () =>
  h.withWorkers(async () => {
    const { hire, handle } = await awaitingApproval();
    const watch = running(['status', hire.employeeId, '--watch']);
    await until('the first view', async () => (watch.stdout().includes('awaiting-approval') ? true : undefined));
    watch.child.kill('SIGINT');
    expect(await watch.done).toMatchObject({ code: 130, stderr: '' });
    expect(watch.child.exitCode).toBe(130);
    // The onboarding itself is untouched by the CLI's exit; end it so it does not outlive the suite.
    expect((await handle.query(progressQuery)).status).toBe('awaiting-approval');
    await h.onboardings.reject(handle.workflowId, { by: 'cli-test' });
    await handle.result();
  }));

test('Temporal unreachable: exit 5, naming the address and how it tried to connect', async () => {
  // The run's own TLS settings stay (the cluster pass has them): only the address is wrong.
  const run = await onboard(['status', 'nobody-here'], '', { TEMPORAL_ADDRESS: '127.0.0.1:1' });
  expect(run.code).toBe(5);
  const how = temporalEnv().TEMPORAL_TLS_CLIENT_CERT_PATH ? 'TLS with a client certificate' : 'no TLS';
  expect(run.stderr).toMatch(new RegExp(`^error: cannot connect to Temporal at 127\\.0\\.0\\.1:1 \\(${how}\\): `));
});

test('an unknown onboarding: exit 4, naming it', async () => {
  for (const args of [['status', 'nobody-here'], ['approve', 'onboarding-nobody-here', '--by', 'ops']]) {
    const run = await onboard(args);
    expect(run).toMatchObject({ code: 4, stdout: '' });
    expect(run.stderr.trim()).toBe(`error: no onboarding onboarding-nobody-here in namespace ${temporalConfig().namespace}`);
  }
});

test('start, start again, status, list, approve: the Partoo invite is sent once; approving again is refused', () =>
  h.withWorkers(async () => {
    const hire = uniqueHire('cli-approve');
    const workflowId = onboardingWorkflowId(hire.employeeId);
    const file = hireFile(hire);

    const started = await onboard(['start', file], '', { TEMPORAL_UI_URL: 'http://ui.example.test:8233' });
    expect(started).toMatchObject({ code: 0, stderr: '' });
    expect(started.stdout).toContain(`Started ${workflowId}.`);
    expect(started.stdout).toContain(`Web UI: http://ui.example.test:8233/namespaces/${temporalConfig().namespace}/workflows/${workflowId}`);
    const again = await onboard(['--json', 'start', '-'], JSON.stringify(hire));
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ workflowId, started: false, webUi: expect.stringContaining(`/workflows/${workflowId}`) });

    const handle: Handle = h.client.workflow.getHandle(workflowId);
    await waitForStatus(handle, 'awaiting-approval');
    const text = await onboard(['status', workflowId]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`${workflowId}: awaiting-approval`);
    expect(text.stdout).toMatch(/Partoo\s*│\s*created/);
    expect(text.stdout).toContain('Waiting for approval of the Partoo invitation');
    expect(text.stdout).toContain('Workflow: RUNNING');
    const json = await onboard(['status', hire.employeeId, '--json']); // the employee id works too
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'awaiting-approval', awaiting: 'approval', invite: { state: 'held' } });

    // Visibility is eventually consistent: the search attribute may lag the query by a moment.
    await until('list to show it', async () => {
      const list = await onboard(['list', '--status', 'awaiting-approval', '--json']);
      expect(list.code).toBe(0);
      const rows = JSON.parse(list.stdout) as { workflowId: string; status: string }[];
      return rows.find((r) => r.workflowId === workflowId);
    });

    // The approve update's validator refuses an approver that is only blanks.
    const noApprover = await onboard(['approve', workflowId, '--by', ' ']);
    expect(noApprover).toMatchObject({ code: 3, stdout: '' });
    expect(noApprover.stderr).toMatch(/^error: refused: approve needs \{"by"/);

    // Partoo answers the invite 503 (retried, never sent) until we have approved again, so the
    // workflow is still running, past the approval: a fixed delay lost the race against a CLI
    // process starting on a loaded machine (2-3 s).
    h.sandboxes.vendors.partoo.addFault({ kind: 'fail-next', count: 1000, status: 503, match: { method: 'POST', path: '/invite$' } });
    const approved = await onboard(['approve', workflowId, '--by', 'ops@example.com']);
    expect(approved).toMatchObject({ code: 0, stderr: '' });
    expect(approved.stdout).toContain('approved by ops@example.com');
    const twice = await onboard(['approve', workflowId, '--by', 'ops@example.com']);
    expect(twice).toMatchObject({ code: 3, stdout: '' });
    expect(twice.stderr.trim()).toBe('error: refused: already approved by ops@example.com');
    h.sandboxes.vendors.partoo.clearFaults();

    const result = await handle.result();
    expect(result.invite).toMatchObject({ state: 'sent', approvedBy: 'ops@example.com', releasedBy: 'approval' });
    expect(invitesSent(hire.email)).toBe(1);
    // The list: newest first, with who decided (from the memo).
    const listed = await until('the list to show the approver', async () => {
      const rows = JSON.parse((await onboard(['list', '--json'])).stdout) as { workflowId: string; approvedBy: string | null; startTime: string }[];
      return rows.find((r) => r.workflowId === workflowId)?.approvedBy ? rows : undefined;
    });
    expect(listed.find((r) => r.workflowId === workflowId)).toMatchObject({ approvedBy: 'ops@example.com' });
    expect(listed.map((r) => r.startTime)).toEqual(listed.map((r) => r.startTime).sort().reverse());
    expect((await onboard(['list'])).stdout).toMatch(new RegExp(`${workflowId}.*approved: ops@example.com`));

    const late = await onboard(['approve', workflowId, '--by', 'ops']);
    expect(late).toMatchObject({ code: 3, stdout: '' });
    expect(late.stderr.trim()).toBe(`error: refused: cannot approve ${workflowId}: it already ended (COMPLETED)`);
  }));

test('reject: the onboarding rolls back; a second reject is refused', () =>
  h.withWorkers(async () => {
    const { hire, handle } = await awaitingApproval();
    const run = await onboard(['reject', hire.employeeId, '--by', 'hr', '--reason', 'offer withdrawn']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('a rollback follows');
    expect((await handle.result()).status).toBe('rejected');
    const progress: OnboardingProgress = await handle.query(progressQuery);
    expect(progress).toMatchObject({ status: 'rejected', rejectedBy: 'hr', invite: { state: 'cancelled' } });
    expect(liveUsers(h.sandboxes, 'partoo', hire.email)).toEqual([]);
    expect(invitesSent(hire.email)).toBe(0);
    expect((await onboard(['reject', hire.employeeId, '--by', 'hr'])).code).toBe(3);
  }));

test('cancel: requests a cancellation (not a termination) and the onboarding rolls back', () =>
  h.withWorkers(async () => {
    const { hire, handle } = await awaitingApproval();
    const run = await onboard(['cancel', handle.workflowId]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('a rollback follows');
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    expect((await handle.describe()).status.name).toBe('CANCELLED');
    expect((await handle.query(progressQuery)).status).toBe('cancelled');
    expect(liveUsers(h.sandboxes, 'netbird', hire.email)).toEqual([]);
  }));

test('the temporal CLI alone can approve (`temporal workflow signal --name approve`), while `status --watch` follows', () =>
  h.withWorkers(async () => {
    const { hire, handle } = await awaitingApproval();
    const watching = onboard(['status', hire.employeeId, '--watch']);
    const temporal = await findTemporalCli({ install: false });
    // Address, namespace and TLS files through the environment variables the temporal CLI reads.
    await promisify(execFile)(temporal, [
      'workflow', 'signal', '--workflow-id', handle.workflowId, '--name', 'approve', '--input', '{"by":"ops"}',
    ], { env: { ...process.env, ...temporalEnv() } });
    expect((await handle.result()).invite).toMatchObject({ state: 'sent', approvedBy: 'ops' });
    expect(invitesSent(hire.email)).toBe(1);

    const watched = await watching; // ends by itself once the workflow has closed
    expect(watched).toMatchObject({ code: 0, stderr: '' });
    expect(watched.stdout).toContain(`${handle.workflowId}: completed`);
    expect(watched.stdout.trim()).toMatch(/Partoo invitation: sent\nApproved by ops\nWorkflow: COMPLETED$/);
  }));
