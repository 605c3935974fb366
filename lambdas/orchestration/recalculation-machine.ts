import type { Month } from '../domain/month.js';
import { type FunctionName, type StateMachineName, stateMachines } from '../system.js';

/**
 * The recalculation state machine's definition (Amazon States Language), as plain data: the CDK
 * stack deploys it to Step Functions and local mode runs the same definition in process, so the
 * split of a job into runs is the same in both.
 *
 * The input is `{ jobId, runs, report? }`: `runs` are consecutive months, oldest first,
 * `monthsPerRun` at most each. Each run is one invocation of the recalculation function, which
 * answers with the runs still to do; the runs go strictly in order because a month's movements
 * read the month before it as stored. When the job finalises a month for the monthly schedule
 * (SPEC §4), `report` names it: once every run succeeded and the outcome is recorded, the report
 * function mails it — never after a failed run, so a report never shows months left half done.
 * The runs are a loop (a Choice back to the task) rather than a `Map` with `MaxConcurrency: 1`: no
 * later run starts once one has failed, on AWS and locally alike. Only a rebuild of month values
 * (`rebuild`), whose tasks are independent, fans out in `Map`s.
 */
export interface RecalculationInput {
  readonly jobId: string;
  readonly runs: readonly (readonly Month[])[];
  /** The month whose report is mailed once every run succeeded (the monthly schedule). */
  readonly report?: Month;
  /** Present when month values are stale (the zone changed): they are rebuilt before the runs. */
  readonly rebuild?: RebuildInput;
}

/**
 * A rebuild of cluster month values after a zone change, fanned out: every month with values is
 * dropped (a task each), then the snapshot facts are folded again per scan segment (a task each,
 * a key range of the table), then the values are marked current.
 */
export interface RebuildInput {
  /** When the values became stale (`monthValuesStaleSince`): a later zone change keeps them so. */
  readonly since: string;
  /** The months with values, in the old zone. */
  readonly months: readonly Month[];
  /** `0 … rebuildSegments - 1`: the scan segments, one task each. */
  readonly segments: readonly number[];
}

/**
 * What the recalculation function is sent: one run to do, a step of a rebuild (a month to drop, a
 * segment to fold, the rebuild to finish), or the job's outcome to record.
 */
export type RecalculationTask =
  | RecalculationInput
  | { readonly jobId: string; readonly dropMonth: Month }
  | { readonly jobId: string; readonly foldSegment: number; readonly totalSegments: number }
  | { readonly jobId: string; readonly rebuilt: string }
  | { readonly jobId: string; readonly outcome: 'succeeded' | 'failed' };

/** What the report function is sent by the machine: mail this month's report (SPEC §4). */
export interface ReportTask {
  readonly jobId: string;
  readonly report: Month;
}

