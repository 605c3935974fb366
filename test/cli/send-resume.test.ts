import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
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

/** What the stand-in proxy does with the n-th delivery (1-based). */
type Behaviour = (n: number) => 'forward' | 'lose-answer' | 'fail' | 'throttle';

interface Proxy {
  readonly url: string;
  /** The `webhook-id` of each delivery that reached the proxy, in order. */
  readonly webhookIds: string[];
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of the local API that fails deliveries on cue, as a flaky network or an
 * overloaded API would: `lose-answer` forwards the delivery (the API stores it) but answers 502,
 * `fail` answers 500 without forwarding, `throttle` answers 503 with `Retry-After: 1`.
 */
async function failingProxy(behaviour: Behaviour): Promise<Proxy> {
  const webhookIds: string[] = [];
  const server: Server = createServer(async (req, res) => {
    webhookIds.push(String(req.headers['webhook-id']));
    const action = behaviour(webhookIds.length);
    if (action === 'fail') return res.writeHead(500).end('{"error":"proxy down"}');
    if (action === 'throttle') {
      return res.writeHead(503, { 'retry-after': '1' }).end('{"error":"slow down"}');
    }
    const forwarded = await fetch(`${system.apiUrl}${req.url}`, {
      method: req.method ?? 'POST',
      headers: Object.fromEntries(
        ['content-type', 'webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [
          h,
          String(req.headers[h]),
        ]),
      ),
      body: await bodyOf(req),
    });
    const text = await forwarded.text();
    if (action === 'lose-answer') return res.writeHead(502).end('Bad Gateway');
    res.writeHead(forwarded.status, { 'content-type': 'application/json' }).end(text);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    webhookIds,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A file of `count` answers whose ids start with `prefix`, one JSON object a line. */
function answersFile(prefix: string, count: number): string {
  const file = join(dir, `${prefix}.jsonl`);
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      activityId: `${prefix}-${i + 1}`,
      type: 'answer',
      member: { github: `${prefix}-member-${i % 3}` },
      occurredAt: '2025-10-08T09:00:00Z',
    }),
  );
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** The activity ids the API holds with this prefix. */
async function storedIds(prefix: string): Promise<string[]> {
  const { activities } = (await (await system.api('/activities?limit=1000')).json()) as {
    activities: { activityId: string }[];
  };
  return activities.map((a) => a.activityId).filter((id) => id.startsWith(`${prefix}-`));
}

beforeAll(async () => {
  system = await startTestSystem();
  dir = mkdtempSync(join(tmpdir(), 'flywheel-cli-'));
});
afterAll(async () => {
  await system?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('flywheel send resumes a failed run', () => {
  it('resumes where a failed run stopped, resending the unanswered batch under its webhook-id', async () => {
    const file = answersFile('cut', 25);
    const proxy = await failingProxy((n) =>
      n === 1 ? 'forward' : n === 2 ? 'lose-answer' : 'fail',
    );
    const failed = await flywheel([
      'send',
      'community',
      file,
      '--batch-size',
      '10',
      '--url',
      proxy.url,
    ]);
    await proxy.close();
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/The API answered 502/);
    expect(failed.stderr).toMatch(
      /Stopped at line 11 of .*cut\.jsonl.*Run the same command again/s,
    );
    const state = JSON.parse(readFileSync(`${file}.flywheel-progress`, 'utf8'));
    expect(state).toMatchObject({
      source: 'community',
      done: { line: 10 },
      pending: { end: { line: 20 } },
    });
    expect(state.pending.webhookId).toBe(proxy.webhookIds[1]);
    // The lost answer's batch did arrive: 20 stored, although the command saw only 10 accepted.
    expect(await storedIds('cut')).toHaveLength(20);

    const resumed = await flywheel(['send', 'community', file, '--batch-size', '10', '--json']);
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(resumed.stdout);
    expect(summary).toMatchObject({
      resumedAtLine: 11,
      lines: 25,
      // Lines 11–20 went again and counted as duplicates; 21–25 are new.
      totals: { batches: 3, accepted: 15, duplicates: 10, rejected: 0, unsendable: 0 },
    });
    expect((await storedIds('cut')).sort()).toEqual(
      Array.from({ length: 25 }, (_, i) => `cut-${i + 1}`).sort(),
    );
    expect(existsSync(`${file}.flywheel-progress`)).toBe(false);
  });

  it('resumes from a progress file written as if a run stopped after line 4', async () => {
    const file = answersFile('kept', 6);
    const bytes = readFileSync(file);
    let offset = 0;
    for (let line = 0; line < 4; line++) offset = bytes.indexOf(0x0a, offset) + 1;
    writeFileSync(
      `${file}.flywheel-progress`,
      JSON.stringify({
        version: 1,
        source: 'community',
        done: { offset, line: 4 },
        pending: null,
        checkedBytes: offset,
        sha256: createHash('sha256').update(bytes.subarray(0, offset)).digest('hex'),
        totals: { batches: 1, accepted: 4, duplicates: 0, rejected: 0, unsendable: 0 },
        updatedAt: '2026-11-30T12:00:00Z',
      }),
    );
    const run = await flywheel(['send', 'community', file]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/Resuming .*kept\.jsonl at line 5/);
    expect(run.stdout).toMatch(
      /resumed at line 5\): 6 accepted, 0 duplicates, 0 refused, in 2 deliveries/,
    );
    expect((await storedIds('kept')).sort()).toEqual(['kept-5', 'kept-6']);
  });

  it('refuses to resume a file changed in the part already sent (exit 2); --restart starts over', async () => {
    const file = answersFile('edit', 3);
    const proxy = await failingProxy((n) => (n === 1 ? 'forward' : 'fail'));
    expect(
      (await flywheel(['send', 'community', file, '--batch-size', '1', '--url', proxy.url])).code,
    ).toBe(1);
    await proxy.close();
    writeFileSync(file, readFileSync(file, 'utf8').replace('edit-1', 'edit-9'));
    const refused = await flywheel(['send', 'community', file]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/changed in the part already sent.*--restart/s);
    const restarted = JSON.parse(
      (await flywheel(['send', 'community', file, '--restart', '--json'])).stdout,
    );
    expect(restarted.totals).toMatchObject({ accepted: 3, duplicates: 0 });
  });
});

describe('flywheel send under back-pressure and refusals', () => {
  it('retries a 503 after its Retry-After with the same webhook-id', async () => {
    const file = answersFile('busy', 4);
    const proxy = await failingProxy((n) => (n === 1 ? 'throttle' : 'forward'));
    const started = Date.now();
    const run = await flywheel(['send', 'community', file, '--url', proxy.url]);
    await proxy.close();
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/answered 503; retrying in 1\.0 s/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(proxy.webhookIds).toHaveLength(2);
    expect(proxy.webhookIds[1]).toBe(proxy.webhookIds[0]);
    expect(await storedIds('busy')).toHaveLength(4);
  });

  it('prints refused lines by line number and exits 1, after sending the rest', async () => {
    const file = join(dir, 'mixed.jsonl');
    const good = (id: string) =>
      JSON.stringify({
        activityId: id,
        type: 'talk',
        member: { github: 'ada' },
        occurredAt: '2025-10-01T10:00Z',
      });
    writeFileSync(
      file,
      [
        good('mixed-1'),
        '{not json',
        good('mixed-3'),
        '',
        JSON.stringify({ activityId: 'mixed-5', type: 'talk' }),
      ].join('\n'),
    );
    const run = await flywheel(['send', 'community', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^Refused lines\nLINE\s+ERROR\n/);
    expect(run.stdout).toMatch(/^\s*2\s+not JSON/m);
    expect(run.stdout).toMatch(/^\s*5\s+.*member/m);
    expect(run.stdout).toMatch(/2 accepted, 0 duplicates, 2 refused, in 1 deliveries/);
    expect(run.stderr).toMatch(/2 line\(s\) were refused/);
    expect((await storedIds('mixed')).sort()).toEqual(['mixed-1', 'mixed-3']);
    const json = JSON.parse((await flywheel(['send', 'community', file, '--json'])).stdout);
    expect(json.refused).toEqual([
      { line: 2, error: expect.stringMatching(/^not JSON/) },
      { line: 5, error: expect.stringMatching(/member/) },
    ]);
    expect(json.totals).toMatchObject({ accepted: 0, duplicates: 2 });
  });

  it('a wrong secret is a 401 that names the secret variable', async () => {
    const file = answersFile('unsigned', 1);
    const run = await flywheel(['send', 'community', file], {
      FLYWHEEL_COMMUNITY_SECRET: `whsec_${Buffer.from('not the secret').toString('base64')}`,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/The API answered 401.*\n.*FLYWHEEL_COMMUNITY_SECRET/);
  });
});
