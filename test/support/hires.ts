/** New hires for tests: unique per call, so tests sharing one server and sandbox never collide. */
import { randomUUID } from 'node:crypto';
import type { NewHireInput } from '../../workflows/new-hire.js';

export function uniqueHire(tag: string, overrides: Partial<NewHireInput> = {}): NewHireInput & { employeeId: string; email: string } {
  const suffix = randomUUID().slice(0, 8);
  return {
    employeeId: `${tag}-${suffix}`,
    email: `Hire.${tag}+${suffix}@Example.com`,
    firstName: 'Zoë',
    lastName: 'Ñúñez-Åberg',
    timezone: 'Europe/Paris',
    startDate: '2026-12-01',
    jobTitle: 'Site Reliability Engineer',
    department: 'Platform',
    language: 'fr',
    vendors: { meetbit: { departmentId: 7 } },
    ...overrides,
  } as NewHireInput & { employeeId: string; email: string };
}
