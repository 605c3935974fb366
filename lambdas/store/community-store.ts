import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import pMap from 'p-map';
import type {
  Activity,
  ActivityStatus,
  IdentityKey,
  MemberMerge,
  Tier,
} from '../domain/community.js';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import { monthOf } from '../domain/month.js';
import { type AuditEntry, ChangeConflict, writeAudited } from './audit-store.js';
import { batchGet, batchWrite, putRequest } from './batch.js';
import { db, tableName } from './client.js';
import { activityShards, keys, utcInstant } from './keys.js';
import { touchActivityMonths, touchAllMonths } from './months-store.js';
import { queryAll, queryEach, queryItems } from './query.js';
import { replaceAudited } from './replace-audited.js';
import type { StoreResult } from './telemetry-store.js';

/** Parallel single-item writes in flight per delivery: enough to hide latency, not to throttle. */
const concurrency = 32;

interface Outcome {
  /** The activity as stored after this delivery. */
  readonly stored: Activity;
  readonly duplicate: boolean;
  /** Whether this delivery wrote anything, so the activity's month needs recomputing. */
  readonly changed: boolean;
}

/**
 * Stores activities exactly once each (SPEC §2). The fact is a conditional put keyed by activityId,
 * so of concurrent deliveries exactly one is accepted; a redelivery only updates title and url and
 * moves a `submitted` status forward. Each stored fact is linked from each of its identities
 * (`keys.identityActivity`), new and duplicate alike, so a redelivery completes a delivery cut
 * short after its facts were written.
 */
export async function storeActivities(
  activities: readonly Activity[],
  timeZone: string,
): Promise<StoreResult> {
  const receivedAt = new Date().toISOString();
  const outcomes = await pMap(activities, (a) => putActivity(a, receivedAt), { concurrency });
  const links = outcomes.flatMap(({ stored }) =>
    stored.identities.map((identity) => keys.identityActivity(identity, stored.activityId)),
  );
  const unique = new Map(links.map((link) => [`${link.pk}\n${link.sk}`, link]));
  await batchWrite([...unique.values()].map(putRequest));
  const touched = outcomes
    .filter((o) => o.changed)
    .map((o) => monthOf(o.stored.occurredAt, timeZone));
  await touchActivityMonths([...new Set(touched)]);
  const duplicates = outcomes.filter((outcome) => outcome.duplicate).length;
  return { accepted: outcomes.length - duplicates, duplicates };
}

