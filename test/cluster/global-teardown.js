/** Stops the run's cluster (its files stay in .cluster/test for a look at the logs; the next run wipes them). */
import { rmSync } from 'node:fs';
import { tsImport } from 'tsx/esm/api';
import { TEST_CLUSTER_DIR } from './global-setup.js';

export default async function globalTeardown() {
  const { stopCluster } = await tsImport('../../scripts/cluster/cluster.ts', import.meta.url);
  await stopCluster({ dir: TEST_CLUSTER_DIR });
  if (globalThis.__TEST_RUN_DIR__) rmSync(globalThis.__TEST_RUN_DIR__, { recursive: true, force: true });
}
