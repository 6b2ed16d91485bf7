/**
 * A token bucket per vendor (the sandbox has one account per vendor, so "per token", "per key"
 * and "per organization" all mean one bucket). `limit` tokens come back every `windowMs`; the
 * bucket holds `burst` tokens (default `limit`), so a fresh bucket allows a burst of that size.
 */
import { z } from 'zod';

export const rateLimitSettingsSchema = z
  .object({
    limit: z.number().int().positive(),
    windowMs: z.number().int().positive(),
    burst: z.number().int().positive().optional(),
  })
  .strict();

export type RateLimitSettings = z.infer<typeof rateLimitSettingsSchema>;

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  /** Whole requests left right now. */
  remaining: number;
  /** Seconds until one more request is allowed (0 when allowed). */
  retryAfterSeconds: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
}

export class RateLimiter {
  private tokens = 0;
  private updatedAt: number | undefined;

  /**
   * @param penalize a refused request still costs a token (down to one bucket's worth of debt),
   *   so hammering after a 429 lengthens the wait, as MeetBit documents.
   */
  constructor(
    private settings: RateLimitSettings | false,
    private readonly penalize = false,
  ) {
    this.resetCounters();
  }

  get current(): RateLimitSettings | false {
    return this.settings;
  }

  set(settings: RateLimitSettings | false): void {
    this.settings = settings;
    this.resetCounters();
  }

  resetCounters(): void {
    this.tokens = this.settings ? capacity(this.settings) : 0;
    this.updatedAt = undefined;
  }

  /** Takes one token for a request at `now` (ms); undefined when rate limiting is off. */
  take(now: number): RateLimitDecision | undefined {
    const settings = this.settings;
    if (!settings) return undefined;
    const cap = capacity(settings);
    const perMs = settings.limit / settings.windowMs;
    if (this.updatedAt !== undefined) this.tokens = Math.min(cap, this.tokens + (now - this.updatedAt) * perMs);
    this.updatedAt = now;
    const allowed = this.tokens >= 1;
    if (allowed || this.penalize) this.tokens = Math.max(-cap, this.tokens - 1);
    return {
      allowed,
      limit: settings.limit,
      remaining: Math.max(0, Math.floor(this.tokens)),
      retryAfterSeconds: allowed ? 0 : Math.ceil((1 - this.tokens) / perMs / 1000),
      resetSeconds: Math.ceil((cap - this.tokens) / perMs / 1000),
    };
  }
}

function capacity(settings: RateLimitSettings): number {
  return settings.burst ?? settings.limit;
}
