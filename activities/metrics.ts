/**
 * What the onboardings did to users, per vendor, as one Prometheus counter beside the SDK's own
 * metrics (the worker serves both on TEMPORAL_METRICS_BIND):
 *   onboarding_vendor_users{vendor, outcome="created|adopted|undone|refused"}
 * `refused`: the vendor refused a create for good (bad data, wrong credentials or permission, a
 * conflict), the signal worth an alert. Counted once per completed activity, not per attempt, so a
 * retried create counts once. Through the activity context's meter: it carries the namespace,
 * task queue and activity type, and is a no-op where no metrics are exported.
 */
import { Context } from '@temporalio/activity';
import type { VendorName } from '../workflows/vendors.js';

export type UserOutcome = 'created' | 'adopted' | 'undone' | 'refused';

export function countUser(vendor: VendorName, outcome: UserOutcome): void {
  Context.current()
    .metricMeter.createCounter('onboarding_vendor_users', 'users', 'Users created, adopted, undone, or refused by the vendor, per vendor')
    .add(1, { vendor, outcome });
}
