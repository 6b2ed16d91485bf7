/**
 * Fault injection: what a vendor's next requests suffer before (or after) the vendor itself
 * answers. Faults are plain data so tests, the admin API and env configuration share one shape.
 */
import { z } from 'zod';

const matchSchema = z
  .object({
    method: z.string().optional(),
    /** A regular expression over the path after the vendor's base path, e.g. "^/users$". */
    path: z
      .string()
      .refine((source) => isRegExp(source), 'not a valid regular expression')
      .optional(),
  })
  .strict();

const latencyMs = z.union([
  z.number().int().nonnegative(),
  z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]).refine(([lo, hi]) => lo <= hi, 'range must be [min, max]'),
]);
const count = z.number().int().positive();
const status = z.number().int().min(100).max(599);

export const faultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('latency'), ms: latencyMs, match: matchSchema.optional() }).strict(),
  z.object({ kind: z.literal('error-rate'), rate: z.number().min(0).max(1), match: matchSchema.optional() }).strict(),
  z
    .object({ kind: z.literal('burst-429'), count, retryAfterSeconds: z.number().int().nonnegative().optional(), match: matchSchema.optional() })
    .strict(),
  z.object({ kind: z.literal('fail-next'), count, status, body: z.unknown().optional(), match: matchSchema.optional() }).strict(),
  z.object({ kind: z.literal('lost-response'), count, mode: z.enum(['500', 'drop']), match: matchSchema.optional() }).strict(),
]);

export type Fault = z.infer<typeof faultSchema>;
export type FaultMatch = z.infer<typeof matchSchema>;
export type LatencySpec = z.infer<typeof latencyMs>;

/** What the faults decided for one request; the server carries it out. */
export interface FaultPlan {
  delayMs: number;
  /** Answer at once, without reaching the vendor. */
  respond?: { kind: 'burst-429'; retryAfterSeconds?: number } | { kind: 'error-rate' } | { kind: 'fail-next'; status: number; body?: unknown };
  /** Let the vendor commit, then lose its answer. */
  lose?: '500' | 'drop';
}

function isRegExp(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

function matches(match: FaultMatch | undefined, method: string, path: string): boolean {
  if (!match) return true;
  if (match.method && match.method.toUpperCase() !== method.toUpperCase()) return false;
  return !match.path || new RegExp(match.path).test(path);
}

export function pickLatency(ms: LatencySpec, random: () => number = Math.random): number {
  if (typeof ms === 'number') return ms;
  const [lo, hi] = ms;
  return lo + Math.round(random() * (hi - lo));
}

/** The active faults of one vendor; counted faults disappear once used up. */
export class FaultSet {
  private faults: Fault[] = [];

  constructor(private readonly random: () => number = Math.random) {}

  /** Throws a ZodError when the fault is malformed. */
  add(fault: unknown): Fault {
    const parsed = faultSchema.parse(fault);
    this.faults.push(parsed);
    return parsed;
  }

  clear(): void {
    this.faults = [];
  }

  list(): Fault[] {
    return structuredClone(this.faults);
  }

  /**
   * Decides the fate of one request. Latencies add up; of the faults that answer for the vendor,
   * the first added that matches wins and only it uses up one of its count.
   */
  plan(method: string, path: string): FaultPlan {
    const plan: FaultPlan = { delayMs: 0 };
    for (const fault of this.faults) {
      if (!matches(fault.match, method, path)) continue;
      if (fault.kind === 'latency') {
        plan.delayMs += pickLatency(fault.ms, this.random);
      } else if (!plan.respond && !plan.lose) {
        this.decide(fault, plan);
      }
    }
    this.faults = this.faults.filter((f) => !('count' in f) || f.count > 0);
    return plan;
  }

  private decide(fault: Exclude<Fault, { kind: 'latency' }>, plan: FaultPlan): void {
    switch (fault.kind) {
      case 'error-rate':
        if (this.random() < fault.rate) plan.respond = { kind: 'error-rate' };
        return;
      case 'burst-429':
        fault.count -= 1;
        plan.respond = { kind: 'burst-429', retryAfterSeconds: fault.retryAfterSeconds };
        return;
      case 'fail-next':
        fault.count -= 1;
        plan.respond = { kind: 'fail-next', status: fault.status, body: fault.body };
        return;
      case 'lost-response':
        fault.count -= 1;
        plan.lose = fault.mode;
        return;
    }
  }
}
