/**
 * What the production-like cluster is: versions, namespace, server settings, port layout. The one
 * source that `npm run cluster`, its server config, docs/deployment.md and docker-compose.yml must
 * agree with (test/docker-compose.test.ts fails when the compose file drifts from this).
 */
import { ONBOARDING_SEARCH_ATTRIBUTES, searchAttributeTypeName } from '../../workflows/search-attributes.js';
import { VENDORS, vendorTaskQueue } from '../../workflows/vendors.js';

/** The dev server the tests also run is CLI v1.5.1 = server 1.29.1 + UI 2.42.1: one version of each everywhere. */
export const TEMPORAL_SERVER_VERSION = '1.29.1';
export const TEMPORAL_UI_VERSION = '2.42.1';

/** Go packages for the binaries, each installed into its own GOBIN (the server and UI binaries are both named `server`). */
export const GO_PACKAGES = {
  server: { pkg: `go.temporal.io/server/cmd/server@v${TEMPORAL_SERVER_VERSION}`, binary: 'server', gobin: 'temporal-server' },
  sql: { pkg: `go.temporal.io/server/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}`, binary: 'sql', gobin: 'temporal-sql' },
  ui: { pkg: `github.com/temporalio/ui-server/v2/cmd/server@v${TEMPORAL_UI_VERSION}`, binary: 'server', gobin: 'temporal-ui' },
} as const;
export type GoBinary = keyof typeof GO_PACKAGES;

/** The Go module whose source holds the SQL schema folders (the module cache keeps it after `go install`). */
export const SERVER_MODULE = `go.temporal.io/server@v${TEMPORAL_SERVER_VERSION}`;

/**
 * A namespace of our own rather than `default`: every connection must then carry
 * TEMPORAL_NAMESPACE, and the cluster tests fail wherever one does not.
 */
export const NAMESPACE = 'onboarding';
/** How long closed onboardings stay visible (history and Web UI) before the server deletes them. */
export const NAMESPACE_RETENTION_DAYS = 30;

/** The onboarding search attributes by name and the server's type name, as `temporal operator search-attribute create` takes them. */
export const SEARCH_ATTRIBUTES: Record<string, string> = Object.fromEntries(
  ONBOARDING_SEARCH_ATTRIBUTES.map((key) => [key.name, searchAttributeTypeName(key.type)]),
);

/** Server settings that docker-compose.yml must match (its image takes them as environment variables). */
export const SERVER_SETTINGS = {
  /** Fixed for the life of a cluster: it cannot change once the database holds data. */
  numHistoryShards: 4,
  /** PostgreSQL through Temporal's `postgres12` SQL plugin (PostgreSQL 12 and later). */
  sqlPlugin: 'postgres12',
  databases: { temporal: 'temporal', visibility: 'temporal_visibility' },
  dbUser: 'temporal',
  /** mTLS on the frontend (clients) and between the server's own services (internode). */
  requireClientAuth: true,
} as const;

/**
 * Dynamic config the cluster runs with (the server reads it from a file and re-reads it while it
 * runs). Only what differs from the defaults; each value's why is beside it.
 */
export const DYNAMIC_CONFIG: Record<string, { value: unknown; constraints?: Record<string, string> }[]> = {
  // Updates (approve/reject with an answer) are on by default since 1.25; said here so a
  // downgrade of the default cannot silently break our CLI and gateway.
  'frontend.enableUpdateWorkflowExecution': [{ value: true }],
  // One partition for each vendor's task queue: the server splits a queue's rate limit across its
  // partitions (4 by default), so Siit's 1 request/s became 1 per 4 s per partition and
  // onboardings arriving well under the limit still waited (docs/performance.md).
  ...Object.fromEntries(
    ['matching.numTaskqueueReadPartitions', 'matching.numTaskqueueWritePartitions'].map((key) => [
      key,
      VENDORS.map((vendor) => ({ value: 1, constraints: { taskQueueName: vendorTaskQueue(vendor) } })),
    ]),
  ),
};

/**
 * Every port the cluster listens on, as an offset from one base port, all on 127.0.0.1. The
 * default base (7400) keeps clear of the dev server's 7233/8233 that `npm start` uses and of the
 * kernel's ephemeral range (32768+) that test servers draw free ports from.
 */
export const PORT_OFFSETS = {
  postgres: 0,
  frontend: 1,
  frontendHttp: 2,
  frontendMembership: 3,
  history: 4,
  historyMembership: 5,
  matching: 6,
  matchingMembership: 7,
  worker: 8,
  workerMembership: 9,
  metrics: 10,
  ui: 11,
} as const;
export type PortName = keyof typeof PORT_OFFSETS;
export type Ports = Record<PortName, number>;
export const DEFAULT_PORT_BASE = 7400;

export function portsFrom(base: number): Ports {
  return Object.fromEntries(Object.entries(PORT_OFFSETS).map(([name, offset]) => [name, base + offset])) as Ports;
}

/** The loopback address everything binds to: this cluster is for one machine. */
export const HOST = '127.0.0.1';
/** The name the server certificate is issued for and clients verify (also the compose service name's alias). */
export const SERVER_NAME = 'localhost';
