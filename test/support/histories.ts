/**
 * Histories recorded by the saga tests, replayed by the last test of test/saga.test.ts against the current
 * workflow code so a non-deterministic change fails CI. Set RECORD_HISTORIES=1 to refresh the
 * committed set in test/histories/ (do that when the workflow changes on purpose, with a
 * versioning plan for running onboardings). This run's copies are encrypted with the run's key
 * (replayed with it); the committed ones are written decrypted, since no later run holds that key.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { ENCRYPTED_ENCODING, PayloadEncryptionCodec } from '../../codec/encryption-codec.js';
import { payloadEncryption } from './temporal.js';

export const COMMITTED_HISTORIES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../histories');

/** This run's histories, beside the workflow bundle (removed by global-teardown). */
export function runHistoriesDir(): string {
  return path.join(path.dirname(process.env.WORKFLOW_BUNDLE_FILE!), 'histories');
}

export async function recordHistory(handle: WorkflowHandle): Promise<void> {
  const history = historyToJSON(await handle.fetchHistory());
  const name = `${handle.workflowId.replace(/-[0-9a-f]{8}$/, '')}.json`;
  const write = (dir: string, json: string) => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, name), `{"workflowId":${JSON.stringify(handle.workflowId)},"history":${json}}`);
  };
  write(runHistoriesDir(), history);
  // Recorded from the dev-server pass only: the cluster pass runs the same suites and would
  // overwrite them with the same onboardings, differing only in ids and times.
  if (process.env.RECORD_HISTORIES && !process.env.CLUSTER_TEST_DIR) write(COMMITTED_HISTORIES_DIR, await decryptedHistory(history));
}

/** The history (proto JSON) with every encrypted payload replaced by what it holds. */
async function decryptedHistory(json: string): Promise<string> {
  const config = payloadEncryption();
  if (!config.encrypt) return json;
  const codec = new PayloadEncryptionCodec(config.keys);
  const encrypted = Buffer.from(ENCRYPTED_ENCODING).toString('base64');
  const visit = async (node: unknown): Promise<unknown> => {
    if (Array.isArray(node)) return Promise.all(node.map(visit));
    if (!node || typeof node !== 'object') return node;
    const payload = node as { metadata?: Record<string, string>; data?: string };
    if (payload.metadata?.encoding === encrypted) {
      const [plain] = await codec.decode([
        { metadata: Object.fromEntries(Object.entries(payload.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])), data: Buffer.from(payload.data ?? '', 'base64') },
      ]);
      return {
        metadata: Object.fromEntries(Object.entries(plain!.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
        data: Buffer.from(plain!.data ?? []).toString('base64'),
      };
    }
    return Object.fromEntries(await Promise.all(Object.entries(node).map(async ([k, v]) => [k, await visit(v)])));
  };
  return JSON.stringify(await visit(JSON.parse(json)));
}

export function readHistories(dir: string): { workflowId: string; history: unknown }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
}
