/**
 * The library an HR app's backend calls to start and steer onboardings, and the only path our
 * CLI, gateway and `npm start` take to Temporal. Validates before it starts anything, is safe to
 * call twice for one hire, and turns Temporal's errors into four an operator can act on.
 */
import {
  isGrpcServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
  type WorkflowExecutionStatusName,
  type WorkflowHandle,
} from '@temporalio/client';
// executionInfoFromRaw is what client.workflow.list() decodes each row with; called per row here
// (list) so that one undecryptable memo does not end the listing. Pinned SDK version: see package.json.
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers.js';
import { payloadProtectionOf } from '../codec/data-converter.js';
import {
  approveUpdate,
  onboardingWorkflowId,
  progressQuery,
  rejectUpdate,
  WORKFLOW_TASK_QUEUE,
  type ApprovalInput,
  type RejectionInput,
} from '../workflows/definitions.js';
import { parseNewHire, type NewHireIssue } from '../workflows/new-hire.js';
import type { onboardNewHire } from '../workflows/onboarding.js';
import type { OnboardingOptions } from '../workflows/options.js';
import type { OnboardingProgress } from '../workflows/progress.js';
import { ONBOARDING_AWAITING, ONBOARDING_STATUS } from '../workflows/search-attributes.js';

export class InvalidNewHireError extends Error {
  constructor(readonly issues: NewHireIssue[]) {
    super(`Invalid new hire: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`);
    this.name = 'InvalidNewHireError';
  }
}

export class OnboardingNotFoundError extends Error {
  constructor(readonly workflowId: string) {
    super(`no onboarding ${workflowId}`);
    this.name = 'OnboardingNotFoundError';
  }
}

/** The onboarding refused what was asked (nothing awaits approval, it already ended, ...). */
export class OnboardingRefusedError extends Error {
  constructor(
    readonly workflowId: string,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'OnboardingRefusedError';
  }
}

/** No worker answered a query or update in time: is the onboarding worker running? */
export class NoWorkerAnswerError extends Error {
  constructor(readonly workflowId: string) {
    super(`no onboarding worker answered for ${workflowId} in time: is the worker running (npm run worker)?`);
    this.name = 'NoWorkerAnswerError';
  }
}

/** The Client was built without the project's data converter: the hire's data would reach Temporal in plain text. */
export class UnencryptedClientError extends Error {
  constructor() {
    super(
      "this Client has no payload encryption, so the hire's personal data would be stored in Temporal in plain text: " +
        "create it with `dataConverter: onboardingDataConverter(loadConfig(['payloadEncryption']).payloadEncryption)` " +
        '(codec/data-converter.ts), which also honours PAYLOAD_ENCRYPTION=off when plain text is wanted',
    );
    this.name = 'UnencryptedClientError';
  }
}

export type OnboardingHandle = WorkflowHandle<typeof onboardNewHire>;

export interface StartedOnboarding {
  workflowId: string;
  /** false when this hire's onboarding already existed: nothing new was started. */
  started: boolean;
  handle: OnboardingHandle;
}

export interface OnboardingView {
  workflowId: string;
  workflowStatus: WorkflowExecutionStatusName;
  progress: OnboardingProgress;
}

export interface OnboardingListing {
  workflowId: string;
  status: string | null;
  awaiting: string | null;
  approvedBy: string | null;
  rejectedBy: string | null;
  workflowStatus: WorkflowExecutionStatusName;
  startTime: string;
  /**
   * Why who decided is not shown: the memo could not be decrypted (written under a payload key
   * this process does not hold, e.g. one retired after a rotation).
   */
  memoUnreadable?: string;
}

export interface OnboardingClientOptions {
  /** How long a query may wait for a worker (default 10 s). */
  queryTimeoutMs?: number;
  /** How long an update may wait for a worker (default 30 s). */
  updateTimeoutMs?: number;
}

/** A workflow id (`onboarding-E1042`) or an HR employee id (`E1042`). */
export function workflowIdOf(id: string): string {
  return id.startsWith('onboarding-') ? id : onboardingWorkflowId(id);
}

export class OnboardingClient {
  private readonly queryTimeoutMs: number;
  private readonly updateTimeoutMs: number;

