import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { loadAffiliationSources, staffAccountsOf } from '../lambdas/compute/affiliation-sources.js';
import { communityOfRun } from '../lambdas/compute/run-community.js';
import { db, tableName } from '../lambdas/store/client.js';
import { getConfig } from '../lambdas/store/config-store.js';
import { keys } from '../lambdas/store/keys.js';
import { listMonths } from '../lambdas/store/months-store.js';
import type { meteredClient } from './capacity.js';

/** What one run's community step cost: time, read and write units, and the members it had. */
export interface CommunityRun {
  readonly seconds: number;
  readonly readUnits: number;
  readonly writeUnits: number;
  readonly members: number;
}

/** The community step of a recalculation run, three ways (`lambdas/compute/run-community.ts`). */
export interface CommunityRuns {
  /** With no member index: every activity resolved (the first run, or after a change of zone). */
  readonly full: CommunityRun;
  /** Right after, nothing changed: every member's record read, none resolved. */
  readonly unchanged: CommunityRun;
  /** After `dayActivities` new activities (a day's): their members resolved again. */
  readonly day: CommunityRun;
  readonly dayActivities: number;
}

/**
 * Times and meters a run's community step with the stored activities as they are: from every
 * activity, then from the member index with nothing changed, then after `deliverDay` stored a
 * day's activities. The later runs take no overlap for changes (`FLYWHEEL_CHANGES_OVERLAP_MS=0`),
 * as a run a day after the last would not need one.
 */
export async function benchRunCommunity(
  meter: ReturnType<typeof meteredClient>,
  deliverDay: () => Promise<number>,
): Promise<CommunityRuns> {
  const config = await getConfig();
  const sources = await loadAffiliationSources(config);
  const staffAccounts = staffAccountsOf(config, sources);
  const run = async (): Promise<CommunityRun> => {
    const states = await listMonths();
    meter.reset();
    const start = process.hrtime.bigint();
    const { members } = await communityOfRun({ sources, staffAccounts, states });
    return {
      seconds: Number(process.hrtime.bigint() - start) / 1e9,
      readUnits: meter.read(),
      writeUnits: meter.write(),
      members: members.length,
    };
  };
  const overlap = process.env.FLYWHEEL_CHANGES_OVERLAP_MS;
  process.env.FLYWHEEL_CHANGES_OVERLAP_MS = '0';
  try {
    await db().send(new DeleteCommand({ TableName: tableName(), Key: keys.memberIndexMeta() }));
    const full = await run();
    const unchanged = await run();
    const dayActivities = await deliverDay();
    const day = await run();
    return { full, unchanged, day, dayActivities };
  } finally {
    if (overlap === undefined) delete process.env.FLYWHEEL_CHANGES_OVERLAP_MS;
    else process.env.FLYWHEEL_CHANGES_OVERLAP_MS = overlap;
  }
}
