/**
 * The document served at GET /openapi.json: client/openapi.yaml with its NewHire placeholder
 * replaced by the schema generated from NewHireSchema, and the progress enums filled in from the
 * workflow's own lists, so the published contract cannot drift from what the gateway runs and
 * returns.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { NewHireSchema } from '../../workflows/new-hire.js';
import { APPROVAL_SUBJECTS, AWAITING, INVITE_STATES, ONBOARDING_STATUSES, VENDOR_STATES } from '../../workflows/progress.js';

export function loadOpenApiDocument(): Record<string, unknown> {
  const doc = parse(readFileSync(new URL('../openapi.yaml', import.meta.url), 'utf8'));
  // What a caller may send (defaults optional); refinements zod cannot express (IANA time zone,
  // overlapping hours) are enforced by the gateway and reported as 400 issues.
  const { $schema: _, ...newHire } = z.toJSONSchema(NewHireSchema, { io: 'input', target: 'openapi-3.0', unrepresentable: 'any' });
  doc.components.schemas.NewHire = { ...newHire, description: 'One new hire; defaults are applied when a field is absent.' };
  const progress = doc.components.schemas.Progress.properties;
  progress.status.enum = [...ONBOARDING_STATUSES];
  progress.awaiting.enum = [...AWAITING];
  progress.approvalFor.items.enum = [...APPROVAL_SUBJECTS];
  progress.invite.properties.state.enum = [...INVITE_STATES];
  progress.vendors.additionalProperties.properties.state.enum = [...VENDOR_STATES];
  return doc;
}
