/**
 * One onboarding's state and its publishing. Every change goes through a method here, and every
 * method publishes what it changed: the `progress` query reads the same object, the search
 * attributes are upserted when their values change, and the Web UI's current details are redrawn.
 * The people's decisions (approve, reject) are taken here too, with the reason for any refusal;
 * a signal cannot answer, so a refused one is recorded where people look.
 */
import { ApplicationFailure, CancelledFailure, log, setCurrentDetails, setHandler, upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import { applicationFailure, describeFailure } from './failures.js';
import { approveSignal, approveUpdate, progressQuery, rejectSignal, rejectUpdate, type ApprovalInput, type RejectionInput } from './definitions.js';
import type { NewHire } from './new-hire.js';
import { PREPARATION_REFUSALS, type Provisioning } from './vendor-contract.js';
import {
  initialProgress,
  renderDetails,
  vendorsDone,
  type ApprovalSubject,
  type InviteProgress,
  type ManualCleanup,
  type OnboardingProgress,
  type OnboardingStatus,
  type VendorProgress,
} from './progress.js';
import { ONBOARDING_AWAITING, ONBOARDING_MANUAL_CLEANUP, ONBOARDING_STATUS, ONBOARDING_VENDORS_DONE } from './search-attributes.js';
import { VENDOR_LABELS, type VendorName } from './vendors.js';

/** How an onboarding that did not fail ended: completed, or rejected by a person (a business decision, not a crash). */
export interface OnboardingResult {
  status: 'completed' | 'rejected';
  vendors: Record<VendorName, VendorProgress>;
  invite: InviteProgress;
  approvedBy?: string;
  rejectedBy?: string;
  rejectionReason?: string;
  manualCleanup: ManualCleanup[];
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

  /** Answers queries from the very start, before the input is validated (every vendor pending). */
  constructor() {
    this.progress = initialProgress(() => true);
  }

  /** The validated hire is known: vendors it does not use are skipped, the invitation's release time shown. */
  begin(hire: NewHire, provisioning: Provisioning): void {
    const fresh = initialProgress((vendor) => hire.vendors[vendor].enabled);
    this.change((p) => {
      p.vendors = fresh.vendors;
      p.invite = fresh.invite;
      p.provisioning = provisioning;
      if (hire.vendors.partoo.inviteAt) p.inviteReleaseAt = hire.vendors.partoo.inviteAt;
    });
  }

  get rejectedBy(): RejectionInput | undefined {
    return this.rejection;
  }

  get approvedBy(): ApprovalInput | undefined {
    return this.approval;
  }

  get invite(): InviteProgress {
    return this.progress.invite;
  }

  /** The onboarding waits for a person, and nobody has decided yet. */
  awaitsApproval(): boolean {
    return this.progress.status === 'awaiting-approval' && !this.approval && !this.rejection;
  }

  /** A person approved or rejected (what ends the wait). */
  decided(): boolean {
    return this.approval !== undefined || this.rejection !== undefined;
  }

  private hasManualCleanup(): boolean {
    return this.progress.manualCleanup.length > 0;
  }

  // ---- changes: each one publishes ----

  setStatus(status: OnboardingStatus): void {
    this.change((p) => (p.status = status));
  }

  /** Starts the wait for a person, saying what the approval covers. */
  awaitApproval(subjects: ApprovalSubject[]): void {
    this.change((p) => {
      p.approvalFor = subjects;
      p.status = 'awaiting-approval';
    });
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

  addManualCleanup(item: ManualCleanup): void {
    this.change((p) => p.manualCleanup.push(item));
  }

  // ---- endings: each logs the outcome with the reason, for the worker's log at 3 a.m. ----

  /** A step failed for good: the workflow fails, naming the vendor and its reason. */
  failure(message: string, cause?: Error, type = 'OnboardingFailed'): ApplicationFailure {
    this.end('failed', message);
    return ApplicationFailure.create({ type, message, nonRetryable: true, cause, details: [this.outcomeDetails()] });
  }

  /**
   * The first step refused the onboarding (its input, or a vendor this deployment does not serve):
   * nothing was created. The failure keeps the refusal's own type and words, at the top where the
   * caller reads them.
   */
  refused(err: unknown): ApplicationFailure {
    this.withdrawInvite();
    const cause = applicationFailure(err);
    if (cause?.type && PREPARATION_REFUSALS.includes(cause.type)) return this.failure(cause.message, cause, cause.type);
    return this.failure(`Preparing the onboarding failed (${describeFailure(err)}); nothing was created`, err as Error);
  }

  /** Ends the workflow as Cancelled (what the UI shows), with what the rollback did. */
  cancelled(message: string): CancelledFailure {
    this.end('cancelled', message);
    return new CancelledFailure(message, [this.outcomeDetails()]);
  }

  /** A rejection completes the workflow: a business decision, not a crash. */
  rejected(message: string): OnboardingResult {
    this.end('rejected', message);
    return this.result('rejected');
  }

  complete(): OnboardingResult {
    this.end('completed');
    return this.result('completed');
  }

  /** "every user this onboarding created was undone" or the leftovers by vendor and id. */
  rollbackSummary(): string {
    const { manualCleanup } = this.progress;
    if (manualCleanup.length === 0) return 'every user this onboarding created was undone';
    return `needs manual cleanup: ${manualCleanup.map((m) => `${VENDOR_LABELS[m.vendor]}${m.id ? ` ${m.id}` : ''}`).join(', ')}`;
  }

  // ---- decisions ----

  /** Why an approval is refused, or undefined when it is taken. */
  private approvalRefusal(input: unknown): string | undefined {
    if (!actor(input)) return 'approve needs {"by": "<who approves>"}';
    if (this.approval) return `already approved by ${this.approval.by}`;
    if (!this.awaitsApproval()) return `nothing awaits approval (the onboarding is ${this.progress.status})`;
    return undefined;
  }

  approve(input: unknown): string {
    this.approval = actor(input)!;
    this.change((p) => {
      p.approvedBy = this.approval!.by;
      p.lastDecisionAt = new Date().toISOString();
    });
    // In the memo, so a list of onboardings shows who decided without asking each one (a memo
    // goes through the payload codec, unlike a search attribute).
    upsertMemo({ approvedBy: this.approval.by });
    return `approved by ${this.approval.by}`;
  }

  /** Why a rejection is refused, or undefined when it is taken. */
  private rejectionRefusal(input: unknown): string | undefined {
    if (!actor(input)) return 'reject needs {"by": "<who rejects>"}';
    if (this.rejection) return `already rejected by ${this.rejection.by}`;
    if (!REJECTABLE.includes(this.progress.status)) return `the onboarding is ${this.progress.status}, past the point of rejection`;
    return undefined;
  }

  reject(input: unknown): string {
    this.rejection = actor<RejectionInput>(input)!;
    this.change((p) => {
      p.rejectedBy = this.rejection!.by;
      if (this.rejection!.reason) p.rejectionReason = this.rejection!.reason;
      p.lastDecisionAt = new Date().toISOString();
    });
    upsertMemo({ rejectedBy: this.rejection.by });
    return `rejected by ${this.rejection.by}: every user it created will be undone`;
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

  /** A signal cannot answer: a refused one is recorded in the progress and shown in the details. */
  private signalled(decision: Decision, input: unknown): void {
    const reason = this.refusal(decision, input);
    if (!reason) {
      this.decide(decision, input);
      return;
    }
    const by = actor(input)?.by;
    // Logs are not encrypted: who sent it and why it was refused (which can name the approver)
    // are in the progress and the current details, which are.
    log.warn(`${decision} signal ignored`, { status: this.progress.status });
    this.change((p) => p.ignoredSignals.push({ signal: decision, ...(by && { by }), at: new Date().toISOString(), reason }));
  }

  private end(status: 'completed' | 'rejected' | 'cancelled' | 'failed', reason?: string): void {
    this.change((p) => {
      if (reason && status !== 'completed') p.failure = reason;
      // A leftover outranks how it ended: it is what someone must act on.
      p.status = this.hasManualCleanup() ? 'needs-manual-cleanup' : status;
    });
    // A rejection's reason is a person's free text (and names who rejected): it stays in the
    // encrypted progress and result, out of the log. Other reasons are ours plus vendors' words,
    // which the activities have already cleared of the hire's values.
    log.info(`Onboarding ${status}`, { status: this.progress.status, ...(reason && status !== 'rejected' && { reason }) });
  }

  private result(status: OnboardingResult['status']): OnboardingResult {
    const p = this.progress;
    return {
      status,
      vendors: p.vendors,
      invite: p.invite,
      manualCleanup: p.manualCleanup,
      ...(p.approvedBy && { approvedBy: p.approvedBy }),
      ...(p.rejectedBy && { rejectedBy: p.rejectedBy }),
      ...(p.rejectionReason && { rejectionReason: p.rejectionReason }),
    };
  }

  private change(apply: (progress: OnboardingProgress) => void): void {
    apply(this.progress);
    this.publish();
  }

  private publish(): void {
    const p = this.progress;
    p.awaiting = this.awaitsApproval() ? 'approval' : 'none';
    setCurrentDetails(renderDetails(p));
    // Search attributes are what a list of onboardings shows. Each upsert is a history event and a
    // billed action, so they change only where an onboarding rests or ends: waiting for a person,
    // compensating (which may take hours), its outcome. The passing states (creating, inviting)
    // show in the query and the current details, which cost neither.
    if (p.status === 'creating' || p.status === 'inviting') return;
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
