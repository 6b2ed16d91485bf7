/**
 * One onboarding's state and its publishing. Every change goes through a method here, and every
 * method publishes what it changed: the `progress` query reads the same object, the search
 * attributes are upserted when their values change, and the Web UI's current details are redrawn.
 * The people's decisions (approve, reject) are taken here too, with the reason for any refusal.
 */
import {
  ApplicationFailure,
  CancelledFailure,
  log,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import {
  approveSignal,
  approveUpdate,
  progressQuery,
  rejectSignal,
  rejectUpdate,
  type ApprovalInput,
  type RejectionInput,
} from './definitions.js';
import type { NewHire } from './new-hire.js';
import {
  initialProgress,
  renderDetails,
  vendorsDone,
  type InviteProgress,
  type ManualCleanup,
  type OnboardingProgress,
  type OnboardingStatus,
  type VendorProgress,
} from './progress.js';
import { ONBOARDING_AWAITING, ONBOARDING_MANUAL_CLEANUP, ONBOARDING_STATUS, ONBOARDING_VENDORS_DONE } from './search-attributes.js';
import { VENDOR_LABELS, type VendorName } from './vendors.js';

export interface OnboardingResult {
  status: 'completed';
  vendors: Record<VendorName, VendorProgress>;
  invite: InviteProgress;
}

type Decision = 'approve' | 'reject';

/** The statuses in which a rejection still changes the outcome (nothing is final yet). */
const REJECTABLE: readonly OnboardingStatus[] = ['creating', 'awaiting-approval'];

export class OnboardingState {
  private readonly progress: OnboardingProgress;
  private approval?: ApprovalInput;
  private rejection?: RejectionInput;
  /** The search attribute values last upserted: each upsert is a history event, so only changes are written. */
  private published = '';

  constructor(hire: NewHire) {
    this.progress = initialProgress((vendor) => hire.vendors[vendor].enabled);
    this.progress.inviteReleaseAt = hire.vendors.partoo.inviteAt;
    this.publish();
  }

  get status(): OnboardingStatus {
    return this.progress.status;
  }

  get rejectedBy(): RejectionInput | undefined {
    return this.rejection;
  }

  get approvedBy(): ApprovalInput | undefined {
    return this.approval;
  }

  /** The invitation is held and nobody has decided yet. */
  awaitsApproval(): boolean {
    return this.progress.invite.state === 'held' && !this.approval && !this.rejection;
  }

  /** A person approved or rejected (what ends the wait for the invitation). */
  decided(): boolean {
    return this.approval !== undefined || this.rejection !== undefined;
  }

  get invite(): InviteProgress {
    return this.progress.invite;
  }

  vendor(vendor: VendorName): Readonly<VendorProgress> {
    return this.progress.vendors[vendor];
  }

  // ---- changes: each one publishes ----

  setStatus(status: OnboardingStatus): void {
    this.change((p) => (p.status = status));
  }

  setVendor(vendor: VendorName, update: Partial<VendorProgress>): void {
    this.change((p) => (p.vendors[vendor] = { ...p.vendors[vendor], ...update }));
  }

  setInvite(invite: InviteProgress): void {
    this.change((p) => (p.invite = invite));
  }

  /**
   * A rollback withdraws an invitation that was not sent: held, or still being sent when the
   * onboarding was cancelled (the Partoo user it invites is about to be deleted anyway).
   */
  withdrawInvite(): void {
    const { state } = this.progress.invite;
    if (state === 'held' || state === 'sending') this.setInvite({ ...this.progress.invite, state: 'cancelled' });
  }

  hasManualCleanup(): boolean {
    return this.progress.manualCleanup.length > 0;
  }

  addManualCleanup(item: ManualCleanup): void {
    this.change((p) => p.manualCleanup.push(item));
  }

  /** Records why the onboarding ends and returns the failure that ends it. */
  failure(type: 'OnboardingFailed' | 'OnboardingRejected', message: string, cause?: Error): ApplicationFailure {
    this.change((p) => (p.failure = message));
    return ApplicationFailure.create({ type, message, nonRetryable: true, cause, details: [this.outcomeDetails()] });
  }

  /** Ends the workflow as Cancelled (what the UI shows), with what the rollback did. */
  cancelled(message: string): CancelledFailure {
    this.change((p) => (p.failure = message));
    return new CancelledFailure(message, [this.outcomeDetails()]);
  }

  complete(): OnboardingResult {
    this.setStatus('completed');
    return { status: 'completed', vendors: this.progress.vendors, invite: this.progress.invite };
  }

  /** "every user this onboarding created was undone" or the leftovers by vendor and id. */
  rollbackSummary(): string {
    const { manualCleanup } = this.progress;
    if (manualCleanup.length === 0) return 'every user this onboarding created was undone';
    return `needs manual cleanup: ${manualCleanup.map((m) => `${VENDOR_LABELS[m.vendor]}${m.id ? ` ${m.id}` : ''}`).join(', ')}`;
  }

  // ---- decisions ----

  /** Why an approval is refused, or undefined when it is taken. */
  approvalRefusal(input: unknown): string | undefined {
    if (!actor(input)) return 'approve needs {"by": "<who approves>"}';
    if (!this.awaitsApproval()) return `nothing awaits approval (Partoo invitation: ${this.progress.invite.state})`;
    return undefined;
  }

  approve(input: unknown): string {
    this.approval = actor(input)!;
    this.publish();
    return `Partoo invitation approved by ${this.approval.by}`;
  }

  /** Why a rejection is refused, or undefined when it is taken. */
  rejectionRefusal(input: unknown): string | undefined {
    if (!actor(input)) return 'reject needs {"by": "<who rejects>"}';
    if (this.rejection) return `already rejected by ${this.rejection.by}`;
    if (!REJECTABLE.includes(this.progress.status)) return `the onboarding is ${this.progress.status}, past the point of rejection`;
    return undefined;
  }

  reject(input: unknown): string {
    this.rejection = actor<RejectionInput>(input)!;
    this.change((p) => (p.rejectedBy = this.rejection!.by));
    return `Onboarding rejected by ${this.rejection.by}: every user it created will be undone`;
  }

  /**
   * The query, and approve/reject as both signal (the Web UI's "Send a Signal"; durable with no
   * worker running, but it cannot answer) and update (its validator refuses before anything is
   * written to history, and the caller sees why).
   */
  handleMessages(): void {
    setHandler(progressQuery, () => this.progress);
    setHandler(approveSignal, (input) => this.signalled('approve', input));
    setHandler(rejectSignal, (input) => this.signalled('reject', input));
    setHandler(approveUpdate, (input) => this.decide('approve', input), { validator: (input) => throwIf(this.refusal('approve', input)) });
    setHandler(rejectUpdate, (input) => this.decide('reject', input), { validator: (input) => throwIf(this.refusal('reject', input)) });
  }

  private refusal(decision: Decision, input: unknown): string | undefined {
    return decision === 'approve' ? this.approvalRefusal(input) : this.rejectionRefusal(input);
  }

  private decide(decision: Decision, input: unknown): string {
    return decision === 'approve' ? this.approve(input) : this.reject(input);
  }

  /** A signal cannot answer: a refused one is logged. */
  private signalled(decision: Decision, input: unknown): void {
    const refused = this.refusal(decision, input);
    if (refused) log.warn(`${decision} signal ignored: ${refused}`);
    else this.decide(decision, input);
  }

  private change(apply: (progress: OnboardingProgress) => void): void {
    apply(this.progress);
    this.publish();
  }

  private publish(): void {
    const p = this.progress;
    p.awaiting = this.awaitsApproval() && p.status === 'awaiting-approval' ? 'partoo-invite-approval' : 'none';
    const values = { status: p.status, awaiting: p.awaiting, done: vendorsDone(p), cleanup: [...new Set(p.manualCleanup.map((m) => m.vendor))] };
    const serialized = JSON.stringify(values);
    if (serialized !== this.published) {
      this.published = serialized;
      upsertSearchAttributes([
        { key: ONBOARDING_STATUS, value: values.status },
        { key: ONBOARDING_AWAITING, value: values.awaiting },
        { key: ONBOARDING_VENDORS_DONE, value: values.done },
        { key: ONBOARDING_MANUAL_CLEANUP, value: values.cleanup },
      ]);
    }
    setCurrentDetails(renderDetails(p));
  }

  private outcomeDetails() {
    return { vendors: this.progress.vendors, manualCleanup: this.progress.manualCleanup };
  }
}

/** Accepts `{ "by": "..." }` and, for people typing in the UI, a bare string. */
function actor<T extends { by: string } = ApprovalInput>(input: unknown): T | undefined {
  if (typeof input === 'string' && input.trim()) return { by: input.trim() } as T;
  if (input && typeof input === 'object' && typeof (input as T).by === 'string' && (input as T).by.trim()) return input as T;
  return undefined;
}

function throwIf(refusal: string | undefined): void {
  if (refusal) throw new Error(refusal);
}
