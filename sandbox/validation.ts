/**
 * Format checks and a small field checker shared by the vendors. Each vendor words and shapes
 * the resulting problems its own way; this file only finds them.
 */

// Practical email check (what most server-side validators accept): local@domain.tld, no spaces.
const EMAIL = /^[^\s@"(),:;<>[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** A real calendar date written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/**
 * Time zones, checked with the sandbox's own rules, never the project's NewHire check: a vendor
 * may refuse what our validation lets through, and the tests must be able to see that.
 */
import { ZONE_TAB_TIME_ZONES } from './time-zones.js';

/** MeetBit (Laravel's `timezone` rule) [guess]: the IANA zone.tab names and UTC, no old aliases. */
export function isListedTimeZone(value: string): boolean {
  return ZONE_TAB_TIME_ZONES.has(value);
}

/**
 * meetergo (NestJS; class-validator's IsTimeZone asks Intl) [guess]: whatever this runtime's Intl
 * accepts, old aliases such as Asia/Calcutta included.
 */
export function isIntlTimeZone(value: string): boolean {
  if (value.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export type FieldType = 'string' | 'boolean' | 'integer' | 'number' | 'object' | 'string[]' | 'integer[][]';
export type FieldFormat = 'email' | 'date' | 'timezone' | 'uuid';

export interface FieldRule {
  type: FieldType;
  required?: boolean;
  /** null is accepted (and treated as absent). */
  nullable?: boolean;
  enum?: readonly (string | number)[];
  format?: FieldFormat;
  maxLength?: number;
  minLength?: number;
  /** A non-empty string is required (empty counts as missing). */
  nonEmpty?: boolean;
  /** Extra check on a well-typed value; returns a problem message key. */
  check?: (value: never) => string | undefined;
}

export type Problem =
  | { field: string; code: 'required' | 'type' | 'enum' | 'format' | 'maxLength' | 'minLength' }
  | { field: string; code: 'custom'; message: string };

const FORMAT_CHECK: Record<FieldFormat, (v: string) => boolean> = {
  email: isEmail,
  date: isIsoDate,
  timezone: isListedTimeZone,
  uuid: isUuid,
};

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasType(value: unknown, type: FieldType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return Number.isSafeInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'object':
      return isPlainObject(value);
    case 'string[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'integer[][]':
      return Array.isArray(value) && value.every((row) => Array.isArray(row) && row.every((v) => Number.isSafeInteger(v)));
  }
}

/** Checks the fields named in `rules`; other fields are left alone (vendors ignore them). */
export function checkFields(body: Record<string, unknown>, rules: Record<string, FieldRule>, prefix = ''): Problem[] {
  const problems: Problem[] = [];
  for (const [name, rule] of Object.entries(rules)) {
    const field = prefix + name;
    const value = body[name];
    if (value === undefined || (value === null && rule.nullable) || (rule.nonEmpty && value === '')) {
      if (rule.required && (value === undefined || value === null || value === '')) problems.push({ field, code: 'required' });
      continue;
    }
    if (!hasType(value, rule.type)) {
      problems.push({ field, code: 'type' });
    } else if (rule.enum && !rule.enum.includes(value as string | number)) {
      problems.push({ field, code: 'enum' });
    } else if (rule.format && !FORMAT_CHECK[rule.format](value as string)) {
      problems.push({ field, code: 'format' });
    } else if (rule.maxLength !== undefined && (value as string).length > rule.maxLength) {
      problems.push({ field, code: 'maxLength' });
    } else if (rule.minLength !== undefined && (value as string).length < rule.minLength) {
      problems.push({ field, code: 'minLength' });
    } else {
      const message = rule.check?.(value as never);
      if (message) problems.push({ field, code: 'custom', message });
    }
  }
  return problems;
}
