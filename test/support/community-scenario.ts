/**
 * A seeded community history for end-to-end tests (SPEC §1–§3): ~300 people over a fixed past
 * window, known by some of email/GitHub/forum, each activity carrying some of them (with stray case,
 * spaces, `@`), so identities link only across activities; changing affiliations; content
 * recognised late or rejected; New Year's minutes in the zone; identities only an admin merge
 * joins; admin reviews; telemetry making accounts KA. Same seed, same scenario; no clock read.
 */

import {
  type ActivityType,
  CONTENT_TYPES,
  type CommunityActivity,
  type Identities,
  type IdentityKind,
  type Review,
  type Tier,
} from './community-expectations.js';
import { isoWithOffset, monthsFrom, zonedInstant, zoneOffsetMinutes } from './ka-expectations.js';
import { type Random, seededRandom, type TelemetryEvent } from './telemetry-scenario.js';
import { type Delivery, plannedDeliveries } from './webhook-client.js';

export interface Person {
  readonly id: string;
  readonly identities: Identities;
  readonly names: readonly string[];
  readonly split: boolean; // their identities never arrive together: only an admin merge joins them
}

export interface CommunityScenario {
  readonly timezone: string;
  readonly months: readonly string[];
  readonly people: readonly Person[];
  /** Every activity's first delivery; `act-<person id>-<k>`. */
  readonly originals: readonly CommunityActivity[];
  /** Redeliveries moving content from `submitted` to `recognized` or `rejected`. */
  readonly lateReviews: readonly CommunityActivity[];
  /** Copies of old `submitted` deliveries, re-sent after the reviews arrived. */
  readonly staleCopies: readonly CommunityActivity[];
  readonly merges: readonly (readonly Identities[])[];
  readonly reviews: readonly Review[];
  readonly programs: ReadonlyMap<number, readonly Tier[]>;
  readonly telemetry: readonly TelemetryEvent[];
}

/** 2024's own program; 2023 keeps the default and 2025 falls back to this one. */
export const PROGRAM_2024: readonly Tier[] = [
  { id: 'mve', name: 'Most Valuable', minCount: 4, counts: ['talk', 'recognized-content'] },
  { id: 'outstanding', name: 'Outstanding Community Evangelist', minCount: 8, counts: ['talk'] },
  { id: 'helper', name: 'Community Helper', minCount: 20, counts: ['answer'] },
];

const NAMES = ['Ada', 'Grace', 'Linus', 'Mei', 'Hao', 'Priya', 'Omar', 'Sofia', 'Wei', 'Ken'];
const SURNAMES = ['Lovelace', 'Hopper', 'Chen', 'Wang', 'Patel', 'Haddad', 'Rossi', 'Li', 'Zhou'];
/** KA accounts (ka-15…ka-20 have no community members) and accounts that never become KA. */
const KA_ACCOUNTS = Array.from({ length: 20 }, (_, k) => `ka-${String(k + 1).padStart(2, '0')}`);
const AFFILIATIONS = [...KA_ACCOUNTS.slice(0, 14), 'acct-21', 'acct-22', 'acct-23', 'acct-24'];

/** Monthly activity chances by type, per profile, with the profile's share of people. */
type Rates = Partial<Record<ActivityType, number>>;
const PROFILES: [share: number, rates: Rates][] = [
  [45, { 'meetup-attended': 0.06, answer: 0.05, article: 0.02, talk: 0.02 }], // casual
  [30, { talk: 0.1, article: 0.06, video: 0.04, answer: 0.1, 'event-hosted': 0.05 }], // regular
  [10, { talk: 0.9, article: 0.1, course: 0.05, 'meetup-attended': 0.1 }], // speaker
  [7, { article: 0.4, 'case-study': 0.1, video: 0.1, talk: 0.12 }], // writer
  [8, { answer: 2.2, 'event-hosted': 0.1, 'meetup-attended': 0.2 }], // helper: 2+ answers a month
];

