/** The OpenAPI checker itself must catch what it is there to catch. */
import { describe, expect, it } from '@jest/globals';
import { createRequestProblems } from './openapi.js';

describe('OpenAPI create-request validation', () => {
  it('accepts a minimal valid body per vendor', () => {
    expect(createRequestProblems('netbird', { role: 'user', auto_groups: [], is_service_user: false })).toEqual([]);
    expect(createRequestProblems('siit', { email: 'a@b.co', department: null })).toEqual([]);
    expect(createRequestProblems('partoo', { email: 'a@b.co', first_name: 'A', last_name: 'B' })).toEqual([]);
  });

  it('rejects bodies that break the contract', () => {
    expect(createRequestProblems('netbird', { role: 'user' })).not.toEqual([]);
    expect(createRequestProblems('siit', { first_name: 'A' })).not.toEqual([]); // allOf: email required
    expect(createRequestProblems('siit', { email: 'a@b.co', contract_type: 'forever' })).not.toEqual([]);
    expect(createRequestProblems('meetbit', { email: 'a@b.co' })).not.toEqual([]);
    expect(createRequestProblems('meetbit', { department_id: 1, first_name: 'x'.repeat(256), last_name: 'B', email: 'a@b.co', timezone: 'UTC', role: 'User', work_hours: {} })).not.toEqual([]);
    expect(createRequestProblems('meetergo', { email: 'a@b.co', givenName: 'A', familyName: 'B', timezone: 'UTC', meetingType: { channel: 'pigeon' } })).not.toEqual([]);
    expect(createRequestProblems('partoo', { email: 'nope', first_name: 'A', last_name: 'B' })).not.toEqual([]);
  });
});
