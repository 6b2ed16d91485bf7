/**
 * A fresh folder for one test's files, inside this run's folder (TEST_RUN_DIR, made by the global
 * set-up and removed by its teardown), so a run leaves nothing behind: no keys, no certificates.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(process.env.TEST_RUN_DIR ?? os.tmpdir(), `${prefix}-`));
}
