/**
 * What an operator sees in the Temporal Web UI, checked in a real browser: a second dev server,
 * this one with the UI pointed at our codec server (`--ui-codec-endpoint`), the real workers and
 * sandboxes, and headless Chromium driving UI 2.42. Payloads are encrypted with the run's key: the
 * browser decrypts them through the codec server. An onboarding held for approval is found in the
 * list by its search attribute; its page shows it Running, its input, its search attributes, its
 * summary and its current details (the vendor table and what it waits for). Approved, it
 * completes and the page says so. A rejected one reads as rejected, never "Failed". With the
 * codec server stopped, the page still opens and shows the payloads encrypted, nothing of the
 * hire. Screenshots go to test-results/ (docs/ with UPDATE_SCREENSHOTS=1, for the README).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { createVendorActivities } from '../activities/index.js';
import { sandboxVendorsConfig } from '../sandbox/worker-config.js';
import { OnboardingClient } from '../client/onboarding-client.js';
import { PayloadEncryptionCodec } from '../codec/encryption-codec.js';
import { createCodecServer } from '../codec/server.js';
import { startSandboxes, type Sandboxes } from '../sandbox/index.js';
import { freePort, startDevServer, type DevServer } from '../scripts/dev-server.js';
import { createOnboardingWorkers, runOnboardingWorkers } from '../workers/onboarding-workers.js';
import { approveSignal } from '../workflows/definitions.js';
import type { onboardNewHire } from '../workflows/onboarding.js';
import { VENDOR_LABELS, VENDORS } from '../workflows/vendors.js';
import { frameWithText, launchChromium } from './support/browser.js';
import { uniqueHire } from './support/hires.js';
import { UNTHROTTLED } from './support/saga-harness.js';
import { dataConverter, payloadEncryption, workflowBundle } from './support/temporal.js';
import { waitForStatus } from './support/wait.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Tests write only to ignored folders; the README's pictures are refreshed on purpose. */
const SCREENSHOTS = path.join(root, process.env.UPDATE_SCREENSHOTS ? 'docs' : 'test-results');
const SCREENSHOT = path.join(SCREENSHOTS, 'web-ui.png');
const LIST_SCREENSHOT = path.join(SCREENSHOTS, 'web-ui-list.png');
const ENCRYPTED_SCREENSHOT = path.join(root, 'test-results', 'web-ui-codec-down.png');

/**
 * The list's columns as an operator sets them once with "Configure Columns" (the UI keeps them in
 * the browser's localStorage, per namespace): our search attributes beside the workflow status.
 */
const LIST_COLUMNS = [
  { label: 'Status', pinned: true },
  { label: 'Workflow ID', pinned: true },
  { label: 'OnboardingStatus', pinned: false },
  { label: 'OnboardingAwaiting', pinned: false },
  { label: 'Start', pinned: false },
  { label: 'End', pinned: false },
];

/** The UI is a single-page app: its first load on two busy cores takes seconds. */
const UI_TIMEOUT = 30_000;

let server: DevServer | undefined;
let codecServer: FastifyInstance | undefined;
let sandboxes: Sandboxes | undefined;
let connection: Connection | undefined;
let workerConnection: NativeConnection | undefined;
let client: Client;
let browser: Browser | undefined;
let releaseWorkers: () => void = () => {};
let workersRun: Promise<unknown> = Promise.resolve();