async function putActivity(activity: Activity, receivedAt: string): Promise<Outcome> {
  try {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: {
          ...keys.activity(activity.activityId),
          ...keys.activityByTime(activity.activityId, activity.occurredAt),
          ...(activity.status === 'submitted'
            ? keys.reviewQueue(activity.activityId, activity.occurredAt)
            : {}),
          ...activity,
          receivedAt,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { stored: activity, duplicate: false, changed: true };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    // The first delivery's type, time and identities stand; only review fields may change.
    const stored = error.Item ? activityOf(unmarshall(error.Item)) : activity;
    return { ...(await updateRedelivery(stored, activity)), duplicate: true };
  }
}

/** The activity a stored item holds. */
function activityOf(item: Record<string, unknown>): Activity {
  const {
    pk: _pk,
    sk: _sk,
    gsi1pk: _g,
    gsi1sk: _s,
    gsi2pk: _g2,
    gsi2sk: _s2,
    receivedAt: _r,
    changedAt: _c,
    ...activity
  } = item;
  return activity as unknown as Activity;
}

/**
 * Applies a redelivery: title and url when given and different, and the status only from
 * `submitted` to `recognized` or `rejected` — checked by the write itself, so a concurrent review
 * is never undone by a stale `submitted`, and `delivered` never changes by webhook.
 */
async function updateRedelivery(stored: Activity, incoming: Activity) {
  const fields: Record<string, string> = {};
  if (incoming.title !== undefined && incoming.title !== stored.title)
    fields.title = incoming.title;
  if (incoming.url !== undefined && incoming.url !== stored.url) fields.url = incoming.url;
  const reviewed = incoming.status === 'recognized' || incoming.status === 'rejected';
  if (reviewed && stored.status === 'submitted') {
    const updated = await updateActivity(
      stored.activityId,
      { ...fields, status: incoming.status },
      {
        expression: '#status = :submitted',
        values: { ':submitted': 'submitted' },
      },
    );
    if (updated) return { stored: updated, changed: true };
  }
  if (Object.keys(fields).length === 0) return { stored, changed: false };
  const updated = await updateActivity(stored.activityId, fields);
  return { stored: updated ?? stored, changed: updated !== undefined };
}

/** Sets fields of a stored activity if `condition` holds; the activity after, or `undefined`. */
async function updateActivity(
  activityId: string,
  fields: Record<string, string>,
  condition?: { expression: string; values: Record<string, string> },
): Promise<Activity | undefined> {
  const names = Object.keys(fields);
  try {
    const result = await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keys.activity(activityId),
        // A status other than `submitted` takes the activity out of the review queue.
        UpdateExpression: `SET ${names.map((_, i) => `#f${i} = :v${i}`).join(', ')}, changedAt = :changedAt${'status' in fields ? ' REMOVE gsi2pk, gsi2sk' : ''}`,
        ConditionExpression: `attribute_exists(pk)${condition ? ` AND ${condition.expression}` : ''}`,
        ExpressionAttributeNames: {
          ...Object.fromEntries(names.map((name, i) => [`#f${i}`, name])),
          ...(condition ? { '#status': 'status' } : {}),
        },
        ExpressionAttributeValues: {
          ...Object.fromEntries(names.map((name, i) => [`:v${i}`, fields[name]])),
          ...condition?.values,
          ':changedAt': new Date().toISOString(),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return result.Attributes ? activityOf(result.Attributes) : undefined;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}

/**
 * An admin's review (SPEC §3 `PATCH /admin/activities/{activityId}`): any status, unconditionally.
 * The activity's month is marked for recalculation, since what counts in it changed.
 */
export async function setActivityStatus(
  activityId: string,
  status: ActivityStatus,
  timeZone: string,
  audit: (before: ActivityStatus) => AuditEntry,
): Promise<Activity> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const { Item } = await db().send(
      new GetCommand({
        TableName: tableName(),
        Key: keys.activity(activityId),
        ConsistentRead: true,
      }),
    );
    if (!Item) throw new NotFoundError(`No activity ${JSON.stringify(activityId)}`);
    const before = activityOf(Item);
    const place = keys.reviewQueue(activityId, before.occurredAt);
    try {
      // Conditional on the status read, so the entry's `before` is the status really replaced
      // even when a delivery moves it forward meanwhile.
      await writeAudited(
        [
          {
            Update: {
              TableName: tableName(),
              Key: keys.activity(activityId),
              // In the review queue exactly while `submitted` (an admin may move it back).
              UpdateExpression:
                status === 'submitted'
                  ? 'SET #status = :status, changedAt = :changedAt, gsi2pk = :queue, gsi2sk = :place'
                  : 'SET #status = :status, changedAt = :changedAt REMOVE gsi2pk, gsi2sk',
              ConditionExpression: '#status = :before',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':status': status,
                ':before': before.status,
                ':changedAt': new Date().toISOString(),
                ...(status === 'submitted'
                  ? { ':queue': place.gsi2pk, ':place': place.gsi2sk }
                  : {}),
              },
            },
          },
        ],
        audit(before.status),
      );
    } catch (error) {
      if (error instanceof ChangeConflict) continue;
      throw error;
    }
    await touchActivityMonths([monthOf(before.occurredAt, timeZone)]);
    return { ...before, status };
  }
  throw new ConflictError(
    `Activity ${JSON.stringify(activityId)} is being changed right now; retry`,
  );
}

/** Activities that occurred in `[from, to)`, oldest first (SPEC §1 reads years and months). */
export async function activitiesBetween(from: string, to: string): Promise<Activity[]> {
  return (await activitiesByTime([utcInstant(from), utcInstant(to)])).map(activityOf);
}

/**
 * The activities that occurred in `[from, to)` (ISO 8601) and arrived or changed (a redelivery's
 * title, url or status, an admin's review) at or after `since` (ISO 8601), oldest first.
 */
export async function activitiesChangedBetween(
  from: string,
  to: string,
  since: string,
): Promise<Activity[]> {
  const items = await activitiesByTime([utcInstant(from), utcInstant(to)]);
  const changed = (at: unknown) => typeof at === 'string' && at >= since;
  // An item without its arrival time (written by hand, not by ingestion) counts as changed.
  return items
    .filter(
      (item) =>
        item.receivedAt === undefined || changed(item.receivedAt) || changed(item.changedAt),
    )
    .map(activityOf);
}

/** Every stored activity, oldest first. */
export async function allActivities(): Promise<Activity[]> {
  return (await activitiesByTime()).map(activityOf);
}

/**
 * Every stored activity, oldest first, with only what resolving members reads of it (SPEC §1: no
 * title, url or arrival time), and each identity, name, account, type and status text shared by
 * every activity that has it: the whole read of a first run (or a zone change) in a fraction of
 * `allActivities`' memory (`npm run bench:members`).
 */
