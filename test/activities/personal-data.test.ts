/**
 * What an activity's failure may say about the hire: the vendor's words, with the hire's own
 * values replaced by their fields' names (activities/personal-data.ts).
 */
import { ApplicationFailure } from '@temporalio/common';
import { personalValues, scrub, scrubbingFailures, withoutPersonalData } from '../../activities/personal-data.js';
import { VendorErrorType } from '../../workflows/vendor-contract.js';
import { uniqueHire } from '../support/hires.js';

const hire = uniqueHire('scrub', { firstName: 'Al', lastName: 'Ñúñez-Åberg', manager: { name: 'Bo Li', email: 'bo.li@example.org' }, vendors: { siit: { workPhone: '+33 6 12 34 56 78' } } });

test('each value, any case, as a whole word: a short name does not eat into other words', () => {
  const values = personalValues(hire);
  expect(scrub(`User AL ñúñez-åberg (${hire.email.toLowerCase()}) already exists; manager Bo Li, phone +33 6 12 34 56 78`, values)).toBe(
    'User <name> (<email>) already exists; manager <manager>, phone <workPhone>',
  );
  expect(scrub('Al is already taken by Alice', values)).toBe('<firstName> is already taken by Alice');
});

test("a failure keeps its type, retry decision and cause; its message, stack and details lose the hire's values", async () => {
  const failure = ApplicationFailure.create({
    message: `NetBird rejected the create as invalid (400): ${hire.email} exists`,
    type: VendorErrorType.Validation,
    nonRetryable: true,
    details: [{ vendor: 'netbird', message: `${hire.email} exists`, fieldErrors: { email: [`${hire.email} is taken`] } }],
  });
  const create = scrubbingFailures({ createUser: async (_: unknown) => Promise.reject(failure) }).createUser;
  const thrown = (await create(hire).catch((err: unknown) => err)) as ApplicationFailure;
  expect(thrown).toBe(failure);
  expect(thrown).toMatchObject({ type: VendorErrorType.Validation, nonRetryable: true, message: 'NetBird rejected the create as invalid (400): <email> exists' });
  expect(JSON.stringify(thrown.details)).not.toContain(hire.email);
  expect(thrown.stack).not.toContain(hire.email);
  // A user to undo or invite carries only the email.
  const undo = withoutPersonalData(new Error(`cannot delete ${hire.email}`), personalValues({ vendor: 'siit', id: 'u1', origin: 'created', email: hire.email }));
  expect(undo.message).toBe('cannot delete <email>');
});
