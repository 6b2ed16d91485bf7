/**
 * Provisioning rules end to end: a hire carrying HR fields only (examples/new-hire.json) is
 * onboarded with examples/rules.yaml, and each vendor receives the ids the rules name; a worker
 * whose rules name a MeetBit department that does not exist refuses to start, naming the line.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { loadProvisioningRules } from '../activities/provisioning-rules.js';
import { createVendorActivities } from '../activities/index.js';
import { OnboardingClient } from '../client/onboarding-client.js';
import { startSandboxes, type Sandboxes } from '../sandbox/index.js';
import { sandboxVendorsConfig } from '../sandbox/worker-config.js';
import { createOnboardingWorkers, runOnboardingWorkers } from '../workers/onboarding-workers.js';
import { progressQuery } from '../workflows/definitions.js';
import { liveUsers, UNTHROTTLED } from './support/saga-harness.js';
import { connectClient, connectWorker, dataConverter, temporalConfig, temporalEnv, workflowBundle } from './support/temporal.js';
import { vendorEnvironment } from '../config/environment.js';
import { spawnWorkerProcess } from './support/worker-process.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

let sandboxes: Sandboxes;
beforeAll(async () => {
  sandboxes = await startSandboxes({ rateLimits: false });
});
afterAll(() => sandboxes?.stop());

test('examples/new-hire.json (HR fields only) with examples/rules.yaml: each vendor gets the ids the rules name', async () => {
  const sample = JSON.parse(readFileSync(path.join(root, 'examples/new-hire.json'), 'utf8'));
  expect(sample.vendors).toBeUndefined();
  const suffix = randomUUID().slice(0, 8);
  const hire = { ...sample, employeeId: `rules-${suffix}`, email: `ada+${suffix}@example.com`, vendors: { partoo: { inviteAt: new Date(0).toISOString() } } };
  const { client, close } = await connectClient();
  const connection = await connectWorker();
  try {
    const workers = await createOnboardingWorkers({
      connection,
      namespace: temporalConfig().namespace,
      activities: createVendorActivities(sandboxVendorsConfig(sandboxes.urls)),
      ratePerSecond: UNTHROTTLED,
      workflowBundle: await workflowBundle(),
      dataConverter: dataConverter(),
      rules: loadProvisioningRules(path.join(root, 'examples/rules.yaml')),
    });
    const { handle } = await new OnboardingClient(client).start(hire);
    // The query needs a worker too: asked before the workers stop.
    const progress = await runOnboardingWorkers(workers, handle.result().then(() => handle.query(progressQuery)));
    const body = (vendor: Parameters<typeof liveUsers>[1]) => liveUsers(sandboxes, vendor, hire.email)[0]!.body as Record<string, unknown>;
    expect(body('netbird')).toMatchObject({ role: 'user', auto_groups: ['engineering'] });
    expect(body('meetbit')).toMatchObject({ department_id: 7, role: 'User' });
    expect(body('siit')).toMatchObject({ department: 'dep_engineering', teams: ['team_backend'] });
    expect(body('partoo')).toMatchObject({ role: 'BUSINESS_MANAGER' });
    const meetergo = sandboxes.vendors.meetergo.requests().find((r) => r.method === 'POST' && JSON.stringify(r.body).includes(hire.email))!;
    expect(meetergo.body).toMatchObject({ meetingType: { name: 'Intro call', duration: 30, channel: 'zoom' } });
    // What the rules decided shows where people look: the progress (and the Web UI details).
    const { provisioning } = progress!;
    expect(provisioning!.rule).toMatch(/^Engineering \(rules\.yaml line \d+\)$/);
    expect(provisioning!.settings).toMatchObject({ netbird: 'role user, groups engineering', meetbit: 'department 7, role User' });
  } finally {
    await connection.close();
    await close();
  }
});

function ghostRules(): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'rules-')), 'rules.yaml');
  writeFileSync(file, 'default:\n  meetbit: { departmentId: 1 }\nrules:\n  - name: Ghosts\n    when: { department: Ghosts }\n    set:\n      meetbit: { departmentId: 99 }\n');
  return file;
}

test('a worker whose rules name a MeetBit department that does not exist refuses to start, naming the line', async () => {
  const file = ghostRules();
  await expect(spawnWorkerProcess(sandboxVendorsConfig(sandboxes.urls), 60_000, { ONBOARDING_RULES_FILE: file })).rejects.toThrow(
    /rules\.yaml line 7: MeetBit has no department 99 \(it has: 1, 3, 7\)/,
  );
});

test('doctor reports the same rule, with its line', async () => {
  const { NODE_OPTIONS: _jestOnly, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'client/cli.ts', '--json', 'doctor'], {
    cwd: root,
    env: { ...env, ...temporalEnv(), ...vendorEnvironment(sandboxVendorsConfig(sandboxes.urls)), ONBOARDING_RULES_FILE: ghostRules() },
  });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(code).toBe(6);
  const rules = (JSON.parse(stdout) as { check: string; status: string; detail: string }[]).find((c) => c.check === 'Provisioning rules');
  expect(rules).toEqual({ check: 'Provisioning rules', status: 'fail', detail: expect.stringMatching(/rules\.yaml line 7: MeetBit has no department 99/) });
});
