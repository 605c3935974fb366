/**
 * Bad input at every webhook (issue item 2, SPEC §2, §11): fuzzed signed deliveries reach the
 * envelope and item validation and must get a 202 that accounts for every item, or a JSON 4xx;
 * tampered or stale signatures must get a 401. GitHub's and Discourse's deliveries are fuzzed in
 * their own formats: a counted event with a field it reads changed, replayed, huge or malformed.
 * Afterwards every stored fact is read back through the store modules and held to SPEC §2 by
 * independent schemas, and no prototype was polluted.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allActivities } from '../../lambdas/store/community-store.js';
import { scanSnapshotSegment } from '../../lambdas/store/rebuild-store.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';
import {
  type Answer,
  expectJsonError,
  expectSafe,
  fuzzOptions,
  fuzzTimeout,
  hostileText,
  hostileValue,
  jsonOf,
  pollutionPayload,
  send,
  summary,
  withKey,
} from './support/fuzz.js';
import {
  discourse as discourseSender,
  fuzzedDelivery,
  github as githubSender,
  type Sender,
  tamperedSender,
} from './support/sender-items.js';
import { storedActivity, storedSnapshot } from './support/spec-schemas.js';
import { type Signed, sign, tampering } from './support/tampering.js';
import {
  community,
  type Item,
  itemsOf,
  type Source,
  telemetry,
  validTelemetryItem,
} from './support/webhook-items.js';

let system: TestSystem;
/** Ids of the items each webhook answered as stored: exactly these facts may exist afterwards. */
const accepted = { telemetry: new Set<string>(), community: new Set<string>() };
const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

beforeAll(async () => {
  system = await startTestSystem();
});

afterAll(async () => {
  console.log(summary('webhook-fuzz'));
  await system?.stop();
});

const secretOf = (source: Source) =>
  source.name === 'telemetry' ? system.secrets.telemetrySecret : system.secrets.communitySecret;
const urlOf = (source: Source) => `${system.apiUrl}/webhooks/${source.name}`;

const skewed = (seconds: number) => new Date(Date.now() + seconds * 1000);

function post(source: Source, body: string, headers: Partial<Signed>): Promise<Answer> {
  return send(urlOf(source), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(headers.id === undefined ? {} : { 'webhook-id': headers.id }),
      ...(headers.timestamp === undefined ? {} : { 'webhook-timestamp': headers.timestamp }),
      ...(headers.signature === undefined ? {} : { 'webhook-signature': headers.signature }),
    },
    body,
  });
}

const deliver = (source: Source, body: string) => post(source, body, sign(secretOf(source), body));

interface Counts {
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: { index: number; error: string }[];
}

/**
 * A 202 accounts for every item (SPEC §2): accepted + duplicates + rejected; items built valid are
 * never rejected; the others' ids are recorded as stored.
 */
function checkAccepted(source: Source, answer: Answer, items: unknown[], pristine: boolean[]) {
  const result = jsonOf(answer) as Counts;
  const context = `${answer.request}\n→ ${answer.text.slice(0, 500)}`;
  expect(result, context).toEqual({
    accepted: expect.any(Number),
    duplicates: expect.any(Number),
    rejected: expect.any(Array),
  });
  expect(result.accepted + result.duplicates + result.rejected.length, context).toBe(items.length);
  const rejected = new Set(result.rejected.map((r) => r.index));
  for (const r of result.rejected)
    expect(r, context).toEqual({ index: expect.any(Number), error: expect.any(String) });
  items.forEach((item, index) => {
    if (pristine[index])
      expect(rejected.has(index), `${context}\nitem ${index} is valid`).toBe(false);
    if (!rejected.has(index)) accepted[source.name].add(source.idOf(item as Item));
  });
}

/** A delivery's envelope, mostly right, sometimes polluted, misnamed or replaced. */
const envelope = (source: Source) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constant((items: unknown[]) => ({ [source.envelopeKey]: items })) },
    {
      weight: 1,
      arbitrary: fc.constant((items: unknown[]) =>
        withKey({ [source.envelopeKey]: items, ...pollutionPayload() }, '__proto__', { x: 1 }),
      ),
    },
    {
      weight: 1,
      arbitrary: hostileValue.map((value) => () => ({ [source.envelopeKey]: value })),
    },
    { weight: 1, arbitrary: hostileValue.map((value) => () => value) },
  );

