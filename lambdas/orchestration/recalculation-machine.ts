import type { Month } from '../domain/month.js';
import { type StateMachineName, stateMachines } from '../system.js';

/**
 * The recalculation state machine's definition (Amazon States Language), as plain data: the CDK
 * stack deploys it to Step Functions and local mode runs the same definition in process, so the
 * split of a job into runs is the same in both.
 *
 * The input is `{ jobId, runs }`: `runs` are consecutive months, oldest first, `monthsPerRun` at
 * most each. Each run is one invocation of the recalculation function, which answers with the
 * runs still to do; the runs go strictly in order because a month's movements read the month
 * before it as stored. A loop (a Choice back to the task) rather than a `Map` with
 * `MaxConcurrency: 1`: no later run starts once one has failed, on AWS and locally alike.
 */
export interface RecalculationInput {
  readonly jobId: string;
  readonly runs: readonly (readonly Month[])[];
}

/** What the recalculation function is sent: one run to do, or the job's outcome to record. */
export type RecalculationTask =
  | RecalculationInput
  | { readonly jobId: string; readonly outcome: 'succeeded' | 'failed' };

/** The state names; local mode maps each task to the function by them. */
export const recalculationStates = {
  run: 'Recalculate the next run of months',
  more: 'More months?',
  succeeded: 'Record the job succeeded',
  failed: 'Record the job failed',
  stop: 'Failed',
} as const;

/**
 * Splits months (oldest first, consecutive) into runs of at most `perRun`.
 * @throws RangeError when `perRun` is not a positive integer.
 */
export function runsOf(months: readonly Month[], perRun: number): Month[][] {
  if (!Number.isInteger(perRun) || perRun < 1) {
    throw new RangeError(`monthsPerRun must be a positive integer, got ${perRun}`);
  }
  const runs: Month[][] = [];
  for (let i = 0; i < months.length; i += perRun) runs.push(months.slice(i, i + perRun));
  return runs;
}

/**
 * The definition, given the recalculation function's ARN (a CDK token on AWS). Tasks name the
 * function's ARN as their `Resource`, so the task's input is the function's event and its result
 * the function's answer. A run that fails is retried twice (a throttled or restarted store), then
 * the job is recorded failed and the execution fails.
 */
export function recalculationDefinition(functionArn: string) {
  const { description, timeoutSeconds } = stateMachines.recalculation;
  const s = recalculationStates;
  const retry = [
    { ErrorEquals: ['States.ALL'], IntervalSeconds: 10, MaxAttempts: 2, BackoffRate: 2 },
  ];
  return {
    Comment: description,
    StartAt: s.run,
    TimeoutSeconds: timeoutSeconds,
    States: {
      [s.run]: {
        Type: 'Task',
        Resource: functionArn,
        Parameters: { 'jobId.$': '$.jobId', 'runs.$': '$.runs' },
        Retry: retry,
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: s.failed }],
        Next: s.more,
      },
      [s.more]: {
        Type: 'Choice',
        Choices: [{ Variable: '$.runs[0]', IsPresent: true, Next: s.run }],
        Default: s.succeeded,
      },
      [s.succeeded]: {
        Type: 'Task',
        Resource: functionArn,
        Parameters: { 'jobId.$': '$.jobId', outcome: 'succeeded' },
        Retry: retry,
        End: true,
      },
      [s.failed]: {
        Type: 'Task',
        Resource: functionArn,
        Parameters: { 'jobId.$': '$.jobId', outcome: 'failed' },
        Retry: retry,
        Next: s.stop,
      },
      [s.stop]: {
        Type: 'Fail',
        Error: 'RecalculationFailed',
        Cause: 'A run of months failed after its retries; the job records it as failed',
      },
    },
  };
}

/** Each declared state machine's definition, given its function's ARN (`lambdas/system.ts`). */
export const stateMachineDefinitions: Record<
  StateMachineName,
  (functionArn: string) => ReturnType<typeof recalculationDefinition>
> = {
  recalculation: recalculationDefinition,
};
