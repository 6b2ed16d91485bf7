/**
 * `npm run cluster -- up|down|status`: a production-like Temporal cluster on this machine, no
 * Docker (PostgreSQL, the SQL schema, the Temporal server pinned in settings.ts with mTLS, the
 * Web UI, the onboarding namespace and search attributes). See docs/deployment.md for the real deployment it mirrors.
 * Also `install` (only the binaries, for CI). Options: --dir (default .cluster), --port-base
 * (default 7400, or $CLUSTER_PORT_BASE).
 */
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { clusterStatus, existingCluster, startCluster, stopCluster, type Cluster, type ClusterOptions } from './cluster.js';
import { ensureGoBinaries, postgresBinDir } from './binaries.js';
import { DEFAULT_CLUSTER_DIR, PROJECT_ROOT } from './layout.js';
import { TEMPORAL_SERVER_VERSION, TEMPORAL_UI_VERSION } from './settings.js';

const say = (message = '') => console.log(message);
const relative = (file: string) => path.relative(process.cwd(), file) || '.';

function printClientSettings(cluster: Cluster): void {
  say(`Web UI: ${cluster.uiUrl}/namespaces/${cluster.temporal.namespace}/workflows`);
  say(`\nClient settings for workers, the CLI, the gateway and the temporal CLI (also in ${relative(cluster.layout.clientEnvFile)}):`);
  for (const [name, value] of Object.entries(cluster.env)) say(`  export ${name}=${value}`);
  say('\nThen, for example:');
  const env = relative(cluster.layout.clientEnvFile);
  say(`  npm run sandbox &                                                          # the vendor simulators`);
  say(`  (set -a; . examples/sandbox.env; . ${env}; set +a; npm run worker) &    # cluster settings last: they override sandbox.env's`);
  say(`  (set -a; . ${env}; set +a; npm run onboard -- start examples/new-hire.json; temporal workflow list)`);
}

const port = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('must be a port number');
  return n;
};

const program = new Command('npm run cluster --')
  .description('A production-like Temporal cluster on this machine (PostgreSQL, mTLS, Web UI); see docs/deployment.md')
  .option('--dir <dir>', 'where the cluster keeps its data, certificates, configs, pids and logs', DEFAULT_CLUSTER_DIR)
  .option('--port-base <port>', 'first of its 12 ports (default 7400 or $CLUSTER_PORT_BASE; fixed once made)', port)
  .showHelpAfterError();

function options(): ClusterOptions {
  const { dir, portBase } = program.opts<{ dir: string; portBase?: number }>();
  return { dir: path.resolve(PROJECT_ROOT, dir), portBase, log: (m) => say(`  ${m}`) };
}

program
  .command('up')
  .description('start (or finish starting) everything; safe to run again')
  .action(async () => {
    const started = Date.now();
    say('Bringing the cluster up...');
    const cluster = await startCluster(options());
    const { ports } = cluster;
    say(`\nCluster up in ${((Date.now() - started) / 1000).toFixed(1)} s (${relative(cluster.layout.dir)}):`);
    say(`  PostgreSQL      127.0.0.1:${ports.postgres}   (logs: ${relative(cluster.layout.run.logFile('postgres'))})`);
    say(`  ${`Temporal ${TEMPORAL_SERVER_VERSION}`.padEnd(15)} ${cluster.temporal.address}   (mTLS, namespace ${cluster.temporal.namespace}; logs: ${relative(cluster.layout.run.logFile('temporal'))})`);
    say(`  ${`Web UI ${TEMPORAL_UI_VERSION}`.padEnd(15)} ${cluster.uiUrl}`);
    printClientSettings(cluster);
  });

program
  .command('install')
  .description('only make sure the pinned binaries are there (go install when missing) and PostgreSQL is found; prints their paths')
  .action(async () => {
    const binaries = await ensureGoBinaries((m) => say(`  ${m}`));
    for (const [name, file] of Object.entries(binaries)) say(`${name.padEnd(9)} ${file}`);
    say(`postgres  ${postgresBinDir()}`);
  });

program
  .command('down')
  .description('stop the UI, the Temporal server and PostgreSQL (data and certificates are kept; delete the directory to start afresh)')
  .action(async () => {
    const stopped = await stopCluster(options());
    say(stopped.length ? `Stopped ${stopped.join(', ')}.` : 'Nothing was running.');
  });

program
  .command('status')
  .description('what runs, and the client settings')
  .action(async () => {
    const cluster = existingCluster(options());
    if (!cluster) {
      say(`No cluster in ${relative(options().dir!)}: run \`npm run cluster -- up\`.`);
      process.exitCode = 3;
      return;
    }
    const statuses = await clusterStatus(cluster);
    for (const s of statuses) {
      const state = s.pid === undefined ? 'stopped' : `running (pid ${s.pid})${s.serving === false ? ', not answering' : ''}`;
      say(`  ${s.name.padEnd(9)} ${state}`);
    }
    if (statuses.every((s) => s.pid !== undefined && s.serving !== false)) printClientSettings(cluster);
    else process.exitCode = 3;
  });

program.parseAsync().catch((err: unknown) => {
  console.error(`error: ${(err as Error).message}`);
  process.exit(1);
});
