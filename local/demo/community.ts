/**
 * The demo's community (SPEC §1 "members", "evangelist program", "champion coverage"): a few hundred
 * members joining at a growing pace, each with a habit (casual, regular, speaker, writer, helper);
 * half of them work at an account, often one that becomes a key account in the months after they
 * showed up — the flywheel the report is about. Content is delivered as `submitted` and the
 * committee's verdict arrives later as a redelivery (`recognized` mostly, some `rejected`, the
 * latest still pending). The program gets stricter every year while the community outgrows it.
 */
import { type Month, yearOf } from '../../lambdas/domain/month.js';
import type { DemoAccount } from './company.js';
import { personName, slug, title } from './names.js';
import { type Random, seededRandom } from './random.js';
import { instantIn } from './timeline.js';

export type ActivityType =
  | 'talk'
  | 'article'
  | 'case-study'
  | 'video'
  | 'course'
  | 'answer'
  | 'event-hosted'
  | 'meetup-attended';

/** One item of `POST /webhooks/community` (SPEC §2). */
export interface CommunityActivity {
  readonly activityId: string;
  readonly type: ActivityType;
  readonly member: {
    readonly email?: string;
    readonly github?: string;
    readonly forum?: string;
    readonly name?: string;
    readonly accountId?: string;
  };
  readonly occurredAt: string;
  readonly status?: 'submitted' | 'recognized' | 'rejected';
  readonly title?: string;
  readonly url?: string;
}

export interface ProgramTier {
  readonly id: string;
  readonly name: string;
  readonly minCount: number;
  readonly counts: readonly string[];
}

type Habit = 'casual' | 'regular' | 'speaker' | 'writer' | 'helper';

export interface DemoMember {
  readonly key: string;
  readonly name: string;
  readonly habit: Habit;
  readonly joined: number;
  /** Affiliation per month index (a few change jobs); `undefined` when not affiliated. */
  readonly accountAt: (i: number) => string | undefined;
}

export interface CommunityStory {
  readonly members: readonly DemoMember[];
  /** Every activity's first delivery. */
  readonly activities: readonly CommunityActivity[];
  /** The content committee's verdicts: the same activities again, with their new status. */
  readonly reviews: readonly CommunityActivity[];
  /** `PUT /admin/programs/{year}` bodies; the first year keeps the default program. */
  readonly programs: readonly { year: number; tiers: readonly ProgramTier[] }[];
}

export interface CommunityOptions {
  readonly seed: number;
  readonly months: readonly Month[];
  readonly timeZone: string;
  readonly accounts: readonly DemoAccount[];
}

const HABITS: readonly (readonly [Habit, number])[] = [
  ['casual', 45],
  ['regular', 28],
  ['speaker', 10],
  ['writer', 9],
  ['helper', 8],
];

/** Expected activities a month, by habit and type. */
const RATES: Record<Habit, Partial<Record<ActivityType, number>>> = {
  casual: { 'meetup-attended': 0.08, answer: 0.06, article: 0.02, talk: 0.015 },
  regular: {
    talk: 0.1,
    article: 0.06,
    video: 0.03,
    answer: 0.12,
    'meetup-attended': 0.08,
    'event-hosted': 0.03,
  },
  speaker: { talk: 0.9, article: 0.1, course: 0.03, 'meetup-attended': 0.1, 'event-hosted': 0.05 },
  writer: { article: 0.4, 'case-study': 0.08, video: 0.08, talk: 0.15, answer: 0.05 },
  helper: { answer: 2.3, 'event-hosted': 0.1, 'meetup-attended': 0.2, article: 0.03 },
};

const CONTENT: readonly ActivityType[] = ['article', 'case-study', 'video', 'course'];
const CITIES = ['Shanghai', 'Beijing', 'Singapore', 'Berlin', 'Austin', 'Bangalore', 'Tokyo'];

const tiers = (mve: number, outstanding: number, helper?: number): ProgramTier[] => [
  {
    id: 'mve',
    name: 'Most Valuable Evangelist',
    minCount: mve,
    counts: ['talk', 'recognized-content'],
  },
  {
    id: 'outstanding',
    name: 'Outstanding Community Evangelist',
    minCount: outstanding,
    counts: ['talk'],
  },
  ...(helper
    ? [{ id: 'helper', name: 'Community Helper', minCount: helper, counts: ['answer'] }]
    : []),
];

/** Where a member joining in month `t` works: often an account about to become KA. */
function affiliation(random: Random, accounts: readonly DemoAccount[], t: number) {
  const reporting = accounts.filter((a) => a.totals[t] !== undefined || (a.kaFrom ?? -99) > t);
  const weight = (a: DemoAccount) =>
    a.kaFrom !== undefined && a.kaFrom >= t - 3 && a.kaFrom <= t + 12
      ? 4 // in the community before (or as) their company goes to production at scale
      : a.kind === 'key'
        ? 1
        : 0.5;
  return random.weighted(reporting.map((a) => [a.accountId, weight(a)] as const));
}

