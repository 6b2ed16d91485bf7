/**
 * The cluster test run (jest.cluster.config.js): starts a fresh production-like cluster of its
 * own (PostgreSQL, Temporal 1.29.1 with mTLS, the namespace and search attributes) under
 * .cluster/test, and exports its client settings (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * TEMPORAL_TLS_*) so every suite connects exactly as a worker or the CLI would, over mTLS.
 *
 * Plain JS loading our TypeScript through tsx, as test/global-setup.js does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TEST_CLUSTER_DIR = path.join(root, '.cluster', 'test');

export default async function globalSetup() {
  const { startCluster, stopCluster } = await tsImport('../../scripts/cluster/cluster.ts', import.meta.url);
  const { freePortBase } = await tsImport('../../scripts/cluster/free-ports.ts', import.meta.url);
  const { killClusterNow } = await tsImport('./kill.ts', import.meta.url);
  const { useRunPayloadKey } = await import('../global-setup.js');
  // A fresh cluster each run: no workflow of an earlier run may reach this run's workers.
  await stopCluster({ dir: TEST_CLUSTER_DIR });
  rmSync(TEST_CLUSTER_DIR, { recursive: true, force: true });
  // If jest dies without its teardown, its cluster must not outlive it (the daemons are detached).
  process.once('exit', () => killClusterNow(TEST_CLUSTER_DIR));

  const started = Date.now();
  const cluster = await startCluster({ dir: TEST_CLUSTER_DIR, portBase: await freePortBase(), log: (m) => console.log(`  ${m}`) });
  console.log(`\nCluster for this run up in ${((Date.now() - started) / 1000).toFixed(1)} s: Temporal ${cluster.temporal.address} (mTLS), namespace ${cluster.temporal.namespace}, PostgreSQL port ${cluster.ports.postgres}`);

  Object.assign(process.env, cluster.env);
  process.env.CLUSTER_TEST_DIR = TEST_CLUSTER_DIR;
  globalThis.__TEST_RUN_DIR__ = mkdtempSync(path.join(os.tmpdir(), 'onboarding-cluster-tests-'));
  // Tests write only to this folder (removed by global-teardown.js), as in the dev-server pass.
  process.env.TEST_RUN_DIR = globalThis.__TEST_RUN_DIR__;
  process.env.WORKFLOW_BUNDLE_FILE = path.join(globalThis.__TEST_RUN_DIR__, 'workflow-bundle.json');
  useRunPayloadKey(); // encrypted over mTLS too, with this run's own key
}
