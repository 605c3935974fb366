/**
 * Webhook items for the fuzz (SPEC §2): valid ones, built to pass every rule, and mutations of
 * them — a field set to a hostile value or removed, pollution keys, a skewed instant — so that
 * fuzzed deliveries reach the per-item validation and the store, not just the envelope check.
 */
import fc from 'fast-check';
import {
  hostileValue,
  identifier,
  isoAt,
  pollutionPayload,
  protoKeys,
  withKey,
  zoneOffset,
} from './fuzz.js';
import { activityTypes, environments } from './spec-schemas.js';

export type Item = Record<string, unknown>;

export interface Source {
  readonly name: 'telemetry' | 'community';
  readonly envelopeKey: 'events' | 'activities';
  readonly instantField: 'reportedAt' | 'occurredAt';
  readonly fields: readonly string[];
  /** The id a stored fact of this item carries (SPEC §2 defaults included). */
  idOf(item: Item): string;
}

export const telemetry: Source = {
  name: 'telemetry',
  envelopeKey: 'events',
  instantField: 'reportedAt',
  fields: [
    'eventId',
    'clusterId',
    'accountId',
    'environment',
    'nodes',
    'components',
    'reportedAt',
    'version',
  ],
  idOf: (item) =>
    typeof item.eventId === 'string' ? item.eventId : `${item.clusterId}@${item.reportedAt}`,
};

export const community: Source = {
  name: 'community',
  envelopeKey: 'activities',
  instantField: 'occurredAt',
  fields: ['activityId', 'type', 'member', 'occurredAt', 'status', 'title', 'url'],
  idOf: (item) => String(item.activityId),
};

/** An instant SPEC §2 accepts — 2000 to 4 minutes from now — written with some offset. */
export const validInstant = fc
  .tuple(
    fc.oneof(
      fc.integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: Date.now() }),
      fc.integer({ min: Date.now() - 3 * 86_400_000, max: Date.now() + 4 * 60_000 }),
    ),
    zoneOffset,
  )
  .map(([at, offset]) => isoAt(at, offset));

/** Sizes are in code points, and a string's length in UTF-16 units may be twice that. */
const unicode = (maxPoints: number) =>
  fc.string({ unit: 'binary', minLength: 1, maxLength: maxPoints });

/** Any name a sender might use, `constructor` and other prototype names included. */
const componentName = fc.string({ minLength: 1, maxLength: 64 });

export const validTelemetryItem: fc.Arbitrary<Item> = fc
  .record(
    {
      eventId: unicode(64),
      clusterId: identifier,
      accountId: identifier,
      environment: fc.constantFrom(...environments),
      nodes: fc.integer({ min: 0, max: 100_000 }),
      components: fc.dictionary(componentName, fc.integer({ min: 0, max: 1_000 }), { maxKeys: 5 }),
      reportedAt: validInstant,
      version: fc.string({ maxLength: 64 }),
    },
    { requiredKeys: ['clusterId', 'environment', 'reportedAt'] },
  )
  .map((item) =>
    item.nodes === undefined && item.components === undefined ? { ...item, nodes: 0 } : item,
  );

/** Addresses zod's email rule accepts, in the case and spacing senders use. */
const email = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,15}[a-z0-9]$/).filter((l) => !l.includes('..')),
    fc.stringMatching(/^[a-z0-9]{1,12}$/),
    fc.constantFrom('com', 'org', 'io', 'example'),
    fc.constantFrom(
      (s: string) => s,
      (s: string) => s.toUpperCase(),
      (s: string) => ` ${s} `,
    ),
  )
  .map(([local, domain, tld, variant]) => variant(`${local}@${domain}.${tld}`));

const member = fc
  .record(
    {
      email,
      github: fc.stringMatching(/^@?[A-Za-z0-9-]{1,39}$/),
      forum: unicode(100).filter((forum) => forum.trim() !== ''),
      name: fc.string({ unit: 'grapheme', maxLength: 50 }),
      accountId: identifier,
    },
    { requiredKeys: [] },
  )
  .filter((m) => m.email !== undefined || m.github !== undefined || m.forum !== undefined);

export const validCommunityItem: fc.Arbitrary<Item> = fc.record(
  {
    activityId: unicode(256),
    type: fc.constantFrom(...activityTypes),
    member,
    occurredAt: validInstant,
    status: fc.constantFrom('submitted', 'recognized', 'rejected'),
    title: fc.string({ maxLength: 500 }),
    url: fc
      .tuple(fc.constantFrom('http', 'https'), fc.domain(), fc.webPath())
      .map(([scheme, host, path]) => `${scheme}://${host}${path}`)
      .filter((url) => url.length <= 2000),
  },
  { requiredKeys: ['activityId', 'type', 'member', 'occurredAt'] },
);

type Mutation =
  | { kind: 'set'; key: string; value: unknown }
  | { kind: 'delete'; key: string }
  | { kind: 'member'; key: string; value: unknown }
  | { kind: 'skew'; seconds: number }
  | { kind: 'pollute' }
  | { kind: 'replace'; value: unknown };

const mutation = (source: Source): fc.Arbitrary<Mutation> => {
  const key = fc.constantFrom(...source.fields, ...protoKeys, 'unknownField');
  return fc.oneof(
    fc.record({ kind: fc.constant('set' as const), key, value: hostileValue }),
    fc.record({ kind: fc.constant('delete' as const), key }),
    fc.record({
      kind: fc.constant('member' as const),
      key: fc.constantFrom('email', 'github', 'forum', 'name', 'accountId', ...protoKeys),
      value: hostileValue,
    }),
    // Timestamp skew: days in the past are fine, more than 5 minutes ahead is not (SPEC §2).
    fc.record({
      kind: fc.constant('skew' as const),
      seconds: fc.integer({ min: -30 * 86_400, max: 7_200 }),
    }),
    fc.constant({ kind: 'pollute' as const }),
    fc.record({ kind: fc.constant('replace' as const), value: hostileValue }),
  );
};

function apply(source: Source, item: unknown, m: Mutation): unknown {
  if (m.kind === 'replace') return m.value;
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return item;
  const record = item as Item;
  switch (m.kind) {
    case 'set':
      return withKey(record, m.key, m.value);
    case 'delete': {
      const { [m.key]: _gone, ...rest } = record;
      return rest;
    }
    case 'member': {
      const target = typeof record.member === 'object' && record.member ? record.member : {};
      return withKey(record, 'member', withKey(target, m.key, m.value));
    }
    case 'skew':
      return withKey(record, source.instantField, isoAt(Date.now() + m.seconds * 1000, 60));
    case 'pollute':
      return { ...record, ...pollutionPayload() };
  }
}

/** A delivery's items: each valid as built, or that with one to three mutations. */
export function itemsOf(source: Source) {
  const valid = source.name === 'telemetry' ? validTelemetryItem : validCommunityItem;
  const entry = fc.oneof(
    valid.map((item) => ({ item: item as unknown, pristine: true })),
    fc
      .tuple(valid, fc.array(mutation(source), { minLength: 1, maxLength: 3 }))
      .map(([item, mutations]) => ({
        item: mutations.reduce<unknown>((acc, m) => apply(source, acc, m), item),
        pristine: false,
      })),
  );
  return fc.array(entry, { minLength: 1, maxLength: 6 });
}