beforeAll(async () => {
  // The codec server answers the UI's origin only, so the UI's port is chosen first; the UI is
  // then started pointing at the codec server, as `npm start` does.
  const uiPort = await freePort();
  const encryption = payloadEncryption();
  if (!encryption.encrypt) throw new Error('the tests run with payload encryption on');
  codecServer = createCodecServer({ codec: new PayloadEncryptionCodec(encryption.keys), uiOrigins: [`http://127.0.0.1:${uiPort}`] });
  const codecUrl = await codecServer.listen({ host: '127.0.0.1', port: 0 });
  server = await startDevServer({ ui: true, uiPort, uiCodecEndpoint: codecUrl, logDir: process.env.TEST_RUN_DIR });
  sandboxes = await startSandboxes({ rateLimits: false });
  connection = await Connection.connect({ address: server.address });
  client = new Client({ connection, namespace: server.namespace, dataConverter: dataConverter() });
  // Once per test file (each has its own module registry); test/support/temporal.ts's
  // connectWorker would dial the global server, not this one.
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  workerConnection = await NativeConnection.connect({ address: server.address });
  const workers = await createOnboardingWorkers({
    connection: workerConnection,
    namespace: server.namespace,
    activities: createVendorActivities(sandboxVendorsConfig(sandboxes.urls)),
    ratePerSecond: UNTHROTTLED,
    dataConverter: dataConverter(),
    workflowBundle: await workflowBundle(),
  });
  const released = new Promise<void>((resolve) => (releaseWorkers = resolve));
  workersRun = runOnboardingWorkers(workers, released);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  // Each step runs even when one before it failed: no browser, server or port is left behind.
  const steps: [string, () => Promise<unknown> | undefined][] = [
    ['browser', () => browser?.close()],
    [
      'workers',
      async () => {
        releaseWorkers();
        await workersRun;
      },
    ],
    ['worker connection', () => workerConnection?.close()],
    ['client connection', () => connection?.close()],
    ['sandboxes', () => sandboxes?.stop()],
    ['dev server', () => server?.stop()],
    ['codec server', () => codecServer?.close()],
  ];
  const errors: string[] = [];
  for (const [name, step] of steps) {
    await Promise.resolve()
      .then(step)
      .catch((err: unknown) => errors.push(`${name}: ${String(err)}`));
  }
  if (errors.length > 0) throw new Error(`cleanup failed: ${errors.join('; ')}`);
}, 60_000);

/** Clicks a workflow page's tab (History, User Metadata, Search Attributes, ...). */
async function openTab(page: Page, name: string) {
  await page.getByRole('tab', { name, exact: true }).click({ timeout: UI_TIMEOUT });
}

/** Until the list shows `text`: visibility is eventually consistent, so reload a few times. */
async function waitInList(page: Page, url: string, text: string, timeoutMs = 45_000) {
  const deadline = Date.now() + timeoutMs;
  await page.goto(url);
  for (;;) {
    const found = await page
      .getByRole('link', { name: text, exact: true })
      .first()
      .waitFor({ timeout: 10_000 })
      .then(() => true)
      .catch(() => false);
    if (found) return;
    if (Date.now() > deadline) throw new Error(`${url} does not list ${text} within ${timeoutMs} ms`);
    await page.reload();
  }
}

