/**
 * Every vendor's activities, implementing the contract the workflow proxies
 * (workflows/vendor-contract.ts): `tsc` fails here when a vendor misses one.
 */
import type { VendorsConfig } from '../config/environment.js';
import type { VendorActivities } from '../workflows/vendor-contract.js';
import type { VendorName } from '../workflows/vendors.js';
import { createMeetbitActivities } from './meetbit.js';
import { createMeetergoActivities } from './meetergo.js';
import { createNetbirdActivities } from './netbird.js';
import { createPartooActivities } from './partoo.js';
import { createSiitActivities } from './siit.js';

/**
 * @param requestsPerSecond each vendor's pace for this process's requests (the worker passes the
 *   configured limits); without it requests are not paced (tests against unlimited sandboxes).
 */
export function createVendorActivities(config: VendorsConfig, requestsPerSecond?: Record<VendorName, number>): VendorActivities {
  const paced = <V extends VendorName>(vendor: V): VendorsConfig[V] => ({ ...config[vendor], requestsPerSecond: requestsPerSecond?.[vendor] });
  return {
    netbird: createNetbirdActivities(paced('netbird')),
    siit: createSiitActivities(paced('siit')),
    meetbit: createMeetbitActivities(paced('meetbit')),
    meetergo: createMeetergoActivities(paced('meetergo')),
    partoo: createPartooActivities(paced('partoo')),
  };
}
