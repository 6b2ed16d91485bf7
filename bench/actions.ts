/**
 * Temporal Cloud's billable actions of one onboarding, counted from its history as the Cloud docs
 * list them (docs.temporal.io/cloud/actions): the start, each activity attempt (the history keeps
 * one started event per activity, carrying its last attempt number), each local activity batch
 * (one per workflow task that ran any), each timer, each search-attribute upsert (those given at
 * start are free), each signal and each update. Memo upserts are counted too, to err on the side
 * of more. Queries cost an action each but leave no trace in the history: the bench sends none.
 */
import type { WorkflowHandle } from '@temporalio/client';

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;

export function countActions(history: History): number {
  let actions = 0;
  let localActivityInTask = false;
  for (const event of history.events ?? []) {
    if (event.workflowExecutionStartedEventAttributes) actions++;
    if (event.activityTaskStartedEventAttributes) actions += event.activityTaskStartedEventAttributes.attempt ?? 1;
    if (event.timerStartedEventAttributes) actions++;
    if (event.upsertWorkflowSearchAttributesEventAttributes) actions++;
    if (event.workflowPropertiesModifiedEventAttributes) actions++;
    if (event.workflowExecutionSignaledEventAttributes) actions++;
    if (event.workflowExecutionUpdateAcceptedEventAttributes) actions++;
    if (event.markerRecordedEventAttributes?.markerName === 'core_local_activity') localActivityInTask = true;
    if (event.workflowTaskCompletedEventAttributes) {
      if (localActivityInTask) actions++;
      localActivityInTask = false;
    }
  }
  return actions;
}
