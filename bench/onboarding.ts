/**
 * Benchmark (not a test): what Temporal's durability costs one onboarding, and how many
 * onboardings one worker process carries.
 *
 *   npm run bench            (N=10 latency runs per setting, 200 onboardings for throughput)
 *   BENCH_RUNS=5 BENCH_THROUGHPUT=50 BENCH_LATENCIES=0,50 npm run bench
 *
 * Latency: one onboarding with the Partoo invite released at once (start → result), against
 * sandboxes with 0, 50 and 200 ms added latency, beside a plain script that calls the same five
 * create endpoints in parallel and then the invite, with got. Rate limits are off on both sides
 * (vendor-side and the task-queue limits), so we measure our overhead, not the vendors' quotas.
 */
import { randomUUID } from 'node:crypto';
import got from 'got';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { createVendorActivities } from '../activities/index.js';
import { sandboxVendorsConfig } from '../sandbox/worker-config.js';
import { toMeetbitCreateRequest } from '../activities/meetbit.js';
import { toMeetergoCreateRequest } from '../activities/meetergo.js';
import { toNetbirdCreateRequest } from '../activities/netbird.js';
import { toPartooCreateRequest } from '../activities/partoo.js';
import { toSiitCreateRequest } from '../activities/siit.js';
import { OnboardingClient } from '../client/onboarding-client.js';
import { onboardingDataConverter } from '../codec/data-converter.js';
import { generatePayloadKey } from '../codec/encryption-codec.js';
import { describePayloadEncryption, loadConfig, type PayloadEncryptionConfig } from '../config/environment.js';
import { authHeaders } from '../sandbox/credentials.js';
import { startSandboxes, type Sandboxes } from '../sandbox/index.js';
import { startDevServer } from '../scripts/dev-server.js';
import { workerLogger } from '../workers/logger.js';
import { createOnboardingWorkers, runOnboardingWorkers } from '../workers/onboarding-workers.js';
import { parseNewHire, type NewHire } from '../workflows/new-hire.js';
import { VENDORS, type VendorName } from '../workflows/vendors.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const THROUGHPUT = Number(process.env.BENCH_THROUGHPUT ?? 200);
/** Added latency per vendor call; 50 ms is the target's setting, 200 ms closer to real SaaS APIs. */
const LATENCIES = (process.env.BENCH_LATENCIES ?? '0,50,200').split(',').map(Number);
const UNTHROTTLED = Object.fromEntries(VENDORS.map((v) => [v, 100_000])) as Record<VendorName, number>;

function hire(): NewHire & { employeeId: string } {
  const id = randomUUID().slice(0, 8);
  const parsed = parseNewHire({
    employeeId: `bench-${id}`,
    email: `bench+${id}@example.com`,
    firstName: 'Bench',
    lastName: 'Mark',
    timezone: 'UTC',
    startDate: '2026-12-01',
    jobTitle: 'Engineer',
    department: 'Platform',
    // Released at once: the latency measured is the vendor calls', not a human's.
    vendors: { meetbit: { departmentId: 7 }, partoo: { inviteAt: new Date(0).toISOString() } },
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The same HTTP work without Temporal: five creates in parallel, then the Partoo invite. */
async function plainScript(sandboxes: Sandboxes, h: NewHire): Promise<void> {
  const post = (vendor: VendorName, path: string, json?: unknown) =>
    got.post(`${sandboxes.urls[vendor]}/${path}`, { headers: authHeaders(vendor), json, retry: { limit: 0 } }).json<Record<string, unknown>>();
  const [, , , , partoo] = await Promise.all([
    post('netbird', 'users', toNetbirdCreateRequest(h)),
    post('siit', 'users', toSiitCreateRequest(h)),
    post('meetbit', 'users', toMeetbitCreateRequest(h)),
    post('meetergo', 'user', toMeetergoCreateRequest(h)),
    post('partoo', 'user', toPartooCreateRequest(h)),
  ]);
  await post('partoo', `user/${partoo.id}/invite`);
}

/**
 * Measured as deployed, payloads encrypted: with the configured keys, else a key made for this run
 * (its server keeps history in memory only, so nothing outlives the key). PAYLOAD_ENCRYPTION=off
 * measures without the codec.
 */
function benchEncryption(): PayloadEncryptionConfig {
  const env = process.env;
  if (env.PAYLOAD_ENCRYPTION || env.PAYLOAD_KEYS || env.PAYLOAD_KEY_FILE) return loadConfig(['payloadEncryption']).payloadEncryption;
  return { encrypt: true, keys: [generatePayloadKey('bench')], source: 'a key made for this run' };
}

async function main(): Promise<void> {
  const encryption = benchEncryption();
  console.log(describePayloadEncryption(encryption));
  const dataConverter = onboardingDataConverter(encryption);
  const server = await startDevServer();
  const sandboxes = await startSandboxes({ rateLimits: false });
  Runtime.install({ logger: workerLogger({ level: 'WARN' }), shutdownSignals: [] });
  const workerConnection = await NativeConnection.connect({ address: server.address });
  const workers = await createOnboardingWorkers({ connection: workerConnection, activities: createVendorActivities(sandboxVendorsConfig(sandboxes.urls)), ratePerSecond: UNTHROTTLED, dataConverter });
  const connection = await Connection.connect({ address: server.address });
  const onboardings = new OnboardingClient(new Client({ connection, dataConverter }));
  const onboard = async () => (await onboardings.start(hire())).handle.result();

  const report: string[] = [];
  try {
    await runOnboardingWorkers(
      workers,
      (async () => {
        await onboard(); // warm-up: workflow bundle load, connections
        for (const latency of LATENCIES) {
          for (const v of VENDORS) {
            sandboxes.vendors[v].clearFaults();
            if (latency) sandboxes.vendors[v].addFault({ kind: 'latency', ms: latency });
          }
          const saga: number[] = [];
          const plain: number[] = [];
          for (let i = 0; i < RUNS; i++) {
            let t = performance.now();
            await onboard();
            saga.push(performance.now() - t);
            t = performance.now();
            await plainScript(sandboxes, hire());
            plain.push(performance.now() - t);
          }
          const [s, p] = [median(saga), median(plain)];
          report.push(`latency ${String(latency).padStart(2)} ms/vendor call: saga median ${s.toFixed(0)} ms, plain script median ${p.toFixed(0)} ms, ratio ${(s / p).toFixed(2)}x (n=${RUNS})`);
          console.log(report.at(-1));
        }
        for (const v of VENDORS) sandboxes.vendors[v].clearFaults();
        const t = performance.now();
        let done = 0;
        await Promise.all(
          Array.from({ length: THROUGHPUT }, async () => {
            await onboard();
            done += 1;
            if (done % 50 === 0) console.log(`  throughput: ${done}/${THROUGHPUT} onboardings done`);
          }),
        );
        const seconds = (performance.now() - t) / 1000;
        report.push(`throughput: ${THROUGHPUT} onboardings in ${seconds.toFixed(1)} s = ${(THROUGHPUT / seconds).toFixed(1)} onboardings/s (0 ms latency, one worker process)`);
        console.log(report.at(-1));
      })(),
    );
  } finally {
    await workerConnection.close();
    await connection.close();
    await sandboxes.stop();
    await server.stop();
  }
  console.log(`\nSummary (${new Date().toISOString()}, ${process.version}):\n${report.join('\n')}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
