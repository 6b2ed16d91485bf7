/**
 * Time zones: each sandbox checks them with its own rule, never the project's NewHire check, so
 * a vendor can refuse a zone our validation lets through, as the real one could.
 */
import { describe, expect, test } from '@jest/globals';
import { isIanaTimeZone } from '../../workflows/new-hire.js';
import { CREATE, uniqueEmail, useSandboxes, type Answer } from './support.js';

const suite = useSandboxes();
const { call } = suite;

describe('time zones: each sandbox its own list, not the project check', () => {
  // MeetBit (Laravel) lists the IANA zone.tab names and UTC; meetergo (NestJS) asks Intl, which
  // knows the old aliases too. Our NewHire check accepts the aliases: MeetBit can refuse a hire
  // our validation let through, as the real vendor could.
  test.each([
    { zone: 'Europe/London', project: true, meetbit: 200, meetergo: 201 },
    { zone: 'Asia/Kolkata', project: true, meetbit: 200, meetergo: 201 },
    { zone: 'Europe/Kyiv', project: true, meetbit: 200, meetergo: 201 },
    { zone: 'UTC', project: true, meetbit: 200, meetergo: 201 },
    { zone: 'Asia/Calcutta', project: true, meetbit: 400, meetergo: 201 },
    { zone: 'US/Eastern', project: true, meetbit: 400, meetergo: 201 },
    { zone: 'Mars/Olympus', project: false, meetbit: 400, meetergo: 400 },
  ])('$zone: project $project, MeetBit $meetbit, meetergo $meetergo', async ({ zone, project, meetbit, meetergo }) => {
    expect(isIanaTimeZone(zone)).toBe(project);
    const create = (vendor: 'meetbit' | 'meetergo'): Promise<Answer> =>
      call(vendor, 'POST', CREATE[vendor].path, { json: { ...CREATE[vendor].body(uniqueEmail(vendor)), timezone: zone } });
    const [mb, mg] = await Promise.all([create('meetbit'), create('meetergo')]);
    expect([mb.status, mg.status]).toEqual([meetbit, meetergo]);
    if (meetbit === 400) expect(mb.body.errors).toEqual({ timezone: ['The timezone must be a valid timezone.'] });
    if (meetergo === 400) expect(mg.body).toEqual({ statusCode: 400, message: 'Invalid timezone', error: 'Bad Request' });
  });
});
