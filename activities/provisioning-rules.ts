/**
 * Provisioning rules: from what an HR app knows (department, job title, location, employment
 * type, manager) to what each vendor needs (NetBird role and groups, MeetBit department and role,
 * Siit department and teams, Partoo role and businesses, meetergo meeting type). A YAML (or JSON)
 * file, `ONBOARDING_RULES_FILE`:
 *
 *   default:                       # what every hire gets unless a rule or the hire says otherwise
 *     meetbit: { departmentId: 1, role: User }
 *   rules:                         # first match wins
 *     - name: Engineering
 *       when: { department: Engineering }             # a value, or a list of values (any of them)
 *       set:
 *         netbird: { autoGroups: [engineering] }
 *         meetbit: { departmentId: 7 }
 *
 * A hire's own `vendors` settings win over the rule, and the rule over the default, field by
 * field. The settings' names are the hire's own (`vendors.<vendor>.<field>`). The file is checked
 * when the worker starts: a mistake is named by its line.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, type Node } from 'yaml';
import { z } from 'zod';
import { MeetingTypeSchema, NETBIRD_ROLES, PARTOO_ROLES, VendorIdSchema } from '../workflows/new-hire.js';
import { VENDORS, type VendorName } from '../workflows/vendors.js';

const id = VendorIdSchema;

/** What a rule may set, per vendor: the hire's own field names and checks, without their defaults. */
const SettingsSchema = z
  .strictObject({
    netbird: z.strictObject({ role: z.enum(NETBIRD_ROLES), autoGroups: z.array(id) }).partial(),
    siit: z.strictObject({ departmentUid: id, teamUids: z.array(id) }).partial(),
    meetbit: z.strictObject({ departmentId: z.number().int().positive(), role: id }).partial(),
    meetergo: z.strictObject({ meetingType: MeetingTypeSchema }).partial(),
    partoo: z.strictObject({ role: z.enum(PARTOO_ROLES), businessIds: z.array(id) }).partial(),
  })
  .partial();
export type ProvisioningSettings = z.infer<typeof SettingsSchema>;

/** The HR fields a rule matches on. */
const HR_FIELDS = ['department', 'jobTitle', 'location', 'employmentType', 'manager'] as const;
type HrField = (typeof HR_FIELDS)[number];

const values = z.union([z.string().trim().min(1), z.array(z.string().trim().min(1)).min(1)]);
const WhenSchema = z
  .strictObject(Object.fromEntries(HR_FIELDS.map((f) => [f, values.optional()])) as Record<HrField, z.ZodOptional<typeof values>>)
  .refine((when) => Object.values(when).some((v) => v !== undefined), `name at least one of ${HR_FIELDS.join(', ')}`);

const RulesFileSchema = z.strictObject({
  default: SettingsSchema.optional(),
  rules: z
    .array(z.strictObject({ name: z.string().trim().min(1), when: WhenSchema, set: SettingsSchema }))
    .default([]),
});

export interface ProvisioningRule {
  name: string;
  /** Where it is written, for people: "rules.yaml line 9". */
  at: string;
  when: Partial<Record<HrField, string | string[]>>;
  set: ProvisioningSettings;
  /** Where each setting is written, by `vendor.field`. */
  lines: Record<string, string>;
}

export interface ProvisioningRules {
  source: string;
  default: ProvisioningSettings;
  defaultLines: Record<string, string>;
  rules: ProvisioningRule[];
}

export class RulesFileError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid provisioning rules:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'RulesFileError';
  }
}

export function loadProvisioningRules(file: string): ProvisioningRules {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new RulesFileError([`ONBOARDING_RULES_FILE: cannot read ${file}: ${(err as Error).message}`]);
  }
  return parseProvisioningRules(text, file.split('/').at(-1)!);
}

