/**
 * Issue #10's domain kinds, each with its example and the variants found: instants ordered below
 * the millisecond wherever the domain orders them, and identities compared in one Unicode form.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Activity, IdentityKey } from '../../lambdas/domain/community.js';
import { normalizeIdentity, resolveMembers } from '../../lambdas/domain/identities.js';
import { latestSnapshotWins, snapshotRank } from '../../lambdas/domain/ka.js';
import { monthOf } from '../../lambdas/domain/month.js';

const snapshot = (reportedAt: string, nodes: number) => ({
  clusterId: 'c-1',
  environment: 'production' as const,
  nodes,
  reportedAt,
  eventId: `c-1@${reportedAt}`,
});

describe('snapshots within one millisecond', () => {
  const earlier = snapshot('2012-09-10T10:00:00.0001Z', 60);
  const later = snapshot('2012-09-10T10:00:00.0009Z', 10);

  it('keep the later one as the month value, in either order (issue #10 example)', () => {
    expect(latestSnapshotWins(earlier, later)).toBe(later);
    expect(latestSnapshotWins(later, earlier)).toBe(later);
    expect(snapshotRank(later) > snapshotRank(earlier)).toBe(true);
  });

  it('rank a snapshot at a whole millisecond below one just after it, whatever the zone form', () => {
    const whole = snapshot('2012-09-10T15:30:00.000+0530', 99);
    const after = snapshot('2012-09-10T10:00:00.000000001Z', 1);
    expect(latestSnapshotWins(whole, after)).toBe(after);
  });

  it('rank as before for instants without sub-millisecond digits (stored ranks stay valid)', () => {
    // The rank format of the first version: 17 digits of ms + 8.64e15, then `.nodes`.
    const at = '2012-09-10T10:00:00.123Z';
    const old = `${String(Date.parse(at) + 8.64e15).padStart(17, '0')}.${'60'.padStart(16, '0')}`;
    expect(snapshotRank(snapshot(at, 60)).startsWith(old)).toBe(true);
  });

  it('put offsets without a colon or minutes into the right month', () => {
    expect(monthOf('2012-12-01T03:00+0530', 'UTC')).toBe('2012-11');
    expect(monthOf('2012-12-01T03:00+05', 'UTC')).toBe('2012-11');
    expect(monthOf('2012-11-30T23:00-02', 'UTC')).toBe('2012-12');
  });
});

const activity = (activityId: string, occurredAt: string, fields: Partial<Activity>): Activity => ({
  activityId,
  type: 'talk',
  occurredAt,
  status: 'delivered',
  identities: ['github:ada' as IdentityKey],
  ...fields,
});

describe('activities within one millisecond', () => {
  it('give the member the name and affiliation of the later one, whatever the ids', () => {
    const members = resolveMembers(
      [
        activity('z-first', '2026-03-01T10:00:00.0009Z', { name: 'Later', accountId: 'beta' }),
        activity('a-second', '2026-03-01T10:00:00.0001Z', { name: 'Earlier', accountId: 'acme' }),
      ],
      [],
    );
    expect(members.members[0]).toMatchObject({ name: 'Later', accountId: 'beta' });
    expect(members.members[0]?.activities.map((a) => a.activityId)).toEqual([
      'a-second',
      'z-first',
    ]);
  });
});

describe('identities in one Unicode form (SPEC §1)', () => {
  const nfc = 'jos\u00e9';
  const nfd = 'jose\u0301';

  it.each(['forum', 'github'] as const)(
    'make josé typed as NFC and NFD one %s identity',
    (kind) => {
      expect(normalizeIdentity(kind, nfd)).toBe(normalizeIdentity(kind, nfc));
    },
  );

  it('make josé typed two ways one email local part', () => {
    expect(normalizeIdentity('email', `${nfd}@example.com`)).toBe(
      normalizeIdentity('email', `${nfc}@example.com`),
    );
  });

  it('compare email domains in their ASCII form', () => {
    expect(normalizeIdentity('email', 'Ada@BÜCHER.example')).toBe(
      'email:ada@xn--bcher-kva.example',
    );
    expect(normalizeIdentity('email', 'ada@xn--bcher-kva.example')).toBe(
      'email:ada@xn--bcher-kva.example',
    );
    expect(normalizeIdentity('email', 'ada@bu\u0308cher.example')).toBe(
      'email:ada@xn--bcher-kva.example',
    );
  });

  it('join the activities of josé typed two ways into one member', () => {
    const members = resolveMembers(
      [
        activity('a', '2026-03-01T10:00:00Z', { identities: [normalizeIdentity('forum', nfc)] }),
        activity('b', '2026-03-02T10:00:00Z', { identities: [normalizeIdentity('forum', nfd)] }),
      ],
      [],
    );
    expect(members.members).toHaveLength(1);
  });

  it('are the same whichever Unicode normal form a value arrives in (property)', () => {
    // Canonical forms only: NFKC/NFKD fold compatibility characters, which SPEC §1 keeps apart.
    const forms = ['NFC', 'NFD'] as const;
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
        fc.constantFrom(...forms),
        fc.constantFrom('forum', 'github', 'email'),
        (value, form, kind) => {
          const written = kind === 'email' ? `${value}@example.com` : value;
          expect(normalizeIdentity(kind, written.normalize(form))).toBe(
            normalizeIdentity(kind, written.normalize('NFC')),
          );
        },
      ),
    );
  });
});