export async function activitiesToResolve(): Promise<Activity[]> {
  const texts = new Map<string, string>();
  const shared = (text: string): string => {
    const seen = texts.get(text);
    if (seen !== undefined) return seen;
    texts.set(text, text);
    return text;
  };
  const shards = await pMap(keys.activityTimePartitions(), (partition) =>
    queryEach(partition, { index: 'gsi1', projection: resolvedFields }, (item) => ({
      key: item.gsi1sk as string,
      activity: resolvedActivity(item, shared),
    })),
  );
  // Each shard is in order: merged by sort key, code-unit order as DynamoDB orders them.
  const merged = shards.flat();
  merged.sort((a, b) => (a.key < b.key ? -1 : a.key === b.key ? 0 : 1));
  return merged.map(({ activity }) => activity);
}

/** The attributes `activitiesToResolve` reads. */
const resolvedFields = [
  'gsi1sk',
  'activityId',
  'type',
  'occurredAt',
  'status',
  'identities',
  'name',
  'accountId',
] as const;

function resolvedActivity(
  item: Record<string, unknown>,
  shared: (text: string) => string,
): Activity {
  const { activityId, type, occurredAt, status, identities, name, accountId } =
    item as unknown as Activity;
  return {
    activityId,
    type: shared(type) as Activity['type'],
    occurredAt,
    status: shared(status) as Activity['status'],
    identities: identities.map((identity) => shared(identity) as IdentityKey),
    ...(name === undefined ? {} : { name: shared(name) }),
    ...(accountId === undefined ? {} : { accountId: shared(accountId) }),
  };
}

/** A stored activity with when it first arrived (SPEC §7 `GET /activities` rows). */
export interface ActivityRecord {
  readonly activity: Activity;
  readonly receivedAt: string;
}

const recordOf = (item: Record<string, unknown>): ActivityRecord => ({
  activity: activityOf(item),
  receivedAt: item.receivedAt as string,
});

/** An activity's place in the time order: `sortableInstant(occurredAt)`, then its id. */
export type ActivityPlace = readonly [instant: string, activityId: string];

export interface ActivityPageRequest {
  /** ISO 8601 instants: activities that occurred in `[from, to)`; either end open when absent. */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  /** The page starts after this place (a previous page's `next`). */
  readonly after?: ActivityPlace | undefined;
  /** Which activities the page lists (status, type: SPEC §7 filters). */
  readonly keep: (activity: Activity) => boolean;
  readonly limit: number;
  /**
   * At most this many activities are read, kept or not, so that a filter matching few answers in
   * bounded time: the page is then short, and `next` says where to go on.
   */
  readonly budget: number;
}

/**
 * One page of the stored activities, oldest first at full precision then by id (SPEC §7
 * `GET /activities`): the time index's shards are read in order from `after` and merged, page by
 * page, so a page costs its own size (and what `keep` refused), not the whole history.
 * @returns the page's activities with their arrival, and the place after which the next page
 *   starts: `null` when the range is read to its end.
 */
export async function activityPage(
  request: ActivityPageRequest,
): Promise<{ records: ActivityRecord[]; next: ActivityPlace | null }> {
  const after = request.after ? `${request.after[0]}#${request.after[1]}` : undefined;
  // Sort keys are `<instant>#<id>`: `to`'s own instant sorts before every key that begins with it.
  const range: [string, string] = [
    after ?? (request.from ? utcInstant(request.from) : ' '),
    request.to ? utcInstant(request.to) : '~',
  ];
  const batch = Math.ceil(request.limit / activityShards) + 8;
  const shards = keys
    .activityTimePartitions()
    .map((partition) => queryItems(partition, { index: 'gsi1', between: range }, batch));
  const heads = await Promise.all(shards.map((shard) => shard.next()));
  const records: ActivityRecord[] = [];
  let read = 0;
  let last: string | undefined;
  for (;;) {
    let at = -1;
    heads.forEach((head, i) => {
      const best = heads[at];
      if (
        !head.done &&
        (!best || best.done || String(head.value.gsi1sk) < String(best.value.gsi1sk))
      )
        at = i;
    });
    const head = heads[at];
    if (!head || head.done) return { records, next: null };
    if (records.length === request.limit || read === request.budget) {
      return { records, next: placeOf(String(last)) };
    }
    const item = head.value;
    heads[at] = await (shards[at] as AsyncIterator<Record<string, unknown>>).next();
    if (item.gsi1sk === after) continue;
    read += 1;
    last = String(item.gsi1sk);
    const record = recordOf(item);
    if (request.keep(record.activity)) records.push(record);
  }
}

/** The place a time-index sort key (`<instant>#<activityId>`) names. */
function placeOf(sortKey: string): ActivityPlace {
  const hash = sortKey.indexOf('#');
  return [sortKey.slice(0, hash), sortKey.slice(hash + 1)];
}

/**
 * The content waiting for review (SPEC §7 `GET /activities?status=submitted`), oldest first, with
 * when each first arrived: one query of the sparse `gsi2`, whatever the number of activities.
 */
