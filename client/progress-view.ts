/** The terminal view of one onboarding's progress: used by `npm start` and `onboard status`. */
import Table from 'cli-table3';
import type { OnboardingProgress } from '../workflows/progress.js';
import { VENDOR_LABELS, VENDORS } from '../workflows/vendors.js';

/** One line per vendor: no separators between rows. */
const NO_ROW_LINES = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

export function renderProgress(workflowId: string, progress: OnboardingProgress): string {
  const table = new Table({ head: ['vendor', 'state', 'id', 'note'], style: { head: [], border: [] }, chars: NO_ROW_LINES });
  for (const vendor of VENDORS) {
    const { state, id, existing, links, error } = progress.vendors[vendor];
    const account = existing && `existed before (${[existing.name, existing.role].filter(Boolean).join(', ') || 'no details'}); kept`;
    const note = error ?? account ?? (links && Object.values(links).join(' ')) ?? '';
    table.push([VENDOR_LABELS[vendor], state, id ?? '', note]);
  }
  const lines = [`${workflowId}: ${progress.status}`, table.toString()];
  if (progress.provisioning) {
    lines.push(`Provisioning rule: ${progress.provisioning.rule ?? 'none matched'}`);
    for (const vendor of VENDORS) {
      const settings = progress.provisioning.settings[vendor];
      if (settings) lines.push(`  ${VENDOR_LABELS[vendor]}: ${settings}`);
    }
  }
  const since = progress.lastDecisionAt;
  for (const i of progress.ignoredSignals.filter((i) => !since || i.at > since)) {
    lines.push(`IGNORED ${i.signal} signal at ${i.at}${i.by ? ` from ${i.by}` : ''}: ${i.reason}`);
  }
  if (progress.awaiting === 'approval') {
    const what = progress.approvalFor.map((s) => (s === 'adoption' ? 'adopting the existing accounts above' : 'the Partoo invitation')).join(' and ');
    const release = progress.inviteReleaseAt && !progress.approvalFor.includes('adoption') ? ` (or until ${progress.inviteReleaseAt})` : '';
    lines.push(`Waiting for approval of ${what}${release}.`);
  }
  if (progress.invite.state !== 'not-applicable') lines.push(`Partoo invitation: ${progress.invite.state}`);
  if (progress.approvedBy) lines.push(`Approved by ${progress.approvedBy}`);
  if (progress.rejectedBy) lines.push(`Rejected by ${progress.rejectedBy}${progress.rejectionReason ? `: ${progress.rejectionReason}` : ''}`);
  for (const item of progress.manualCleanup) lines.push(`NEEDS MANUAL CLEANUP: ${VENDOR_LABELS[item.vendor]} ${item.id ?? ''}: ${item.error}`);
  if (progress.failure) lines.push(`Failure: ${progress.failure}`);
  return lines.join('\n');
}
