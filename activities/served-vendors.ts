/**
 * "Does this deployment serve the vendors this hire asks for?", answered by the onboarding's first
 * step (activities/prepare.ts) on the workflow's own worker. The served vendors are those the
 * worker has activities for: the ones whose variables are set. Every worker of a deployment runs
 * with the same vendor variables, so the answer of whichever worker runs the workflow is the
 * deployment's. A hire asking for a vendor that is off fails at once, naming the vendor and the
 * variables that turn it on, instead of creating users elsewhere and then waiting out a create
 * timeout on a task queue nobody polls.
 */
import { ApplicationFailure } from '@temporalio/common';
import { vendorVariables } from '../config/environment.js';
import type { NewHire } from '../workflows/new-hire.js';
import { VENDOR_NOT_SERVED } from '../workflows/vendor-contract.js';
import { VENDOR_LABELS, VENDORS, type VendorName } from '../workflows/vendors.js';

/** The refusal of a hire that enables a vendor this deployment does not serve; undefined when it does not. */
export function vendorsNotServed(hire: NewHire, served: readonly VendorName[]): ApplicationFailure | undefined {
  const off = VENDORS.filter((vendor) => hire.vendors[vendor].enabled && !served.includes(vendor));
  if (off.length === 0) return undefined;
  const each = off.map((vendor) => `${VENDOR_LABELS[vendor]} (set ${vendorVariables(vendor).join(', ')})`).join('; ');
  const flags = off.map((vendor) => `vendors.${vendor}.enabled: false`).join(', ');
  return ApplicationFailure.create({
    type: VENDOR_NOT_SERVED,
    nonRetryable: true,
    message:
      `This deployment does not serve ${off.map((v) => VENDOR_LABELS[v]).join(', ')}, which this hire asks for: nothing was created. ` +
      `Set the variables on the workers and restart them: ${each}; or start the onboarding with ${flags}.`,
    details: [{ vendors: off, variables: Object.fromEntries(off.map((v) => [v, vendorVariables(v)])) }],
  });
}
