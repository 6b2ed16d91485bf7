/** The SDK runtime's logger for worker processes: warnings and up, minus the expected ones. */
import { DefaultLogger, type LogEntry } from '@temporalio/worker';

/**
 * Our workflow worker registers no activities and our vendor workers no workflows, by design
 * (one queue per vendor); the SDK warns about both at every start.
 */
const EXPECTED = /^No (activities|workflows) registered, not polling/;

export function workerLogger(): DefaultLogger {
  return new DefaultLogger('WARN', (entry: LogEntry) => {
    if (EXPECTED.test(entry.message)) return;
    const meta = entry.meta ? ` ${JSON.stringify(entry.meta)}` : '';
    console.error(`${new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString()} [${entry.level}] ${entry.message}${meta}`);
  });
}
