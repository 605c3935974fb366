import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.js';

/**
 * The requests each command sends, recorded by a stand-in server: the bodies of SPEC §3, §8 and
 * §9 exactly, whether or not the route exists yet on this branch (`members split`).
 */
interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly authorization: string | undefined;
  readonly body: unknown;
}

let server: Server;
let url: string;
let recorded: Recorded[] = [];

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    recorded.push({
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
      body: text === '' ? undefined : JSON.parse(text),
    });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));
beforeEach(() => {
  recorded = [];
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  return () => vi.restoreAllMocks();
});

async function sent(args: readonly string[]): Promise<Recorded> {
  const code = await main(['node', 'flywheel', '--url', url, '--token', 'fwt_test', ...args]);
  expect(code).toBe(0);
  expect(recorded).toHaveLength(1);
  return recorded[0] as Recorded;
}

describe('the requests flywheel sends', () => {
  it('members split: POST /admin/members/split with SPEC §9 identities', async () => {
    expect(await sent(['members', 'split', 'github:ada', 'email:ada@example.com'])).toEqual({
      method: 'POST',
      url: '/admin/members/split',
      authorization: 'Bearer fwt_test',
      body: { identities: [{ github: 'ada' }, { email: 'ada@example.com' }] },
    });
  });

  it('members merge: POST /admin/members/merge', async () => {
    expect(await sent(['members', 'merge', 'github:ada', 'forum:ada'])).toMatchObject({
      method: 'POST',
      url: '/admin/members/merge',
      body: { identities: [{ github: 'ada' }, { forum: 'ada' }] },
    });
  });

  it('members show: the identity as one path segment', async () => {
    expect((await sent(['members', 'show', 'email:ada@example.com', '--json'])).url).toBe(
      '/members/email%3Aada%40example.com',
    );
  });

  it('map: PUT /admin/clusters/{clusterId} with the account', async () => {
    expect(await sent(['map', 'c-1', 'acme'])).toMatchObject({
      method: 'PUT',
      url: '/admin/clusters/c-1',
      body: { accountId: 'acme' },
    });
  });

  it('review recognize and reject: PATCH /admin/activities/{activityId}', async () => {
    expect(await sent(['review', 'reject', 'post 1'])).toMatchObject({
      method: 'PATCH',
      url: '/admin/activities/post%201',
      body: { status: 'rejected' },
    });
  });

  it('config set: a partial PUT /admin/config', async () => {
    expect(await sent(['config', 'set', 'yearlyTarget', '6.5'])).toMatchObject({
      method: 'PUT',
      url: '/admin/config',
      body: { yearlyTarget: 6.5 },
    });
  });

  it('tokens create: POST /admin/tokens with the expiry as an instant', async () => {
    const request = await sent([
      'tokens',
      'create',
      'ada',
      '--role',
      'reviewer',
      '--expires',
      '2027-06-30',
    ]);
    expect(request).toMatchObject({
      method: 'POST',
      url: '/admin/tokens',
      body: { name: 'ada', role: 'reviewer', expiresAt: '2027-06-30T00:00:00Z' },
    });
  });

  it('report send --force and recalculate --no-wait', async () => {
    expect(await sent(['report', 'send', '2026-10', '--force'])).toMatchObject({
      method: 'POST',
      url: '/admin/reports/2026-10/send',
      body: { force: true },
    });
    recorded = [];
    expect(
      await sent(['recalculate', '--from', '2026-01', '--to', '2026-03', '--no-wait']),
    ).toMatchObject({
      method: 'POST',
      url: '/admin/recalculate',
      body: { from: '2026-01', to: '2026-03' },
    });
  });

  it('accounts list: the filters and the largest page as the query', async () => {
    const request = await sent([
      'accounts',
      'list',
      '--month',
      '2026-10',
      '--status',
      'new,near',
      '--q',
      'acme',
    ]);
    expect(request.method).toBe('GET');
    const query = new URL(request.url, url).searchParams;
    expect(Object.fromEntries(query)).toEqual({
      month: '2026-10',
      status: 'new,near',
      q: 'acme',
      limit: '1000',
    });
  });
});
