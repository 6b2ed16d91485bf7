/** The pure NewHire → vendor request mappings, each checked against its own request schema. */
import { describe, expect, it } from '@jest/globals';
import { MeetbitCreateRequest, toMeetbitCreateRequest } from '../../activities/meetbit.js';
import { MeetergoCreateRequest, toMeetergoCreateRequest } from '../../activities/meetergo.js';
import { NetbirdCreateRequest, toNetbirdCreateRequest } from '../../activities/netbird.js';
import { PartooCreateRequest, partooLang, toPartooCreateRequest } from '../../activities/partoo.js';
import { SiitCreateRequest, toSiitCreateRequest } from '../../activities/siit.js';
import type { NewHire } from '../../workflows/new-hire.js';
import { hire } from './hire-fixture.js';

const mappings = [
  ['netbird', toNetbirdCreateRequest, NetbirdCreateRequest],
  ['siit', toSiitCreateRequest, SiitCreateRequest],
  ['meetbit', toMeetbitCreateRequest, MeetbitCreateRequest],
  ['meetergo', toMeetergoCreateRequest, MeetergoCreateRequest],
  ['partoo', toPartooCreateRequest, PartooCreateRequest],
] as const;

/** Every string value of a request, wherever it is. */
const stringsOf = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(stringsOf) : [];

describe.each(mappings)('%s mapping', (_vendor, map, schema) => {
  const run = (h: NewHire) => schema.parse(map(h));

  it('sends the email as given: plus-addressed and upper-case', () => {
    const request = run(hire({ email: 'Ada.Lovelace+Onboarding@Example.COM' }));
    expect(request.email).toBe('Ada.Lovelace+Onboarding@Example.COM');
  });

  it('keeps accented names composed (NFC) and intact', () => {
    const request = run(hire({ firstName: 'Zoe\u0301', lastName: 'Ærøskøbing-Ñúñez' }));
    const strings = stringsOf(request);
    expect(strings.some((s) => s.includes('Zoé'))).toBe(true);
    expect(strings.some((s) => s.includes('Ærøskøbing-Ñúñez'))).toBe(true);
    expect(strings.some((s) => s.includes('e\u0301'))).toBe(false);
  });

  it('keeps 255-character names within the vendor limits (255 is the tightest)', () => {
    const long = 'é'.repeat(255);
    const request = run(hire({ firstName: long, lastName: long }));
    for (const s of stringsOf(request)) if (!s.includes(' ')) expect([...s].length).toBeLessThanOrEqual(255);
    expect(stringsOf(request).filter((s) => s.includes(long)).length).toBeGreaterThan(0);
  });
});

describe('vendor specifics', () => {
  it('NetBird: full name, role, groups, never a service user', () => {
    expect(toNetbirdCreateRequest(hire({ vendors: { meetbit: { departmentId: 1 }, netbird: { role: 'admin', autoGroups: ['g1'] } } }))).toEqual({
      email: expect.any(String),
      name: 'Ada Lovelace',
      role: 'admin',
      auto_groups: ['g1'],
      is_service_user: false,
    });
  });

  it('Siit: directory fields, UIDs only when given', () => {
    const h = hire({ vendors: { meetbit: { departmentId: 1 }, siit: { departmentUid: 'dep_1', teamUids: ['t_1'], contractType: 'fulltime' } } });
    expect(toSiitCreateRequest(h)).toEqual({
      email: h.email,
      first_name: 'Ada',
      last_name: 'Lovelace',
      job_title: 'Analyst',
      job_start_date: '2025-03-03',
      preferred_language: 'en-GB',
      employee_number: h.employeeId,
      department: 'dep_1',
      teams: ['t_1'],
      contract_type: 'fulltime',
    });
  });

  it('MeetBit: department, role, work hours as times, invited with its own email', () => {
    const request = toMeetbitCreateRequest(hire({ workHours: { monday: [{ start: '08:30', end: '12:00' }, { start: '13:00', end: '17:45' }] }, vendors: { meetbit: { departmentId: 7, role: 'Manager' } } }));
    expect(request).toMatchObject({ department_id: 7, role: 'Manager', timezone: 'Europe/London' });
    // MeetBit's default (invited, its own email): neither flag is sent, so the key needs no users.lock.*.
    expect(request).not.toHaveProperty('activate');
    expect(request).not.toHaveProperty('is_silent');
    expect(request.work_hours.monday).toEqual([
      { start: { hour: 8, minute: 30, second: 0 }, end: { hour: 12, minute: 0, second: 0 } },
      { start: { hour: 13, minute: 0, second: 0 }, end: { hour: 17, minute: 45, second: 0 } },
    ]);
    expect(request.work_hours.tuesday).toEqual([]);
    expect(Object.keys(request.work_hours).sort()).toEqual(['friday', 'monday', 'saturday', 'sunday', 'thursday', 'tuesday', 'wednesday']);
  });

  it('MeetBit: activate is sent only when the input asks for it', () => {
    expect(toMeetbitCreateRequest(hire({ vendors: { meetbit: { departmentId: 7, activate: true } } }))).toMatchObject({ activate: true });
    expect(toMeetbitCreateRequest(hire({ vendors: { meetbit: { departmentId: 7, activate: true } } }))).not.toHaveProperty('is_silent');
  });

  it('meetergo: availability from work hours (or its override), meeting type when given', () => {
    const plain = toMeetergoCreateRequest(hire());
    expect(plain.availability.schedule.monday).toEqual({ enabled: true, hours: [{ start: '09:00', end: '17:00' }] });
    expect(plain.availability.schedule.sunday).toEqual({ enabled: false, hours: [] });
    expect(plain.meetingType).toBeUndefined();
    const custom = toMeetergoCreateRequest(
      hire({
        vendors: {
          meetbit: { departmentId: 1 },
          meetergo: { meetingType: { name: 'Intro', duration: 45, slug: 'ada-intro' }, availability: { name: 'Mornings', workHours: { friday: [{ start: '09:00', end: '12:00' }] } } },
        },
      }),
    );
    expect(custom.meetingType).toEqual({ name: 'Intro', duration: 45, slug: 'ada-intro', channel: 'phone' });
    expect(custom.availability.name).toBe('Mornings');
    expect(custom.availability.schedule.monday.enabled).toBe(false);
    expect(custom.availability.schedule.friday.enabled).toBe(true);
  });

  it('Partoo: always held (send_invitation false, status invited), language derived', () => {
    const request = toPartooCreateRequest(hire({ language: 'pt-BR', vendors: { meetbit: { departmentId: 1 }, partoo: { businessIds: ['b1'] } } }));
    expect(request).toMatchObject({ send_invitation: false, status: 'invited', role: 'BUSINESS_MANAGER', business_ids: ['b1'], lang: 'pt-br' });
    const admin = toPartooCreateRequest(hire({ vendors: { meetbit: { departmentId: 1 }, partoo: { role: 'ORG_ADMIN', businessIds: ['b1'], lang: 'de' } } }));
    expect(admin.business_ids).toBeUndefined();
    expect(admin.lang).toBe('de');
    expect([partooLang('fr-FR'), partooLang('EN'), partooLang('ja-JP'), partooLang('pt-PT')]).toEqual(['fr', 'en', undefined, 'pt']);
  });
});
