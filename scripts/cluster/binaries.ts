/**
 * The cluster's Go binaries (Temporal server, SQL schema tool, UI server) and PostgreSQL's.
 * Go binaries are found in `$(go env GOPATH)/bin/<name>/` or built there with `go install`: each
 * gets its own GOBIN because the server and the UI server binaries are both named `server`.
 * PostgreSQL comes from the system's packages (Debian: `apt-get install postgresql`).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { isExecutable } from '../temporal-cli.js';
import { GO_PACKAGES, SERVER_MODULE, TEMPORAL_SERVER_VERSION, TEMPORAL_UI_VERSION, type GoBinary } from './settings.js';

const run = promisify(execFile);

async function go(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  try {
    const { stdout } = await run('go', args, { env, maxBuffer: 64 * 1024 * 1024 });
    return stdout.trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('`go` is not on PATH: the cluster builds Temporal from source with `go install` (Go >= 1.23; Debian: apt-get install golang, or https://go.dev/dl/).');
    }
    const stderr = (err as { stderr?: string }).stderr ?? String(err);
    throw new Error(`go ${args.join(' ')} failed:\n${stderr.trim().split('\n').slice(-10).join('\n')}`);
  }
}

async function goBinRoot(): Promise<string> {
  if (process.env.CLUSTER_GO_BIN_ROOT) return process.env.CLUSTER_GO_BIN_ROOT;
  const gopath = (await go(['env', 'GOPATH'])).split(path.delimiter)[0]!;
  return path.join(gopath, 'bin');
}

/** What `--version` must print for a binary to count as the pinned one. */
const VERSION_MARK: Record<GoBinary, string> = {
  server: `version ${TEMPORAL_SERVER_VERSION}`,
  sql: `version ${TEMPORAL_SERVER_VERSION}`,
  ui: `version ${TEMPORAL_UI_VERSION}`,
};

async function hasVersion(binary: string, which: GoBinary): Promise<boolean> {
  try {
    const { stdout } = await run(binary, ['--version']);
    return stdout.includes(VERSION_MARK[which]);
  } catch {
    return false;
  }
}

/** The path of one pinned binary, installed with `go install` when missing or of another version. */
export async function ensureGoBinary(which: GoBinary, log: (m: string) => void): Promise<string> {
  const { pkg, binary, gobin } = GO_PACKAGES[which];
  const dir = path.join(await goBinRoot(), gobin);
  const file = path.join(dir, binary);
  if (isExecutable(file) && (await hasVersion(file, which))) return file;
  log(`Installing ${pkg} into ${dir} (go install: minutes the first time, cached after)...`);
  await go(['install', pkg], { ...process.env, GOBIN: dir });
  if (!isExecutable(file)) throw new Error(`go install ${pkg} finished but ${file} is missing`);
  return file;
}

export interface Binaries {
  server: string;
  sql: string;
  ui: string;
}

/** Installs the three one after another: two cores do not gain from parallel Go builds. */
export async function ensureGoBinaries(log: (m: string) => void): Promise<Binaries> {
  return { server: await ensureGoBinary('server', log), sql: await ensureGoBinary('sql', log), ui: await ensureGoBinary('ui', log) };
}

/** The pinned server's Go module source (schema folders, the Docker image's config template), downloaded when missing. */
export async function serverModuleDir(): Promise<string> {
  const root = path.join(await go(['env', 'GOMODCACHE']), SERVER_MODULE);
  return existsSync(root) ? root : (JSON.parse(await go(['mod', 'download', '-json', SERVER_MODULE])).Dir as string);
}

/** The SQL schema folders of the pinned server, from Go's module cache. */
export async function schemaDirs(): Promise<{ temporal: string; visibility: string }> {
  const base = path.join(await serverModuleDir(), 'schema', 'postgresql', 'v12');
  const dirs = { temporal: path.join(base, 'temporal', 'versioned'), visibility: path.join(base, 'visibility', 'versioned') };
  for (const dir of Object.values(dirs)) if (!existsSync(dir)) throw new Error(`schema folder ${dir} is missing from Go's module cache (try: go mod download ${SERVER_MODULE})`);
  return dirs;
}

/** PostgreSQL's server binaries: $PG_BIN, else the newest /usr/lib/postgresql/<major>/bin. */
export function postgresBinDir(): string {
  const wanted = ['initdb', 'postgres', 'pg_isready'];
  const usable = (dir: string) => wanted.every((b) => isExecutable(path.join(dir, b)));
  if (process.env.PG_BIN) {
    if (usable(process.env.PG_BIN)) return process.env.PG_BIN;
    throw new Error(`PG_BIN=${process.env.PG_BIN} does not hold ${wanted.join(', ')}`);
  }
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((d) => /^\d+$/.test(d))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const major of majors) if (usable(path.join(root, major, 'bin'))) return path.join(root, major, 'bin');
  throw new Error(
    'PostgreSQL server binaries not found (looked in /usr/lib/postgresql/<version>/bin). Install them (Debian: apt-get install postgresql; ' +
      'the package also starts a system instance, which the cluster leaves alone) or set PG_BIN to the folder holding initdb, postgres and pg_isready.',
  );
}
