/** Contract-valid create requests per vendor, for the load check and the tests. */
import type { VendorName } from '../workflows/vendors.js';

const workDay = { start: { hour: 9, minute: 0, second: 0 }, end: { hour: 17, minute: 30, second: 0 } };

/** Where each vendor creates users (after its base path), and a valid body for `email`. */
export const SAMPLE_CREATE: Record<VendorName, { path: string; body: (email: string) => Record<string, unknown> }> = {
  netbird: { path: '/users', body: (email) => ({ email, name: 'Ada Lovelace', role: 'user', auto_groups: [], is_service_user: false }) },
  siit: { path: '/users', body: (email) => ({ email, first_name: 'Ada', last_name: 'Lovelace', job_start_date: '2026-01-05', contract_type: 'fulltime' }) },
  meetbit: {
    path: '/users',
    body: (email) => ({
      email,
      first_name: 'Ada',
      last_name: 'Lovelace',
      department_id: 3,
      timezone: 'Europe/London',
      role: 'User',
      work_hours: { sunday: [], monday: [workDay], tuesday: [workDay], wednesday: [workDay], thursday: [workDay], friday: [workDay], saturday: [] },
    }),
  },
  meetergo: { path: '/user', body: (email) => ({ email, givenName: 'Ada', familyName: 'Lovelace', timezone: 'Europe/London' }) },
  // Invited and held: the saga sends the invitation itself later.
  partoo: { path: '/user', body: (email) => ({ email, first_name: 'Ada', last_name: 'Lovelace', status: 'invited', send_invitation: false }) },
};
