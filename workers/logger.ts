/**
 * The SDK runtime's logger for worker processes (workflow and activity logs go through it too).
 * One JSON object per line when stderr is not a terminal (log shippers), readable text when it is.
 * Errors in the metadata are written out (name, message, failure type, cause): JSON.stringify alone
 * turns an Error into `{}`, which is what a 3 a.m. reader would otherwise get.
 *
 * Logs are not encrypted, so what they say about people is kept to ids: the activities clear
 * the hire's own values from failures, the workflow logs no names; as a last guard, anything
 * shaped like an email address is replaced here (a vendor's words may name another account).
 */
import { DefaultLogger, type LogEntry, type LogLevel } from '@temporalio/worker';

/**
 * Our vendor workers register no workflows, by design (one queue per vendor), and no worker
 * registers Nexus services; the SDK says so for each worker at every start.
 */
const EXPECTED = /^No (activities|workflows|Nexus services) registered, not polling/;
const LEVELS: readonly LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

export function workerLogger(options: { level?: string; json?: boolean } = {}): DefaultLogger {
  const wanted = (options.level ?? process.env.LOG_LEVEL ?? 'INFO').toUpperCase() as LogLevel;
  const level = LEVELS.includes(wanted) ? wanted : 'INFO';
  const json = options.json ?? !process.stderr.isTTY;
  return new DefaultLogger(level, (entry: LogEntry) => {
    if (EXPECTED.test(entry.message)) return;
    const time = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
    const meta = entry.meta ? (plain(entry.meta) as Record<string, unknown>) : undefined;
    const message = withoutEmails(entry.message);
    if (json) {
      // time, level and message are the line's own: metadata of the same name must not replace them.
      const { time: _t, level: _l, message: _m, ...rest } = meta ?? {};
      console.error(withoutEmails(JSON.stringify({ time, level: entry.level, message, ...rest })));
    } else console.error(`${time} [${entry.level}] ${message}${meta ? ` ${withoutEmails(JSON.stringify(meta))}` : ''}`);
  });
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

function withoutEmails(text: string): string {
  return text.replace(EMAIL, '<email>');
}

/** The metadata with every Error replaced by what it says. */
function plain(value: unknown, depth = 0): unknown {
  if (value instanceof Error) {
    const type = (value as { type?: unknown }).type;
    return {
      name: value.name,
      message: value.message,
      ...(typeof type === 'string' && { type }),
      ...(value.cause !== undefined && depth < 5 && { cause: plain(value.cause, depth + 1) }),
    };
  }
  // JSON.stringify throws on a bigint (the SDK's ids and timestamps can be one): a log line must never throw.
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map((v) => plain(v, depth + 1));
  if (value && typeof value === 'object' && depth < 5) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v, depth + 1)]));
  return value;
}
