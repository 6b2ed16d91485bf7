/**
 * Histories recorded by the saga tests, replayed by the last test of test/saga.test.ts against the current
 * workflow code so a non-deterministic change fails CI. Set RECORD_HISTORIES=1 to refresh the
 * committed set in test/histories/ (do that when the workflow changes on purpose, with a
 * versioning plan for running onboardings).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';

export const COMMITTED_HISTORIES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../histories');

/** This run's histories, beside the workflow bundle (removed by global-teardown). */
export function runHistoriesDir(): string {
  return path.join(path.dirname(process.env.WORKFLOW_BUNDLE_FILE!), 'histories');
}

export async function recordHistory(handle: WorkflowHandle): Promise<void> {
  const history = await handle.fetchHistory();
  const name = `${handle.workflowId.replace(/-[0-9a-f]{8}$/, '')}.json`;
  const dirs = [runHistoriesDir(), ...(process.env.RECORD_HISTORIES ? [COMMITTED_HISTORIES_DIR] : [])];
  for (const dir of dirs) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, name), `{"workflowId":${JSON.stringify(handle.workflowId)},"history":${historyToJSON(history)}}`);
  }
}

export function readHistories(dir: string): { workflowId: string; history: unknown }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
}
