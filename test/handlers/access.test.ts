/**
 * SPEC §3 and §8: roles on every route of the one declaration, personal tokens, and the audit log,
 * through the real handlers in local mode.
 */
import { createHash } from 'node:crypto';
import Papa from 'papaparse';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isRole, type Role, roleAllows } from '../../lambdas/domain/roles.js';
import { type Route, routes } from '../../lambdas/system.js';
import { injectAboveSdk, restoreClient } from '../faults/support/faulty-client.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

let system: TestSystem;
const tokens = {} as Record<Role, string>;

const call = (path: string, token: string | null, init: RequestInit = {}) =>
  fetch(`${system.apiUrl}${path}`, {
    ...init,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
  });
const asAdmin = (path: string, init: RequestInit = {}) =>
  call(path, system.secrets.adminToken, init);

interface Created {
  tokenId: string;
  name: string;
  role: Role;
  token: string;
  createdAt: string;
  expiresAt: string | null;
}

async function createToken(name: string, role: Role, expiresAt?: string): Promise<Created> {
  const response = await asAdmin('/admin/tokens', {
    method: 'POST',
    body: JSON.stringify({ name, role, ...(expiresAt ? { expiresAt } : {}) }),
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as Created;
}

beforeAll(async () => {
  system = await startTestSystem();
  for (const role of ['viewer', 'reviewer', 'admin'] as const) {
    tokens[role] = (await createToken(`matrix-${role}`, role)).token;
  }
});
afterAll(() => system?.stop());

/** A request each route can take: concrete parameters, and a body where it needs one. */
function requestOf(route: Route): [string, RequestInit] {
  const path = route.path
    .replace('{month}', '2026-01')
    .replace('{year}', '2026')
    .replace('{tokenId}', 'tok_000000000000000000000')
    .replace(/\{\w+\}/g, 'matrix-x');
  const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : '{}';
  return [path, { method: route.method, ...(body ? { body } : {}) }];
}

const guarded = routes.filter((route) => isRole(route.access));

describe('every route of the declaration, with every role (SPEC §8)', () => {
  it('declares a role for every route but /health, /openapi.json, the console’s files and sign-in/out, and the webhooks', () => {
    const open = routes
      .filter((route) => !isRole(route.access))
      .map((r) => `${r.method} ${r.path}`);
    expect(open.sort()).toEqual([
      'DELETE /console/session',
      'GET /console',
      'GET /console/{proxy+}',
      'GET /health',
      'GET /openapi.json',
      'POST /console/session',
      'POST /webhooks/community',
      'POST /webhooks/discourse',
      'POST /webhooks/github',
      'POST /webhooks/telemetry',
    ]);
  });

  it('matches SPEC §8: viewers every GET but tokens, audit and rejections; reviewers also review, merge, split', () => {
    const adminOnlyGets = ['/admin/tokens', '/admin/audit', '/admin/rejections'];
    const reviewerWrites = [
      'PATCH /admin/activities/{activityId}',
      'POST /admin/members/merge',
      'POST /admin/members/split',
    ];
    for (const route of guarded) {
      const key = `${route.method} ${route.path}`;
      const expected: Role =
        route.method === 'GET'
          ? adminOnlyGets.includes(route.path)
            ? 'admin'
            : 'viewer'
          : reviewerWrites.includes(key)
            ? 'reviewer'
            : 'admin';
      expect(route.access, key).toBe(expected);
    }
  });

  for (const route of guarded) {
    it(`${route.method} ${route.path}: 200-or-4xx-never-403 for roles that include ${route.access}, 403 for the others, 401 without a token`, async () => {
      const [path, init] = requestOf(route);
      for (const role of ['viewer', 'reviewer', 'admin'] as const) {
        const response = await call(path, tokens[role], init);
        const text = await response.text();
        if (roleAllows(role, route.access as Role)) {
          expect(response.status, `${role}: ${text}`).not.toBe(403);
          expect(response.status, `${role}: ${text}`).toBeLessThan(500);
        } else {
          expect(response.status, `${role}: ${text}`).toBe(403);
          expect(JSON.parse(text)).toEqual({ error: expect.stringContaining(route.access) });
        }
      }
      const anonymous = await call(path, null, init);
      expect(anonymous.status).toBe(401);
      const unknown = await call(path, `fwt_${'A'.repeat(43)}`, init);
      expect(unknown.status).toBe(401);
    });
  }
});

describe('personal tokens', () => {
  it('are shown once as fwt_ and 32 random bytes, listed without their value or hash', async () => {
    const created = await createToken('ci-reader', 'viewer');
    expect(created.token).toMatch(/^fwt_[A-Za-z0-9_-]{43,}$/);
    expect(Buffer.from(created.token.slice(4), 'base64url').length).toBeGreaterThanOrEqual(32);
    const listed = await (await asAdmin('/admin/tokens?limit=1000')).text();
    expect(listed).toContain(created.tokenId);
    expect(listed).not.toContain(created.token);
    expect(listed).not.toContain(createHash('sha256').update(created.token).digest('hex'));
    const row = (JSON.parse(listed) as { tokens: Record<string, unknown>[] }).tokens.find(
      (t) => t.tokenId === created.tokenId,
    );
    expect(Object.keys(row ?? {}).sort()).toEqual(
      ['createdAt', 'expiresAt', 'lastUsedAt', 'name', 'revokedAt', 'role', 'tokenId'].sort(),
    );
  });

  it('refuse a name used before, even by a revoked token (409), and bad requests (400)', async () => {
    const first = await createToken('once-only', 'viewer');
    await asAdmin(`/admin/tokens/${first.tokenId}`, { method: 'DELETE' });
    const again = await asAdmin('/admin/tokens', {
      method: 'POST',
      body: JSON.stringify({ name: 'once-only', role: 'admin' }),
    });
    expect(again.status).toBe(409);
    for (const body of [
      { name: 'x', role: 'owner' },
      { name: '', role: 'viewer' },
      { name: 'past', role: 'viewer', expiresAt: '2020-01-01T00:00:00Z' },
      { name: 'bad-instant', role: 'viewer', expiresAt: 'tomorrow' },
      { name: 'extra', role: 'viewer', token: 'fwt_mine' },
    ]) {
      expect(
        (await asAdmin('/admin/tokens', { method: 'POST', body: JSON.stringify(body) })).status,
      ).toBe(400);
    }
  });

  it('answer 401 once expired', async () => {
    const soon = await createToken(
      'short-lived',
      'viewer',
      new Date(Date.now() + 1500).toISOString(),
    );
    expect((await call('/metrics/ka', soon.token)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1700));
    expect((await call('/metrics/ka', soon.token)).status).toBe(401);
  });

  it('answer 401 once revoked; revoking again is 204; an unknown id is 404', async () => {
    const revoked = await createToken('to-revoke', 'admin');
    expect((await call('/admin/config', revoked.token)).status).toBe(200);
    expect((await asAdmin(`/admin/tokens/${revoked.tokenId}`, { method: 'DELETE' })).status).toBe(
      204,
    );
    expect((await call('/admin/config', revoked.token)).status).toBe(401);
    expect((await asAdmin(`/admin/tokens/${revoked.tokenId}`, { method: 'DELETE' })).status).toBe(
      204,
    );
    expect(
      (await asAdmin('/admin/tokens/tok_zzzzzzzzz000000000000', { method: 'DELETE' })).status,
    ).toBe(404);
    const listed = (await (await asAdmin('/admin/tokens?limit=1000')).json()) as {
      tokens: { tokenId: string; revokedAt: string | null }[];
    };
    expect(listed.tokens.find((t) => t.tokenId === revoked.tokenId)?.revokedAt).toEqual(
      expect.any(String),
    );
  });

  it('record lastUsedAt, at most once a minute', async () => {
    const used = await createToken('used', 'viewer');
    const lastUsed = async () =>
      (
        (await (await asAdmin('/admin/tokens?limit=1000')).json()) as {
          tokens: { tokenId: string; lastUsedAt: string | null }[];
        }
      ).tokens.find((t) => t.tokenId === used.tokenId)?.lastUsedAt;
    expect(await lastUsed()).toBeNull();
    await call('/metrics/ka', used.token);
    const first = await lastUsed();
    expect(first).toEqual(expect.any(String));
    await call('/metrics/ka', used.token);
    await call('/metrics/ka', used.token);
    expect(await lastUsed()).toBe(first);
  });

  it('walk page by page to the whole list', async () => {
    const whole = (
      (await (await asAdmin('/admin/tokens?limit=1000')).json()) as {
        tokens: { tokenId: string }[];
      }
    ).tokens;
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await (
        await asAdmin(`/admin/tokens?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      ).json()) as {
        tokens: { tokenId: string }[];
        nextCursor: string | null;
      };
      walked.push(...page.tokens.map((t) => t.tokenId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(walked).toEqual(whole.map((t) => t.tokenId));
    expect(new Set(walked).size).toBe(walked.length);
    expect((await asAdmin('/admin/tokens?cursor=bm9wZQ')).status).toBe(400);
  });
});

interface Entry {
  at: string;
  actor: string;
  role: Role;
  method: string;
  path: string;
  target: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}
const auditOf = async (query = '') =>
  ((await (await asAdmin(`/admin/audit?limit=1000${query}`)).json()) as { entries: Entry[] })
    .entries;

describe('the audit log', () => {
  afterEach(() => restoreClient());

  it('records each change with who, how, what, before and after; refused requests are not changes', async () => {
    const editor = await createToken('editor', 'admin');
    await call('/admin/accounts/audited', editor.token, {
      method: 'PUT',
      body: JSON.stringify({ name: 'Audited Inc' }),
    });
    await call('/admin/accounts/audited', editor.token, {
      method: 'PUT',
      body: JSON.stringify({ name: 'Audited Ltd' }),
    });
    await call('/admin/accounts/audited', editor.token, {
      method: 'PUT',
      body: JSON.stringify({ name: '' }),
    });
    await call('/admin/accounts/audited', tokens.viewer, {
      method: 'PUT',
      body: JSON.stringify({ name: 'Nope' }),
    });
    const entries = (await auditOf('&actor=editor')).filter((e) => e.target === 'account:audited');
    expect(entries).toEqual([
      expect.objectContaining({
        actor: 'editor',
        role: 'admin',
        method: 'PUT',
        path: '/admin/accounts/audited',
        before: { name: 'Audited Inc' },
        after: { name: 'Audited Ltd' },
      }),
      expect.objectContaining({ before: null, after: { name: 'Audited Inc' } }),
    ]);
  });

  it('gives each of many concurrent changes exactly one entry, their befores chaining', async () => {
    const accounts = Array.from({ length: 12 }, (_, i) => `acct-${i}`);
    const answers = await Promise.all(
      accounts.map((accountId) =>
        asAdmin('/admin/clusters/contended', {
          method: 'PUT',
          body: JSON.stringify({ accountId }),
        }),
      ),
    );
    const ok = answers.filter((r) => r.status === 200).length;
    const entries = (await auditOf()).filter((e) => e.target === 'cluster:contended').reverse();
    expect(entries).toHaveLength(ok);
    expect(ok).toBeGreaterThan(0);
    // Oldest first, each entry replaced what the one before it wrote.
    expect(entries[0]?.before).toEqual({ accountId: null });
    for (const [i, entry] of entries.entries()) {
      if (i > 0) expect(entry.before).toEqual(entries[i - 1]?.after);
    }
  });

  it('has no entry for a write that failed, and no write without its entry', async () => {
    const before = (await auditOf()).length;
    injectAboveSdk(async (command, send) => {
      if (command.constructor.name === 'TransactWriteCommand') {
        throw Object.assign(new Error('injected'), {
          name: 'InternalServerError',
          $metadata: { httpStatusCode: 500 },
        });
      }
      return send(command);
    });
    const failed = await asAdmin('/admin/accounts/never', {
      method: 'PUT',
      body: JSON.stringify({ name: 'Never' }),
    });
    expect(failed.status).toBe(503);
    restoreClient();
    expect(await auditOf()).toHaveLength(before);
    const detail = await asAdmin('/admin/programs/2026');
    expect(detail.status).toBe(200);
    const names = await (await asAdmin('/metrics/ka')).json();
    expect(names).toBeDefined();
  });

  it('answers CSV (BOM, flattened before/after, Link to the next page) like every list', async () => {
    const response = await asAdmin('/admin/audit?limit=1&format=csv');
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('link')).toMatch(/^<\/admin\/audit\?.*cursor=.*>; rel="next"$/);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const parsed = Papa.parse<Record<string, string>>(bytes.toString('utf8'), {
      header: true,
      skipEmptyLines: true,
    });
    expect(parsed.data).toHaveLength(1);
    expect(parsed.meta.fields).toEqual(expect.arrayContaining(['at', 'actor', 'role', 'target']));
    const tokensCsv = await (await asAdmin('/admin/tokens?format=csv&limit=2000')).text();
    expect(tokensCsv).toContain('matrix-viewer');
    expect(tokensCsv).not.toContain('fwt_');
  });

  it('filters by actor and by time, newest first, and never holds a token or its hash', async () => {
    const secret = await createToken('audited-secret', 'viewer');
    const all = await auditOf();
    const ats = all.map((e) => e.at);
    expect(ats).toEqual([...ats].sort().reverse());
    const text = JSON.stringify(all);
    expect(text).not.toContain(secret.token);
    expect(text).not.toContain(createHash('sha256').update(secret.token).digest('hex'));
    expect(all.find((e) => e.target === `token:${secret.tokenId}`)?.after).toEqual({
      name: 'audited-secret',
      role: 'viewer',
      expiresAt: null,
    });
    const soon = Date.now() + 60_000;
    const later = `&from=${new Date(soon).toISOString()}&to=${new Date(soon + 3_600_000).toISOString()}`;
    expect(await auditOf(later)).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await auditOf(`&from=${today}&to=${today}`)).length).toBe(all.length);
    expect((await asAdmin('/admin/audit?from=yesterday')).status).toBe(400);
    expect((await asAdmin('/admin/audit?from=2026-12-01&to=2026-01-01')).status).toBe(400);
  });
});
