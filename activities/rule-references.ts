/**
 * Whether what the provisioning rules name exists in each vendor's account (NetBird groups,
 * MeetBit departments and roles, Siit departments and teams, Partoo businesses), by read-only
 * calls: a rule naming a department that does not exist would otherwise be found by the first
 * hire it matches, as a refused create. Checked when the worker starts and by `doctor`, both
 * through loadCheckedRules.
 *
 * The list calls: NetBird `GET /groups` and Partoo `GET /business/search` are documented; MeetBit
 * `GET /departments` and `/roles`, Siit `GET /departments` and `/teams` are our guesses
 * (docs/vendors.md).
 */
import { z } from 'zod';
import type { ServedVendors, VendorsConfig } from '../config/environment.js';
import { VENDOR_LABELS, type VendorName } from '../workflows/vendors.js';
import { vendorHttp } from './http.js';
import { loadProvisioningRules, ruleReferences, RulesFileError, type ProvisioningRules, type RuleReference } from './provisioning-rules.js';
import { lookUp } from './rest-user-api.js';

type Known = Partial<Record<RuleReference['kind'], Set<string>>>;

const SiitList = z.object({ results: z.array(z.object({ uid: z.string() }).loose()) }).loose();

const FETCH: { [V in VendorName]: ((config: VendorsConfig[V]) => Promise<Known>) | undefined } = {
  async netbird(config) {
    const http = vendorHttp('netbird', config);
    const groups = await lookUp(http, 'groups', {}, z.array(z.object({ id: z.string() }).loose()));
    // auto_groups takes ids (opaque ones such as "ch8i4ug6lnn4g9hqv7m0"), never names.
    return { group: new Set(groups.map((g) => g.id)) };
  },
  async siit(config) {
    const http = vendorHttp('siit', config);
    const uids = async (path: string) => new Set((await lookUp(http, path, { per_page: 100 }, SiitList)).results.map((r) => r.uid));
    return { department: await uids('departments'), team: await uids('teams') };
  },
  async meetbit(config) {
    const http = vendorHttp('meetbit', config);
    const departments = await lookUp(http, 'departments', {}, z.object({ data: z.array(z.object({ id: z.number() }).loose()) }).loose());
    const roles = await lookUp(http, 'roles', {}, z.object({ data: z.array(z.object({ name: z.string() }).loose()) }).loose());
    return { department: new Set(departments.data.map((d) => String(d.id))), role: new Set(roles.data.map((r) => r.name)) };
  },
  // meetergo rules set a meeting type by name and duration: nothing to look up.
  meetergo: undefined,
  async partoo(config) {
    const http = vendorHttp('partoo', config);
    const { businesses } = await lookUp(http, 'business/search', { per_page: 100 }, z.object({ businesses: z.array(z.object({ id: z.string() }).loose()) }).loose());
    return { business: new Set(businesses.map((b) => b.id)) };
  },
};

function fetchKnown<V extends VendorName>(vendor: V, config: ServedVendors): Promise<Known> | undefined {
  const own = config[vendor];
  return own && FETCH[vendor]?.(own as VendorsConfig[V]);
}

/**
 * The rules of `file` (ONBOARDING_RULES_FILE), read and every reference checked at the vendors
 * `config` serves. Throws one RulesFileError naming every problem, the file's own or a reference's.
 */
export async function loadCheckedRules(file: string, config: ServedVendors): Promise<ProvisioningRules> {
  const rules = loadProvisioningRules(file);
  const problems = await checkRuleReferences(rules, config);
  if (problems.length > 0) throw new RulesFileError(problems);
  return rules;
}

/** One line per reference a vendor does not know, naming where the rules write it (vendors `config` does not serve are not checked). */
export async function checkRuleReferences(rules: ProvisioningRules, config: ServedVendors): Promise<string[]> {
  const references = ruleReferences(rules).filter((r) => config[r.vendor] !== undefined);
  const problems: string[] = [];
  for (const vendor of new Set(references.map((r) => r.vendor))) {
    let known: Known;
    try {
      known = (await fetchKnown(vendor, config)) ?? {};
    } catch (err) {
      problems.push(`${VENDOR_LABELS[vendor]}: cannot list what the rules name: ${(err as Error).message}`);
      continue;
    }
    for (const ref of references.filter((r) => r.vendor === vendor)) {
      const ids = known[ref.kind];
      if (ids && !ids.has(ref.id)) problems.push(`${ref.at}: ${VENDOR_LABELS[vendor]} has no ${ref.kind} ${ref.id} (it has: ${[...ids].join(', ') || 'none'})`);
    }
  }
  return problems;
}