export async function reviewQueue(): Promise<{ activity: Activity; receivedAt: string }[]> {
  const items = await queryAll(keys.reviewQueuePartition, { index: 'gsi2' });
  return items
    .sort((a, b) => (String(a.gsi2sk) < String(b.gsi2sk) ? -1 : a.gsi2sk === b.gsi2sk ? 0 : 1))
    .map((item) => ({ activity: activityOf(item), receivedAt: item.receivedAt as string }));
}

/**
 * Reads `gsi1` shard by shard. A sort key is `<UTC instant>#<activityId>`, so `BETWEEN from AND
 * to` takes every instant from `from` on and stops just before `to`: the range is half-open.
 */
async function activitiesByTime(range?: [string, string]) {
  const shards = await pMap(keys.activityTimePartitions(), (partition) =>
    queryAll(partition, { index: 'gsi1', ...(range ? { between: range } : {}) }),
  );
  return (
    shards
      .flat()
      // Code-unit order, as DynamoDB orders the keys: `localeCompare` weighs punctuation its own way.
      .sort((a, b) => (String(a.gsi1sk) < String(b.gsi1sk) ? -1 : a.gsi1sk === b.gsi1sk ? 0 : 1))
  );
}

/** Activities by id, as stored; ids without an activity are left out (SPEC §7 one member's). */
export async function activitiesByIds(activityIds: readonly string[]): Promise<Activity[]> {
  const items = await batchGet([...new Set(activityIds)].map((id) => keys.activity(id)));
  return items.map(activityOf);
}

/** Activities by id with their arrival (SPEC §7 one member's `GET /activities`); unordered. */
export async function activityRecordsByIds(
  activityIds: readonly string[],
): Promise<ActivityRecord[]> {
  const items = await batchGet([...new Set(activityIds)].map((id) => keys.activity(id)));
  return items.map(recordOf);
}

/**
 * Which of these identities no activity ever arrived with (SPEC §3 merge: those are 404): an
 * identity's partition holds its links to activities (and, in a table from before links, the
 * identity's own item), so one item read of it answers.
 */
export async function unknownIdentities(
  identities: readonly IdentityKey[],
): Promise<IdentityKey[]> {
  const known = await pMap(
    identities,
    async (identity) => {
      const result = await db().send(
        new QueryCommand({
          TableName: tableName(),
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.identityPartition(identity) },
          ProjectionExpression: 'pk',
          Limit: 1,
        }),
      );
      return (result.Items ?? []).length > 0;
    },
    { concurrency: 8 },
  );
  return identities.filter((_, i) => !known[i]);
}

/** The ids of the activities that arrived with the identity (`keys.identityActivity`), any order. */
export async function activityIdsOfIdentity(identity: IdentityKey): Promise<string[]> {
  const items = await queryAll(keys.identityPartition(identity), {
    between: keys.identityActivityRange,
    projection: ['sk'],
  });
  return items.map((item) => (item.sk as string).slice('ACTIVITY#'.length));
}

/**
 * Records an admin's merge as a fact (SPEC §3): members are derived from activities and merges
 * when computed, so a merge changes the members of every month, and all are marked.
 */
export async function recordMerge(
  identities: readonly IdentityKey[],
  audit: AuditEntry,
): Promise<void> {
  const merged = [...new Set(identities)].sort();
  await writeAudited(
    [
      {
        Put: {
          TableName: tableName(),
          Item: { ...keys.merge(merged), identities: merged, mergedAt: audit.at },
        },
      },
    ],
    audit,
  );
  await touchAllMonths();
}

/** Every explicit merge, with when it was made. */
export async function memberMerges(): Promise<MemberMerge[]> {
  const items = await queryAll(keys.mergesPartition, { projection: ['identities', 'mergedAt'] });
  return items.map((item) => ({
    identities: item.identities as IdentityKey[],
    ...(item.mergedAt ? { mergedAt: item.mergedAt as string } : {}),
  }));
}

/**
 * Sets a year's evangelist program (SPEC §1) with its audit entry; `audit` receives the year's own
 * program before, `null` when it had none. Eligibility of every month may change with it.
 */
export async function putProgram(
  year: number,
  tiers: readonly Tier[],
  audit: (before: readonly Tier[] | null) => AuditEntry,
): Promise<void> {
  await replaceAudited(
    keys.program(year),
    () => ({ year, tiers, updatedAt: new Date().toISOString() }),
    (current) => audit(current ? (current.tiers as Tier[]) : null),
  );
  await touchAllMonths();
}

/** The programs admins have set, by year. */
export async function programs(): Promise<Map<number, Tier[]>> {
  const items = await queryAll(keys.programsPartition, { projection: ['year', 'tiers'] });
  return new Map(items.map((item) => [item.year as number, item.tiers as Tier[]]));
}
