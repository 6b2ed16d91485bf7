/**
 * Every vendor's activities, implementing the contract the workflow proxies
 * (workflows/vendor-contract.ts): `tsc` fails here when a vendor misses one.
 */
import type { ServedVendors, VendorsConfig } from '../config/environment.js';
import type { VendorActivities } from '../workflows/vendor-contract.js';
import { createMeetbitActivities } from './meetbit.js';
import { createMeetergoActivities } from './meetergo.js';
import { createNetbirdActivities } from './netbird.js';
import { createPartooActivities } from './partoo.js';
import { createSiitActivities } from './siit.js';

/** The activities of the vendors this deployment serves (those configured), and only theirs. */
export function createVendorActivities(config: VendorsConfig): VendorActivities;
export function createVendorActivities(config: ServedVendors): Partial<VendorActivities>;
export function createVendorActivities(config: ServedVendors): Partial<VendorActivities> {
  return {
    ...(config.netbird && { netbird: createNetbirdActivities(config.netbird) }),
    ...(config.siit && { siit: createSiitActivities(config.siit) }),
    ...(config.meetbit && { meetbit: createMeetbitActivities(config.meetbit) }),
    ...(config.meetergo && { meetergo: createMeetergoActivities(config.meetergo) }),
    ...(config.partoo && { partoo: createPartooActivities(config.partoo) }),
  };
}