test('the Web UI finds an onboarding held for approval, shows its state and details, then shows it completed', async () => {
  const hire = uniqueHire('ui');
  const { handle, workflowId } = await new OnboardingClient(client).start(hire);
  await waitForStatus(handle, 'awaiting-approval');

  const context = await browser!.newContext({ viewport: { width: 1600, height: 1000 } });
  try {
    const page = await context.newPage();
    const namespace = server!.namespace;

    // The list, filtered by our search attribute the way an operator finds what waits on them.
    const query = 'OnboardingStatus="awaiting-approval"';
    await waitInList(page, `${server!.uiUrl}/namespaces/${namespace}/workflows?query=${encodeURIComponent(query)}`, workflowId);
    // The filter the UI parsed from the URL is shown as a chip: the list really is filtered.
    await page.getByText('awaiting-approval').first().waitFor({ timeout: UI_TIMEOUT });

    // The workflow's page, reached the way a person does: by clicking its id.
    await page.getByRole('link', { name: workflowId, exact: true }).first().click();
    await page.waitForURL(`**/namespaces/${namespace}/workflows/${workflowId}/**`, { timeout: UI_TIMEOUT });
    // The page's header: the status badge beside the workflow id heading.
    const header = page.getByTestId('workflow-id-heading').locator('xpath=../..');
    await header.getByText(workflowId, { exact: true }).waitFor({ timeout: UI_TIMEOUT });
    await header.getByText('Running', { exact: true }).waitFor({ timeout: UI_TIMEOUT });
    await page.getByText('onboardNewHire', { exact: true }).first().waitFor({ timeout: UI_TIMEOUT });
    // The input, stored encrypted, decrypted in the browser through the codec server.
    await page.getByText(`"email": "${hire.email}"`).first().waitFor({ timeout: UI_TIMEOUT });
    expect(await page.locator('main').innerText()).toContain(`"lastName": "${hire.lastName}"`);

    // Search attributes: shown as JSON in their own tab.
    await openTab(page, 'Search Attributes');
    await page.getByText('OnboardingAwaiting').first().waitFor({ timeout: UI_TIMEOUT });
    const attributes = await page.locator('main').innerText();
    expect(attributes).toMatch(/"OnboardingStatus":\s*"awaiting-approval"/);
    expect(attributes).toMatch(/"OnboardingAwaiting":\s*"approval"/);
    for (const vendor of VENDORS) expect(attributes).toContain(`"${vendor}"`); // OnboardingVendorsDone

    // User metadata: the static summary and the current details, each markdown in an iframe.
    await openTab(page, 'User Metadata');
    await page.getByText('Current Details', { exact: true }).waitFor({ timeout: UI_TIMEOUT });
    const summary = await frameWithText(page, `Onboarding of employee ${hire.employeeId}`, UI_TIMEOUT);
    expect(summary.text).toContain(`Onboarding of employee ${hire.employeeId} (starts ${hire.startDate})`);
    const details = await frameWithText(page, 'Waiting for:', UI_TIMEOUT);
    expect(details.text).toContain('Status: awaiting-approval');
    expect(details.text).toContain('Waiting for: approval of the Partoo invitation');
    for (const vendor of VENDORS) expect(details.text).toMatch(new RegExp(`${VENDOR_LABELS[vendor]}\\s+\\S+\\s+created`));
    // The activities' summaries, listed under "Events with Metadata".
    for (const vendor of VENDORS) {
      await page.getByText(`Create ${VENDOR_LABELS[vendor]} user`, { exact: true }).first().waitFor({ timeout: UI_TIMEOUT });
    }

    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // Approved (as the UI's "Send signal" would), the onboarding completes; the page says so.
    await handle.signal(approveSignal, { by: 'ui-test' });
    const result = await handle.result();
    expect(result).toMatchObject({ status: 'completed', invite: { state: 'sent', approvedBy: 'ui-test' } });
    await page.reload();
    await header.getByText('Completed', { exact: true }).waitFor({ timeout: UI_TIMEOUT });
    await openTab(page, 'Search Attributes');
    await page.getByText('OnboardingStatus').first().waitFor({ timeout: UI_TIMEOUT });
    expect(await page.locator('main').innerText()).toMatch(/"OnboardingStatus":\s*"completed"/);
  } finally {
    await context.close();
  }
}, 150_000);

test('a rejected onboarding reads as rejected in the list and on its page, never "Failed"', async () => {
  const onboardings = new OnboardingClient(client);
  const { handle, workflowId } = await onboardings.start(uniqueHire('ui-reject'));
  await waitForStatus(handle, 'awaiting-approval');
  await onboardings.reject(workflowId, { by: 'hr@example.com', reason: 'offer withdrawn' });
  expect((await handle.result()).status).toBe('rejected');
  // One more, left waiting, so the list shows the statuses side by side.
  const waiting = await onboardings.start(uniqueHire('ui-waiting'));
  await waitForStatus(waiting.handle, 'awaiting-approval');

  const context = await browser!.newContext({ viewport: { width: 1600, height: 900 } });
  const namespace = server!.namespace;
  const columns = JSON.stringify(JSON.stringify({ [namespace]: LIST_COLUMNS }));
  await context.addInitScript({ content: `localStorage.setItem('namespace-workflow-table-columns', ${columns});` });
  try {
    const page = await context.newPage();
    const query = 'WorkflowType="onboardNewHire"';
    await waitInList(page, `${server!.uiUrl}/namespaces/${namespace}/workflows?query=${encodeURIComponent(query)}`, workflowId);
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: workflowId, exact: true }) });
    await row.getByText('rejected', { exact: true }).waitFor({ timeout: UI_TIMEOUT });
    const rowText = await row.innerText();
    expect(rowText).toContain('Completed');
    expect(rowText).not.toMatch(/failed/i);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: LIST_SCREENSHOT });

    await page.getByRole('link', { name: workflowId, exact: true }).first().click();
    await page.waitForURL(`**/namespaces/${namespace}/workflows/${workflowId}/**`, { timeout: UI_TIMEOUT });
    const header = page.getByTestId('workflow-id-heading').locator('xpath=../..');
    await header.getByText('Completed', { exact: true }).waitFor({ timeout: UI_TIMEOUT });
    await openTab(page, 'User Metadata');
    const details = await frameWithText(page, 'Status:', UI_TIMEOUT);
    expect(details.text).toContain('Status: rejected');
    expect(details.text).toContain('Rejected by: hr@example.com: offer withdrawn');
    expect(await page.locator('body').innerText()).not.toMatch(/\bFailed\b/);
  } finally {
    await context.close();
  }
}, 150_000);

