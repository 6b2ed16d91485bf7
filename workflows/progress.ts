/**
 * The progress model of one onboarding: what the `progress` query returns, what the search
 * attributes and the Web UI's current details are derived from. Pure functions only.
 */
import type { Provisioning, VendorUser } from './vendor-contract.js';
import { VENDOR_LABELS, VENDORS, type VendorName } from './vendors.js';

export const VENDOR_STATES = [
  'skipped', // disabled in the input
  'pending',
  'creating',
  'created',
  'adopted', // existed before this onboarding: never undone
  'failed',
  'undoing',
  'undone',
  'manual-cleanup',
] as const;
export type VendorState = (typeof VENDOR_STATES)[number];

/** Where an onboarding stands. The last five are final; `needs-manual-cleanup` wins over the others. */
export const ONBOARDING_STATUSES = [
  'creating',
  'awaiting-approval',
  'inviting',
  'compensating',
  'completed',
  'rejected', // a person said no: everything it created was undone
  'cancelled', // cancelled: everything it created was undone
  'failed', // a step failed for good: everything it created was undone
  'needs-manual-cleanup', // ended, but something could not be undone: a person must act
] as const;
export type OnboardingStatus = (typeof ONBOARDING_STATUSES)[number];

export const AWAITING = ['approval', 'none'] as const;
export type Awaiting = (typeof AWAITING)[number];

/** What an approval covers: the held Partoo invitation, the adoption of accounts that already existed, or both. */
export const APPROVAL_SUBJECTS = ['partoo-invitation', 'adoption'] as const;
export type ApprovalSubject = (typeof APPROVAL_SUBJECTS)[number];

export interface VendorProgress {
  state: VendorState;
  id?: string;
  origin?: VendorUser['origin'];
  /** An adopted account as the vendor shows it, for the person who approves the adoption. */
  existing?: VendorUser['existing'];
  links?: Record<string, string>;
  error?: string;
}

export interface ManualCleanup {
  vendor: VendorName;
  /** Absent when a create may have taken effect but never answered with an id. */
  id?: string;
  error: string;
}

export const INVITE_STATES = ['not-applicable', 'held', 'sending', 'sent', 'cancelled'] as const;
export type InviteState = (typeof INVITE_STATES)[number];

export interface InviteProgress {
  state: InviteState;
  approvedBy?: string;
  releasedBy?: 'approval' | 'release-time';
}

/** A signal the onboarding did not act on: a signal cannot answer, so it is recorded and shown. */
export interface IgnoredSignal {
  signal: 'approve' | 'reject';
  by?: string;
  /** Workflow time, ISO 8601. */
  at: string;
  reason: string;
}

export interface OnboardingProgress {
  status: OnboardingStatus;
  awaiting: Awaiting;
  /** What the approval is for, once the onboarding knows (after the creates). */
  approvalFor: ApprovalSubject[];
  approvedBy?: string;
  /** When the held invitation is released without approval (ISO 8601), if the input set one. */
  inviteReleaseAt?: string;
  invite: InviteProgress;
  rejectedBy?: string;
  rejectionReason?: string;
  vendors: Record<VendorName, VendorProgress>;
  manualCleanup: ManualCleanup[];
  /** Every ignored signal, oldest first. */
  ignoredSignals: IgnoredSignal[];
  /** When the last decision was taken (the details show only signals ignored since). */
  lastDecisionAt?: string;
  /** Which provisioning rule decided the vendors' settings, and the settings in words. */
  provisioning?: Provisioning;
  failure?: string;
}

export function initialProgress(enabled: (vendor: VendorName) => boolean): OnboardingProgress {
  const vendors = Object.fromEntries(
    VENDORS.map((v) => [v, { state: enabled(v) ? 'pending' : 'skipped' } satisfies VendorProgress]),
  ) as Record<VendorName, VendorProgress>;
  return {
    status: 'creating',
    awaiting: 'none',
    approvalFor: [],
    invite: { state: enabled('partoo') ? 'held' : 'not-applicable' },
    vendors,
    manualCleanup: [],
    ignoredSignals: [],
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

const APPROVAL_SUBJECT: Record<ApprovalSubject, string> = {
  'partoo-invitation': 'the Partoo invitation',
  adoption: 'adopting the accounts that already exist',
};

/** Markdown for the Web UI's "current details": what needs a person first, then the vendors. */
export function renderDetails(progress: OnboardingProgress): string {
  const lines = [`**Status:** ${progress.status}`];
  // What needs a person comes before the table: the UI shows current details in a frame of
  // fixed height, which cuts off the end.
  const ignored = progress.ignoredSignals.filter((i) => !progress.lastDecisionAt || i.at > progress.lastDecisionAt);
  for (const i of ignored) {
    lines.push('', `⚠️ **Ignored \`${i.signal}\` signal** at ${i.at}${i.by ? ` from ${i.by}` : ''}: ${i.reason}.`);
  }
  if (progress.awaiting === 'approval') {
    const what = progress.approvalFor.map((s) => APPROVAL_SUBJECT[s]).join(' and ');
    const when = progress.inviteReleaseAt && !progress.approvalFor.includes('adoption') ? `, or automatically at ${progress.inviteReleaseAt}` : '';
    lines.push(
      '',
      `**Waiting for:** approval of ${what}${when}.`,
      'Approve with `npm run onboard -- approve <id> --by <you>` or `temporal workflow update execute --name approve --input \'{"by": "<you>"}\'`: both answer, and refuse with the reason. ' +
        'The Web UI\'s *Send a Signal* (`approve`, input `{"by": "<you>"}`) cannot answer: a refused signal shows here. Reject the same way with `reject`.',
    );
  }
  if (progress.invite.state !== 'not-applicable') lines.push('', `**Partoo invitation:** ${progress.invite.state}`);
  if (progress.approvedBy) lines.push('', `**Approved by:** ${progress.approvedBy}`);
  if (progress.rejectedBy) lines.push('', `**Rejected by:** ${progress.rejectedBy}${progress.rejectionReason ? `: ${progress.rejectionReason}` : ''}`);
  if (progress.failure) lines.push('', `**Failure:** ${progress.failure}`);
  if (progress.provisioning) lines.push('', `**Provisioning rule:** ${progress.provisioning.rule ?? 'none matched: defaults and the hire\'s own settings'}`);
  if (progress.manualCleanup.length > 0) {
    lines.push('', '**Needs manual cleanup:**');
    for (const item of progress.manualCleanup) {
      lines.push(`- ${VENDOR_LABELS[item.vendor]} ${item.id ? `user \`${item.id}\`` : "(look the hire's email up)"}: ${item.error}`);
    }
  }
  lines.push('', '| vendor | state | id | settings | existing account |', '|---|---|---|---|---|');
  for (const vendor of VENDORS) {
    const { state, id, existing } = progress.vendors[vendor];
    const account = existing ? [existing.name, existing.role].filter(Boolean).join(', ') : '';
    lines.push(`| ${VENDOR_LABELS[vendor]} | ${STATE_ICON[state]} ${state} | ${id ?? ''} | ${progress.provisioning?.settings[vendor] ?? ''} | ${account} |`);
  }
  return lines.join('\n');
}
