import { describe } from 'vitest';
import { describePostSlotContract, type MakePostSlots } from './contract/post-slots.js';
import { describePrStateContract, type MakePrStates } from './contract/pr-states.js';
import { describeReconcileQueueContract, type MakeReconcileQueue } from './contract/reconcile-queue.js';
import { describeSubscriberNoticeContract, type MakeNotices } from './contract/subscriber-notices.js';
import { describeTrackedMessageContract, type MakeTrackedMessages } from './contract/tracked-messages.js';

export { TRACKED_SETTLE_MS } from './contract/tracked-messages.js';

/**
 * One behaviour contract for every implementation of the pipeline's store ports (Firestore and the in-memory
 * doubles the fast pipeline tests run on), so a double cannot drift from what production does.
 */
export function describePipelinePortContract(
  name: string,
  make: {
    prStates: MakePrStates;
    tracked: MakeTrackedMessages;
    notices: MakeNotices;
    postSlots: MakePostSlots;
    reconcileQueue: MakeReconcileQueue;
  },
): void {
  describe(`${name} pipeline port contract`, () => {
    describePrStateContract(make.prStates);
    describeTrackedMessageContract(make.tracked);
    describeSubscriberNoticeContract(make.notices);
    describePostSlotContract(make.postSlots);
    describeReconcileQueueContract(make.reconcileQueue);
  });
}
