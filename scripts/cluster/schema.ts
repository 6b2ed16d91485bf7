/**
 * Temporal's SQL schema, set up with its own tool (`temporal-sql-tool`, built as `sql`) the way
 * an operator does for a real deployment: for the main and the visibility database,
 * create-database, setup-schema -v 0.0 (the versioning tables), update-schema -d <versioned dir>
 * (every migration up to the pinned server's). Safe to run again: an existing database is kept,
 * and update-schema applies only versions newer than the database's.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { schemaDirs } from './binaries.js';
import { HOST, SERVER_SETTINGS } from './settings.js';

const run = promisify(execFile);

export interface SchemaTarget {
  sqlTool: string;
  port: number;
  password: string;
}

async function sql(target: SchemaTarget, database: string, args: string[]): Promise<string> {
  const global = ['--ep', HOST, '-p', String(target.port), '-u', SERVER_SETTINGS.dbUser, '--pl', SERVER_SETTINGS.sqlPlugin, '--db', database];
  try {
    // The password through the environment (SQL_PASSWORD), not argv, which `ps` shows to everyone.
    const { stdout, stderr } = await run(target.sqlTool, [...global, ...args], { env: { ...process.env, SQL_PASSWORD: target.password } });
    return `${stdout}${stderr}`;
  } catch (err) {
    const output = `${(err as { stdout?: string }).stdout ?? ''}${(err as { stderr?: string }).stderr ?? String(err)}`;
    throw Object.assign(new Error(`temporal-sql-tool ${args[0]} on database ${database} failed:\n${output.trim().split('\n').slice(-8).join('\n')}`), { output });
  }
}

export async function setUpSchema(target: SchemaTarget, log: (m: string) => void = () => {}): Promise<void> {
  const dirs = await schemaDirs();
  for (const [kind, database] of Object.entries(SERVER_SETTINGS.databases) as [keyof typeof dirs, string][]) {
    try {
      await sql(target, database, ['create-database']);
    } catch (err) {
      if (!/already exists/.test((err as { output?: string }).output ?? '')) throw err;
    }
    await sql(target, database, ['setup-schema', '-v', '0.0']);
    await sql(target, database, ['update-schema', '-d', dirs[kind]]);
    log(`Schema of ${database} up to date (${dirs[kind]})`);
  }
}
