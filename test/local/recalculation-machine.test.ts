import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths, type Month, monthRange, parseMonth } from '../../lambdas/domain/month.js';
import {
  type RebuildInput,
  recalculationDefinition,
  recalculationStates,
  runsOf,
} from '../../lambdas/orchestration/recalculation-machine.js';
import { StartExecutionError, startExecution } from '../../lambdas/runtime/start-execution.js';
import { env, type FunctionName, stateMachines } from '../../lambdas/system.js';
import {
  localFunctionArn,
  localStateMachineArn,
  runDefinition,
  startStepFunctions,
} from '../../local/step-functions.js';

const months = (from: string, count: number): Month[] =>
  monthRange(parseMonth(from), addMonths(parseMonth(from), count - 1));

describe('runsOf', () => {
  it('splits months into consecutive runs of at most perRun, all full but the last', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 12 }), (n, per) => {
        const all = months('2024-01', n);
        const runs = runsOf(all, per);
        expect(runs.flat()).toEqual(all);
        expect(runs).toHaveLength(Math.ceil(n / per));
        for (const run of runs.slice(0, -1)) expect(run).toHaveLength(per);
        expect(runs.at(-1)?.length).toBeGreaterThan(0);
      }),
    );
  });

  it('refuses a run length that is not a positive integer', () => {
    expect(() => runsOf(months('2024-01', 3), 0)).toThrow(/positive integer/);
    expect(() => runsOf(months('2024-01', 3), 1.5)).toThrow(/positive integer/);
  });
});

/**
 * The definition as Step Functions would run it, with a recalculation function that does what
 * its contract says (answers the runs left, passing `report` on) and fails on the months it is
 * told to, and a report function that records what it is asked to mail.
 */
function execute(
  runs: Month[][],
  options: {
    failing?: ReadonlySet<Month>;
    report?: Month;
    reportFails?: boolean;
    rebuild?: RebuildInput;
    failingSegment?: number;
  } = {},
) {
  const calls: unknown[] = [];
  const mailed: unknown[] = [];
  const rebuilding: unknown[] = [];
  const invoke = async (fn: FunctionName, event: unknown) => {
    if (fn === 'report') {
      mailed.push(event);
      if (options.reportFails) throw new Error('SES is down');
      return { alreadySent: false };
    }
    expect(fn).toBe('recalculate');
    const step = event as { jobId: string; foldSegment?: number };
    if ('dropMonth' in step || 'foldSegment' in step || 'rebuilt' in step) {
      rebuilding.push(event);
      if (step.foldSegment !== undefined && step.foldSegment === options.failingSegment) {
        throw new Error('Scan throttled');
      }
      return { jobId: step.jobId };
    }
    calls.push(event);
    const task = event as { jobId: string; runs?: Month[][]; outcome?: string; report?: Month };
    if (!task.runs) return { jobId: task.jobId, outcome: task.outcome };
    if (task.runs[0]?.some((m) => options.failing?.has(m))) {
      throw new Error('DynamoDB is unreachable');
    }
    return { ...task, runs: task.runs.slice(1) };
  };
  const definition = recalculationDefinition(localFunctionArn);
  const input = {
    jobId: 'job-1',
    runs,
    ...(options.report ? { report: options.report } : {}),
    ...(options.rebuild ? { rebuild: options.rebuild } : {}),
  };
  const { tasks, result } = runDefinition(definition, input, invoke);
  return { calls, mailed, rebuilding, tasks, result };
}

describe('the recalculation state machine', () => {
  it('runs every run once, oldest first, then records the job succeeded', async () => {
    const runs = runsOf(months('2024-01', 8), 3);
    const { calls, mailed, tasks, result } = execute(runs);
    await result;
    expect(calls).toEqual([
      { jobId: 'job-1', runs },
      { jobId: 'job-1', runs: runs.slice(1) },
      { jobId: 'job-1', runs: runs.slice(2) },
      { jobId: 'job-1', outcome: 'succeeded' },
    ]);
    expect(tasks.map((t) => t.state)).toEqual([
      recalculationStates.run,
      recalculationStates.run,
      recalculationStates.run,
      recalculationStates.succeeded,
    ]);
    expect(mailed).toEqual([]);
  });

  it('retries a failing run twice, then records the job failed and starts no later run', async () => {
    const runs = runsOf(months('2024-01', 9), 3);
    const failing = new Set([parseMonth('2024-05')]);
    const { calls, result } = execute(runs, { failing });
    await expect(result).rejects.toThrow();
    expect(calls).toEqual([
      { jobId: 'job-1', runs },
      // The second run: tried, then retried twice.
      { jobId: 'job-1', runs: runs.slice(1) },
      { jobId: 'job-1', runs: runs.slice(1) },
      { jobId: 'job-1', runs: runs.slice(1) },
      { jobId: 'job-1', outcome: 'failed' },
    ]);
  });

  it("mails the finalised month's report last, once every run succeeded (SPEC §4)", async () => {
    const report = parseMonth('2024-07');
    const runs = runsOf(months('2024-01', 7), 3);
    const { calls, mailed, tasks, result } = execute(runs, { report });
    await result;
    expect(calls.at(-1)).toEqual({ jobId: 'job-1', outcome: 'succeeded' });
    expect(mailed).toEqual([{ jobId: 'job-1', report }]);
    expect(tasks.map((t) => t.state).slice(-2)).toEqual([
      recalculationStates.succeeded,
      recalculationStates.report,
    ]);
  });

  it('mails no report when a run failed, and retries a failing mail twice', async () => {
    const report = parseMonth('2024-07');
    const runs = runsOf(months('2024-01', 7), 3);
    const failed = execute(runs, { report, failing: new Set([report]) });
    await expect(failed.result).rejects.toThrow();
    expect(failed.calls.at(-1)).toEqual({ jobId: 'job-1', outcome: 'failed' });
    expect(failed.mailed).toEqual([]);
    const unsent = execute(runs, { report, reportFails: true });
    await expect(unsent.result).rejects.toThrow();
    expect(unsent.calls.at(-1)).toEqual({ jobId: 'job-1', outcome: 'succeeded' });
    expect(unsent.mailed).toHaveLength(3);
  });
});

