/**
 * The progress model of one onboarding: what the `progress` query returns, what the search
 * attributes and the Web UI's current details are derived from. Pure functions only.
 */
import type { VendorUser } from './vendor-contract.js';
import { VENDOR_LABELS, VENDORS, type VendorName } from './vendors.js';

export type VendorState =
  | 'skipped' // disabled in the input
  | 'pending'
  | 'creating'
  | 'created'
  | 'adopted' // existed before this onboarding: never undone
  | 'failed'
  | 'undoing'
  | 'undone'
  | 'manual-cleanup';

export type OnboardingStatus =
  | 'creating'
  | 'awaiting-approval'
  | 'inviting'
  | 'completed'
  | 'compensating'
  | 'rolled-back'
  | 'needs-manual-cleanup';

export type Awaiting = 'partoo-invite-approval' | 'none';

export interface VendorProgress {
  state: VendorState;
  id?: string;
  origin?: VendorUser['origin'];
  links?: Record<string, string>;
  error?: string;
}

export interface ManualCleanup {
  vendor: VendorName;
  /** Absent when a create may have taken effect but never answered with an id. */
  id?: string;
  error: string;
}

export type InviteState = 'not-applicable' | 'held' | 'sending' | 'sent' | 'cancelled';

export interface InviteProgress {
  state: InviteState;
  approvedBy?: string;
  releasedBy?: 'approval' | 'release-time';
}

export interface OnboardingProgress {
  status: OnboardingStatus;
  awaiting: Awaiting;
  /** When the held invitation is released without approval (ISO 8601), if the input set one. */
  inviteReleaseAt?: string;
  invite: InviteProgress;
  rejectedBy?: string;
  vendors: Record<VendorName, VendorProgress>;
  manualCleanup: ManualCleanup[];
  failure?: string;
}

export function initialProgress(enabled: (vendor: VendorName) => boolean): OnboardingProgress {
  const vendors = Object.fromEntries(
    VENDORS.map((v) => [v, { state: enabled(v) ? 'pending' : 'skipped' } satisfies VendorProgress]),
  ) as Record<VendorName, VendorProgress>;
  return {
    status: 'creating',
    awaiting: 'none',
    invite: { state: enabled('partoo') ? 'held' : 'not-applicable' },
    vendors,
    manualCleanup: [],
  };
}

/** Vendors where the hire has a user right now (created or adopted). */
export function vendorsDone(progress: OnboardingProgress): VendorName[] {
  return VENDORS.filter((v) => ['created', 'adopted'].includes(progress.vendors[v].state));
}

const STATE_ICON: Record<VendorState, string> = {
  skipped: '➖',
  pending: '⏳',
  creating: '🔄',
  created: '✅',
  adopted: '✅',
  failed: '❌',
  undoing: '↩️',
  undone: '↩️',
  'manual-cleanup': '🧹',
};

/** Markdown for the Web UI's "current details": readable at a glance, no PII (ids only). */
export function renderDetails(progress: OnboardingProgress): string {
  const lines = [`**Status:** ${progress.status}`];
  // What needs a person comes before the table: the UI shows current details in a frame of
  // fixed height, which cuts off the end.
  if (progress.invite.state !== 'not-applicable') lines.push('', `**Partoo invitation:** ${progress.invite.state}`);
  if (progress.awaiting === 'partoo-invite-approval') {
    const when = progress.inviteReleaseAt ? `, or automatically at ${progress.inviteReleaseAt}` : '';
    lines.push(
      '',
      `**Waiting for:** approval of the Partoo invitation${when}.`,
      'Approve with *Send signal* → `approve` and input `{"by": "<your name>"}`; reject with `reject`.',
    );
  }
  if (progress.failure) lines.push('', `**Failure:** ${progress.failure}`);
  if (progress.manualCleanup.length > 0) {
    lines.push('', '**Needs manual cleanup:**');
    for (const item of progress.manualCleanup) {
      lines.push(`- ${VENDOR_LABELS[item.vendor]} ${item.id ? `user \`${item.id}\`` : "(look the hire's email up)"}: ${item.error}`);
    }
  }
  lines.push('', '| vendor | state | id |', '|---|---|---|');
  for (const vendor of VENDORS) {
    const { state, id, origin } = progress.vendors[vendor];
    const note = origin === 'adopted' ? ' (existed before; kept)' : '';
    lines.push(`| ${VENDOR_LABELS[vendor]} | ${STATE_ICON[state]} ${state}${note} | ${id ?? ''} |`);
  }
  return lines.join('\n');
}
