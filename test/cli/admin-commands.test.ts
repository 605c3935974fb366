import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/free-port.js';
import { startTestSystem, type TestSystem } from '../support/test-system.js';
import { cliFor, runCli } from './run-cli.js';

let system: TestSystem;
let dir: string;
const flywheel = cliFor(() => ({
  FLYWHEEL_URL: system.apiUrl,
  FLYWHEEL_TOKEN: system.secrets.adminToken,
}));
const config = async () =>
  (await (await system.api('/admin/config')).json()) as Record<string, unknown>;

beforeAll(async () => {
  system = await startTestSystem();
  dir = mkdtempSync(join(tmpdir(), 'flywheel-cli-'));
});
afterAll(async () => {
  await system?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('flywheel config', () => {
  it('config get prints the whole configuration, or one key', async () => {
    const all = await flywheel(['config', 'get']);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^kaThreshold\s+50$/m);
    expect((await flywheel(['config', 'get', 'kaThreshold'])).stdout).toBe('50\n');
    expect(
      JSON.parse((await flywheel(['config', 'get', 'countedEnvironments', '--json'])).stdout),
    ).toEqual(['production']);
  });

  it('config set sends a partial update with numbers and lists parsed', async () => {
    const run = await flywheel(['config', 'set', 'kaThreshold', '60']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('kaThreshold = 60\n');
    expect(
      await flywheel(['config', 'set', 'countedEnvironments', 'production,staging']),
    ).toMatchObject({ code: 0 });
    expect(await config()).toMatchObject({
      kaThreshold: 60,
      countedEnvironments: ['production', 'staging'],
      nearKaThreshold: 30,
    });
  });

  it("prints the API's refusal and exits 1 for a value it refuses", async () => {
    const run = await flywheel(['config', 'set', 'kaThreshold', '-1']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^flywheel: The API answered 400: .*negative/);
  });

  it('exits 2 for a key the configuration does not have', async () => {
    const run = await flywheel(['config', 'get', 'kaTreshold']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/has no key kaTreshold/);
  });
});

describe('flywheel program', () => {
  const tiers = [{ id: 'mve', name: 'MVE', minCount: 4, counts: ['talk'] }];

  it('program get shows the program in force and where it comes from', async () => {
    const run = await flywheel(['program', 'get', '2026']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Program of 2026 \(the default\)/);
    expect(run.stdout).toMatch(/outstanding\s+Outstanding Community Evangelist\s+10\s+talk/);
  });

  it('program set takes a file or stdin, as { tiers } or the bare array', async () => {
    const file = join(dir, 'program.json');
    writeFileSync(file, JSON.stringify({ tiers }));
    const fromFile = await flywheel(['program', 'set', '2027', file]);
    expect(fromFile.code).toBe(0);
    expect(fromFile.stdout).toBe('Program of 2027 set: mve (4)\n');
    const fromStdin = await flywheel(
      ['program', 'set', '2028', '--json'],
      {},
      JSON.stringify(tiers),
    );
    expect(fromStdin.code).toBe(0);
    const read = JSON.parse((await flywheel(['program', 'get', '2029', '--json'])).stdout);
    expect(read).toMatchObject({ year: 2029, from: 2028, tiers });
  });

  it('exits 2 for a file that is not a program, 1 for tiers the API refuses', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"tier": []}');
    expect((await flywheel(['program', 'set', '2027', bad])).code).toBe(2);
    expect((await flywheel(['program', 'set', '2027', join(dir, 'missing.json')])).code).toBe(2);
    const refused = await flywheel(['program', 'set', '2027'], {}, '[{"id":"x"}]');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/The API answered 400/);
  });
});

describe('flywheel tokens and access', () => {
  let viewer: { tokenId: string; token: string };

  it('tokens create prints the token once; tokens list never does', async () => {
    const run = await flywheel([
      'tokens',
      'create',
      'dashboard',
      '--role',
      'viewer',
      '--expires',
      '30d',
      '--json',
    ]);
    expect(run.code).toBe(0);
    viewer = JSON.parse(run.stdout);
    expect(viewer).toMatchObject({
      name: 'dashboard',
      role: 'viewer',
      token: expect.stringMatching(/^fwt_/),
    });
    const list = await flywheel(['tokens', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`${viewer.tokenId}\\s+dashboard\\s+viewer`));
    expect(list.stdout).not.toContain(viewer.token);
    const again = await flywheel(['tokens', 'create', 'dashboard', '--role', 'viewer']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/The API answered 409/);
  });

  it("a viewer's token reads (exit 0) and is refused a change with 403 (exit 1)", async () => {
    const env = { FLYWHEEL_TOKEN: viewer.token };
    expect((await flywheel(['config', 'get', 'kaThreshold'], env)).code).toBe(0);
    const refused = await flywheel(['map', 'c-1', 'acme'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/The API answered 403: .*\n.*too low a role/);
  });

  it('tokens revoke ends a token: its next use is a 401 naming FLYWHEEL_TOKEN', async () => {
    const run = await flywheel(['tokens', 'revoke', viewer.tokenId]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`Revoked ${viewer.tokenId}\n`);
    const refused = await flywheel(['accounts', 'list'], { FLYWHEEL_TOKEN: viewer.token });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/The API answered 401/);
    expect(refused.stderr).toMatch(/token from FLYWHEEL_TOKEN was refused. Set FLYWHEEL_TOKEN/);
  });

  it('without any token, a 401 says to set FLYWHEEL_TOKEN', async () => {
    const run = await runCli(['accounts', 'list'], { FLYWHEEL_URL: system.apiUrl });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/No token was given. Set FLYWHEEL_TOKEN/);
  });

  it('takes the bootstrap token from FLYWHEEL_ADMIN_TOKEN and flags over the environment', async () => {
    const bootstrap = {
      FLYWHEEL_URL: system.apiUrl,
      FLYWHEEL_ADMIN_TOKEN: system.secrets.adminToken,
    };
    expect((await runCli(['tokens', 'list'], bootstrap)).code).toBe(0);
    const flags = ['--url', system.apiUrl, '--token', system.secrets.adminToken, 'tokens', 'list'];
    expect((await runCli(flags, { FLYWHEEL_URL: 'http://127.0.0.1:1' })).code).toBe(0);
  });
});

describe('flywheel errors and usage', () => {
  it('an unreachable API names FLYWHEEL_URL and npm start (exit 1)', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const run = await runCli(['status'], { FLYWHEEL_URL: url });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /Cannot reach the Flywheel API at .* \(ECONNREFUSED\)\. Check FLYWHEEL_URL/,
    );
    expect(run.stderr).toMatch(/npm start/);
  });

  // The usage errors of every command are checked in process (usage.test.ts); these few run the
  // real process to check its exit code.
  it.each([
    [['nope'], /unknown command 'nope'/],
    [['accounts', 'list', '--month', '2026-13'], /not a month/],
    [['send', 'telemetry', 'events.jsonl'], /No signing secret: set FLYWHEEL_TELEMETRY_SECRET/],
  ])('exits 2 for usage errors: %j', async (args, message) => {
    const run = await flywheel(args);
    expect(run.stderr).toMatch(message);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
  });

  it('--help and --version exit 0', async () => {
    const help = await flywheel(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes: 0 success, 1 failure .*, 2 usage/);
    const sub = await flywheel(['send', 'community', '--help']);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toMatch(/Examples:\n {2}\$ flywheel send community community\.jsonl/);
    expect((await flywheel(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