test('with the codec server stopped, the page still opens and shows the payloads encrypted: nothing of the hire, no error page', async () => {
  const hire = uniqueHire('ui-encrypted', { firstName: 'Zoë-Marguerite' });
  const { handle, workflowId } = await new OnboardingClient(client).start(hire);
  await waitForStatus(handle, 'awaiting-approval');
  await codecServer!.close();

  const context = await browser!.newContext({ viewport: { width: 1600, height: 1000 } });
  try {
    const page = await context.newPage();
    await page.goto(`${server!.uiUrl}/namespaces/${server!.namespace}/workflows/${workflowId}`);
    const header = page.getByTestId('workflow-id-heading').locator('xpath=../..');
    await header.getByText(workflowId, { exact: true }).waitFor({ timeout: UI_TIMEOUT });
    await header.getByText('Running', { exact: true }).waitFor({ timeout: UI_TIMEOUT });
    // The UI says why it cannot decrypt, and shows the input as stored: encrypted, with its key id.
    await page.getByText('Codec Server could not connect').filter({ visible: true }).first().waitFor({ timeout: UI_TIMEOUT });
    const encoding = Buffer.from('binary/encrypted').toString('base64');
    await page.getByText(`"encoding": "${encoding}"`).first().waitFor({ timeout: UI_TIMEOUT });
    const keyId = (payloadEncryption() as { keys: { id: string }[] }).keys.at(-1)!.id;
    expect(await page.locator('main').innerText()).toContain(`"encryption-key-id": "${Buffer.from(keyId).toString('base64')}"`);
    mkdirSync(path.dirname(ENCRYPTED_SCREENSHOT), { recursive: true });
    await page.screenshot({ path: ENCRYPTED_SCREENSHOT, fullPage: true });

    // The summary, the activities' summaries and the current details are encrypted too: the UI
    // cannot show them, and shows nothing of them.
    await openTab(page, 'User Metadata');
    await page.getByText('Current Details', { exact: true }).waitFor({ timeout: UI_TIMEOUT });
    await frameWithText(page, 'No Current Details', UI_TIMEOUT);
    await page.getByText('Decoding failed').first().waitFor({ timeout: UI_TIMEOUT });
    for (const frame of page.frames()) {
      const text = await frame.locator('body').innerText({ timeout: UI_TIMEOUT });
      expect(text).not.toContain(hire.firstName);
      expect(text).not.toContain(hire.email);
      expect(text).not.toContain('Status: awaiting-approval');
    }
  } finally {
    await context.close();
    await onboardingsCleanup(handle);
  }
}, 150_000);

/** Lets the waiting onboarding end (rolled back) so its activities do not outlive the suite. */
async function onboardingsCleanup(handle: WorkflowHandle<typeof onboardNewHire>) {
  await new OnboardingClient(client).reject(handle.workflowId, { by: 'ui-test' });
  await handle.result();
}
