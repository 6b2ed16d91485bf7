/** A valid hire for the activity tests; each test changes what it needs. */
import { NewHireSchema, type NewHire, type NewHireInput } from '../../workflows/new-hire.js';

let counter = 0;

export function hireInput(overrides: Partial<NewHireInput> = {}): NewHireInput {
  counter += 1;
  return {
    employeeId: `E-${Date.now().toString(36)}-${counter}`,
    email: `ada.lovelace+${Date.now().toString(36)}${counter}@example.com`,
    firstName: 'Ada',
    lastName: 'Lovelace',
    timezone: 'Europe/London',
    startDate: '2025-03-03',
    jobTitle: 'Analyst',
    department: 'Engineering',
    language: 'en-GB',
    vendors: { meetbit: { departmentId: 1 } },
    ...overrides,
  };
}

export function hire(overrides: Partial<NewHireInput> = {}): NewHire {
  return NewHireSchema.parse(hireInput(overrides));
}
