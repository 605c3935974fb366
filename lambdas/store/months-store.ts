import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import { compareMonths, type Month } from '../domain/month.js';
import { db, tableName } from './client.js';
import { keys } from './keys.js';
import { queryAll } from './query.js';

/** A month with data: when facts last touched it and when it was last computed (epoch ms). */
export interface MonthState {
  readonly month: Month;
  readonly touchedAt: number;
  readonly computedAt: number | undefined;
  /** When its month values were last folded into the clusters' named accounts. */
  readonly attributedAt: number | undefined;
  /**
   * When community activities that occurred in it last arrived or changed (`touchActivityMonths`):
   * a run reads the changes of these months alone, not of every month a correction touched.
   */
  readonly activitiesChangedAt: number | undefined;
}

/** Marks months as touched by new or changed facts, so the daily schedule recomputes them. */
export async function touchMonths(months: readonly Month[], at = Date.now()): Promise<void> {
  await pMap(months, (month) => setTime(month, 'touchedAt', at), { concurrency: 8 });
}

/**
 * `touchMonths` for months whose community activities arrived or changed (SPEC §2 deliveries, §7
 * reviews): also stamps `activitiesChangedAt`, on its own condition, so that a later touch by
 * telemetry or a correction never hides an activity's change from the next run.
 */
export async function touchActivityMonths(
  months: readonly Month[],
  at = Date.now(),
): Promise<void> {
  await pMap(
    months,
    async (month) => {
      await setTime(month, 'activitiesChangedAt', at);
      await setTime(month, 'touchedAt', at);
    },
    { concurrency: 8 },
  );
}

/**
 * Records that a month was computed from the facts as they were at `startedAt`; facts touching it
 * after that instant leave it marked for recalculation.
 */
export async function markComputed(month: Month, startedAt: number): Promise<void> {
  await setTime(month, 'computedAt', startedAt);
}

/**
 * Records that a month's account observations were folded into the clusters' named accounts as
 * they were at `startedAt`; facts touching it later leave it to be folded again.
 */
export async function markAttributed(month: Month, startedAt: number): Promise<void> {
  await setTime(month, 'attributedAt', startedAt);
}

async function setTime(
  month: Month,
  attribute: 'touchedAt' | 'computedAt' | 'attributedAt' | 'activitiesChangedAt',
  at: number,
) {
  await db()
    .send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.month(month),
        // Times only move forward, so a slow writer never marks a month older than it is.
        // A month first seen by a computation still needs a touchedAt to compare against.
        UpdateExpression:
          attribute === 'touchedAt'
            ? 'SET #t = :at'
            : 'SET #t = :at, touchedAt = if_not_exists(touchedAt, :zero)',
        ConditionExpression: 'attribute_not_exists(#t) OR #t < :at',
        ExpressionAttributeNames: { '#t': attribute },
        ExpressionAttributeValues: {
          ':at': at,
          ...(attribute === 'touchedAt' ? {} : { ':zero': 0 }),
        },
      }),
    )
    .catch((error: Error) => {
      if (error.name !== 'ConditionalCheckFailedException') throw error;
    });
}

/** Every month with data, oldest first. */
export async function listMonths(): Promise<MonthState[]> {
  const items = await queryAll(keys.monthsPartition);
  return items
    .map((item) => ({
      month: item.sk as Month,
      touchedAt: item.touchedAt as number,
      computedAt: item.computedAt as number | undefined,
      attributedAt: item.attributedAt as number | undefined,
      activitiesChangedAt: item.activitiesChangedAt as number | undefined,
    }))
    .sort((a, b) => compareMonths(a.month, b.month));
}

/** Months touched since their account observations were last folded into named accounts. */
export const unattributedMonths = (states: readonly MonthState[]): Month[] =>
  states
    .filter((s) => s.attributedAt === undefined || s.touchedAt > s.attributedAt)
    .map((s) => s.month);

/** Months touched since they were last computed (SPEC §4 daily schedule). */
export const dirtyMonths = (states: readonly MonthState[]): Month[] =>
  states
    .filter((s) => s.computedAt === undefined || s.touchedAt > s.computedAt)
    .map((s) => s.month);

/**
 * Marks every month with data for recalculation: a correction (merge, split, mapping, alias,
 * affiliation, program) may change any of them (SPEC §4, §9).
 */
export async function touchAllMonths(): Promise<void> {
  await touchMonths((await listMonths()).map((state) => state.month));
}
