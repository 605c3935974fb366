/**
 * SPEC §12 in a real browser: Debian's Chromium (as the report's browser test) drives the console
 * that local mode serves, against real handlers and seeded data. A reviewer clears a piece from the
 * review queue; an admin maps a cluster, recalculates with live progress and sees the Overview's
 * unattributed nodes drop; a member is merged then split; a viewer sees no write button and a
 * forged write is refused; the token never lands in the page's storage; revoking it ends the
 * session. Every page passes axe-core (no serious or critical violation) at 1280 and 375 px, with
 * no Content-Security-Policy violation. `FLYWHEEL_SCREENSHOT=1` also writes each page to
 * `docs/console/<page>-<width>.png`. Without Chromium the file skips locally and fails in CI.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsole } from '../../console/build.js';
import { addMonths, type Month, monthOf } from '../../lambdas/domain/month.js';
import { deliverSigned, waitForJob } from '../support/signed-delivery.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';

const CHROMIUM = process.env.FLYWHEEL_CHROMIUM ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const inCi = Boolean(process.env.CI);
const INSTALL = 'apt-get install -y chromium (or set FLYWHEEL_CHROMIUM)';
const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), '../../docs/console');
const keepScreenshots = process.env.FLYWHEEL_SCREENSHOT === '1';

if (!available && !inCi) {
  console.warn(`Skipping the console's browser test: no Chromium at ${CHROMIUM}. ${INSTALL}.`);
}

let system: TestSystem;
let browser: Browser | undefined;
const assets = mkdtempSync(join(tmpdir(), 'flywheel-console-ui-'));
const shots = keepScreenshots ? SCREENSHOTS : mkdtempSync(join(tmpdir(), 'flywheel-shots-'));
const tokens: Record<'viewer' | 'reviewer' | 'admin', { tokenId: string; token: string }> =
  {} as never;
/** The last three whole months: seeded, then recalculated. */
const thisMonth = monthOf(new Date(), 'UTC');
const months: Month[] = [
  addMonths(thisMonth, -3),
  addMonths(thisMonth, -2),
  addMonths(thisMonth, -1),
];
const latest = months[2] as Month;
/** CSP violations any page reported, by page. */
const cspViolations: string[] = [];

async function seed(): Promise<void> {
  const clusters = [
    { clusterId: 'c-acme-1', accountId: 'acme', nodes: 80 },
    { clusterId: 'c-globex-1', accountId: 'globex', nodes: 60 },
    { clusterId: 'c-lost-1', nodes: 70 },
    { clusterId: 'c-lost-2', nodes: 20 },
  ];
  const events = months.flatMap((month) =>
    clusters.map((c) => ({
      ...c,
      environment: 'production',
      reportedAt: `${month}-15T10:00:00Z`,
    })),
  );
  const telemetry = await deliverSigned(
    `${system.apiUrl}/webhooks/telemetry`,
    system.secrets.telemetrySecret,
    { events },
  );
  expect(telemetry.status).toBe(202);
  const at = `${months[1]}-10T09:00:00Z`;
  const activities = [
    {
      activityId: 'a-talk-ada',
      type: 'talk',
      member: { email: 'ada@acme.example', github: 'ada', name: 'Ada' },
      occurredAt: at,
      title: 'Ada at a meetup',
    },
    {
      activityId: 'a-piece-1',
      type: 'article',
      member: { email: 'ada@acme.example', name: 'Ada' },
      occurredAt: at,
      title: 'Scaling TiDB at Acme',
      url: 'https://example.org/scaling',
    },
    {
      activityId: 'a-piece-2',
      type: 'article',
      member: { github: 'grace', name: 'Grace' },
      occurredAt: at,
      title: 'HTAP in practice',
    },
    {
      activityId: 'a-talk-bob',
      type: 'talk',
      member: { email: 'bob@globex.example', name: 'Bob' },
      occurredAt: at,
      title: 'Bob on migrations',
    },
    {
      activityId: 'a-talk-bobby',
      type: 'talk',
      member: { github: 'bobby', name: 'Bobby' },
      occurredAt: at,
      title: 'Bobby on backups',
    },
  ];
  const community = await deliverSigned(
    `${system.apiUrl}/webhooks/community`,
    system.secrets.communitySecret,
    { activities },
  );
  expect(await community.json()).toMatchObject({ accepted: activities.length, rejected: [] });
  await recalculate();
  for (const role of ['viewer', 'reviewer', 'admin'] as const) {
    const created = await system.api('/admin/tokens', {
      method: 'POST',
      body: JSON.stringify({ name: `console-${role}`, role }),
    });
    tokens[role] = (await created.json()) as { tokenId: string; token: string };
  }
}

