/**
 * `npm run onboard -- <command>`: the operator's CLI. Starts, follows, approves, rejects, cancels
 * and lists onboardings through the client library, with exit codes a script can rely on (see
 * EXIT and `--help`).
 */
import { Client, Connection } from '@temporalio/client';
import { NamespaceNotFoundError } from '@temporalio/common';
import Table from 'cli-table3';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import logUpdate from 'log-update';
import { onboardingDataConverter } from '../codec/data-converter.js';
import { ConfigError, connectProblem, grpcCode, describePayloadEncryption, loadConfig, workflowUiLink, type TemporalConfig } from '../config/environment.js';
import { parseNewHire } from '../workflows/new-hire.js';
import { ONBOARDING_STATUSES } from '../workflows/progress.js';
import { NoWorkerAnswerError, OnboardingClient, OnboardingNotFoundError, OnboardingRefusedError } from './onboarding-client.js';
import { JsonFileError, readJsonFile } from './cli/json-file.js';
import { renderProgress } from './progress-view.js';

const EXIT = { ok: 0, unexpected: 1, usage: 2, refused: 3, notFound: 4, unreachable: 5, doctorFound: 6, interrupted: 130 } as const;

/** An expected failure: its exit code and one line per problem on stderr, never a stack trace. */
class CliError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}


interface GlobalOptions {
  address?: string;
  namespace?: string;
  json?: boolean;
}

const program = new Command('onboard')
  .description('Start, follow and steer employee onboardings on Temporal.')
  .option('--address <host:port>', 'Temporal frontend (default: $TEMPORAL_ADDRESS, else 127.0.0.1:7233)')
  .option('--namespace <name>', 'Temporal namespace (default: $TEMPORAL_NAMESPACE, else default)')
  .option('--json', 'machine-readable output on stdout')
  .addHelpText(
    'after',
    `
<id> is a workflow id (onboarding-E1042) or an HR employee id (E1042).

Exit codes:
  0  ok
  1  unexpected error
  2  bad input or usage
  3  refused by the workflow (e.g. nothing awaits approval, or it already ended)
  4  not found (no such onboarding)
  5  cannot reach Temporal
  6  doctor found something to fix
  130  interrupted (Ctrl-C)`,
  )
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride(); // inherited by the commands below: we choose the exit codes

const globals = () => program.opts<GlobalOptions>();
const output = (json: unknown, text: string) => console.log(globals().json ? JSON.stringify(json, null, 2) : text);

let settings: TemporalConfig | undefined;
/**
 * The config loader's Temporal settings, with --address and --namespace over the environment;
 * read once per command (the profile file and certificates are files).
 */
function temporalSettings(): TemporalConfig {
  if (!settings) {
    const { address, namespace } = globals();
    const env = { ...process.env, ...(address && { TEMPORAL_ADDRESS: address }), ...(namespace && { TEMPORAL_NAMESPACE: namespace }) };
    settings = loadConfig(['temporal'], env).temporal;
  }
  return settings;
}

let connection: Connection | undefined;
async function connect(): Promise<OnboardingClient> {
  const temporal = temporalSettings();
  // The key that encrypts what we send and decrypts what we show (a missing one: exit 2, named).
  const { payloadEncryption } = loadConfig(['payloadEncryption']);
  if (!payloadEncryption.encrypt) console.error(describePayloadEncryption(payloadEncryption));
  try {
    connection ??= await Connection.connect({ ...temporal.connectionOptions, connectTimeout: '5 seconds' });
  } catch (err) {
    // The same words, TLS hints included, as the worker and doctor give.
    throw new CliError(EXIT.unreachable, connectProblem(temporal, err as Error));
  }
  return new OnboardingClient(new Client({ connection, namespace: temporal.namespace, dataConverter: onboardingDataConverter(payloadEncryption) }));
}

program
  .command('start')
  .description('start the onboarding of the new hire in <file> (JSON, relative to where you run it; "-" reads stdin)')
  .argument('<file>')
  .action(async (file: string) => {
    const { name, value: input } = readJsonFile(file);
    const parsed = parseNewHire(input);
    if (!parsed.ok) {
      throw new CliError(EXIT.usage, parsed.issues.map((i) => `${name}: ${i.field}: ${i.message}`).join('\n'));
    }
    const { workflowId, started } = await (await connect()).start(input);
    const link = workflowUiLink(temporalSettings(), workflowId);
    output(
      { workflowId, started, ...(link && { webUi: link }) },
      [
        started ? `Started ${workflowId}.` : `${workflowId} already exists: nothing new was started.`,
        ...(link ? [`Web UI: ${link}`] : []),
        `Follow it: npm run onboard -- status ${workflowId} --watch`,
      ].join('\n'),
    );
  });

program
  .command('status')
  .description("show an onboarding's progress per vendor")
  .argument('<id>')
  .option('--watch', 'redraw live until the onboarding ends (with --json: one JSON line per change)')
  .action(async (id: string, { watch }: { watch?: boolean }) => {
    const onboardings = await connect();
    const json = globals().json;
    const live = watch && !json && process.stdout.isTTY;
    const views = watch ? onboardings.watch(id) : [await onboardings.view(id)];
    for await (const { workflowId, workflowStatus, progress } of views) {
      const view = json ? JSON.stringify(progress, null, watch ? undefined : 2) : `${renderProgress(workflowId, progress)}\nWorkflow: ${workflowStatus}`;
      if (live) logUpdate(view);
      else console.log(view);
    }
    if (live) logUpdate.done();
  });

