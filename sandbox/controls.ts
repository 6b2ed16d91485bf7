/** The in-process controls of one vendor sandbox: what tests use directly and /_sandbox/ serves over HTTP. */
import type { Fault } from './faults.js';
import type { RateLimitSettings } from './rate-limit.js';
import type { LoggedRequest } from './request-log.js';
import type { SandboxUser } from './store.js';

export interface VendorSandbox<T = unknown> {
  users(): SandboxUser[];
  requests(): LoggedRequest[];
  addFault(fault: Fault): void;
  clearFaults(): void;
  setRateLimit(settings: RateLimitSettings | false): void;
  /**
   * Users, request log and rate-limit counters emptied; faults and tenant back to those given at
   * start. Id counters go on: an id handed out before the reset is never handed out again.
   */
  reset(): void;
  /** Active faults, with what is left of their counts. */
  faults(): Fault[];
  rateLimit(): { current: RateLimitSettings | false; documented: RateLimitSettings };
  /** The tenant fixture in force (see tenant.ts). */
  tenant(): T;
  /** Replaces the fields given (validated; throws naming every bad field) until reset. */
  setTenant(override: Partial<T>): void;
}