async function recalculate(): Promise<void> {
  const queued = await system.api('/admin/recalculate', {
    method: 'POST',
    body: JSON.stringify({ from: months[0], to: latest }),
  });
  const { jobId } = (await queued.json()) as { jobId: string };
  await waitForJob(system.api, jobId);
}

const apiJson = async <T>(path: string): Promise<T> => (await (await system.api(path)).json()) as T;

/** A fresh browser profile, signed in with a token through the sign-in form. */
async function signedIn(
  token: string,
  width = 1280,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await (browser as Browser).newContext({
    viewport: { width, height: width > 500 ? 900 : 800 },
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  await page.goto(`${system.apiUrl}/console/`);
  await page.getByLabel('Token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return { context, page };
}

const open = async (page: Page, path: string, heading: string) => {
  await page.goto(`${system.apiUrl}/console/#/${path}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await page.locator('.loading').first().waitFor({ state: 'detached' });
};

const stat = (page: Page, id: string) => page.locator(`[data-stat="${id}"]`);

const title = available
  ? 'the console in a browser'
  : `the console in a browser (no Chromium at ${CHROMIUM})`;

describe.skipIf(!available && !inCi)(title, () => {
  beforeAll(async () => {
    if (!available) throw new Error(`CI needs Chromium at ${CHROMIUM} for this test: ${INSTALL}`);
    await buildConsole(assets);
    system = await startTestSystem(undefined, { consoleAssets: assets });
    await seed();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
    rmSync(assets, { recursive: true, force: true });
    if (!keepScreenshots) rmSync(shots, { recursive: true, force: true });
  });

  it('lets a reviewer recognise a piece and reject another, each leaving the queue, the API agreeing', async () => {
    const { context, page } = await signedIn(tokens.reviewer.token);
    await open(page, 'review', 'Review queue');
    const piece = page.getByRole('listitem').filter({ hasText: 'Scaling TiDB at Acme' });
    await piece.getByRole('button', { name: 'Recognise' }).click();
    await piece.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByText('Recognised: Scaling TiDB at Acme').count()).toBe(1);
    // One key each: the queue takes `x` for the chosen (first) piece.
    await page.getByRole('list', { name: 'Submitted content' }).press('x');
    await page
      .getByRole('listitem')
      .filter({ hasText: 'HTAP in practice' })
      .waitFor({ state: 'detached' });
    await page.getByText('Nothing is waiting for review.').waitFor();
    const submitted = await apiJson<{ activities: { activityId: string }[] }>(
      '/activities?status=submitted',
    );
    expect(submitted.activities).toEqual([]);
    const recognized = await apiJson<{ activities: { activityId: string }[] }>(
      '/activities?status=recognized',
    );
    expect(recognized.activities.map((a) => a.activityId)).toEqual(['a-piece-1']);
    const rejected = await apiJson<{ activities: { activityId: string }[] }>(
      '/activities?status=rejected',
    );
    expect(rejected.activities.map((a) => a.activityId)).toEqual(['a-piece-2']);
    // The token was typed into a form and sent once: the page kept it nowhere it could read.
    const stored = await page.evaluate(
      'JSON.stringify([{ ...localStorage }, { ...sessionStorage }, document.cookie])',
    );
    expect(stored).not.toContain(tokens.reviewer.token);
    expect(stored).toBe('[{},{},""]');
    await context.close();
  });

  it('lets an admin map an unattributed cluster in place, recalculate with live progress, and see unattributed nodes drop', async () => {
    const { context, page } = await signedIn(tokens.admin.token);
    await open(page, 'overview', 'Overview');
    await expect.poll(() => stat(page, 'unattributedNodes').textContent()).toBe('90');
    await open(page, 'clusters', 'Unattributed clusters');
    const row = page.getByRole('row').filter({ hasText: 'c-lost-1' });
    await row.getByRole('textbox', { name: 'Account for c-lost-1' }).fill('initech');
    await row.getByRole('button', { name: 'Map' }).click();
    await row.waitFor({ state: 'detached' });
    await page.getByText('Mapped c-lost-1 → initech').waitFor();
    const mapped = await apiJson<{ mapping: string | null }>('/clusters/c-lost-1');
    expect(mapped.mapping).toBe('initech');

    await open(page, 'jobs', 'Jobs');
    await page.getByLabel('From').fill(months[0] as string);
    await page.getByLabel('To').fill(latest);
    await page.getByRole('button', { name: 'Recalculate' }).click();
    // Live: the label follows the job's completed months until it succeeds.
    const progress = page.locator('#job-progress');
    await progress.waitFor();
    await page.getByText(/: succeeded — 3 of 3 months/).waitFor({ timeout: 60_000 });
    expect(await progress.getAttribute('max')).toBe('3');
    expect(await progress.evaluate((p) => (p as unknown as { value: number }).value)).toBe(3);

    await open(page, 'overview', 'Overview');
    await expect.poll(() => stat(page, 'unattributedNodes').textContent()).toBe('20');
    await context.close();
  });

  it('merges two members, then splits them apart again', { timeout: 90_000 }, async () => {
    const { context, page } = await signedIn(tokens.reviewer.token);
    await open(page, 'members', 'Members');
    await page
      .getByLabel('Identities (kind:value, at least two)')
      .fill('email:bob@globex.example github:bobby');
    await page.getByRole('button', { name: 'Merge' }).click();
    await page.getByText('Merged email:bob@globex.example, github:bobby').waitFor();
    // Members are as the latest recalculation resolved them (SPEC §7): the merge shows after one.
    await recalculate();
    const merged = await apiJson<{ memberId: string; identities: string[] }>(
      '/members/github:bobby',
    );
    expect(merged.identities).toEqual(
      expect.arrayContaining(['email:bob@globex.example', 'github:bobby']),
    );

    await open(page, `members/${encodeURIComponent(merged.memberId)}`, 'Members');
    const identity = page.getByRole('row').filter({ hasText: 'github:bobby' });
    await expect.poll(() => identity.textContent()).toContain('merged by an admin');
    await identity.getByRole('checkbox', { name: 'Split github:bobby' }).check();
    await page.getByRole('button', { name: 'Split the chosen identities off' }).click();
    await page.getByText('Split github:bobby into a member of their own').waitFor();
    await recalculate();
    const bob = await apiJson<{ memberId: string }>('/members/email:bob@globex.example');
    const bobby = await apiJson<{ memberId: string }>('/members/github:bobby');
    expect(bobby.memberId).not.toBe(bob.memberId);
    await context.close();
  });

  it('shows a viewer no write button, and the API refuses a write forged from the page (403)', async () => {
    const { context, page } = await signedIn(tokens.viewer.token);
    const nav = page.getByRole('navigation', { name: 'Pages' });
    expect(await nav.getByRole('link', { name: 'Tokens and audit' }).count()).toBe(0);
    const pages = [
      ['review', 'Review queue'],
      ['clusters', 'Unattributed clusters'],
      ['members', 'Members'],
      ['settings', 'Programs and configuration'],
      ['jobs', 'Jobs'],
      ['reports', 'Reports'],
    ] as const;
    const writes = /^(Recognise|Reject|Map|Merge|Split|Save|Recalculate|Send|Create|Revoke)/;
    for (const [path, heading] of pages) {
      await open(page, path, heading);
      const names = await page.getByRole('button').allTextContents();
      expect(
        names.filter((name) => writes.test(name.trim())),
        path,
      ).toEqual([]);
    }
    const forged = await page.evaluate(async () => {
      const response = await fetch('/admin/clusters/c-lost-2', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ accountId: 'forged' }),
      });
      return { status: response.status, body: await response.json() };
    });
    expect(forged).toEqual({ status: 403, body: { error: expect.stringContaining('admin') } });
    expect((await apiJson<{ mapping: string | null }>('/clusters/c-lost-2')).mapping).toBeNull();
    await context.close();
  });

  it('ends the session when its token is revoked: the API answers 401 and the page asks to sign in', async () => {
    const created = (await (
      await system.api('/admin/tokens', {
        method: 'POST',
        body: JSON.stringify({ name: 'console-revoked', role: 'admin' }),
      })
    ).json()) as { tokenId: string; token: string };
    const { context, page } = await signedIn(created.token);
    await open(page, 'overview', 'Overview');
    await system.api(`/admin/tokens/${created.tokenId}`, { method: 'DELETE' });
    const status = await page.evaluate(async () => (await fetch('/admin/config')).status);
    expect(status).toBe(401);
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await context.close();
  });

  const everyPage = [
    ['overview', 'Overview'],
    ['accounts', 'Accounts'],
    ['accounts/acme', 'Accounts'],
    ['clusters', 'Unattributed clusters'],
    ['review', 'Review queue'],
    ['members', 'Members'],
    ['members/email:ada@acme.example', 'Members'],
    ['evangelists', 'Evangelists'],
    ['settings', 'Programs and configuration'],
    ['jobs', 'Jobs'],
    ['reports', 'Reports'],
    ['tokens', 'Tokens and audit'],
  ] as const;

  for (const width of [1280, 375]) {
    it(`passes axe-core on every page at ${width} px, fits the width, and keeps a screenshot`, async () => {
      const { context, page } = await signedIn(tokens.admin.token, width);
      const found: string[] = [];
      for (const [path, heading] of everyPage) {
        const report =
          path === 'reports' ? page.waitForResponse((r) => r.url().includes('/reports/')) : null;
        await open(page, path, heading);
        if (report) expect((await report).status()).toBe(200);
        // The report is the mailed email in a sandboxed frame, where axe cannot run: the
        // console's own page is checked (legacy mode leaves frames alone).
        const { violations } = await new AxeBuilder({ page })
          .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
          .setLegacyMode(path === 'reports')
          .analyze();
        for (const v of violations) {
          if (v.impact === 'serious' || v.impact === 'critical') {
            found.push(
              `${path}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
            );
          }
        }
        const overflow = await page.evaluate('document.documentElement.scrollWidth');
        // What sticks out, named in the failure: the widest elements past the right edge.
        const wide = await page.evaluate(
          `[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > ${width} + 1).map((e) => e.tagName + '.' + e.className).slice(0, 8).join(' ')`,
        );
        expect(overflow, `${path} at ${width} px: ${wide}`).toBeLessThanOrEqual(width);
        const file = join(
          shots,
          `${path.split('/')[0]}${path.includes('/') ? '-detail' : ''}-${width}.png`,
        );
        mkdirSync(dirname(file), { recursive: true });
        await page.screenshot({ path: file, fullPage: true });
        expect(statSync(file).size).toBeGreaterThan(5_000);
      }
      // The sign-in page too, signed out.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      const signIn = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
      found.push(
        ...signIn.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `sign-in: ${v.id}`),
      );
      await page.screenshot({ path: join(shots, `sign-in-${width}.png`) });
      expect(found).toEqual([]);
      expect(cspViolations).toEqual([]);
      await context.close();
    }, 120_000);
  }
});
