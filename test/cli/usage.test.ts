import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.js';

/**
 * Usage errors end before any request, so they are checked in this process through `main`, the
 * function `bin/flywheel.mjs` calls (admin-commands.test.ts runs a few as real processes).
 */
async function run(
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(['node', 'flywheel', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

beforeEach(() => {
  // Nothing may be reached: a request would be a test failure, not a usage error.
  vi.stubEnv('FLYWHEEL_URL', 'http://127.0.0.1:1');
  vi.stubEnv('FLYWHEEL_TELEMETRY_SECRET', '');
  vi.stubEnv('FLYWHEEL_COMMUNITY_SECRET', '');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('usage errors exit 2 and say what is wrong', () => {
  it.each([
    [['nope'], /unknown command 'nope'/],
    [['acounts', 'list'], /Did you mean accounts\?/],
    [['accounts'], /Usage: flywheel accounts/],
    [['accounts', 'list', '--month', '2026-13'], /not a month/],
    [['accounts', 'list', '--status', 'gone'], /unknown status gone/],
    [['accounts', 'list', '--limit', '0'], /whole number/],
    [['accounts', 'list', '--nope'], /unknown option '--nope'/],
    [['accounts', 'show'], /missing required argument 'accountId'/],
    [['clusters', 'unattributed', '--month', '26-10'], /not a month/],
    [['config', 'set', 'kaThreshold'], /missing required argument 'value'/],
    [['config', 'set', 'ka-threshold', '1'], /not a configuration key/],
    [['program', 'get', '26'], /not a year/],
    [['map', 'c-1'], /missing required argument 'account'/],
    [['members', 'show'], /missing required argument 'member'/],
    [['members', 'merge', 'github:ada'], /at least two identities/],
    [['members', 'merge', 'ada', 'github:ada'], /not an identity/],
    [['members', 'split', 'name:Ada'], /not an identity/],
    [['review', 'recognize'], /missing required argument 'activityId'/],
    [['recalculate', '--from', '2026-01'], /required option '--to <month>'/],
    [['recalculate', '--from', '2026-05', '--to', '2026-01'], /after --to/],
    [['report', 'preview', '2026-1'], /not a month/],
    [['report', 'send'], /missing required argument 'month'/],
    [['tokens', 'create', 'x'], /required option '--role <role>'/],
    [['tokens', 'create', 'x', '--role', 'god'], /Allowed choices are viewer, reviewer, admin/],
    [['tokens', 'create', 'x', '--role', 'viewer', '--expires', 'soon'], /not an expiry/],
    [['tokens', 'revoke'], /missing required argument 'tokenId'/],
    [['send', 'telemetry'], /missing required argument 'file'/],
    [['send', 'community', 'events.jsonl'], /No signing secret: set FLYWHEEL_COMMUNITY_SECRET/],
    [['send', 'telemetry', 'x.jsonl', '--batch-size', '1001'], /1–1000/],
    [['--url', 'localhost:3000', 'status'], /must be an http/],
  ])('%j', async (args, message) => {
    const result = await run(args);
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });

  it('a send of a file that cannot be read is a usage error too', async () => {
    const result = await run([
      'send',
      'telemetry',
      '/nonexistent/x.jsonl',
      '--secret',
      'whsec_AAAA',
    ]);
    expect(result.stderr).toMatch(/Cannot read \/nonexistent\/x\.jsonl/);
    expect(result.code).toBe(2);
  });
});

describe('help', () => {
  it('--help and help <command> exit 0', async () => {
    expect((await run(['--help'])).code).toBe(0);
    const help = await run(['help', 'recalculate']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--from <month>/);
  });
});
