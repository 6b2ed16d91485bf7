/**
 * The cluster's long-running processes (PostgreSQL, the Temporal server, the UI server): started
 * detached so they outlive `npm run cluster -- up`, each with a pid file and a log file under the
 * cluster's run directory, stopped with a polite signal and SIGKILL after a grace period.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { ClusterLayout, ServiceName } from './layout.js';

interface PidRecord {
  pid: number;
  command: string;
}

export interface DaemonSpec {
  name: ServiceName;
  command: string;
  args: string[];
  cwd?: string;
  /** Run as this user (PostgreSQL refuses to run as root). */
  user?: { uid: number; gid: number };
}

/** The pid of the service's running process, or undefined (stale pid files are removed). */
export function runningPid(layout: ClusterLayout, name: ServiceName): number | undefined {
  const file = layout.run.pidFile(name);
  if (!existsSync(file)) return undefined;
  let record: PidRecord;
  try {
    record = JSON.parse(readFileSync(file, 'utf8')) as PidRecord;
  } catch {
    rmSync(file, { force: true });
    return undefined;
  }
  if (isOurs(record)) return record.pid;
  rmSync(file, { force: true });
  return undefined;
}

/**
 * Alive and still the program we started: after a reboot the pid may belong to something else,
 * which we must never signal.
 */
function isOurs({ pid, command }: PidRecord): boolean {
  if (!alive(pid)) return false;
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync(cmdline)) return process.platform !== 'linux'; // no /proc (macOS): trust the pid
  return readFileSync(cmdline, 'utf8').split('\0')[0] === command;
}

/** Alive and not a zombie (a zombie has exited; only its parent has yet to reap it). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return process.platform !== 'linux';
  // The state letter follows the parenthesised command name, which may itself hold spaces.
  const text = readFileSync(stat, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2, text.lastIndexOf(')') + 3) !== 'Z';
}

export function startDaemon(layout: ClusterLayout, spec: DaemonSpec): number {
  mkdirSync(layout.run.dir, { recursive: true });
  const log = openSync(layout.run.logFile(spec.name), 'a');
  try {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      // Its own process group, no tie to our stdio: it keeps running after `up` returns.
      detached: true,
      stdio: ['ignore', log, log],
      ...(spec.user && { uid: spec.user.uid, gid: spec.user.gid }),
    });
    if (child.pid === undefined) throw new Error(`could not start ${spec.command} (see ${layout.run.logFile(spec.name)})`);
    child.unref();
    writeFileSync(layout.run.pidFile(spec.name), JSON.stringify({ pid: child.pid, command: spec.command } satisfies PidRecord));
    return child.pid;
  } finally {
    closeSync(log);
  }
}

export interface StopOptions {
  /** Signals to try in order, each given `graceMs` to work, before SIGKILL. */
  signals?: NodeJS.Signals[];
  graceMs?: number;
}

/** Stops the service if it runs; resolves once its process is gone. Returns whether it was running. */
export async function stopDaemon(layout: ClusterLayout, name: ServiceName, options: StopOptions = {}): Promise<boolean> {
  const pid = runningPid(layout, name);
  if (pid === undefined) return false;
  const graceMs = options.graceMs ?? 15_000;
  for (const signal of [...(options.signals ?? ['SIGTERM']), 'SIGKILL'] as NodeJS.Signals[]) {
    try {
      process.kill(pid, signal);
    } catch {
      break; // already gone
    }
    if (await gone(pid, signal === 'SIGKILL' ? 5_000 : graceMs)) break;
  }
  rmSync(layout.run.pidFile(name), { force: true });
  return true;
}

async function gone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive(pid)) return true;
    await sleep(100);
  }
  return false;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface WaitOptions {
  timeoutMs: number;
  /** The service whose death ends the wait early, with its log's tail in the error. */
  service?: { layout: ClusterLayout; name: ServiceName };
}

/** Polls `probe` until it resolves true; never a fixed sleep. Fails naming `what` and the last error. */
export async function waitUntil(what: string, probe: () => Promise<boolean>, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await probe()) return;
    } catch (err) {
      lastError = err;
    }
    const { service } = options;
    if (service && runningPid(service.layout, service.name) === undefined) {
      throw new Error(`${service.name} exited while waiting for ${what}.\nLast lines of ${service.layout.run.logFile(service.name)}:\n${logTail(service.layout, service.name)}`);
    }
    if (Date.now() > deadline) {
      const tail = service ? `\nLast lines of ${service.layout.run.logFile(service.name)}:\n${logTail(service.layout, service.name)}` : '';
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message ?? lastError})` : ''}${tail}`);
    }
    await sleep(250);
  }
}

/** The log's last lines, each cut short: the server's JSON lines carry whole Go stack traces. */
function logTail(layout: ClusterLayout, name: ServiceName, lines = 12): string {
  const file = layout.run.logFile(name);
  if (!existsSync(file)) return '(no log)';
  const cut = (line: string) => (line.length > 400 ? `${line.slice(0, 400)}…` : line);
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).map(cut).join('\n');
}
