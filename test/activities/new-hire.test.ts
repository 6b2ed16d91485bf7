import { describe, expect, it } from '@jest/globals';
import { DEFAULT_WORK_HOURS, parseNewHire, unprovisionedSettings, type NewHire } from '../../workflows/new-hire.js';
import { hireInput } from './hire-fixture.js';

function fieldsOf(input: unknown): string[] {
  const result = parseNewHire(input);
  if (result.ok) throw new Error('expected validation to fail');
  return result.issues.map((i) => i.field);
}

describe('parseNewHire', () => {
  it('accepts a minimal hire and fills the defaults', () => {
    const result = parseNewHire(hireInput());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const v = result.value;
    expect(v.workHours).toEqual(DEFAULT_WORK_HOURS);
    expect(v.vendors.netbird).toEqual({ enabled: true, role: 'user', autoGroups: [] });
    expect(v.vendors.meetbit).toEqual({ enabled: true, departmentId: 1, role: 'User' });
    expect(v.vendors.partoo).toEqual({ enabled: true, role: 'BUSINESS_MANAGER', businessIds: [] });
    expect(v.vendors.siit.enabled && v.vendors.meetergo.enabled).toBe(true);
  });

  it('re-parses its own output unchanged (activities validate what the workflow passes)', () => {
    const first = parseNewHire(hireInput());
    if (!first.ok) throw new Error('invalid fixture');
    expect(parseNewHire(first.value)).toEqual(first);
  });

  it('trims names and composes accents (NFC)', () => {
    const result = parseNewHire(hireInput({ firstName: '  Zoe\u0301 ', lastName: 'Ærøskøbing-Ñúñez' }));
    expect(result.ok && result.value.firstName).toBe('Zoé');
    expect(result.ok && result.value.lastName).toBe('Ærøskøbing-Ñúñez');
  });

  it('keeps emails as given (case and plus tag)', () => {
    const result = parseNewHire(hireInput({ email: 'Ada.Lovelace+Onboarding@Example.COM' }));
    expect(result.ok && result.value.email).toBe('Ada.Lovelace+Onboarding@Example.COM');
  });

  it('accepts 255-character names and rejects 256, naming the field', () => {
    expect(parseNewHire(hireInput({ firstName: 'é'.repeat(255) })).ok).toBe(true);
    expect(fieldsOf(hireInput({ firstName: 'é'.repeat(256) }))).toEqual(['firstName']);
    // 255 decomposed é are 510 code units before NFC, 255 after: the limit applies after.
    expect(parseNewHire(hireInput({ lastName: 'e\u0301'.repeat(255) })).ok).toBe(true);
  });

  it('names every bad field by dotted path', () => {
    const fields = fieldsOf({
      ...hireInput(),
      employeeId: 'has spaces/slash',
      email: 'not-an-email',
      timezone: 'Mars/Olympus',
      startDate: '2025-02-30',
      language: 'english!',
      workHours: { monday: [{ start: '17:00', end: '09:00' }], funday: [] },
      vendors: {
        netbird: { role: 'owner' },
        siit: { contractType: 'forever', country: 'Portugal' },
        meetbit: { departmentId: 1.5 },
        meetergo: { meetingType: { name: 'Intro', duration: 30, channel: 'carrier-pigeon' } },
        partoo: { role: 'PROVIDER', inviteAt: '2025-03-01T09:00:00' },
      },
    });
    expect(fields.sort()).toEqual(
      [
        'employeeId',
        'email',
        'timezone',
        'startDate',
        'language',
        'workHours.monday.0.end',
        'workHours.funday',
        'vendors.netbird.role',
        'vendors.siit.contractType',
        'vendors.siit.country',
        'vendors.meetbit.departmentId',
        'vendors.meetergo.meetingType.channel',
        'vendors.partoo.role',
        'vendors.partoo.inviteAt',
      ].sort(),
    );
  });

  it('requires a MeetBit department only while MeetBit is enabled, once the provisioning rules have had their say', () => {
    const withoutDepartment = parseNewHire(hireInput({ vendors: {} }));
    // The input may leave it to a rule: the check comes after the rules (activities/prepare.ts).
    expect(withoutDepartment.ok).toBe(true);
    expect(unprovisionedSettings((withoutDepartment as { value: NewHire }).value)).toEqual([
      { field: 'vendors.meetbit.departmentId', message: expect.stringMatching(/required while MeetBit is enabled.*provisioning rule/) },
    ]);
    const meetbitOff = parseNewHire(hireInput({ vendors: { meetbit: { enabled: false } } }));
    expect(unprovisionedSettings((meetbitOff as { value: NewHire }).value)).toEqual([]);
  });

  it('reports missing required fields and a non-object input', () => {
    expect(fieldsOf({}).sort()).toEqual(
      ['employeeId', 'email', 'firstName', 'lastName', 'timezone', 'startDate', 'jobTitle', 'department'].sort(),
    );
    expect(fieldsOf('hello')).toEqual(['(input)']);
  });

  it('validates time zones against IANA names, not offsets', () => {
    expect(parseNewHire(hireInput({ timezone: 'UTC' })).ok).toBe(true);
    expect(parseNewHire(hireInput({ timezone: 'America/Argentina/Buenos_Aires' })).ok).toBe(true);
    expect(fieldsOf(hireInput({ timezone: '+01:00' }))).toEqual(['timezone']);
  });

  it('accepts a Partoo inviteAt with an offset and rejects overlapping work hours', () => {
    expect(parseNewHire(hireInput({ vendors: { meetbit: { departmentId: 1 }, partoo: { inviteAt: '2025-03-01T09:00:00+01:00' } } })).ok).toBe(true);
    const overlapping = { monday: [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '17:00' }] };
    expect(fieldsOf(hireInput({ workHours: overlapping }))).toEqual(['workHours.monday']);
  });
});
