/**
 * Every vendor's activities, implementing the contract the workflow proxies
 * (workflows/vendor-contract.ts): `tsc` fails here when a vendor misses one. Their failures leave
 * without the hire's own values (personal-data.ts): a vendor echoing the email must not put it
 * into the worker's logs.
 */
import type { ServedVendors, VendorsConfig } from '../config/environment.js';
import type { VendorActivities } from '../workflows/vendor-contract.js';
import type { VendorName } from '../workflows/vendors.js';
import { createMeetbitActivities } from './meetbit.js';
import { createMeetergoActivities } from './meetergo.js';
import { createNetbirdActivities } from './netbird.js';
import { createPartooActivities } from './partoo.js';
import { scrubbingFailures } from './personal-data.js';
import { createSiitActivities } from './siit.js';

/**
 * The activities of the vendors this deployment serves (those configured), and only theirs.
 * @param requestsPerSecond each vendor's pace for this process's requests (the worker passes the
 *   configured limits); without it requests are not paced (tests against unlimited sandboxes).
 * @throws ConfigError when a `<VENDOR>_OMIT_FIELDS` names a field the vendor's create request
 *   lacks or requires (activities/rest-user-api.ts).
 */
export function createVendorActivities(config: VendorsConfig, requestsPerSecond?: Record<VendorName, number>): VendorActivities;
export function createVendorActivities(config: ServedVendors, requestsPerSecond?: Record<VendorName, number>): Partial<VendorActivities>;
export function createVendorActivities(config: ServedVendors, requestsPerSecond?: Record<VendorName, number>): Partial<VendorActivities> {
  const paced = <V extends VendorName>(vendor: V) => config[vendor] && { ...config[vendor]!, requestsPerSecond: requestsPerSecond?.[vendor] };
  const netbird = paced('netbird');
  const siit = paced('siit');
  const meetbit = paced('meetbit');
  const meetergo = paced('meetergo');
  const partoo = paced('partoo');
  return {
    ...(netbird && { netbird: scrubbingFailures(createNetbirdActivities(netbird)) }),
    ...(siit && { siit: scrubbingFailures(createSiitActivities(siit)) }),
    ...(meetbit && { meetbit: scrubbingFailures(createMeetbitActivities(meetbit)) }),
    ...(meetergo && { meetergo: scrubbingFailures(createMeetergoActivities(meetergo)) }),
    ...(partoo && { partoo: scrubbingFailures(createPartooActivities(partoo)) }),
  };
}