const LONE: [ActivityType, { status?: 'rejected' | 'submitted' }][] = [
  ['talk', {}],
  ['talk', {}],
  ['talk', { status: 'rejected' }],
  ['course', { status: 'submitted' }],
];

/** Original statuses: content is mostly pending review; a few talks and answers are rejected. */
const PENDING = [undefined, 'submitted'] as const;
const CONTENT_STATUSES = [...PENDING, ...PENDING, 'recognized', 'rejected'] as const;
const OTHER_STATUSES = [...Array<undefined>(17).fill(undefined), 'rejected', 'submitted'] as const;

/** The same identity as a sender might write it: `  Ada@Example.COM `, `@Ada`, `ADA`. */
function variant(random: Random, kind: IdentityKind, value: string): string {
  const title = value.charAt(0).toUpperCase() + value.slice(1);
  const odd = kind === 'email' ? title.replace('@example.com', '@Example.COM') : `@${title}`;
  return random.pick([value, value, value.toUpperCase(), `  ${title} `, odd]);
}

function person(random: Random, k: number, split: boolean): Person {
  const [name, surname] = [random.pick(NAMES), random.pick(SURNAMES)];
  const email = split || random.chance(0.85);
  const github = split || !email || random.chance(0.7);
  const identities: Identities = {
    ...(email ? { email: `${name}.${surname}.${k}@example.com`.toLowerCase() } : {}),
    ...(github ? { github: `${name}${surname}${k}`.toLowerCase() } : {}),
    ...(random.chance(0.5) ? { forum: `${surname}_${k}`.toLowerCase() } : {}),
  };
  const names = [`${name} ${surname}`, `${name} ${surname[0]}.`];
  return { id: `p${k}`, names, identities, split };
}

const kindsOf = (p: Person) => (Object.keys(p.identities) as IdentityKind[]).sort();

/** The identity subsets of a person's activities: chained so they link only transitively. */
function identitySubsets(random: Random, p: Person, count: number): IdentityKind[][] {
  const kinds = kindsOf(p);
  // A split person's first kind never travels with the others: [email] | [forum, github].
  const groups = p.split ? [kinds.slice(0, 1), kinds.slice(1)] : [kinds];
  const chain = p.split
    ? groups
    : kinds.slice(1).map((kind, i): IdentityKind[] => [kinds[i] ?? kind, kind]);
  return Array.from({ length: count }, (_, i) => {
    const group = random.pick(groups);
    return chain[i] ?? random.shuffle(group).slice(0, random.int(1, group.length));
  });
}