describe.each([telemetry, community])('POST /webhooks/$name, signed', (source) => {
  it(
    'answers every fuzzed delivery with a 202 accounting for each item, or a JSON 4xx',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          itemsOf(source),
          envelope(source),
          fc.boolean(),
          async (entries, wrap, twice) => {
            const items = entries.map((entry) => entry.item);
            const body = wrap(items);
            const sent = (body as Record<string, unknown> | null)?.[source.envelopeKey];
            const text = JSON.stringify(body);
            // Half the time a sender's retry races the original: each item still counts once.
            const copies = twice
              ? [deliver(source, text), deliver(source, text)]
              : [deliver(source, text)];
            const answers = await Promise.all(copies);
            for (const answer of answers) {
              expectSafe(answer);
              // SPEC §2: over 1 MiB is 413 whatever it holds; a well-formed envelope otherwise 202.
              if (Buffer.byteLength(text) > 1024 * 1024)
                expect(answer.status, answer.request).toBe(413);
              else if (sent === items) expect(answer.status, answer.request).toBe(202);
              if (answer.status === 202 && Array.isArray(sent)) {
                checkAccepted(
                  source,
                  answer,
                  sent,
                  sent === items ? entries.map((e) => e.pristine) : [],
                );
              }
            }
            const counts = answers.filter((a) => a.status === 202).map((a) => jsonOf(a) as Counts);
            if (counts.length === 2 && Array.isArray(sent)) {
              const valid = sent.length - (counts[0]?.rejected.length ?? 0);
              expect(
                counts.reduce((sum, c) => sum + c.accepted, 0),
                answers[0]?.request,
              ).toBeLessThanOrEqual(valid);
            }
          },
        ),
        fuzzOptions(1),
      );
    },
    fuzzTimeout(1),
  );

  it(
    'answers bodies that are not the envelope, too many items or too many bytes with a JSON 4xx',
    async () => {
      const tooMany = fc.constant({
        [source.envelopeKey]: Array.from({ length: 1001 }, () => ({})),
      });
      const tooBig = fc.constant({ [source.envelopeKey]: [], pad: 'x'.repeat(1024 * 1024) });
      const body = fc.oneof(
        hostileText.map((text) => ({ text, status: [400] })),
        tooMany.map((value) => ({ text: JSON.stringify(value), status: [413] })),
        tooBig.map((value) => ({ text: JSON.stringify(value), status: [413] })),
      );
      await fc.assert(
        fc.asyncProperty(body, async ({ text, status }) => {
          const answer = await deliver(source, text);
          expectSafe(answer);
          expect(status, answer.request).toContain(answer.status);
        }),
        fuzzOptions(0.2),
      );
    },
    fuzzTimeout(0.2),
  );
});

describe('both webhooks, tampered', () => {
  it(
    'refuse every tampered, stale or future-dated delivery with a JSON 401',
    async () => {
      const forged = (src: Source, item: Item) =>
        src === telemetry
          ? item
          : {
              activityId: `forged-${src.name}`,
              type: 'talk',
              member: { github: 'x' },
              occurredAt: item.reportedAt,
            };
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(telemetry, community),
          validTelemetryItem,
          tampering,
          async (src, item, tamper) => {
            const keys = {
              own: secretOf(src),
              other: secretOf(src === telemetry ? community : telemetry),
            };
            const { what, body, headers } = tamper(
              keys,
              JSON.stringify({ [src.envelopeKey]: [forged(src, item)] }),
            );
            const answer = await post(src, body, headers);
            expect(answer.status, `${what}: ${answer.request} → ${answer.text}`).toBe(401);
            expectJsonError(answer);
          },
        ),
        fuzzOptions(1),
      );
    },
    fuzzTimeout(1),
  );

  it(
    'accept a delivery signed at any moment within 300 s of the server clock',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          validTelemetryItem,
          fc.integer({ min: -290, max: 290 }),
          async (item, seconds) => {
            const body = JSON.stringify({ events: [item] });
            const answer = await post(
              telemetry,
              body,
              sign(system.secrets.telemetrySecret, body, skewed(seconds)),
            );
            expect(answer.status, `${seconds} s: ${answer.text}`).toBe(202);
            checkAccepted(telemetry, answer, [item], [true]);
          },
        ),
        fuzzOptions(0.1),
      );
    },
    fuzzTimeout(0.1),
  );
});

/** Whether `text` (a leading BOM aside) is a JSON object. */
function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

const senderSecret = (sender: Sender) =>
  sender.name === 'github' ? system.secrets.githubSecret : system.secrets.discourseSecret;

function postSender(sender: Sender, delivery: { headers: Record<string, string>; body: string }) {
  return send(`${system.apiUrl}/webhooks/${sender.name}`, {
    method: 'POST',
    headers: delivery.headers,
    body: delivery.body,
  });
}

