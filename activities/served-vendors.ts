/**
 * The workflow worker's answer to "does this deployment serve the vendors this hire asks for?"
 * (workflows/served-vendors.ts). The served vendors are those the worker has activities for: the
 * ones whose variables are set.
 */
import { ApplicationFailure } from '@temporalio/common';
import { vendorVariables } from '../config/environment.js';
import { parseNewHire } from '../workflows/new-hire.js';
import { VENDOR_NOT_SERVED, type DeploymentActivities } from '../workflows/served-vendors.js';
import { VENDOR_LABELS, VENDORS, type VendorName } from '../workflows/vendors.js';

export function createDeploymentActivities(served: readonly VendorName[]): DeploymentActivities {
  return {
    async checkVendorsServed(input) {
      const hire = parseNewHire(input);
      if (!hire.ok) return; // the workflow's validation names every bad field
      const off = VENDORS.filter((vendor) => hire.value.vendors[vendor].enabled && !served.includes(vendor));
      if (off.length === 0) return;
      const each = off.map((vendor) => `${VENDOR_LABELS[vendor]} (set ${vendorVariables(vendor).join(', ')})`).join('; ');
      const flags = off.map((vendor) => `vendors.${vendor}.enabled: false`).join(', ');
      throw ApplicationFailure.create({
        type: VENDOR_NOT_SERVED,
        nonRetryable: true,
        message:
          `This deployment does not serve ${off.map((v) => VENDOR_LABELS[v]).join(', ')}, which this hire asks for: nothing was created. ` +
          `Set the variables on the workers and restart them: ${each}; or start the onboarding with ${flags}.`,
        details: [{ vendors: off, variables: Object.fromEntries(off.map((v) => [v, vendorVariables(v)])) }],
      });
    },
  };
}