export function communityScenario(seed: number, timezone: string): CommunityScenario {
  const random = seededRandom(seed);
  const months = monthsFrom('2023-01', '2025-06');
  const n = months.length;
  const people = Array.from({ length: 300 }, (_, k) => person(random, k + 1, k % 37 === 5));
  const { telemetry, lastKa } = telemetryEvents(random, months, timezone);
  const instants = new Set<number>();
  /** A fresh instant in month i (or at a given local time), written with some zone offset. */
  const when = (i: number, at?: [day: number, h: number, m: number]) => {
    const [day, h, m] = at ?? [random.int(1, 28), random.int(0, 23), random.int(0, 59)];
    let epoch = zonedInstant(timezone, months[i] ?? '', day, h, m, random.int(0, 59));
    while (instants.has(epoch)) epoch += 1000;
    instants.add(epoch);
    return isoWithOffset(epoch, random.pick([zoneOffsetMinutes(epoch, timezone), 0, -300, 330]));
  };
  const originals: CommunityActivity[] = [];
  const lateReviews: CommunityActivity[] = [];
  const staleCopies: CommunityActivity[] = [];
  const profiles = PROFILES.flatMap(([share, rates]) => Array<Rates>(share).fill(rates));
  for (const p of people) {
    const rates = random.pick(profiles);
    const start = random.int(0, n - 4);
    const end = random.int(start + 3, n - 1);
    const slots: { type: ActivityType; i: number; occurredAt: string }[] = [];
    const add = (type: ActivityType, i: number, at?: [number, number, number]) =>
      slots.push({ type, i, occurredAt: when(i, at) });
    for (let i = start; i <= end; i++) {
      for (const [type, rate] of Object.entries(rates) as [ActivityType, number][]) {
        for (let r = rate; r > 0; r--) if (random.chance(Math.min(r, 1))) add(type, i);
      }
    }
    // A minute either side of New Year in the zone (the one in 2022 counts for no year asked).
    for (const january of [0, 12, 24]) {
      if (random.chance(0.15) && january >= start - 3 && january <= end + 3) {
        const type = random.pick<ActivityType>(['talk', 'answer', 'article']);
        add(type, january, [0, 23, 59]);
        add(type, january, [1, 0, 1]);
      }
    }
    // Enough activities for the person's chain of identities to appear.
    while (slots.length < (p.split ? 2 : kindsOf(p).length - 1) || slots.length === 0)
      add('meetup-attended', random.int(start, end));
    const affiliations = random.chance(0.45)
      ? []
      : random.shuffle(AFFILIATIONS).slice(0, random.int(1, 2));
    const turn = random.int(start, end);
    const subsets = identitySubsets(random, p, slots.length);
    random.shuffle(slots).forEach((slot, k) => {
      const accountId = affiliations[slot.i >= turn ? affiliations.length - 1 : 0];
      const subset = subsets[k] ?? [];
      const member = {
        ...Object.fromEntries(
          subset.map((kind) => [kind, variant(random, kind, p.identities[kind] ?? '')]),
        ),
        ...(random.chance(0.6) ? { name: random.pick(p.names) } : {}),
        ...(accountId !== undefined && random.chance(0.6) ? { accountId } : {}),
      };
      const activityId = `act-${p.id}-${k}`;
      const content = CONTENT_TYPES.includes(slot.type);
      const status = random.pick(content ? CONTENT_STATUSES : OTHER_STATUSES);
      const original: CommunityActivity = {
        activityId,
        type: slot.type,
        member,
        occurredAt: slot.occurredAt,
        ...(status === undefined ? {} : { status }),
        title: `${slot.type} ${k} of ${p.id}`,
      };
      originals.push(original);
      if (content && (status ?? 'submitted') === 'submitted' && random.chance(0.65)) {
        const review = random.chance(0.85) ? 'recognized' : 'rejected';
        lateReviews.push({ ...original, status: review, title: `${original.title} (reviewed)` });
        if (random.chance(0.5)) staleCopies.push(original);
      }
    });
  }
  const reviews = pickReviews(random, originals, lateReviews);
  // The lone members of KA accounts, active once near the account's last KA month M: a talk in the
  // first minute of M-11 (a champion in M), in the last of M-12 (not), a rejected talk and a
  // pending course in M (neither), in the zone.
  for (const [k, accountId] of ['ka-15', 'ka-16', 'ka-17', 'ka-18'].entries()) {
    const m = (lastKa.get(accountId) ?? 0) - (k < 2 ? 11 : 0);
    const occurredAt = when(m, k === 1 ? [0, 23, 59] : [1, 0, 0]);
    const [type, status] = LONE[k] ?? ['talk', undefined];
    const member = { email: `Lone.${k}@example.com`, accountId };
    originals.push({ activityId: `act-lone${k}-0`, type, member, occurredAt, ...status });
  }
  const others = random.shuffle(people.filter((p) => !p.split && kindsOf(p).length >= 2));
  const merges: Identities[][] = [
    // A split person's two sides: [email] and [forum, github].
    ...people.filter((p) => p.split).map((p) => [identity(random, p, 0), identity(random, p, -1)]),
    // Two pairs of people who are one human with two accounts.
    [identity(random, others[0], 0), identity(random, others[1], -1)],
    [identity(random, others[2], -1), identity(random, others[3], 0)],
    // Two identities already of one member: nothing changes.
    [identity(random, others[4], 0), identity(random, others[4], 1)],
  ];
  return {
    timezone,
    months,
    people,
    originals,
    lateReviews,
    staleCopies,
    merges,
    reviews,
    programs: new Map([[2024, PROGRAM_2024]]),
    telemetry,
  };
}