function members(random: Random, accounts: readonly DemoAccount[], n: number): DemoMember[] {
  const taken = new Set<string>();
  const result: DemoMember[] = [];
  for (let t = 0; t < n; t++) {
    const joining = t === 0 ? 50 : Math.round(4 + 10 * (t / n) ** 1.5 + random.int(-1, 1));
    for (let k = 0; k < joining; k++) {
      const name = personName(random);
      let key = slug(name);
      for (let suffix = 2; taken.has(key); suffix++) key = `${slug(name)}${suffix}`;
      taken.add(key);
      const first = random.chance(0.6) ? affiliation(random, accounts, t) : undefined;
      const moves = first !== undefined && random.chance(0.08) ? random.int(t + 2, n + 6) : n;
      const second = moves < n ? affiliation(random, accounts, moves) : undefined;
      result.push({
        key,
        name,
        habit: random.weighted(HABITS),
        joined: t,
        accountAt: (i) => (i >= moves ? second : first),
      });
    }
  }
  return result;
}

/** The identities an activity of this type carries: every kind carries the GitHub handle. */
function memberOf(m: DemoMember, type: ActivityType, i: number): CommunityActivity['member'] {
  const accountId = m.accountAt(i);
  const [first, ...rest] = m.key.split('-');
  const email = `${first}.${rest.join('-')}@${accountId ? `${accountId}.example` : 'mail.example'}`;
  if (type === 'answer') return { github: m.key, forum: m.key.replace(/-/g, '_'), name: m.name };
  return { email, github: m.key, name: m.name, ...(accountId ? { accountId } : {}) };
}

function activity(
  random: Random,
  m: DemoMember,
  type: ActivityType,
  i: number,
  ordinal: number,
  context: { months: readonly Month[]; timeZone: string; names: ReadonlyMap<string, string> },
): CommunityActivity {
  const month = context.months[i] as Month;
  const id = `${m.key}:${month}:${ordinal}`;
  const company = context.names.get(m.accountAt(i) ?? '');
  const city = random.pick(CITIES);
  const label =
    type === 'answer'
      ? undefined
      : type === 'meetup-attended' || type === 'event-hosted'
        ? `${city} user group meetup`
        : title(random, type, type === 'case-study' ? (company ?? 'our team') : company);
  return {
    activityId: `${type}:${id}`,
    type,
    member: memberOf(m, type, i),
    occurredAt: instantIn(month, random.next(), context.timeZone),
    ...(label ? { title: label } : {}),
    url: `https://community.example.com/${type}/${id.replace(/:/g, '-')}`,
  };
}

/** The committee's verdict on a piece from month `i` of `n`: the latest are still pending. */
function verdict(random: Random, i: number, n: number): 'recognized' | 'rejected' | undefined {
  const pending = i >= n - 1 ? 0.5 : i >= n - 3 ? 0.15 : 0;
  if (random.chance(pending)) return undefined;
  return random.chance(0.83) ? 'recognized' : 'rejected';
}

export function communityStory({
  seed,
  months,
  timeZone,
  accounts,
}: CommunityOptions): CommunityStory {
  const random = seededRandom(seed, 'community');
  const n = months.length;
  const people = members(random, accounts, n);
  const names = new Map(accounts.map((a) => [a.accountId, a.name]));
  const context = { months, timeZone, names };
  const activities: CommunityActivity[] = [];
  const reviews: CommunityActivity[] = [];
  for (const m of people) {
    // Casual members drift away; the others stay.
    const leaves = m.habit === 'casual' ? m.joined + random.int(3, 24) : n;
    for (let i = m.joined; i < Math.min(leaves, n); i++) {
      const busier = 0.8 + (0.4 * i) / n; // a growing community is a busier one
      let ordinal = 0;
      for (const [type, rate] of Object.entries(RATES[m.habit]) as [ActivityType, number][]) {
        const expected = rate * busier;
        const count = Math.floor(expected) + (random.chance(expected % 1) ? 1 : 0);
        for (let k = 0; k < count; k++) {
          const item = activity(random, m, type, i, ++ordinal, context);
          activities.push(item);
          const status = CONTENT.includes(type) ? verdict(random, i, n) : undefined;
          if (status) reviews.push({ ...item, status });
        }
      }
    }
  }
  const lastYear = yearOf(months[n - 1] as Month);
  const programs = [
    { year: lastYear - 1, tiers: tiers(4, 10, 20) },
    { year: lastYear, tiers: tiers(5, 11, 24) },
  ];
  return { members: people, activities, reviews, programs };
}