describe('a rebuild of month values after a zone change', () => {
  const { rebuildSegments } = stateMachines.recalculation;
  const rebuild: RebuildInput = {
    since: '2026-11-30T10:00:00.000Z',
    months: months('2024-01', 5),
    segments: Array.from({ length: rebuildSegments }, (_, i) => i),
  };

  it('drops every month, then folds every segment, then records it, then runs the months', async () => {
    const runs = runsOf(months('2024-01', 5), 3);
    const { calls, rebuilding, result } = execute(runs, { rebuild });
    await result;
    const drops = rebuilding.slice(0, rebuild.months.length);
    const folds = rebuilding.slice(rebuild.months.length, -1);
    // Each month dropped once and each segment folded once, in any order (they fan out).
    expect(drops).toEqual(
      expect.arrayContaining(rebuild.months.map((dropMonth) => ({ jobId: 'job-1', dropMonth }))),
    );
    expect(drops).toHaveLength(rebuild.months.length);
    expect(folds).toHaveLength(rebuildSegments);
    expect(new Set(folds.map((f) => (f as { foldSegment: number }).foldSegment)).size).toBe(
      rebuildSegments,
    );
    for (const fold of folds) expect(fold).toMatchObject({ totalSegments: rebuildSegments });
    expect(rebuilding.at(-1)).toEqual({ jobId: 'job-1', rebuilt: rebuild.since });
    // The runs come after, with the months as given, and the outcome last.
    expect(calls[0]).toMatchObject({ jobId: 'job-1', runs });
    expect(calls.at(-1)).toEqual({ jobId: 'job-1', outcome: 'succeeded' });
  });

  it('records the job failed, runs no month and leaves the values stale when a segment fails', async () => {
    const runs = runsOf(months('2024-01', 5), 3);
    const { calls, rebuilding, result } = execute(runs, { rebuild, failingSegment: 7 });
    await expect(result).rejects.toThrow();
    expect(calls).toEqual([{ jobId: 'job-1', outcome: 'failed' }]);
    expect(rebuilding.filter((step) => 'rebuilt' in (step as object))).toEqual([]);
    // The failing segment was tried three times.
    const tries = rebuilding.filter((step) => (step as { foldSegment?: number }).foldSegment === 7);
    expect(tries).toHaveLength(3);
  });
});

describe("local mode's StartExecution", () => {
  it('starts the declared machine through the signed call functions make, once per name', async () => {
    const events: unknown[] = [];
    const service = await startStepFunctions(async (_fn, event) => {
      events.push(event);
      const task = event as { jobId: string; runs?: Month[][] };
      return task.runs ? { jobId: task.jobId, runs: task.runs.slice(1) } : {};
    });
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_SFN: service.endpoint,
      [env.stateMachineArn('recalculation')]: localStateMachineArn('recalculation'),
    });
    try {
      const runs = runsOf(months('2025-01', 4), 3);
      await startExecution('recalculation', 'job-2', { jobId: 'job-2', runs });
      const [execution] = service.executions();
      await execution?.done;
      expect(execution).toMatchObject({
        machine: 'recalculation',
        name: 'job-2',
        status: 'SUCCEEDED',
      });
      expect(events).toEqual([
        { jobId: 'job-2', runs },
        { jobId: 'job-2', runs: runs.slice(1) },
        { jobId: 'job-2', outcome: 'succeeded' },
      ]);
      // A name is an execution's identity: a second start with it is refused, like on AWS.
      await expect(startExecution('recalculation', 'job-2', {})).rejects.toThrow(
        /400.*ExecutionAlreadyExists/,
      );
      process.env[env.stateMachineArn('recalculation')] = localStateMachineArn(
        'nope' as 'recalculation',
      );
      await expect(startExecution('recalculation', 'job-3', {})).rejects.toThrow(
        StartExecutionError,
      );
    } finally {
      await service.stop();
    }
  });
});
