import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { checkJava, ensureTables, localClient, startDynamoDb } from '../../local/dynamodb.js';
import { freePort } from '../../local/free-port.js';
import { loadOrCreateSecrets } from '../../local/secrets.js';

const dataDir = mkdtempSync(join(tmpdir(), 'flywheel-data-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('local mode keeps its data in FLYWHEEL_DATA_DIR', () => {
  it('keeps DynamoDB Local data across a restart', async () => {
    const path = join(dataDir, 'dynamodb');
    const port = await freePort();
    const first = await startDynamoDb({ port, path });
    const client = localClient(first.endpoint);
    const { main } = await ensureTables(client, 'flywheel-');
    await client.send(
      new PutItemCommand({ TableName: main, Item: { pk: { S: 'kept' }, sk: { S: 'x' } } }),
    );
    client.destroy();
    await first.stop();

    const second = await startDynamoDb({ port, path });
    const again = localClient(second.endpoint);
    try {
      await ensureTables(again, 'flywheel-'); // finds the tables, creates nothing
      const item = await again.send(
        new GetItemCommand({ TableName: main, Key: { pk: { S: 'kept' }, sk: { S: 'x' } } }),
      );
      expect(item.Item?.pk?.S).toBe('kept');
    } finally {
      again.destroy();
      await second.stop();
    }
  });

  it('generates secrets once, keeps them readable by the owner only, and lets the environment win', () => {
    const saved = process.env.FLYWHEEL_ADMIN_TOKEN;
    delete process.env.FLYWHEEL_ADMIN_TOKEN;
    try {
      const first = loadOrCreateSecrets(dataDir);
      expect(first.telemetrySecret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      expect(loadOrCreateSecrets(dataDir)).toEqual(first);
      expect(statSync(join(dataDir, 'secrets.json')).mode & 0o077).toBe(0);
      process.env.FLYWHEEL_ADMIN_TOKEN = 'from-the-environment';
      expect(loadOrCreateSecrets(dataDir).adminToken).toBe('from-the-environment');
    } finally {
      if (saved === undefined) delete process.env.FLYWHEEL_ADMIN_TOKEN;
      else process.env.FLYWHEEL_ADMIN_TOKEN = saved;
    }
  });
});

it('adds the GitHub and Discourse secrets, plain strings, to a data dir kept before they existed', () => {
  const names = ['FLYWHEEL_GITHUB_SECRET', 'FLYWHEEL_DISCOURSE_SECRET'] as const;
  const saved = names.map((name) => process.env[name]);
  for (const name of names) delete process.env[name];
  const older = join(dataDir, 'older');
  mkdirSync(older, { recursive: true });
  const kept = {
    adminToken: 'kept-token',
    telemetrySecret: 'whsec_AAAA',
    communitySecret: 'whsec_BBBB',
  };
  writeFileSync(join(older, 'secrets.json'), JSON.stringify(kept));
  try {
    const secrets = loadOrCreateSecrets(older);
    expect(secrets).toMatchObject(kept);
    // What GitHub's and Discourse's settings pages take: no whsec_, no space (the rotation separator).
    expect(secrets.githubSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(secrets.discourseSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(secrets.githubSecret).not.toBe(secrets.discourseSecret);
    expect(loadOrCreateSecrets(older)).toEqual(secrets);
  } finally {
    names.forEach((name, i) => {
      const value = saved[i];
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    });
  }
});

it('says plainly that Java is needed when it is not on PATH', () => {
  const saved = process.env.PATH;
  process.env.PATH = dataDir;
  try {
    expect(() => checkJava()).toThrow(/Java 17 or newer is needed/);
  } finally {
    process.env.PATH = saved;
  }
});
