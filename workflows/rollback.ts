/**
 * The saga's compensation: the users that exist because of this onboarding, and their undo,
 * newest first. A user is registered the moment its create answers, before anything else runs.
 */
import { CancellationScope } from '@temporalio/workflow';
import { describeFailure } from './failures.js';
import type { OnboardingState } from './onboarding-state.js';
import type { VendorUser } from './vendor-contract.js';
import type { VendorSteps } from './vendor-steps.js';
import type { VendorName } from './vendors.js';

export class Rollback {
  /** Users that exist because of (or despite) this onboarding, in the order they appeared. */
  private readonly users: VendorUser[] = [];

  constructor(
    private readonly state: OnboardingState,
    private readonly vendors: Record<VendorName, VendorSteps>,
  ) {}

  add(user: VendorUser): void {
    this.users.push(user);
  }

  user(vendor: VendorName): VendorUser | undefined {
    return this.users.find((u) => u.vendor === vendor);
  }

  /** Accounts that existed before this onboarding, kept as they are whatever happens. */
  adopted(): VendorUser[] {
    return this.users.filter((u) => u.origin === 'adopted');
  }

  /**
   * Undoes every user this onboarding created, newest first; adopted users are never touched.
   * Non-cancellable: cancelling the workflow is what may have brought us here, and it must not
   * also skip the cleanup. A failed undo is never swallowed: it becomes manual cleanup (query,
   * search attribute, UI details, the workflow's failure) and the remaining undos still run.
   */
  async run(): Promise<void> {
    const { state } = this;
    state.setStatus('compensating');
    state.withdrawInvite();
    await CancellationScope.nonCancellable(async () => {
      for (const user of [...this.users].reverse()) {
        if (user.origin === 'adopted') continue;
        state.setVendor(user.vendor, { state: 'undoing' });
        try {
          await this.vendors[user.vendor].undo(user);
          state.setVendor(user.vendor, { state: 'undone' });
        } catch (err) {
          const error = describeFailure(err);
          state.addManualCleanup({ vendor: user.vendor, id: user.id, error });
          state.setVendor(user.vendor, { state: 'manual-cleanup', error });
        }
      }
    });
  }
}
