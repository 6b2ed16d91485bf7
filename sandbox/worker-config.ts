/** Vendor config pointing at the local sandboxes, with their demo credentials (tests and the demo). */
import { SANDBOX_CREDENTIALS } from '../sandbox/credentials.js';
import type { VendorName } from '../workflows/vendors.js';
import type { VendorsConfig } from './config.js';

export function sandboxVendorsConfig(urls: Record<VendorName, string>, timeoutMs = 5_000): VendorsConfig {
  const at = (vendor: VendorName) => ({ baseUrl: urls[vendor].replace(/\/+$/, ''), timeoutMs });
  const c = SANDBOX_CREDENTIALS;
  return {
    netbird: { ...at('netbird'), token: c.netbird.token },
    siit: { ...at('siit'), token: c.siit.token },
    meetbit: { ...at('meetbit'), ...c.meetbit },
    meetergo: { ...at('meetergo'), ...c.meetergo },
    partoo: { ...at('partoo'), apiKey: c.partoo.apiKey },
  };
}
