/**
 * SPEC §12: the console's session — a token exchanged for a signed HttpOnly cookie that every
 * route takes in place of `Authorization`, with the token's role, for 8 hours from sign-in or
 * until the token is revoked or expires — through the real handlers in local mode.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../console/build.js';
import {
  openSession,
  sealSession,
  sessionCookieName,
  sessionSeconds,
} from '../../lambdas/http/session-cookie.js';
import { tokenHash } from '../../lambdas/store/tokens-store.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

let system: TestSystem;
const assets = mkdtempSync(join(tmpdir(), 'flywheel-console-'));

beforeAll(async () => {
  await buildConsole(assets);
  system = await startTestSystem(undefined, { consoleAssets: assets });
});
afterAll(async () => {
  await system?.stop();
  rmSync(assets, { recursive: true, force: true });
});

async function createToken(name: string, role: string, expiresAt?: string) {
  const response = await system.api('/admin/tokens', {
    method: 'POST',
    body: JSON.stringify({ name, role, ...(expiresAt ? { expiresAt } : {}) }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { tokenId: string; token: string };
}

const signIn = (token: unknown) =>
  fetch(`${system.apiUrl}/console/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });

/** The `name=value` of the session cookie a sign-in set. */
async function sessionOf(token: string): Promise<string> {
  const response = await signIn(token);
  expect(response.status, await response.clone().text()).toBe(204);
  const [cookie] = response.headers.getSetCookie();
  return (cookie ?? '').split(';')[0] ?? '';
}

const withCookie = (path: string, cookie: string, init: RequestInit = {}) =>
  fetch(`${system.apiUrl}${path}`, {
    ...init,
    headers: {
      cookie,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.headers as Record<string, string> | undefined),
    },
  });

describe('signing in (POST /console/session)', () => {
  it('answers 204 and an HttpOnly, Secure, SameSite=Strict cookie for 8 hours that holds no token', async () => {
    const { token } = await createToken('sign-in-viewer', 'viewer');
    const response = await signIn(token);
    expect(response.status).toBe(204);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const [cookie = ''] = response.headers.getSetCookie();
    expect(cookie).toMatch(new RegExp(`^${sessionCookieName}=v1\\.[0-9a-f]{64}\\.\\d+\\.[\\w-]+;`));
    for (const attribute of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/', 'Max-Age=28800']) {
      expect(cookie.split('; ')).toContain(attribute);
    }
    expect(cookie).not.toContain(token);
  });

  it('refuses a bad token with 401 and a malformed body with 400, setting no cookie', async () => {
    for (const token of ['nope', `fwt_${'A'.repeat(43)}`]) {
      const response = await signIn(token);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: expect.any(String) });
      expect(response.headers.getSetCookie()).toEqual([]);
    }
    expect((await signIn(42)).status).toBe(400);
    expect((await signIn('')).status).toBe(400);
  });

  it('takes the bootstrap token, as admin', async () => {
    const cookie = await sessionOf(system.secrets.adminToken);
    const who = await withCookie('/console/session', cookie);
    expect(await who.json()).toEqual({
      actor: 'bootstrap',
      role: 'admin',
      expiresAt: expect.any(String),
    });
  });
});

