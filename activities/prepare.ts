/**
 * The onboarding's first step, a local activity on the workflow's own worker: applies the
 * provisioning rules to the hire (HR fields → each vendor's settings), validates the result, fills
 * in its defaults, and checks that this deployment serves every vendor the hire asks for. It lives here rather than in the workflow because zod inside the
 * workflow sandbox is costly: the sandbox evaluated a workflow's modules once per workflow, so
 * every cached onboarding carried its own copy of zod and spent most of its CPU there.
 */
import { ApplicationFailure } from '@temporalio/common';
import { parseNewHire, unprovisionedSettings, type NewHire, type NewHireIssue } from '../workflows/new-hire.js';
import { OnboardingOptionsSchema } from '../workflows/options.js';
import { INVALID_ONBOARDING_INPUT, type PreparationActivities } from '../workflows/vendor-contract.js';
import { VENDORS, type VendorName } from '../workflows/vendors.js';
import { applyProvisioningRules, type ProvisioningRules } from './provisioning-rules.js';
import { vendorsNotServed } from './served-vendors.js';

export interface PreparationSettings {
  /** The provisioning rules (ONBOARDING_RULES_FILE), if any. */
  rules?: ProvisioningRules;
  /** The vendors this deployment serves (the worker's configured ones); all when not given. */
  served?: readonly VendorName[];
}

export function createPreparationActivities({ rules, served = VENDORS }: PreparationSettings = {}): PreparationActivities {
  return {
    async prepareOnboarding(input, rawOptions) {
      const provisioned = applyProvisioningRules(rules, input);
      const hire = parseNewHire(provisioned.input);
      const options = OnboardingOptionsSchema.safeParse(rawOptions ?? {});
      const issues: NewHireIssue[] = [
        ...(hire.ok ? unprovisionedSettings(hire.value) : hire.issues),
        ...(options.success ? [] : options.error.issues.map((i) => ({ field: `options.${i.path.join('.')}`, message: i.message }))),
      ];
      if (hire.ok && options.success && issues.length === 0) {
        const notServed = vendorsNotServed(hire.value, served);
        if (notServed) throw notServed;
        return { hire: hire.value, options: options.data, provisioning: { rule: provisioned.rule, settings: describeSettings(hire.value) } };
      }
      throw ApplicationFailure.create({
        type: INVALID_ONBOARDING_INPUT,
        nonRetryable: true,
        message: `Invalid onboarding input: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
        details: [issues],
      });
    },
  };
}

/** Each enabled vendor's settings in a few words, for the progress and the Web UI: ids and names only. */
function describeSettings(hire: NewHire): Partial<Record<VendorName, string>> {
  const v = hire.vendors;
  const list = (items: string[]) => (items.length > 0 ? items.join(', ') : 'none');
  const described: Record<VendorName, string> = {
    netbird: `role ${v.netbird.role}, groups ${list(v.netbird.autoGroups)}`,
    siit: `department ${v.siit.departmentUid ?? 'none'}, teams ${list(v.siit.teamUids ?? [])}`,
    meetbit: `department ${v.meetbit.departmentId}, role ${v.meetbit.role}`,
    meetergo: v.meetergo.meetingType ? `meeting type ${v.meetergo.meetingType.name} (${v.meetergo.meetingType.duration} min)` : "meeting type: meetergo's default",
    partoo: `role ${v.partoo.role}, businesses ${list(v.partoo.businessIds)}`,
  };
  return Object.fromEntries(VENDORS.filter((vendor) => v[vendor].enabled).map((vendor) => [vendor, described[vendor]]));
}
