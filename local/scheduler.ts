import { Cron } from 'croner';
import { type ScheduleName, type ScheduleSpec, schedules } from '../lambdas/system.js';

export type FireSchedule = (schedule: ScheduleSpec) => Promise<void>;

export interface LocalScheduler {
  /** When each schedule fires next, in ISO form. */
  nextRuns(): Record<ScheduleName, string | null>;
  /** Fires a schedule now, exactly as its cron would; resolves when the target has run. */
  fire(name: ScheduleName): Promise<void>;
  stop(): void;
}

/** EventBridge Scheduler's `cron(m h dom mon dow)` as croner reads it (`?` means any). */
export const cronPattern = ({ cron }: ScheduleSpec): string =>
  [cron.minute, cron.hour, cron.day, cron.month, cron.weekDay]
    .map((f) => (f === '?' ? '*' : f))
    .join(' ');

/** Fires the declared schedules (SPEC §4) in the given IANA time zone, like EventBridge Scheduler. */
export function startScheduler(timeZone: string, fire: FireSchedule): LocalScheduler {
  const jobs = schedules.map(
    (schedule) =>
      [
        schedule,
        new Cron(cronPattern(schedule), { timezone: timeZone, protect: true }, () =>
          fire(schedule),
        ),
      ] as const,
  );
  return {
    nextRuns: () =>
      Object.fromEntries(
        jobs.map(([schedule, job]) => [schedule.name, job.nextRun()?.toISOString() ?? null]),
      ) as Record<ScheduleName, string | null>,
    fire: async (name) => {
      const schedule = schedules.find((s) => s.name === name);
      if (!schedule) throw new Error(`No schedule named ${name}`);
      await fire(schedule);
    },
    stop: () => {
      for (const [, job] of jobs) job.stop();
    },
  };
}
