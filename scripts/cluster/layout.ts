/**
 * Where one cluster keeps its files: everything under one directory (`.cluster/` by default,
 * ignored by git), so `down` and a second `up` find what the first one made, and a test run can
 * keep its own cluster beside a developer's.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { certificateFiles, type CertificateFiles } from './certs.js';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_CLUSTER_DIR = path.join(PROJECT_ROOT, '.cluster');

export interface ClusterLayout {
  dir: string;
  /** The settings this cluster was made with (port base), read by `status`, `down` and the next `up`. */
  stateFile: string;
  /** Generated CA, server and client certificates and keys (never committed). */
  certs: CertificateFiles & { dir: string };
  /** The PostgreSQL superuser's password, generated on first `up`. */
  postgresPasswordFile: string;
  postgres: { dataDir: string; socketDir: string };
  temporal: { root: string; configDir: string; configFile: string; dynamicConfigFile: string };
  ui: { root: string; configDir: string; configFile: string };
  /** Shell-sourceable client settings (`set -a; . .cluster/client.env; set +a`). */
  clientEnvFile: string;
  run: { dir: string; pidFile(name: ServiceName): string; logFile(name: ServiceName): string };
}

export type ServiceName = 'postgres' | 'temporal' | 'ui';

export function clusterLayout(dir: string = DEFAULT_CLUSTER_DIR): ClusterLayout {
  const certs = path.join(dir, 'certs');
  const run = path.join(dir, 'run');
  const temporalRoot = path.join(dir, 'temporal');
  const uiRoot = path.join(dir, 'ui');
  return {
    dir,
    stateFile: path.join(dir, 'cluster.json'),
    certs: { dir: certs, ...certificateFiles(certs) },
    postgresPasswordFile: path.join(dir, 'secrets', 'postgres-password'),
    // The socket directory sits beside the data, not in /var/run/postgresql: the system
    // instance's socket lives there and this cluster must never touch it.
    postgres: { dataDir: path.join(dir, 'postgres', 'data'), socketDir: path.join(dir, 'postgres', 'socket') },
    temporal: {
      root: temporalRoot,
      configDir: path.join(temporalRoot, 'config'),
      configFile: path.join(temporalRoot, 'config', 'cluster.yaml'),
      dynamicConfigFile: path.join(temporalRoot, 'config', 'dynamicconfig.yaml'),
    },
    ui: { root: uiRoot, configDir: path.join(uiRoot, 'config'), configFile: path.join(uiRoot, 'config', 'cluster.yaml') },
    clientEnvFile: path.join(dir, 'client.env'),
    run: {
      dir: run,
      pidFile: (name) => path.join(run, `${name}.pid`),
      logFile: (name) => path.join(run, `${name}.log`),
    },
  };
}
