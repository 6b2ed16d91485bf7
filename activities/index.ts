/**
 * Every vendor's activities, implementing the contract the workflow proxies
 * (workflows/vendor-contract.ts): `tsc` fails here when a vendor misses one. Their failures leave
 * without the hire's own values (personal-data.ts): a vendor echoing the email must not put it
 * into the worker's logs.
 */
import type { VendorsConfig } from '../config/environment.js';
import type { VendorActivities } from '../workflows/vendor-contract.js';
import { createMeetbitActivities } from './meetbit.js';
import { createMeetergoActivities } from './meetergo.js';
import { createNetbirdActivities } from './netbird.js';
import { createPartooActivities } from './partoo.js';
import { scrubbingFailures } from './personal-data.js';
import { createSiitActivities } from './siit.js';

export function createVendorActivities(config: VendorsConfig): VendorActivities {
  return {
    netbird: scrubbingFailures(createNetbirdActivities(config.netbird)),
    siit: scrubbingFailures(createSiitActivities(config.siit)),
    meetbit: scrubbingFailures(createMeetbitActivities(config.meetbit)),
    meetergo: scrubbingFailures(createMeetergoActivities(config.meetergo)),
    partoo: scrubbingFailures(createPartooActivities(config.partoo)),
  };
}
