/**
 * Issue #10's kinds as generators: percent-encoding in paths and query strings, the Authorization
 * scheme in any case, instants in every offset form and precision, identities in either Unicode
 * form, and bodies that are not UTF-8. Each property is held to SPEC §2–§3 (never a 5xx; a 4xx is
 * JSON `{ error }`) and to what the kind must do.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../lambdas/system.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';
import { hubSignatureOf, signedDelivery } from '../support/webhook-client.js';
import {
  expectJsonError,
  expectSafe,
  fuzzOptions,
  fuzzTimeout,
  jsonOf,
  send,
  summary,
} from './support/fuzz.js';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(async () => {
  console.log(summary('edge-fuzz'));
  await system?.stop();
});

/** A percent sign followed by what does not make a whole UTF-8 character. */
const malformedEscape = fc.oneof(
  fc.constant('%'),
  fc.stringMatching(/^%[G-Zg-z][0-9A-Za-z]$/),
  fc.stringMatching(/^%[0-9A-F]$/),
  fc.constantFrom('%E0%A4%A', '%C0', '%FF', '%ED%A0%80', '%F0%9F%98', '%80', '%E2%82'),
);

const concretePath = (path: string, value: string) => path.replace(/\{\w+\+?\}/g, value);

describe('malformed percent-encoding', () => {
  it(
    'in any parameter of any route, or any query value, is a JSON 400 with or without a token',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...routes.filter((r) => r.path.includes('{') || r.method === 'GET')),
          malformedEscape,
          fc.string({ maxLength: 8, unit: 'grapheme-ascii' }).map(encodeURIComponent),
          fc.boolean(),
          fc.boolean(),
          async (route, bad, around, inQuery, withToken) => {
            const path = inQuery
              ? `${concretePath(route.path, 'x')}?from=${around}${bad}`
              : concretePath(route.path, `${around}${bad}`);
            if (!inQuery && !route.path.includes('{')) return;
            const headers = withToken
              ? { authorization: `Bearer ${system.secrets.adminToken}` }
              : {};
            const answer = await send(`${system.apiUrl}${path}`, { method: route.method, headers });
            expectSafe(answer);
            expect(answer.status, `${route.method} ${path}`).toBe(400);
            expectJsonError(answer);
          },
        ),
        fuzzOptions(0.5),
      );
    },
    fuzzTimeout(0.5),
  );
});

describe('the Authorization scheme', () => {
  const anyCase = fc
    .array(fc.boolean(), { minLength: 6, maxLength: 6 })
    .map((upper) => [...'bearer'].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));

  it(
    'is read in any case with any number of spaces; the token still decides',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          anyCase,
          fc.integer({ min: 1, max: 4 }),
          fc.boolean(),
          async (scheme, spaces, right) => {
            const token = right ? system.secrets.adminToken : `${system.secrets.adminToken}x`;
            const answer = await send(`${system.apiUrl}/admin/config`, {
              headers: { authorization: `${scheme}${' '.repeat(spaces)}${token}` },
            });
            expect(answer.status).toBe(right ? 200 : 401);
            expectSafe(answer);
          },
        ),
        fuzzOptions(0.3),
      );
    },
    fuzzTimeout(0.3),
  );
});

/** An instant in one of SPEC §2's forms, at some precision: `[text, valid]`. */
const writtenInstant = fc
  .record({
    at: fc.integer({ min: Date.parse('2001-01-01T00:00:00Z'), max: Date.now() - 86_400_000 }),
    digits: fc.stringMatching(/^[0-9]{0,12}$/),
    seconds: fc.boolean(),
    offset: fc.integer({ min: -14 * 60, max: 14 * 60 }),
    form: fc.constantFrom('Z', 'hh:mm', 'hhmm', 'hh', 'h', 'hh:m', 'none'),
  })
  .map(({ at, digits, seconds, offset, form }) => {
    const minutes = form === 'hh' || form === 'h' ? Math.trunc(offset / 60) * 60 : offset;
    const local = new Date(at + minutes * 60_000).toISOString();
    const sign = minutes < 0 ? '-' : '+';
    const h = Math.floor(Math.abs(minutes) / 60);
    const m = Math.abs(minutes) % 60;
    const hh = String(h).padStart(2, '0');
    const mm = String(m).padStart(2, '0');
    const zone = {
      Z: 'Z',
      'hh:mm': `${sign}${hh}:${mm}`,
      hhmm: `${sign}${hh}${mm}`,
      hh: `${sign}${hh}`,
      h: `${sign}${h}`,
      'hh:m': `${sign}${hh}:${m}`,
      none: '',
    }[form];
    const time = seconds
      ? `${local.slice(0, 19)}${digits ? `.${digits}` : ''}`
      : local.slice(0, 16);
    const valid = form !== 'none' && !(form === 'h' && h < 10) && !(form === 'hh:m' && m < 10);
    return { text: `${time}${zone}`, valid };
  });