/** The state names; local mode maps each task to the function by them. */
export const recalculationStates = {
  rebuildFirst: 'Rebuild month values first?',
  drop: 'Drop month values',
  dropOne: 'Drop one month',
  fold: 'Fold snapshot facts',
  foldOne: 'Fold one segment',
  rebuilt: 'Record month values rebuilt',
  run: 'Recalculate the next run of months',
  more: 'More months?',
  succeeded: 'Record the job succeeded',
  mailReport: 'A report to mail?',
  report: "Mail the month's report",
  done: 'Done',
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
 * The definition, given the ARN of each function its tasks invoke (CDK tokens on AWS). Tasks name
 * a function's ARN as their `Resource`, so the task's input is the function's event and its result
 * the function's answer. When `rebuild` is given, the month values are rebuilt first: two `Map`s
 * fan the work out (months to drop, then scan segments to fold — independent, so in parallel),
 * then the rebuild is recorded. A run gets the whole state (`{ jobId, runs, report? }`) and
 * answers it with the runs left. A task that fails is retried twice (a throttled or restarted
 * store), then the job is recorded failed and the execution fails.
 */
export function recalculationDefinition(arnOf: (fn: FunctionName) => string) {
  const { description, timeoutSeconds, rebuildSegments, rebuildConcurrency } =
    stateMachines.recalculation;
  const s = recalculationStates;
  const retry = [
    { ErrorEquals: ['States.ALL'], IntervalSeconds: 10, MaxAttempts: 2, BackoffRate: 2 },
  ];
  const toFailed = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: s.failed }];
  /** A `Map` of one task per item of `itemsPath`, at most `rebuildConcurrency` at a time. */
  const fanOut = (
    itemsPath: string,
    task: string,
    item: Record<string, unknown>,
    next: string,
  ) => ({
    Type: 'Map',
    ItemsPath: itemsPath,
    ItemSelector: { 'jobId.$': '$.jobId', ...item },
    MaxConcurrency: rebuildConcurrency,
    ItemProcessor: {
      ProcessorConfig: { Mode: 'INLINE' },
      StartAt: task,
      States: { [task]: { Type: 'Task', Resource: arnOf('recalculate'), Retry: retry, End: true } },
    },
    // The state goes on unchanged: the items' answers are only logged.
    ResultPath: null,
    Catch: toFailed,
    Next: next,
  });
  return {
    Comment: description,
    StartAt: s.rebuildFirst,
    TimeoutSeconds: timeoutSeconds,
    States: {
      [s.rebuildFirst]: {
        Type: 'Choice',
        Choices: [{ Variable: '$.rebuild', IsPresent: true, Next: s.drop }],
        Default: s.run,
      },
      [s.drop]: fanOut(
        '$.rebuild.months',
        s.dropOne,
        { 'dropMonth.$': '$$.Map.Item.Value' },
        s.fold,
      ),
      [s.fold]: fanOut(
        '$.rebuild.segments',
        s.foldOne,
        { 'foldSegment.$': '$$.Map.Item.Value', totalSegments: rebuildSegments },
        s.rebuilt,
      ),
      [s.rebuilt]: {
        Type: 'Task',
        Resource: arnOf('recalculate'),
        Parameters: { 'jobId.$': '$.jobId', 'rebuilt.$': '$.rebuild.since' },
        ResultPath: null,
        Retry: retry,
        Catch: toFailed,
        Next: s.run,
      },
      [s.run]: {
        Type: 'Task',
        Resource: arnOf('recalculate'),
        Retry: retry,
        Catch: toFailed,
        Next: s.more,
      },
      [s.more]: {
        Type: 'Choice',
        Choices: [{ Variable: '$.runs[0]', IsPresent: true, Next: s.run }],
        Default: s.succeeded,
      },
      [s.succeeded]: {
        Type: 'Task',
        Resource: arnOf('recalculate'),
        Parameters: { 'jobId.$': '$.jobId', outcome: 'succeeded' },
        // The state goes on unchanged: `report`, when there is one, is still to be mailed.
        ResultPath: null,
        Retry: retry,
        Next: s.mailReport,
      },
      [s.mailReport]: {
        Type: 'Choice',
        Choices: [{ Variable: '$.report', IsPresent: true, Next: s.report }],
        Default: s.done,
      },
      [s.report]: {
        Type: 'Task',
        Resource: arnOf('report'),
        Parameters: { 'jobId.$': '$.jobId', 'report.$': '$.report' },
        Retry: retry,
        End: true,
      },
      [s.done]: { Type: 'Succeed' },
      [s.failed]: {
        Type: 'Task',
        Resource: arnOf('recalculate'),
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

/**
 * Each declared state machine's definition, given the ARNs of the functions it invokes (its
 * `functions` in `lambdas/system.ts`).
 */
export const stateMachineDefinitions: Record<
  StateMachineName,
  (arnOf: (fn: FunctionName) => string) => ReturnType<typeof recalculationDefinition>
> = {
  recalculation: recalculationDefinition,
};