describe.each([githubSender, discourseSender])(
  'POST /webhooks/$name, in its own format',
  (sender) => {
    it(
      'answers every fuzzed counted event, replayed or not, with a 202 accounting for it, or a JSON 4xx',
      async () => {
        await fc.assert(
          fc.asyncProperty(fuzzedDelivery(sender), fc.boolean(), async (fuzzed, twice) => {
            const body = JSON.stringify(fuzzed.payload);
            const delivery = sender.sign(senderSecret(sender), fuzzed.event, body);
            // A replay racing the original (SPEC §11: no time is signed): it counts once.
            const answers = await Promise.all(
              twice
                ? [postSender(sender, delivery), postSender(sender, delivery)]
                : [postSender(sender, delivery)],
            );
            const counts: Counts[] = [];
            for (const answer of answers) {
              expectSafe(answer);
              const context = `${fuzzed.what}: ${answer.request}\n→ ${answer.text.slice(0, 500)}`;
              if (fuzzed.pristine) expect(answer.status, context).toBe(202);
              if (answer.status !== 202) continue;
              const result = jsonOf(answer) as Counts;
              expect(result, context).toEqual({
                accepted: expect.any(Number),
                duplicates: expect.any(Number),
                rejected: expect.any(Array),
              });
              // One event is at most one activity; an ignored one counts in none of the three.
              const total = result.accepted + result.duplicates + result.rejected.length;
              expect(total, context).toBeLessThanOrEqual(1);
              if (fuzzed.pristine) expect(result.rejected, context).toEqual([]);
              if (fuzzed.pristine) expect(total, context).toBe(1);
              if (result.accepted + result.duplicates === 1) {
                // Stored under the id SPEC §11 gives it; one store holds every community source.
                accepted.community.add(sender.idOf(fuzzed.event, fuzzed.payload));
              }
              counts.push(result);
            }
            expect(counts.reduce((sum, c) => sum + c.accepted, 0)).toBeLessThanOrEqual(1);
          }),
          fuzzOptions(0.5),
        );
      },
      fuzzTimeout(0.5),
    );

    it(
      'answers bodies that are not JSON objects, or over 1 MiB, with a JSON 400 or 413',
      async () => {
        const counted = sender.name === 'github' ? 'pull_request' : 'post_created';
        const tooBig = JSON.stringify({ action: 'opened', pad: 'x'.repeat(1024 * 1024) });
        // Any JSON object is the sender's payload: 202, its one item counted or rejected, or none.
        const body = fc.oneof(
          hostileText.map((text) => ({ text, status: isJsonObject(text) ? [202] : [400] })),
          fc.constant({ text: tooBig, status: [413] }),
        );
        await fc.assert(
          fc.asyncProperty(body, async ({ text, status }) => {
            const answer = await postSender(
              sender,
              sender.sign(senderSecret(sender), counted, text),
            );
            expectSafe(answer);
            expect(status, answer.request).toContain(answer.status);
          }),
          fuzzOptions(0.2),
        );
      },
      fuzzTimeout(0.2),
    );

    it(
      'refuses every tampered delivery with a JSON 401, and stores none of them',
      async () => {
        const other = sender === githubSender ? discourseSender : githubSender;
        await fc.assert(
          fc.asyncProperty(
            tamperedSender(sender, senderSecret(sender), senderSecret(other)),
            async ({ what, headers, body }) => {
              const answer = await postSender(sender, { headers, body });
              expect(answer.status, `${what}: ${answer.request} → ${answer.text}`).toBe(401);
              expectJsonError(answer);
            },
          ),
          fuzzOptions(0.5),
        );
      },
      fuzzTimeout(0.5),
    );
  },
);

describe('after the fuzz', () => {
  it('holds only valid telemetry facts, exactly those answered as stored', async () => {
    const facts: unknown[] = [];
    await scanSnapshotSegment(0, 1, async (page) => {
      facts.push(...page);
    });
    const invalid = facts.filter((fact) => !storedSnapshot.safeParse(fact).success);
    expect(invalid).toEqual([]);
    const ids = new Set(facts.map((fact) => (fact as { eventId: string }).eventId));
    expect([...ids].filter((id) => !accepted.telemetry.has(id))).toEqual([]);
    expect([...accepted.telemetry].filter((id) => !ids.has(id))).toEqual([]);
  });

  it('holds only valid community facts (GitHub and Discourse too), exactly those answered as stored', async () => {
    const activities = await allActivities();
    const invalid = activities.filter((a) => !storedActivity(false).safeParse(a).success);
    expect(invalid).toEqual([]);
    const ids = new Set(activities.map((activity) => activity.activityId));
    expect([...ids].filter((id) => !accepted.community.has(id))).toEqual([]);
    expect([...accepted.community].filter((id) => !ids.has(id))).toEqual([]);
  });

  it('left every prototype as it was', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
    expect(Object.prototype.constructor).toBe(Object);
  });
});
