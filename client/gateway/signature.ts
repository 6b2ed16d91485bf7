/**
 * The gateway's request authentication: HMAC-SHA256 with a secret shared with the HR system.
 *
 *   X-Onboarding-Timestamp: <unix seconds>
 *   X-Onboarding-Signature: sha256=<hex of HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 *
 * The timestamp is inside the MAC so a captured request cannot be replayed later with a fresh
 * timestamp: once it is older than the allowed skew it is refused, and changing the timestamp
 * breaks the MAC. (Within the window a replay only re-delivers the same hire, which is idempotent.)
 * The MAC covers the raw body bytes, not re-serialised JSON, so both sides agree byte for byte.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TIMESTAMP_HEADER = 'x-onboarding-timestamp';
export const SIGNATURE_HEADER = 'x-onboarding-signature';

/** `sha256=<hex>`: what a caller puts in X-Onboarding-Signature. */
export function sign(secret: string, timestamp: string | number, rawBody: Buffer | string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
  return `sha256=${mac}`;
}

export interface SignedRequest {
  timestamp: string | string[] | undefined;
  signature: string | string[] | undefined;
  rawBody: Buffer;
}

/** Why a request was refused; safe to log and to return (it never echoes the secret or the MAC). */
export type VerifyResult = { ok: true } | { ok: false; reason: string };

export function verifySignature(
  request: SignedRequest,
  secret: string,
  { nowSeconds, maxSkewSeconds }: { nowSeconds: number; maxSkewSeconds: number },
): VerifyResult {
  const { timestamp, signature, rawBody } = request;
  if (timestamp === undefined || signature === undefined) return { ok: false, reason: 'missing signature headers' };
  if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed timestamp' };
  const given = typeof signature === 'string' ? /^sha256=([0-9a-f]{64})$/i.exec(signature) : null;
  if (!given) return { ok: false, reason: 'malformed signature' };
  if (Math.abs(nowSeconds - Number(timestamp)) > maxSkewSeconds) return { ok: false, reason: 'stale or future timestamp' };
  const expected = Buffer.from(sign(secret, timestamp, rawBody).slice('sha256='.length), 'hex');
  // Both are 32 bytes (the regex fixed the length), as timingSafeEqual requires.
  if (!timingSafeEqual(expected, Buffer.from(given[1]!, 'hex'))) return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}