  constructor(
    readonly client: Client,
    options: OnboardingClientOptions = {},
  ) {
    // A Client built by hand without the data converter would silently write plain text (the
    // worker reads it either way): refuse it here, where every caller passes.
    if (payloadProtectionOf(client) === 'none') throw new UnencryptedClientError();
    this.queryTimeoutMs = options.queryTimeoutMs ?? 10_000;
    this.updateTimeoutMs = options.updateTimeoutMs ?? 30_000;
  }

  /**
   * Starts the hire's onboarding, or returns the one that already exists: the workflow id is
   * derived from the HR employee id, a running onboarding is reused and a completed one is never
   * repeated. Only an onboarding that ended without onboarding anyone (failed, cancelled or
   * rejected, everything undone) may be started again.
   */
  async start(newHire: unknown, options?: OnboardingOptions): Promise<StartedOnboarding> {
    const parsed = parseNewHire(newHire);
    if (!parsed.ok) throw new InvalidNewHireError(parsed.issues);
    const workflowId = onboardingWorkflowId(parsed.value.employeeId);
    const start = (workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY' | 'ALLOW_DUPLICATE') =>
      this.client.workflow.start<typeof onboardNewHire>('onboardNewHire', {
        taskQueue: WORKFLOW_TASK_QUEUE,
        workflowId,
        args: options ? [newHire, options] : [newHire],
        workflowIdReusePolicy,
        typedSearchAttributes: [{ key: ONBOARDING_STATUS, value: 'creating' }],
        staticSummary: `Onboarding of employee ${parsed.value.employeeId} (starts ${parsed.value.startDate})`,
      });
    try {
      return { workflowId, started: true, handle: await start('ALLOW_DUPLICATE_FAILED_ONLY') };
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      // A rejection completes the workflow (a decision, not a crash), so the server's policy
      // cannot tell it from an onboarding that completed: its status can.
      const last = await this.handle(workflowId).describe();
      if (last.status.name === 'COMPLETED' && last.typedSearchAttributes.get(ONBOARDING_STATUS) === 'rejected') {
        try {
          return { workflowId, started: true, handle: await start('ALLOW_DUPLICATE') };
        } catch (again) {
          // Two callers restarting the same rejected hire at once: the other one's start won.
          if (!(again instanceof WorkflowExecutionAlreadyStartedError)) throw again;
        }
      }
      // Running, or completed: either way this hire is (being) onboarded; hand back that one.
      return { workflowId, started: false, handle: this.handle(workflowId) };
    }
  }

  handle(id: string): OnboardingHandle {
    return this.client.workflow.getHandle<typeof onboardNewHire>(workflowIdOf(id));
  }

  /** The workflow's status and its progress as the onboarding reports it. */
  async view(id: string): Promise<OnboardingView> {
    const workflowId = workflowIdOf(id);
    const handle = this.handle(workflowId);
    const { status } = await this.known(workflowId, () => handle.describe());
    const progress = await this.known(workflowId, () => this.withinMs(this.queryTimeoutMs, workflowId, () => handle.query(progressQuery)));
    return { workflowId, workflowStatus: status.name, progress };
  }

  /** Yields the view each time it changes, until the onboarding ends. */
  async *watch(id: string, intervalMs = 1000): AsyncGenerator<OnboardingView> {
    let last = '';
    for (;;) {
      const view = await this.view(id);
      const serialized = JSON.stringify(view);
      if (serialized !== last) {
        last = serialized;
        yield view;
      }
      if (view.workflowStatus !== 'RUNNING') return;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }

  /** Approves the held Partoo invitation; refused (OnboardingRefusedError) when nothing awaits approval. */
  approve(id: string, decision: ApprovalInput): Promise<string> {
    return this.decide(id, 'approve', (handle) => handle.executeUpdate(approveUpdate, { args: [decision] }));
  }

  /** Rejects the onboarding (every user it created is undone); refused when past the point of rejection. */
  reject(id: string, decision: RejectionInput): Promise<string> {
    return this.decide(id, 'reject', (handle) => handle.executeUpdate(rejectUpdate, { args: [decision] }));
  }

  /** Why Temporal or the namespace cannot be reached right now, or undefined when they can. */
  async unreachable(timeoutMs = 3_000): Promise<string | undefined> {
    const { namespace } = this.client.options;
    try {
      await this.client.connection.withDeadline(Date.now() + timeoutMs, () => this.client.workflowService.describeNamespace({ namespace }));
      return undefined;
    } catch (err) {
      return `cannot reach namespace ${namespace} on Temporal: ${(err as Error).message}`;
    }
  }

  /** Cancelling (never terminating) lets the onboarding undo what it created. */
  async cancel(id: string): Promise<void> {
    const workflowId = workflowIdOf(id);
    const handle = this.handle(workflowId);
    const { status } = await this.known(workflowId, () => handle.describe());
    if (status.name !== 'RUNNING') throw new OnboardingRefusedError(workflowId, `cannot cancel ${workflowId}: it already ended (${status.name})`);
    await this.known(workflowId, () => handle.cancel());
  }

  /**
   * Onboardings, newest first, optionally only those in one `OnboardingStatus`. Only Elasticsearch
   * visibility sorts on request (`ORDER BY`), so the matching executions are read and sorted here.
   */
  async list({ status, limit = 100 }: { status?: string; limit?: number } = {}): Promise<OnboardingListing[]> {
    const query = `WorkflowType = 'onboardNewHire'${status ? ` AND OnboardingStatus = '${status}'` : ''}`;
    const { namespace, loadedDataConverter } = this.client.options;
    const rows: OnboardingListing[] = [];
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await this.client.workflowService.listWorkflowExecutions({ namespace, query, nextPageToken });
      for (const raw of page.executions) {
        // One onboarding whose memo no configured key opens must not hide the others (the SDK's
        // list stops at the first): it is listed without who decided, saying why.
        let memoUnreadable: string | undefined;
        const wf = await executionInfoFromRaw(raw, loadedDataConverter, raw, namespace).catch(async (err: Error) => {
          memoUnreadable = err.message;
          return executionInfoFromRaw({ ...raw, memo: null }, loadedDataConverter, raw, namespace);
        });
        const memo = (wf.memo ?? {}) as { approvedBy?: string; rejectedBy?: string };
        rows.push({
          workflowId: wf.workflowId,
          status: wf.typedSearchAttributes.get(ONBOARDING_STATUS) ?? null,
          awaiting: wf.typedSearchAttributes.get(ONBOARDING_AWAITING) ?? null,
          approvedBy: memo.approvedBy ?? null,
          rejectedBy: memo.rejectedBy ?? null,
          workflowStatus: wf.status.name,
          startTime: wf.startTime.toISOString(),
          ...(memoUnreadable && { memoUnreadable }),
        });
      }
      nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
    } while (nextPageToken);
    return rows.sort((a, b) => b.startTime.localeCompare(a.startTime)).slice(0, limit);
  }

  /**
   * Sends a decision as an update: the workflow's validator refuses it with the reason before
   * anything is written to history, so there is no read-then-signal race.
   */
  private async decide(id: string, action: 'approve' | 'reject', send: (handle: OnboardingHandle) => Promise<string>): Promise<string> {
    const workflowId = workflowIdOf(id);
    try {
      return await this.withinMs(this.updateTimeoutMs, workflowId, () => send(this.handle(workflowId)));
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) {
        throw new OnboardingRefusedError(workflowId, (err.cause as Error | undefined)?.message ?? err.message);
      }
      if (err instanceof WorkflowNotFoundError) {
        // The server answers "not found" for an update to a closed workflow too: tell them apart.
        const { status } = await this.known(workflowId, () => this.handle(workflowId).describe());
        throw new OnboardingRefusedError(workflowId, `cannot ${action} ${workflowId}: it already ended (${status.name})`);
      }
      throw err;
    }
  }

  /** Runs `fn`, turning "no such workflow" into OnboardingNotFoundError. */
  private async known<T>(workflowId: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new OnboardingNotFoundError(workflowId);
      throw err;
    }
  }

  /** A query or update waits for a worker; past the deadline it is NoWorkerAnswerError. */
  private async withinMs<T>(ms: number, workflowId: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await this.client.connection.withDeadline(Date.now() + ms, fn);
    } catch (err) {
      if (isDeadline(err)) throw new NoWorkerAnswerError(workflowId);
      throw err;
    }
  }
}

/** Our deadlines surface as DEADLINE_EXCEEDED or, mid-call, CANCELLED. */
function isDeadline(err: unknown): boolean {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  for (let e = err; e instanceof Error; e = e.cause) {
    if (isGrpcServiceError(e) && (e.code === 4 || e.code === 1)) return true;
  }
  return false;
}
