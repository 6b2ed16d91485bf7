/** The terminal view of one onboarding's progress: used by `npm start` and `onboard status`. */
import Table from 'cli-table3';
import type { OnboardingProgress } from '../workflows/progress.js';
import { VENDOR_LABELS, VENDORS } from '../workflows/vendors.js';

/** One line per vendor: no separators between rows. */
const NO_ROW_LINES = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

export function renderProgress(workflowId: string, progress: OnboardingProgress): string {
  const table = new Table({ head: ['vendor', 'state', 'id', 'note'], style: { head: [], border: [] }, chars: NO_ROW_LINES });
  for (const vendor of VENDORS) {
    const { state, id, origin, links, error } = progress.vendors[vendor];
    const note = error ?? (origin === 'adopted' ? 'existed before; kept' : (links && Object.values(links).join(' ')) ?? '');
    table.push([VENDOR_LABELS[vendor], state, id ?? '', note]);
  }
  const lines = [`${workflowId}: ${progress.status}`, table.toString()];
  if (progress.awaiting === 'partoo-invite-approval') {
    lines.push(`Waiting for approval of the Partoo invitation${progress.inviteReleaseAt ? ` (or until ${progress.inviteReleaseAt})` : ''}.`);
  }
  if (progress.invite.state !== 'not-applicable') lines.push(`Partoo invitation: ${progress.invite.state}`);
  for (const item of progress.manualCleanup) lines.push(`NEEDS MANUAL CLEANUP: ${VENDOR_LABELS[item.vendor]} ${item.id ?? ''}: ${item.error}`);
  if (progress.failure) lines.push(`Failure: ${progress.failure}`);
  return lines.join('\n');
}
