/** The worker's vendor config pointing at these sandboxes, with their demo credentials (tests, demo, bench). */
import type { VendorsConfig } from '../config/environment.js';
import { VENDORS, type VendorName } from '../workflows/vendors.js';
import { SANDBOX_CREDENTIALS } from './credentials.js';

export function sandboxVendorsConfig(urls: Record<VendorName, string>, timeoutMs = 5_000): VendorsConfig {
  return Object.fromEntries(
    VENDORS.map((vendor) => [vendor, { baseUrl: urls[vendor].replace(/\/+$/, ''), timeoutMs, ...SANDBOX_CREDENTIALS[vendor] }]),
  ) as VendorsConfig;
}
