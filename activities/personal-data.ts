/**
 * Keeps the hire's own values out of what an activity's failure says. A vendor's error answer may
 * echo what we sent ("user zoe@example.com already exists"); that text becomes the failure's
 * message, the workflow's failure, and the worker's log line "Workflow failed", and logs are not
 * encrypted. So before a failure leaves an activity, every value of the hire it was given is
 * replaced by the field's name (`<email>`): the message keeps its meaning for the operator, and
 * the value itself is in the (encrypted) input for whoever holds the key.
 */
import type { NewHire } from '../workflows/new-hire.js';
import type { VendorUser } from '../workflows/vendor-contract.js';

type Values = [label: string, value: string][];

/** The personal values an activity argument carries (a hire to create, or a user to undo or invite). */
export function personalValues(arg: unknown): Values {
  if (!arg || typeof arg !== 'object') return [];
  const hire = arg as Partial<NewHire>;
  const user = arg as Partial<VendorUser>;
  const values: Values = [];
  const add = (label: string, value: unknown) => {
    if (typeof value === 'string' && value.trim().length >= 2) values.push([label, value.trim()]);
  };
  add('email', hire.email ?? user.email);
  if (hire.firstName && hire.lastName) add('name', `${hire.firstName} ${hire.lastName}`);
  add('firstName', hire.firstName);
  add('lastName', hire.lastName);
  add('manager', hire.manager?.name);
  add('managerEmail', hire.manager?.email);
  add('workPhone', hire.vendors?.siit?.workPhone);
  // Longest first: the full name is replaced before its parts.
  return values.sort((a, b) => b[1].length - a[1].length);
}

/**
 * `text` with each value (any case) replaced by `<label>`, as a whole word only: a short name
 * ("Al") must not eat into other words ("already").
 */
export function scrub(text: string, values: Values): string {
  return values.reduce((out, [label, value]) => {
    const escaped = value.normalize('NFC').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return out.normalize('NFC').replace(new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'giu'), `<${label}>`);
  }, text);
}

/** The same error, its message, stack and details without the values (changed in place: type, retry and cause stay as they are). */
export function withoutPersonalData<E>(err: E, values: Values): E {
  if (values.length === 0 || !(err instanceof Error)) return err;
  err.message = scrub(err.message, values);
  if (err.stack) err.stack = scrub(err.stack, values);
  const withDetails = err as unknown as { details?: unknown[] | null };
  if (Array.isArray(withDetails.details)) withDetails.details = JSON.parse(scrub(JSON.stringify(withDetails.details), values));
  if (err.cause) withoutPersonalData(err.cause, values);
  return err;
}

/** Every function of `activities`, its failures scrubbed of the personal values of its first argument. */
export function scrubbingFailures<A extends object>(activities: A): A {
  return Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [
      name,
      async (...args: unknown[]) => {
        try {
          return await (fn as (...a: unknown[]) => Promise<unknown>)(...args);
        } catch (err) {
          throw withoutPersonalData(err, personalValues(args[0]));
        }
      },
    ]),
  ) as A;
}