/** Parses and checks rules; every problem is named by its line. */
export function parseProvisioningRules(text: string, source: string): ProvisioningRules {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : lineCounter.linePos(offset).line);
  if (doc.errors.length > 0) throw new RulesFileError(doc.errors.map((e) => `${source} line ${lineOf(e.pos[0])}: ${e.message.split('\n')[0]}`));
  const parsed = RulesFileSchema.safeParse(doc.toJS() ?? {});
  const at = (path: (string | number)[]) => {
    // The deepest node the path reaches (a missing key is reported where its parent is).
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(path.slice(0, depth), true) as Node | undefined;
      if (node && typeof node === 'object' && 'range' in node && node.range) return `${source} line ${lineOf(node.range[0])}`;
    }
    return source;
  };
  if (!parsed.success) {
    throw new RulesFileError(parsed.error.issues.map((i) => `${at(i.path as (string | number)[])}: ${i.path.join('.') || '(file)'}: ${i.message}`));
  }
  const settingLines = (base: (string | number)[], settings: ProvisioningSettings) =>
    Object.fromEntries(
      Object.entries(settings).flatMap(([vendor, fields]) => Object.keys(fields ?? {}).map((field) => [`${vendor}.${field}`, at([...base, vendor, field])])),
    );
  return {
    source,
    default: parsed.data.default ?? {},
    defaultLines: settingLines(['default'], parsed.data.default ?? {}),
    rules: parsed.data.rules.map((rule, i) => ({ ...rule, at: at(['rules', i]), lines: settingLines(['rules', i, 'set'], rule.set) })),
  };
}

const normalized = (s: unknown) => (typeof s === 'string' ? s.trim().toLowerCase() : undefined);

function matches(rule: ProvisioningRule, input: Record<string, unknown>): boolean {
  return Object.entries(rule.when).every(([field, wanted]) => {
    const value = normalized(field === 'manager' ? (input.manager as { email?: unknown } | undefined)?.email : input[field]);
    return value !== undefined && [wanted].flat().some((w) => normalized(w) === value);
  });
}

/**
 * The raw input with each vendor's settings filled from the rules: the default, then the first
 * matching rule, then the hire's own settings on top. Works on the raw input (before defaults are
 * applied) so that a setting the hire did not give is told apart from one it gave.
 */
export function applyProvisioningRules(rules: ProvisioningRules | undefined, input: unknown): { input: unknown; rule: string | null } {
  if (!rules || !input || typeof input !== 'object' || Array.isArray(input)) return { input, rule: null };
  const raw = input as Record<string, unknown>;
  const rule = rules.rules.find((r) => matches(r, raw));
  const given = (raw.vendors && typeof raw.vendors === 'object' ? raw.vendors : {}) as Record<string, unknown>;
  const vendors = Object.fromEntries(
    VENDORS.map((vendor) => {
      const own = given[vendor];
      if (own !== undefined && (typeof own !== 'object' || own === null)) return [vendor, own]; // let validation name it
      return [vendor, { ...rules.default[vendor], ...rule?.set[vendor], ...(own as object | undefined) }];
    }),
  );
  // "Engineering (rules.yaml line 9)": which rule decided, where to read it.
  return { input: { ...raw, vendors: { ...given, ...vendors } }, rule: rule ? `${rule.name} (${rule.at})` : null };
}

/** The vendor references the rules name, for checking them against each vendor's account. */
export interface RuleReference {
  vendor: VendorName;
  kind: 'group' | 'department' | 'role' | 'team' | 'business';
  id: string;
  /** Where it is written. */
  at: string;
}

const REFERENCE_FIELDS: { vendor: VendorName; field: string; kind: RuleReference['kind'] }[] = [
  { vendor: 'netbird', field: 'autoGroups', kind: 'group' },
  { vendor: 'meetbit', field: 'departmentId', kind: 'department' },
  { vendor: 'meetbit', field: 'role', kind: 'role' },
  { vendor: 'siit', field: 'departmentUid', kind: 'department' },
  { vendor: 'siit', field: 'teamUids', kind: 'team' },
  { vendor: 'partoo', field: 'businessIds', kind: 'business' },
];

export function ruleReferences(rules: ProvisioningRules): RuleReference[] {
  const blocks = [
    { settings: rules.default, lines: rules.defaultLines },
    ...rules.rules.map((r) => ({ settings: r.set, lines: r.lines })),
  ];
  return blocks.flatMap(({ settings, lines }) =>
    REFERENCE_FIELDS.flatMap(({ vendor, field, kind }) => {
      const value = (settings[vendor] as Record<string, unknown> | undefined)?.[field];
      if (value === undefined) return [];
      return [value].flat().map((v) => ({ vendor, kind, id: String(v), at: lines[`${vendor}.${field}`] ?? rules.source }));
    }),
  );
}
