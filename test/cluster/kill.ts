/** Last resort on process exit: SIGKILL whatever of a cluster still runs, synchronously (no awaiting in an exit handler). */
import { clusterLayout } from '../../scripts/cluster/layout.js';
import { runningPid } from '../../scripts/cluster/processes.js';

export function killClusterNow(dir: string): void {
  const layout = clusterLayout(dir);
  for (const name of ['ui', 'temporal', 'postgres'] as const) {
    const pid = runningPid(layout, name);
    if (pid !== undefined) process.kill(pid, 'SIGKILL');
  }
}
