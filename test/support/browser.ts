/**
 * A headless Chromium for the Web UI test. playwright-core never downloads a browser: we drive the
 * system's (Debian's `chromium` package), or the one CHROMIUM_PATH names.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    // --no-sandbox: the tests may run as root. The background-networking flags keep Chromium
    // from dialing Google's services, which a closed network refuses (and which slow it down).
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * The first frame of the page (iframes included) whose text contains `needle`, and that text.
 * The Web UI renders user metadata (summary, current details) as markdown inside iframes.
 */
export async function frameWithText(page: Page, needle: string, timeoutMs: number): Promise<{ frame: Frame; text: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      const text = await frame
        .locator('body')
        .innerText({ timeout: 1_000 })
        .catch(() => '');
      if (text.includes(needle)) return { frame, text };
    }
    if (Date.now() > deadline) throw new Error(`No frame of ${page.url()} shows "${needle}" within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
