/**
 * The cluster's own PostgreSQL: its own data directory, port and unix-socket directory under the
 * cluster directory, listening on 127.0.0.1 only, with password (SCRAM) authentication as a real
 * server has. Never the system instance: that one keeps its own port, socket and data.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { postgresBinDir } from './binaries.js';
import type { ClusterLayout } from './layout.js';
import { runningPid, startDaemon, stopDaemon, waitUntil } from './processes.js';
import { HOST, SERVER_SETTINGS } from './settings.js';

const run = promisify(execFile);

/** The PostgreSQL superuser's password for this cluster, made on first use (0600, never committed). */
export function postgresPassword(layout: ClusterLayout): string {
  const file = layout.postgresPasswordFile;
  if (!existsSync(file)) {
    // Only the secrets folder is private: the folders above it must stay reachable for the postgres user.
    mkdirSync(path.dirname(path.dirname(file)), { recursive: true });
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(24).toString('hex'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

/**
 * PostgreSQL refuses to run as root; as root we run it as the `postgres` user that Debian's
 * package creates (elsewhere as whoever runs the cluster).
 */
async function serverUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const [{ stdout: uid }, { stdout: gid }] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
  } catch {
    throw new Error('running as root, but there is no `postgres` user to run PostgreSQL as (PostgreSQL refuses root). Install Debian\'s postgresql package, or run the cluster as a normal user.');
  }
}

function ownDir(dir: string, user: { uid: number; gid: number } | undefined): void {
  mkdirSync(path.dirname(dir), { recursive: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (user) chownSync(dir, user.uid, user.gid);
}

async function initialise(layout: ClusterLayout, bin: string, user: { uid: number; gid: number } | undefined): Promise<void> {
  const { dataDir } = layout.postgres;
  ownDir(path.dirname(dataDir), user);
  ownDir(dataDir, user);
  // initdb reads the password from a file: one the server's user can read, removed right after.
  const pwfile = path.join(path.dirname(dataDir), '.initdb-password');
  writeFileSync(pwfile, postgresPassword(layout), { mode: 0o600 });
  if (user) chownSync(pwfile, user.uid, user.gid);
  try {
    await run(
      path.join(bin, 'initdb'),
      ['-D', dataDir, '-U', SERVER_SETTINGS.dbUser, `--pwfile=${pwfile}`, '--auth-local=scram-sha-256', '--auth-host=scram-sha-256', '--encoding=UTF8', '--no-locale'],
      { ...(user && { uid: user.uid, gid: user.gid }), cwd: path.dirname(dataDir) },
    );
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true }); // a half-made data directory would stop every later `up`
    const stderr = ((err as { stderr?: string }).stderr ?? String(err)).trim();
    const hint = /Permission denied/.test(stderr) && user ? `\n(the postgres user must be able to reach ${dataDir}: every folder above it needs o+x)` : '';
    throw new Error(`initdb failed: ${stderr}${hint}`);
  } finally {
    rmSync(pwfile, { force: true });
  }
}

async function ready(bin: string, port: number): Promise<boolean> {
  try {
    await run(path.join(bin, 'pg_isready'), ['-q', '-h', HOST, '-p', String(port)]);
    return true;
  } catch {
    return false;
  }
}

/** Initialises (first time) and starts PostgreSQL if it is not running; resolves once it accepts connections. */
export async function startPostgres(layout: ClusterLayout, port: number, log: (m: string) => void = () => {}): Promise<void> {
  const bin = postgresBinDir();
  if (runningPid(layout, 'postgres') === undefined) {
    const user = await serverUser();
    if (!existsSync(path.join(layout.postgres.dataDir, 'PG_VERSION'))) {
      log(`Initialising PostgreSQL in ${layout.postgres.dataDir}`);
      await initialise(layout, bin, user);
    }
    ownDir(layout.postgres.socketDir, user);
    log(`Starting PostgreSQL on ${HOST}:${port}`);
    startDaemon(layout, {
      name: 'postgres',
      command: path.join(bin, 'postgres'),
      // Settings on the command line, not in postgresql.conf: a second `up` with another port
      // base reuses the data directory as it is.
      args: ['-D', layout.postgres.dataDir, '-c', `port=${port}`, '-c', `listen_addresses=${HOST}`, '-c', `unix_socket_directories=${layout.postgres.socketDir}`],
      cwd: path.dirname(layout.postgres.dataDir),
      user,
    });
  }
  await waitUntil(`PostgreSQL to accept connections on ${HOST}:${port}`, () => ready(bin, port), { timeoutMs: 60_000, service: { layout, name: 'postgres' } });
}

/**
 * Stops PostgreSQL. SIGINT is its "fast" shutdown (ends sessions, writes a checkpoint); SIGTERM
 * ("smart") would wait for every client to hang up, which a running Temporal server never does.
 * SIGQUIT ("immediate") before SIGKILL so the server can still tell its children to go.
 */
export function stopPostgres(layout: ClusterLayout): Promise<boolean> {
  return stopDaemon(layout, 'postgres', { signals: ['SIGINT', 'SIGQUIT'], graceMs: 30_000 });
}