describe('instants in every offset form and precision', () => {
  it(
    'are stored when SPEC §2 lists the form and rejected by item otherwise, never a 5xx',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(writtenInstant, { minLength: 1, maxLength: 20 }),
          async (instants) => {
            const events = instants.map(({ text }) => ({
              clusterId: `c-${randomUUID().slice(0, 8)}`,
              environment: 'test',
              nodes: 1,
              reportedAt: text,
            }));
            const answer = await signedPost('telemetry', JSON.stringify({ events }));
            expectSafe(answer);
            expect(answer.status).toBe(202);
            const { accepted, rejected } = jsonOf(answer) as {
              accepted: number;
              rejected: { index: number }[];
            };
            const invalid = instants.flatMap((instant, i) => (instant.valid ? [] : [i]));
            expect(rejected.map((r) => r.index)).toEqual(invalid);
            expect(accepted).toBe(instants.length - invalid.length);
          },
        ),
        fuzzOptions(0.3),
      );
    },
    fuzzTimeout(0.3),
  );
});

describe('identities in either Unicode form', () => {
  it(
    'make one member of a handle sent once composed and once decomposed',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(
            fc
              .string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
              .map((s) => `${s}-${randomUUID().slice(0, 6)}`),
            {
              minLength: 1,
              maxLength: 8,
              selector: (s) => s.trim().toLowerCase().normalize('NFC'),
            },
          ),
          async (handles) => {
            const activities = handles.flatMap((handle) =>
              (['NFC', 'NFD'] as const).map((form) => ({
                activityId: randomUUID(),
                type: 'answer',
                occurredAt: '2025-06-01T10:00:00Z',
                member: { forum: handle.normalize(form), name: 'fuzz' },
              })),
            );
            const answer = await signedPost('community', JSON.stringify({ activities }));
            expectSafe(answer);
            const { accepted, rejected } = jsonOf(answer) as {
              accepted: number;
              rejected: unknown[];
            };
            if (rejected.length > 0) return; // a handle that is blank once trimmed: refused, fine
            expect(accepted).toBe(activities.length);
            const evangelists = (await (await system.api('/evangelists?year=2025')).json()) as {
              members: { identities: string[]; counts: Record<string, number> }[];
            };
            for (const handle of handles) {
              const key = `forum:${handle.trim().toLowerCase().normalize('NFC').replace(/^@/, '')}`;
              const holders = evangelists.members.filter((m) => m.identities.includes(key));
              expect(holders, key).toHaveLength(1);
            }
          },
        ),
        fuzzOptions(0.1),
      );
    },
    fuzzTimeout(0.3),
  );
});

type Webhook = 'telemetry' | 'community' | 'github' | 'discourse';

/** A delivery signed over its raw bytes as each sender signs: Standard Webhooks or sha256=<hex>. */
function signedPost(source: Webhook, body: string | Buffer): ReturnType<typeof send> {
  const url = `${system.apiUrl}/webhooks/${source}`;
  if (source === 'github' || source === 'discourse') {
    const [header, secret, event] =
      source === 'github'
        ? ['x-hub-signature-256', system.secrets.githubSecret, { 'x-github-event': 'issues' }]
        : [
            'x-discourse-event-signature',
            system.secrets.discourseSecret,
            {
              'x-discourse-event': 'post_created',
              'x-discourse-instance': 'https://forum.example.com',
            },
          ];
    return send(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...event,
        [header]: hubSignatureOf(secret, body),
      },
      body,
    });
  }
  const secret =
    source === 'telemetry' ? system.secrets.telemetrySecret : system.secrets.communitySecret;
  const signed = signedDelivery(secret, body);
  return send(url, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });
}

/** A small valid-looking JSON body of each webhook. */
const jsonBodies: Record<Webhook, unknown> = {
  telemetry: { events: [{ clusterId: 'c' }] },
  community: { activities: [{ activityId: 'a' }] },
  github: { action: 'opened', issue: { number: 1 } },
  discourse: { post: { id: 1, username: 'ada' } },
};

describe('bodies that are not UTF-8', () => {
  /** Valid JSON with an invalid UTF-8 sequence spliced in somewhere. */
  const broken = fc
    .record({
      bytes: fc.constantFrom(
        [0xff],
        [0xfe],
        [0xc0, 0xaf],
        [0xed, 0xa0, 0x80],
        [0xe2, 0x82],
        [0x80],
        [0xf5, 0x80, 0x80, 0x80],
      ),
      at: fc.nat(),
      source: fc.constantFrom<Webhook>('telemetry', 'community', 'github', 'discourse'),
    })
    .map(({ bytes, at, source }) => {
      const json = Buffer.from(JSON.stringify(jsonBodies[source]));
      const cut = at % (json.length + 1);
      return {
        source,
        body: Buffer.concat([json.subarray(0, cut), Buffer.from(bytes), json.subarray(cut)]),
      };
    });

  it(
    'correctly signed over their bytes are a JSON 400 naming UTF-8 on every webhook',
    async () => {
      await fc.assert(
        fc.asyncProperty(broken, async ({ source, body }) => {
          const answer = await signedPost(source, body);
          expect(answer.status).toBe(400);
          expectJsonError(answer);
          expect(answer.text).toMatch(/UTF-8/);
        }),
        fuzzOptions(0.3),
      );
    },
    fuzzTimeout(0.3),
  );
});
