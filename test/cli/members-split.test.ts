import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../lambdas/system.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';
import { cliFor, runCli } from './run-cli.js';

/**
 * `flywheel members split` against SPEC §9. The route is being built beside the command: these
 * tests run once `lambdas/system.ts` declares it.
 */
const declared: readonly { readonly path: string }[] = routes;
const splitDeclared = declared.some((route) => route.path === '/admin/members/split');

let system: TestSystem;
let dir: string;
const flywheel = cliFor(() => ({
  FLYWHEEL_URL: system.apiUrl,
  FLYWHEEL_TOKEN: system.secrets.adminToken,
  FLYWHEEL_COMMUNITY_SECRET: system.secrets.communitySecret,
}));

interface Member {
  readonly memberId: string;
  readonly identities: string[];
  readonly activities: { activityId: string }[];
}
const member = async (identity: string) =>
  JSON.parse((await flywheel(['members', 'show', identity, '--json'])).stdout) as Member;
const recalculate = async () =>
  expect((await flywheel(['recalculate', '--from', '2025-10', '--to', '2025-10'])).code).toBe(0);

describe.skipIf(!splitDeclared)('flywheel members split (SPEC §9)', () => {
  beforeAll(async () => {
    system = await startTestSystem();
    dir = mkdtempSync(join(tmpdir(), 'flywheel-cli-'));
    const file = join(dir, 'community.jsonl');
    const talk = (activityId: string, identity: Record<string, string>) =>
      JSON.stringify({
        activityId,
        type: 'talk',
        member: identity,
        occurredAt: '2025-10-08T09:00:00Z',
      });
    writeFileSync(
      file,
      [
        talk('talk-ada', { github: 'ada' }),
        talk('talk-grace', { email: 'grace@example.com' }),
        talk('talk-forum', { forum: 'grace' }),
      ].join('\n'),
    );
    expect((await flywheel(['send', 'community', file])).code).toBe(0);
    await recalculate();
  });
  afterAll(async () => {
    await system?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('split after a merge makes the two members separate again', async () => {
    expect(
      (await flywheel(['members', 'merge', 'github:ada', 'email:grace@example.com'])).code,
    ).toBe(0);
    await recalculate();
    expect((await member('github:ada')).identities).toEqual(
      expect.arrayContaining(['github:ada', 'email:grace@example.com']),
    );

    const split = await flywheel(['members', 'split', 'email:grace@example.com']);
    expect(split.code).toBe(0);
    expect(split.stdout).toBe('Split email:grace@example.com off into a member of their own\n');
    await recalculate();
    const ada = await member('github:ada');
    const grace = await member('email:grace@example.com');
    expect(ada.memberId).not.toBe(grace.memberId);
    expect(ada.identities).not.toContain('email:grace@example.com');
    expect(ada.activities.map((a) => a.activityId)).toEqual(['talk-ada']);
    expect(grace.activities.map((a) => a.activityId)).toEqual(['talk-grace']);
  });

  it('an identity no member has is the API 404 (exit 1)', async () => {
    const run = await flywheel(['members', 'split', 'github:nobody']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/The API answered 404/);
  });

  it("identities of different members, or all of a member's, are the API 400 (exit 1)", async () => {
    const mixed = await flywheel(['members', 'split', 'github:ada', 'forum:grace']);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toMatch(/The API answered 400/);
    const all = await flywheel(['members', 'split', 'forum:grace']);
    expect(all.code).toBe(1);
    expect(all.stderr).toMatch(/The API answered 400/);
  });
});

describe('flywheel members split, usage', () => {
  it('takes identities written kind:value and refuses others before any request (exit 2)', async () => {
    const run = await runCli(['members', 'split', 'ada'], { FLYWHEEL_URL: 'http://127.0.0.1:1' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not an identity: write kind:value/);
  });
});