/** The person's identity of the `at`-th kind (negative: from the end), as an admin types it. */
function identity(random: Random, p: Person | undefined, at: number): Identities {
  if (p === undefined) throw new Error('the scenario has too few people to merge');
  const kind = kindsOf(p).at(at) ?? 'email';
  return { [kind]: variant(random, kind, p.identities[kind] ?? '') };
}

/** Admin reviews: some pending content recognised, some recognised or talks rejected, and back. */
function pickReviews(random: Random, originals: CommunityActivity[], late: CommunityActivity[]) {
  const reviewed = new Set(late.map((a) => a.activityId));
  const of = (test: (a: CommunityActivity) => boolean, count: number, status: Review['status']) =>
    random
      .shuffle(originals.filter(test))
      .slice(0, count)
      .map((a) => ({ activityId: a.activityId, status }));
  const pending = (a: CommunityActivity) =>
    (a.status ?? 'submitted') === 'submitted' && !reviewed.has(a.activityId);
  return [
    ...of((a) => a.type === 'article' && pending(a), 8, 'recognized'),
    ...of((a) => a.type === 'video' && a.status === 'recognized', 3, 'rejected'),
    ...of((a) => a.type === 'talk' && a.status === undefined, 3, 'rejected'),
    ...of((a) => a.type === 'course' && a.status === 'rejected', 2, 'recognized'),
    ...of((a) => a.type === 'answer' && a.status === undefined, 2, 'rejected'),
    ...of((a) => a.type === 'case-study' && a.status === 'recognized', 1, 'submitted'),
  ];
}

/** One production cluster per account, one snapshot a month: ≥ 50 nodes in its KA months. */
function telemetryEvents(random: Random, months: readonly string[], timezone: string) {
  const lastKa = new Map<string, number>();
  const telemetry = [...KA_ACCOUNTS, ...AFFILIATIONS.slice(14)].flatMap((accountId) => {
    const start = random.int(2, months.length - 6);
    const end = random.int(Math.max(start + 2, 14), months.length - 1);
    const dip = random.chance(0.3) ? random.int(start, end - 1) : -1;
    return months.map((month, i): TelemetryEvent => {
      const ka = accountId.startsWith('ka-') && i >= start && i <= end && i !== dip;
      if (ka) lastKa.set(accountId, i);
      const reportedAt = isoWithOffset(zonedInstant(timezone, month, 15, 12), 480);
      const nodes = ka ? random.int(50, 180) : random.int(5, 49);
      return {
        clusterId: `${accountId}.main`,
        accountId,
        environment: 'production',
        nodes,
        reportedAt,
      };
    });
  });
  return { telemetry, lastKa };
}

/** Batches of at most 200 (~180 plus copies of ~10% of the items from other batches). */
const BATCHING = { batchSize: 180, maxBatch: 200, duplicateShare: 0.1 };

/** Deliveries in three phases, each a list of waves of batches sent concurrently. */
export function communityDeliveries(scenario: CommunityScenario, seed: number) {
  const random = seededRandom(seed);
  const plan = (items: readonly CommunityActivity[], idPrefix: string, redeliveryShare: number) =>
    plannedDeliveries(items, random, { ...BATCHING, idPrefix, redeliveryShare });
  const waves = (all: readonly Delivery<CommunityActivity>[]) =>
    Array.from({ length: Math.ceil(all.length / 4) }, (_, w) => all.slice(4 * w, 4 * w + 4));
  const first = plan(scenario.originals, `msg_community_${seed}`, 0.1);
  const late = plan(scenario.lateReviews, `msg_review_${seed}`, 0);
  const stale = plan(scenario.staleCopies, `msg_stale_${seed}`, 0);
  return [
    waves(first.filter((d) => !d.redelivery)),
    waves(late),
    waves([...stale, ...first.filter((d) => d.redelivery)]),
  ];
}
