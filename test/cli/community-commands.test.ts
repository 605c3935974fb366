import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/test-system.js';
import { cliFor } from './run-cli.js';

let system: TestSystem;
let dir: string;
const flywheel = cliFor(() => ({
  FLYWHEEL_URL: system.apiUrl,
  FLYWHEEL_TOKEN: system.secrets.adminToken,
  FLYWHEEL_COMMUNITY_SECRET: system.secrets.communitySecret,
}));

const activity = (
  activityId: string,
  type: string,
  member: Record<string, string>,
  title?: string,
) => JSON.stringify({ activityId, type, member, occurredAt: '2025-10-08T09:00:00Z', title });

const statusOf = async (activityId: string) => {
  const { activities } = (await (await system.api('/activities?limit=1000')).json()) as {
    activities: { activityId: string; status: string }[];
  };
  return activities.find((a) => a.activityId === activityId)?.status;
};

beforeAll(async () => {
  system = await startTestSystem();
  dir = mkdtempSync(join(tmpdir(), 'flywheel-cli-'));
  const file = join(dir, 'community.jsonl');
  writeFileSync(
    file,
    `${[
      activity('talk-1', 'talk', { github: 'ada', name: 'Ada' }, 'Scaling TiDB'),
      activity('post-1', 'article', { github: 'ada' }, 'Sharding without tears'),
      activity('post-2', 'article', { email: 'grace@example.com', name: 'Grace' }, 'HTAP'),
      activity('post-3', 'article', { forum: 'linus' }, 'Raft in practice'),
    ].join('\n')}\n`,
  );
  const sent = await flywheel(['send', 'community', file]);
  expect(sent.stdout).toBe(`Sent ${file}: 4 accepted, 0 duplicates, 0 refused, in 1 deliveries\n`);
  expect(sent.code).toBe(0);
  // Member evidence is kept by the recalculation (SPEC §7).
  expect((await flywheel(['recalculate', '--from', '2025-10', '--to', '2025-10'])).code).toBe(0);
});
afterAll(async () => {
  await system?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('flywheel review', () => {
  it('review list shows the submitted content, oldest first', async () => {
    const run = await flywheel(['review', 'list']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ACTIVITY\s+TYPE\s+OCCURRED AT\s+MEMBER\s+TITLE\n/);
    expect(run.stdout).toMatch(/post-2\s+article\s+2025-10-08T09:00:00Z\s+Grace\s+HTAP/);
    const json = JSON.parse((await flywheel(['review', 'list', '--json'])).stdout);
    expect(json.activities.map((a: { activityId: string }) => a.activityId).sort()).toEqual([
      'post-1',
      'post-2',
      'post-3',
    ]);
    expect(json.nextCursor).toBeNull();
  });

  it('review recognize and reject set the status, and the queue shrinks', async () => {
    const recognized = await flywheel(['review', 'recognize', 'post-1']);
    expect(recognized).toMatchObject({ code: 0, stdout: 'post-1: recognized\n' });
    expect((await flywheel(['review', 'reject', 'post-3'])).code).toBe(0);
    expect(await statusOf('post-1')).toBe('recognized');
    expect(await statusOf('post-3')).toBe('rejected');
    const queue = JSON.parse((await flywheel(['review', 'list', '--json'])).stdout);
    expect(queue.activities.map((a: { activityId: string }) => a.activityId)).toEqual(['post-2']);
  });

  it('an unknown activity is the API 404, exit 1', async () => {
    const run = await flywheel(['review', 'recognize', 'no-such-post']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/The API answered 404/);
  });
});

describe('flywheel members', () => {
  it('members show prints a member found by an identity', async () => {
    const run = await flywheel(['members', 'show', 'github:ada']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Identities\s+github:ada/);
    expect(run.stdout).toMatch(/talk-1\s+talk/);
    const json = JSON.parse((await flywheel(['members', 'show', 'github:ada', '--json'])).stdout);
    expect(json.activities.map((a: { activityId: string }) => a.activityId).sort()).toEqual([
      'post-1',
      'talk-1',
    ]);
  });

  it('members merge joins the members of the identities given', async () => {
    const run = await flywheel(['members', 'merge', 'github:ada', 'email:GRACE@example.com']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('Merged the members of github:ada, email:GRACE@example.com\n');
    expect((await flywheel(['recalculate', '--from', '2025-10', '--to', '2025-10'])).code).toBe(0);
    const member = (await (await system.api('/members/github:ada')).json()) as {
      identities: string[];
    };
    const byEmail = JSON.parse(
      (await flywheel(['members', 'show', 'email:grace@example.com', '--json'])).stdout,
    );
    expect(byEmail.identities).toEqual(member.identities);
    expect(member.identities).toEqual(
      expect.arrayContaining(['github:ada', 'email:grace@example.com']),
    );
  });

  it('an identity no member has is the API 404, exit 1', async () => {
    const run = await flywheel(['members', 'merge', 'github:ada', 'github:nobody']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/The API answered 404: .*github:nobody/);
  });
});