program
  .command('approve')
  .description('approve the held Partoo invitation (refused when nothing awaits approval)')
  .argument('<id>')
  .requiredOption('--by <who>', 'who approves (kept in the history)')
  .action(async (id: string, { by }: { by: string }) => {
    const onboardings = await connect();
    const message = await onboardings.approve(id, { by });
    const { workflowId } = onboardings.handle(id);
    output({ workflowId, approved: true, message }, `${workflowId}: ${message}.`);
  });

program
  .command('reject')
  .description('reject the onboarding: every user it created is undone (refused once past the point of rejection)')
  .argument('<id>')
  .requiredOption('--by <who>', 'who rejects (kept in the history)')
  .option('--reason <text>', 'why')
  .action(async (id: string, { by, reason }: { by: string; reason?: string }) => {
    const onboardings = await connect();
    const message = await onboardings.reject(id, { by, ...(reason && { reason }) });
    const { workflowId } = onboardings.handle(id);
    output({ workflowId, rejected: true, message }, `Rejected ${workflowId}: a rollback follows (every user it created is undone).`);
  });

program
  .command('cancel')
  .description('cancel the onboarding (never terminates): every user it created is undone')
  .argument('<id>')
  .action(async (id: string) => {
    const onboardings = await connect();
    await onboardings.cancel(id);
    const { workflowId } = onboardings.handle(id);
    output({ workflowId, cancelRequested: true }, `Cancellation of ${workflowId} requested: a rollback follows (every user it created is undone).`);
  });

program
  .command('list')
  .description('list onboardings, newest first')
  .addOption(new Option('--status <status>', 'only onboardings in this state').choices(ONBOARDING_STATUSES))
  .addOption(new Option('--limit <n>', 'at most this many').argParser(positiveInt).default(100))
  .action(async ({ status, limit }: { status?: string; limit: number }) => {
    const rows = await (await connect()).list({ status, limit });
    const table = new Table({ head: ['workflow id', 'status', 'awaiting', 'decided by', 'workflow', 'started'], style: { head: [], border: [] } });
    const decided = (r: (typeof rows)[number]) =>
      r.memoUnreadable ? '(unknown: not readable with these payload keys)' : r.rejectedBy ? `rejected: ${r.rejectedBy}` : r.approvedBy ? `approved: ${r.approvedBy}` : '';
    table.push(...rows.map((r) => [r.workflowId, r.status ?? '', r.awaiting ?? '', decided(r), r.workflowStatus, r.startTime]));
    output(rows, rows.length > 0 ? table.toString() : 'No onboardings found.');
  });

program
  .command('doctor')
  .description("check, read-only, what a deployment needs: Temporal, namespace, search attributes, workers on each queue, each vendor's credentials (from the worker's variables)")
  .action(async () => {
    const { address, namespace } = globals();
    // Loaded here, not at the top: it brings every vendor's HTTP client, which no other command needs.
    const { runDoctor } = await import('./doctor.js');
    const checks = await runDoctor({ ...process.env, ...(address && { TEMPORAL_ADDRESS: address }), ...(namespace && { TEMPORAL_NAMESPACE: namespace }) });
    const table = new Table({ head: ['check', 'status', 'details / what to fix'], style: { head: [], border: [] }, wordWrap: true, colWidths: [28, 8, 90] });
    table.push(...checks.map((c) => [c.check, c.status === 'fail' ? 'FAIL' : c.status, c.detail]));
    const failed = checks.filter((c) => c.status === 'fail').length;
    output(checks, `${table.toString()}
${failed === 0 ? 'Everything checked is fine.' : `${failed} to fix.`}`);
    if (failed > 0) process.exitCode = EXIT.doctorFound;
  });

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

/** Maps a failure to its exit code and one line naming what was wrong. */
function explain(err: unknown): { code: number; message?: string } {
  if (err instanceof CommanderError) {
    // Commander already printed the usage error, or the help asked for (exit code 0).
    return { code: err.exitCode === 0 ? EXIT.ok : EXIT.usage };
  }
  if (err instanceof CliError) return { code: err.exitCode, message: err.message };
  if (err instanceof JsonFileError) return { code: EXIT.usage, message: err.message };
  if (err instanceof ConfigError) return { code: EXIT.usage, message: err.message };
  if (err instanceof OnboardingNotFoundError) return { code: EXIT.notFound, message: `no onboarding ${err.workflowId} in namespace ${temporalSettings().namespace}` };
  if (err instanceof OnboardingRefusedError) return { code: EXIT.refused, message: `refused: ${err.reason}` };
  if (err instanceof NoWorkerAnswerError) return { code: EXIT.unexpected, message: err.message };
  if (err instanceof NamespaceNotFoundError) return { code: EXIT.usage, message: `namespace ${err.namespace} does not exist on ${temporalSettings().address}` };
  if (grpcCode(err) === 14 /* UNAVAILABLE */) return { code: EXIT.unreachable, message: `cannot reach Temporal at ${temporalSettings().address}` };
  return { code: EXIT.unexpected, message: `unexpected error: ${causes(err).join(': ')}` };
}

/** "Failed to start Workflow: 3 INVALID_ARGUMENT: ...": the SDK's message alone hides the reason. */
function causes(err: unknown): string[] {
  if (!(err instanceof Error)) return [String(err)];
  return [err.message, ...(err.cause ? causes(err.cause) : [])];
}

// Ctrl-C (`status --watch` is the usual place for it): exit at once and quietly. Closing the
// connection first would only make the calls in flight report it; the process owns nothing else.
process.once('SIGINT', () => {
  if (process.stdout.isTTY) logUpdate.done();
  process.exit(EXIT.interrupted);
});

try {
  await program.parseAsync();
} catch (err) {
  const { code, message } = explain(err);
  for (const line of message?.split('\n') ?? []) console.error(`error: ${line}`);
  process.exitCode = code;
} finally {
  await connection?.close();
}