describe('the session cookie in place of Authorization', () => {
  it('answers GET /console/session with the token’s name, role and the session’s end', async () => {
    await createToken('who-reviewer', 'reviewer');
    const { token } = await createToken('who-reviewer-2', 'reviewer');
    const cookie = await sessionOf(token);
    const response = await withCookie('/console/session', cookie);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { actor: string; role: string; expiresAt: string };
    expect(body).toMatchObject({ actor: 'who-reviewer-2', role: 'reviewer' });
    const hours = (Date.parse(body.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(7.9);
    expect(hours).toBeLessThanOrEqual(8);
  });

  it('carries the token’s role: a viewer reads but a write is 403, a reviewer reviews', async () => {
    const viewer = await sessionOf((await createToken('cookie-viewer', 'viewer')).token);
    expect((await withCookie('/admin/config', viewer)).status).toBe(200);
    const write = await withCookie('/admin/activities/x', viewer, {
      method: 'PATCH',
      body: JSON.stringify({ status: 'recognized' }),
    });
    expect(write.status).toBe(403);
    expect(await write.json()).toEqual({ error: expect.stringContaining('reviewer') });
    expect((await withCookie('/admin/tokens', viewer)).status).toBe(403);
    const reviewer = await sessionOf((await createToken('cookie-reviewer', 'reviewer')).token);
    const review = await withCookie('/admin/activities/no-such', reviewer, {
      method: 'PATCH',
      body: JSON.stringify({ status: 'recognized' }),
    });
    expect(review.status).toBe(404);
  });

  it('is taken by the report function too (GET /reports/{month})', async () => {
    const viewer = await sessionOf((await createToken('cookie-report', 'viewer')).token);
    const response = await withCookie('/reports/2026-13', viewer);
    expect(response.status).toBe(400);
    expect((await withCookie('/reports/2026-13', `${sessionCookieName}=forged`)).status).toBe(401);
  });

  it('ends when its token is revoked (401), while Authorization still decides when sent', async () => {
    const created = await createToken('cookie-revoked', 'admin');
    const cookie = await sessionOf(created.token);
    expect((await withCookie('/admin/config', cookie)).status).toBe(200);
    await system.api(`/admin/tokens/${created.tokenId}`, { method: 'DELETE' });
    const after = await withCookie('/admin/config', cookie);
    expect(after.status).toBe(401);
    expect(await after.json()).toEqual({ error: expect.stringContaining('sign in again') });
    const bearer = await withCookie('/admin/config', cookie, {
      headers: { authorization: `Bearer ${system.secrets.adminToken}` },
    });
    expect(bearer.status).toBe(200);
  });

  it('ends when its token expires', async () => {
    const soon = new Date(Date.now() + 1500).toISOString();
    const cookie = await sessionOf((await createToken('cookie-expiring', 'viewer', soon)).token);
    const who = (await (await withCookie('/console/session', cookie)).json()) as {
      expiresAt: string;
    };
    expect(who.expiresAt).toBe(soon);
    await new Promise((resolve) => setTimeout(resolve, Date.parse(soon) - Date.now() + 100));
    expect((await withCookie('/admin/config', cookie)).status).toBe(401);
  });

  it('refuses an altered, forged or foreign cookie with 401', async () => {
    const cookie = await sessionOf((await createToken('cookie-altered', 'viewer')).token);
    const value = cookie.slice(sessionCookieName.length + 1);
    const [v, hash, issued, mac] = value.split('.');
    const altered = [
      `${v}.${hash}.${Number(issued) + 3600}.${mac}`,
      `${v}.${tokenHash(system.secrets.adminToken)}.${issued}.${mac}`,
      sealSession({ tokenHash: hash ?? '', signedInAt: Number(issued) }, 'another-deployment'),
      'garbage',
    ];
    for (const forged of altered) {
      const response = await withCookie('/admin/config', `${sessionCookieName}=${forged}`);
      expect(response.status, forged).toBe(401);
    }
  });

  it('refuses a change asked for by another site’s page (Sec-Fetch-Site), 403', async () => {
    const cookie = await sessionOf(system.secrets.adminToken);
    const response = await withCookie('/admin/config', cookie, {
      method: 'PUT',
      body: JSON.stringify({ kaThreshold: 50 }),
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(response.status).toBe(403);
  });
});

describe('signing out (DELETE /console/session)', () => {
  it('answers 204 and clears the cookie; sign-in and sign-out write no audit entry', async () => {
    const before = await (await system.api('/admin/audit?actor=cookie-audit')).json();
    const created = await createToken('cookie-audit', 'admin');
    const cookie = await sessionOf(created.token);
    const out = await withCookie('/console/session', cookie, { method: 'DELETE' });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie()).toEqual([
      `${sessionCookieName}=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0`,
    ]);
    const after = (await (await system.api('/admin/audit?actor=cookie-audit')).json()) as {
      entries: unknown[];
    };
    expect(after.entries).toEqual((before as { entries: unknown[] }).entries);
    const paths = (
      (await (await system.api('/admin/audit?limit=1000')).json()) as {
        entries: { path: string }[];
      }
    ).entries.map((e) => e.path);
    expect(paths.filter((p) => p.startsWith('/console'))).toEqual([]);
  });
});

describe('the cookie itself', () => {
  const hash = 'a'.repeat(64);
  const signedInAt = 1_800_000_000;
  it('lasts 8 hours from sign-in, not sliding, and verifies under any secret of a rotation', () => {
    const value = sealSession({ tokenHash: hash, signedInAt }, 'new old');
    const at = (seconds: number) => (signedInAt + seconds) * 1000;
    expect(openSession(value, 'new', at(0))).toEqual({ tokenHash: hash, signedInAt });
    expect(openSession(value, 'other new', at(sessionSeconds - 1))).toBeDefined();
    expect(openSession(value, 'new', at(sessionSeconds))).toBeUndefined();
    expect(openSession(value, 'old', at(0))).toBeUndefined();
    expect(openSession(value, 'new', at(-3600))).toBeUndefined();
  });
});

describe('the console’s files (GET /console/…)', () => {
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${system.apiUrl}${path}`, { headers, redirect: 'manual' });
  const expectSecurityHeaders = (response: Response) => {
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  };

  it('serves index.html uncached, naming hashed files that are cached for a year', async () => {
    const page = await get('/console/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expectSecurityHeaders(page);
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(html).not.toMatch(/\bstyle=/);
    const files = [...html.matchAll(/(?:src|href)="\/console\/([^"]+)"/g)].map((m) => m[1]);
    expect(files.map((f) => f?.replace(/-[A-Z0-9]{8}\./, '-HASH.')).sort()).toEqual([
      'app-HASH.css',
      'app-HASH.js',
    ]);
    for (const file of files) {
      const asset = await get(`/console/${file}`, { 'accept-encoding': 'gzip' });
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(asset.headers.get('content-encoding')).toBe('gzip');
      expectSecurityHeaders(asset);
    }
  });

  it('redirects /console to /console/, and answers other paths with a JSON 404', async () => {
    const bare = await get('/console');
    expect(bare.status).toBe(308);
    expect(bare.headers.get('location')).toBe('/console/');
    expectSecurityHeaders(bare);
    for (const path of [
      '/console/nope.js',
      '/console/a/b',
      '/console/..%2Fpackage.json',
      '/console/.env',
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(await response.json()).toEqual({ error: expect.any(String) });
      expectSecurityHeaders(response);
    }
  });
});
