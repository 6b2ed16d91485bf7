/**
 * Every vendor's activities, implementing the contract the workflow proxies
 * (workflows/vendor-contract.ts): `tsc` fails here when a vendor misses one.
 */
import type { VendorsConfig } from '../config/environment.js';
import type { VendorActivities } from '../workflows/vendor-contract.js';
import { createMeetbitActivities } from './meetbit.js';
import { createMeetergoActivities } from './meetergo.js';
import { createNetbirdActivities } from './netbird.js';
import { createPartooActivities } from './partoo.js';
import { createSiitActivities } from './siit.js';

export function createVendorActivities(config: VendorsConfig): VendorActivities {
  return {
    netbird: createNetbirdActivities(config.netbird),
    siit: createSiitActivities(config.siit),
    meetbit: createMeetbitActivities(config.meetbit),
    meetergo: createMeetergoActivities(config.meetergo),
    partoo: createPartooActivities(config.partoo),
  };
}
