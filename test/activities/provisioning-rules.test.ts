/**
 * Provisioning rules: the file read and checked (every mistake named by its line), the first
 * matching rule applied under the hire's own settings, and every reference checked against the
 * vendors' accounts (the sandboxes' tenants) by read-only calls.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { applyProvisioningRules, loadProvisioningRules, parseProvisioningRules, RulesFileError } from '../../activities/provisioning-rules.js';
import { checkRuleReferences } from '../../activities/rule-references.js';
import { startSandboxes, type Sandboxes } from '../../sandbox/index.js';
import { sandboxVendorsConfig } from '../../sandbox/worker-config.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const EXAMPLE = path.join(root, 'examples/rules.yaml');
const example = () => loadProvisioningRules(EXAMPLE);

function problemsOf(text: string): string[] {
  try {
    parseProvisioningRules(text, 'rules.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(RulesFileError);
    return (err as RulesFileError).problems;
  }
  throw new Error('expected the rules to be refused');
}

describe('the rules file', () => {
  it('examples/rules.yaml reads, each rule knowing its line', () => {
    const rules = example();
    expect(rules.rules.map((r) => r.name)).toEqual(['Engineering', 'Sales in Paris', 'Sales elsewhere']);
    const line = readFileSync(EXAMPLE, 'utf8').split('\n').findIndex((l) => l.includes('name: Engineering')) + 1;
    expect(rules.rules[0]!.at).toBe(`rules.yaml line ${line}`);
  });

  it.each([
    ['a setting of the wrong type', 'rules:\n  - name: A\n    when: { department: X }\n    set:\n      meetbit: { departmentId: seven }\n', /^rules\.yaml line 5: rules\.0\.set\.meetbit\.departmentId: /],
    ['a field no vendor has', 'rules:\n  - name: A\n    when: { department: X }\n    set:\n      meetbit: { departement: 7 }\n', /^rules\.yaml line 5: rules\.0\.set\.meetbit: .*departement/],
    ['a rule that matches nothing in particular', 'rules:\n  - name: A\n    when: {}\n    set: {}\n', /^rules\.yaml line 3: rules\.0\.when: name at least one of department, jobTitle/],
    ['an HR field we do not match on', 'rules:\n  - name: A\n    when: { salary: 100 }\n    set: {}\n', /^rules\.yaml line 3: rules\.0\.when: .*salary/],
    ['YAML that does not parse', 'rules:\n  - name: A\n    when: { department: [X\n', /^rules\.yaml line \d: /],
  ])('%s is refused, naming its line', (_what, text, problem) => {
    expect(problemsOf(text)[0]).toMatch(problem);
  });

  it('an unreadable file names the variable', () => {
    expect(() => loadProvisioningRules('/nowhere/rules.yaml')).toThrow(/ONBOARDING_RULES_FILE: cannot read \/nowhere\/rules\.yaml/);
  });
});

describe('applying the rules to a hire', () => {
  const hire = (fields: Record<string, unknown>) => ({ employeeId: 'E1', department: 'Engineering', ...fields });
  const vendorsOf = (input: unknown) => (input as { vendors: Record<string, unknown> }).vendors;

  it('the first matching rule, over the default, under the hire\'s own settings', () => {
    const { input, rule } = applyProvisioningRules(example(), hire({ vendors: { meetbit: { role: 'Manager' } } }));
    expect(rule).toMatch(/^Engineering \(rules\.yaml line \d+\)$/);
    expect(vendorsOf(input)).toMatchObject({
      netbird: { role: 'user', autoGroups: ['engineering'] },
      meetbit: { departmentId: 7, role: 'Manager' }, // the rule's department, the hire's role
      siit: { departmentUid: 'dep_engineering', teamUids: ['team_backend'] },
      partoo: { role: 'BUSINESS_MANAGER' },
    });
  });

  it('matches case-insensitively, any of a list, every field of `when`; the first that matches wins', () => {
    expect(applyProvisioningRules(example(), hire({ department: ' platform ' })).rule).toMatch(/^Engineering/);
    expect(applyProvisioningRules(example(), hire({ department: 'Sales', location: 'paris' })).rule).toMatch(/^Sales in Paris/);
    expect(applyProvisioningRules(example(), hire({ department: 'Sales', location: 'Lyon' })).rule).toMatch(/^Sales elsewhere/);
  });

  it("a rule may set whatever the hire may, with the hire's own checks: a meetergo meeting type with its slug", () => {
    const text = 'rules:\n  - name: Sales\n    when: { department: Sales }\n    set:\n      meetergo: { meetingType: { name: Intro, duration: 30, slug: intro-call } }\n';
    const { input } = applyProvisioningRules(parseProvisioningRules(text, 'rules.yaml'), hire({ department: 'Sales' }));
    expect(vendorsOf(input).meetergo).toEqual({ meetingType: { name: 'Intro', duration: 30, slug: 'intro-call' } });
    expect(problemsOf(text.replace('intro-call', 'Intro Call'))[0]).toMatch(/^rules\.yaml line 5: rules\.0\.set\.meetergo\.meetingType\.slug: must be lower-case letters/);
  });

  it('no rule matching: the default only; no rules at all: the input as it is', () => {
    const { input, rule } = applyProvisioningRules(example(), hire({ department: 'Finance' }));
    expect(rule).toBeNull();
    expect(vendorsOf(input).meetbit).toEqual({ departmentId: 1, role: 'User' });
    const raw = hire({});
    expect(applyProvisioningRules(undefined, raw)).toEqual({ input: raw, rule: null });
  });
});

describe("the rules' references against the vendors' accounts", () => {
  let sandboxes: Sandboxes;
  beforeAll(async () => {
    sandboxes = await startSandboxes({ rateLimits: false });
  });
  afterAll(() => sandboxes?.stop());

  it('every group, department, role, team and business examples/rules.yaml names exists in the sandboxes', async () => {
    expect(await checkRuleReferences(example(), sandboxVendorsConfig(sandboxes.urls))).toEqual([]);
  });

  it('a MeetBit department that does not exist is named with the line that names it', async () => {
    const rules = parseProvisioningRules('rules:\n  - name: Ghosts\n    when: { department: Ghosts }\n    set:\n      meetbit: { departmentId: 99 }\n      netbird: { autoGroups: [nobody] }\n', 'rules.yaml');
    expect(await checkRuleReferences(rules, sandboxVendorsConfig(sandboxes.urls))).toEqual([
      expect.stringMatching(/^rules\.yaml line 6: NetBird has no group nobody \(it has: all, engineering, sales, support\)$/),
      expect.stringMatching(/^rules\.yaml line 5: MeetBit has no department 99 \(it has: 1, 3, 7\)$/),
    ]);
    // Only the vendors the configuration serves are asked.
    expect(await checkRuleReferences(rules, { netbird: sandboxVendorsConfig(sandboxes.urls).netbird })).toEqual([expect.stringMatching(/NetBird has no group nobody/)]);
  });
});
