/**
 * All vendor activities, per vendor, for registering one Worker per vendor task queue
 * (`vendorTaskQueue(vendor)`), and their types for the workflow's `proxyActivities<...>`.
 */
import type { VendorName } from '../workflows/vendors.js';
import type { VendorsConfig } from './config.js';
import { createMeetbitActivities } from './meetbit.js';
import { createMeetergoActivities } from './meetergo.js';
import { createNetbirdActivities } from './netbird.js';
import { createPartooActivities } from './partoo.js';
import { createSiitActivities } from './siit.js';

export type NetbirdActivities = ReturnType<typeof createNetbirdActivities>;
export type SiitActivities = ReturnType<typeof createSiitActivities>;
export type MeetbitActivities = ReturnType<typeof createMeetbitActivities>;
export type MeetergoActivities = ReturnType<typeof createMeetergoActivities>;
export type PartooActivities = ReturnType<typeof createPartooActivities>;

export interface VendorActivities extends Record<VendorName, Record<string, (...args: any[]) => Promise<unknown>>> {
  netbird: NetbirdActivities;
  siit: SiitActivities;
  meetbit: MeetbitActivities;
  meetergo: MeetergoActivities;
  partoo: PartooActivities;
}

export function createVendorActivities(config: VendorsConfig): VendorActivities {
  return {
    netbird: createNetbirdActivities(config.netbird),
    siit: createSiitActivities(config.siit),
    meetbit: createMeetbitActivities(config.meetbit),
    meetergo: createMeetergoActivities(config.meetergo),
    partoo: createPartooActivities(config.partoo),
  };
}

export { loadVendorConfig, type VendorsConfig } from './config.js';
export { NON_RETRYABLE_VENDOR_ERROR_TYPES, VendorErrorType } from './http.js';
