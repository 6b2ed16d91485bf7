/**
 * The worker process's own settings (where Temporal is, how fast each vendor may be called),
 * read from the environment and validated at start; errors name the variable. Vendor endpoints
 * and credentials are read by activities/config.ts.
 */
import { z } from 'zod';
import { VENDORS, type VendorName } from '../workflows/vendors.js';

/**
 * Each vendor's documented rate limit, in requests per second. Enforced by the Temporal server on
 * the vendor's task queue (`maxTaskQueueActivitiesPerSecond`), so it holds across all workers.
 */
export const DOCUMENTED_RATE_PER_SECOND: Record<VendorName, number> = {
  netbird: 120 / 60, // 120/min per token
  siit: 60 / 60, // 60/min
  meetbit: 5, // 5/s per client (10/s per tenant)
  meetergo: 100 / 60, // 100/min per key
  partoo: 300 / 60, // 300/min per organisation
};

export function rateVariable(vendor: VendorName): string {
  return `${vendor.toUpperCase()}_MAX_ACTIVITIES_PER_SECOND`;
}

const rate = (vendor: VendorName) => z.coerce.number({ error: 'must be a number' }).positive('must be above 0').default(DOCUMENTED_RATE_PER_SECOND[vendor]);

const WorkerEnvSchema = z.object({
  TEMPORAL_ADDRESS: z.string().regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:7233').default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  ...Object.fromEntries(VENDORS.map((v) => [rateVariable(v), rate(v)])),
});

export interface WorkerConfig {
  address: string;
  namespace: string;
  ratePerSecond: Record<VendorName, number>;
}

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = WorkerEnvSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid worker configuration in the environment:\n${lines.join('\n')}`);
  }
  const values = parsed.data as Record<string, string | number>;
  return {
    address: values.TEMPORAL_ADDRESS as string,
    namespace: values.TEMPORAL_NAMESPACE as string,
    ratePerSecond: Object.fromEntries(VENDORS.map((v) => [v, values[rateVariable(v)] as number])) as Record<VendorName, number>,
  };
}
