/**
 * One vendor's requests from this worker process, paced to the vendor's rate and held back as a
 * whole after a 429. Vendors limit per account, not per call: when one request is told to wait,
 * every other request to that vendor would be told the same (MeetBit even lengthens the wait for
 * each request sent while limited), so they all wait, instead of each retrying on its own clock.
 *
 * The pacing is GCRA (a token bucket kept as one timestamp): each request reserves the next free
 * slot when it asks, so requests go out in the order they asked, `burst` of them back to back at
 * most. Across worker processes the vendor's task queue rate limit, enforced by the Temporal
 * server, keeps the total in bounds (see docs/performance.md).
 */
import { setTimeout as sleep } from 'node:timers/promises';

export class RequestGate {
  private readonly intervalMs: number;
  private readonly toleranceMs: number;
  /** When the next request would be on time if none had burst ahead (GCRA's "theoretical arrival time"). */
  private nextSlot = 0;
  /** Nobody sends before this (after a 429). */
  private heldUntil = 0;

  constructor(
    requestsPerSecond: number,
    burst = Math.max(1, Math.floor(requestsPerSecond)),
    private readonly now: () => number = Date.now,
  ) {
    this.intervalMs = 1000 / requestsPerSecond;
    this.toleranceMs = (burst - 1) * this.intervalMs;
  }

  /** Waits for this request's turn; rejects (and sends nothing) if `signal` aborts first. */
  async turn(signal?: AbortSignal): Promise<void> {
    const now = this.now();
    const slot = Math.max(this.nextSlot, now);
    this.nextSlot = slot + this.intervalMs;
    const at = slot - this.toleranceMs;
    for (let wait = Math.max(at, this.heldUntil) - now; wait > 0; wait = Math.max(at, this.heldUntil) - this.now()) {
      await sleep(wait, undefined, { signal });
    }
  }

  /** The vendor said to wait: no request from this process goes out before `until` (ms). */
  holdUntil(until: number): void {
    this.heldUntil = Math.max(this.heldUntil, until);
  }
}
