import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  FLYWHEEL_TELEMETRY_SECRET: system.secrets.telemetrySecret,
}));

const snapshot = (clusterId: string, nodes: number, month: string, accountId?: string) =>
  JSON.stringify({
    clusterId,
    ...(accountId ? { accountId } : {}),
    environment: 'production',
    nodes,
    reportedAt: `${month}-15T10:00:00Z`,
  });

beforeAll(async () => {
  system = await startTestSystem();
  dir = mkdtempSync(join(tmpdir(), 'flywheel-cli-'));
});
afterAll(async () => {
  await system?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('flywheel with telemetry, from delivery to report', () => {
  it('send telemetry delivers a JSON Lines file in batches and says what the API accepted', async () => {
    const file = join(dir, 'telemetry.jsonl');
    writeFileSync(
      file,
      [
        snapshot('c-acme-1', 40, '2025-09', 'acme'),
        snapshot('c-acme-1', 64, '2025-10', 'acme'),
        snapshot('c-beta-1', 35, '2025-10', 'beta'),
        snapshot('c-orphan', 20, '2025-10'),
        snapshot('c-orphan', 18, '2025-09'),
      ].join('\n'),
    );
    const run = await flywheel(['send', 'telemetry', file, '--batch-size', '2', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.totals).toEqual({
      batches: 3,
      accepted: 5,
      duplicates: 0,
      rejected: 0,
      unsendable: 0,
    });
    expect(existsSync(`${file}.flywheel-progress`)).toBe(false);
  });

  it('recalculate waits for the job and reports the months', async () => {
    const run = await flywheel(['recalculate', '--from', '2025-09', '--to', '2025-10']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Recalculated 2 months \(2025-09 to 2025-10\), job [0-9a-f-]{36}/);
    const json = await flywheel(['recalculate', '--from', '2025-10', '--to', '2025-10', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      status: 'succeeded',
      completedMonths: ['2025-10'],
    });
  });

  it('status shows the API up and the latest computed month', async () => {
    const run = await flywheel(['status']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Latest month\s+2025-10/);
    expect(run.stdout).toMatch(/Key accounts\s+1\n/);
    const json = JSON.parse((await flywheel(['status', '--json'])).stdout);
    expect(json).toMatchObject({ health: { ok: true }, latest: { month: '2025-10', kaCount: 1 } });
  });

  it('accounts list prints a table, or every account as JSON, following the pages', async () => {
    const table = await flywheel(['accounts', 'list', '--month', '2025-10']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^Month 2025-10\nACCOUNT\s+NAME\s+NODES\s+STATUS/);
    expect(table.stdout).toMatch(/acme\s+-\s+64\s+new/);
    const json = JSON.parse((await flywheel(['accounts', 'list', '--json'])).stdout);
    expect(json.accounts.map((a: { accountId: string }) => a.accountId)).toEqual(['acme', 'beta']);
    expect(json.nextCursor).toBeNull();
    // --limit 1 reads one page of one and leaves the cursor of the rest.
    const limited = JSON.parse(
      (await flywheel(['accounts', 'list', '--limit', '1', '--json'])).stdout,
    );
    expect(limited.accounts).toHaveLength(1);
    expect(limited.nextCursor).toEqual(expect.any(String));
    const near = JSON.parse(
      (await flywheel(['accounts', 'list', '--status', 'near', '--json'])).stdout,
    );
    expect(near.accounts.map((a: { accountId: string }) => a.accountId)).toEqual(['beta']);
  });

  it('accounts show prints an account, and a 404 with the API error and exit 1', async () => {
    const run = await flywheel(['accounts', 'show', 'acme']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Account\s+acme/);
    expect(run.stdout).toMatch(/2025-10\s+64\s+new/);
    const missing = await flywheel(['accounts', 'show', 'nobody']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/^flywheel: The API answered 404: .+/);
  });

  it('clusters unattributed lists the to-do list; map takes a cluster off it', async () => {
    const before = JSON.parse((await flywheel(['clusters', 'unattributed', '--json'])).stdout);
    expect(before.clusters.map((c: { clusterId: string }) => c.clusterId)).toEqual(['c-orphan']);
    const table = await flywheel(['clusters', 'unattributed', '--month', '2025-09']);
    expect(table.stdout).toMatch(/c-orphan\s+production\s+18/);

    const map = await flywheel(['map', 'c-orphan', 'acme']);
    expect(map.code).toBe(0);
    expect(map.stdout).toBe('Mapped cluster c-orphan to account acme\n');
    const listed = (await (await system.api('/clusters?attributed=false')).json()) as {
      clusters: unknown[];
    };
    expect(listed.clusters).toEqual([]);
    const after = await flywheel(['clusters', 'unattributed']);
    expect(after.stdout).toMatch(/\(none\)/);
  });

  it('report preview writes the month as HTML, to a file or stdout', async () => {
    const file = join(dir, 'report.html');
    const run = await flywheel(['report', 'preview', '2025-10', '-o', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Wrote the 2025-10 report to .*report\.html/);
    expect(readFileSync(file, 'utf8')).toMatch(/<html[\s\S]*<\/html>/i);
    const stdout = await flywheel(['report', 'preview', '2025-10']);
    expect(stdout.stdout).toMatch(/^<!DOCTYPE html|^<html/i);
    const json = JSON.parse((await flywheel(['report', 'preview', '2025-10', '--json'])).stdout);
    expect(json).toEqual({ month: '2025-10', html: stdout.stdout });
  });

  it('config set readies the report; report send mails it once unless --force', async () => {
    expect(
      (await flywheel(['config', 'set', 'reportRecipients', 'growth@example.com,cto@example.com']))
        .code,
    ).toBe(0);
    expect((await flywheel(['config', 'set', 'reportSender', 'reports@example.com'])).code).toBe(0);
    const first = JSON.parse((await flywheel(['report', 'send', '2025-10', '--json'])).stdout);
    expect(first).toMatchObject({ alreadySent: false, messageId: expect.any(String) });
    const again = await flywheel(['report', 'send', '2025-10']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already sent .*--force/);
    const forced = JSON.parse(
      (await flywheel(['report', 'send', '2025-10', '--force', '--json'])).stdout,
    );
    expect(forced.alreadySent).toBe(false);
  });
});
