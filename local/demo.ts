/**
 * `npm run demo`: three years of a growing open-source infrastructure company, sent through
 * Flywheel's signed webhooks, recalculated and mailed as the latest month's report. Uses the
 * Flywheel running on PORT, or starts one and keeps it running so the results can be browsed.
 * Seeded (`--seed`, FLYWHEEL_DEMO_SEED) and idempotent: a re-run delivers the same ids, which the
 * server reports as duplicates.
 */
import { parseArgs } from 'node:util';
import pMap from 'p-map';
import type { Month } from '../lambdas/domain/month.js';
import { type AdminApi, adminApi, DemoError, waitForJob } from './demo/api.js';
import { communityStory } from './demo/community.js';
import { type CompanyStory, companyStory } from './demo/company.js';
import { progressBar } from './demo/progress.js';
import { type Delivered, deliverAll } from './demo/send.js';
import { printSummary } from './demo/summary.js';
import { connect, type DemoTarget } from './demo/system.js';
import { storyMonths } from './demo/timeline.js';

const timeZone = 'Asia/Shanghai';
const defaultSeed = 9;
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const count = (n: number) => n.toLocaleString('en');

function seedFromArguments(): number {
  let values: { seed?: string | undefined };
  try {
    ({ values } = parseArgs({ options: { seed: { type: 'string' } }, strict: true }));
  } catch (error) {
    throw new DemoError((error as Error).message, 'the only option is `npm run demo -- --seed 42`');
  }
  const text = values.seed ?? process.env.FLYWHEEL_DEMO_SEED ?? String(defaultSeed);
  const seed = Number(text);
  if (!Number.isSafeInteger(seed)) {
    throw new DemoError(
      `the seed must be an integer, got "${text}"`,
      'try `npm run demo -- --seed 42`',
    );
  }
  return seed;
}

function reportDelivery(what: string, outcome: Delivered): void {
  const rate = Math.round(
    (outcome.accepted + outcome.duplicates) / Math.max(outcome.seconds, 0.001),
  );
  console.log(
    `  ${what}: ${count(outcome.accepted)} accepted, ${count(outcome.duplicates)} duplicates, ` +
      `${outcome.rejected.length} rejected in ${outcome.seconds.toFixed(1)} s (${count(rate)}/s)`,
  );
  for (const r of outcome.rejected.slice(0, 3)) console.log(`    item ${r.index}: ${r.error}`);
}

/** Settings first: the reporting zone decides which month each snapshot is filed under. */
async function configure(api: AdminApi, story: ReturnType<typeof stories>): Promise<void> {
  await api('PUT', '/admin/config', {
    timezone: timeZone,
    yearlyTarget: 8,
    reportRecipients: ['growth@example.com', 'ceo@example.com'],
    reportSender: 'flywheel@example.com',
  });
  for (const program of story.community.programs) {
    await api('PUT', `/admin/programs/${program.year}`, { tiers: program.tiers });
  }
  const { accounts } = story.company;
  const bar = progressBar('Accounts', 'names', accounts.length);
  let named = 0;
  try {
    await pMap(
      accounts,
      async (account) => {
        await api('PUT', `/admin/accounts/${account.accountId}`, { name: account.name });
        bar.update(++named);
      },
      { concurrency: 8 },
    );
  } finally {
    bar.stop();
  }
  const thresholds = story.community.programs.map((p) => `${p.year} ${p.tiers[0]?.minCount}`);
  console.log(
    `  Configured ${timeZone}, 2 report recipients, programs with MVE at ${thresholds.join(', ')} ` +
      `(default 3 before), ${count(story.company.accounts.length)} account names  [${elapsed()}]`,
  );
}

function stories(seed: number, months: readonly Month[]) {
  const company = companyStory({ seed, months, timeZone });
  const community = communityStory({ seed, months, timeZone, accounts: company.accounts });
  return { company, community };
}

async function run(target: DemoTarget, seed: number): Promise<void> {
  const api = adminApi(target.apiUrl, target.secrets.adminToken);
  const months = storyMonths(new Date(), timeZone);
  const [first, last] = [months[0] as Month, months.at(-1) as Month];
  const story = stories(seed, months);
  const { events } = story.company;
  const { activities, reviews, members } = story.community;
  console.log(
    `\nThe story (seed ${seed}): ${first} to ${last} in ${timeZone} — ${count(story.company.accounts.length)} accounts, ` +
      `${count(events.length)} telemetry snapshots, ${count(members.length)} community members, ` +
      `${count(activities.length)} activities and ${count(reviews.length)} content reviews  [${elapsed()}]`,
  );
  await configure(api, story);

  console.log('\nSending it through the signed webhooks…');
  const telemetry = {
    url: `${target.apiUrl}/webhooks/telemetry`,
    secret: target.secrets.telemetrySecret,
    key: 'events',
  };
  const community = {
    url: `${target.apiUrl}/webhooks/community`,
    secret: target.secrets.communitySecret,
    key: 'activities',
  };
  reportDelivery(
    'Telemetry',
    await deliverAll({ ...telemetry, items: events, label: 'Telemetry', unit: 'events' }),
  );
  reportDelivery(
    'Activities',
    await deliverAll({ ...community, items: activities, label: 'Activities', unit: 'items' }),
  );
  // The content committee's verdicts arrive later, as redeliveries of the same activities.
  reportDelivery(
    'Reviews',
    await deliverAll({ ...community, items: reviews, label: 'Reviews', unit: 'items' }),
  );
  console.log('  (a review is a redelivery: the server updates the status and counts a duplicate)');

  await mergeAcquisition(api, story.company);

  console.log(`\nRecalculating ${first} to ${last}…`);
  const { body } = await api('POST', '/admin/recalculate', { from: first, to: last });
  const seconds = await waitForJob(api, (body as { jobId: string }).jobId, months.length);
  console.log(
    `  ${months.length} months recalculated in ${seconds.toFixed(1)} s  [${elapsed()}]\n`,
  );
  await printSummary(api, months);
  await mailReport(api, target, last);
}

/** SPEC §9: the acquired account becomes an alias of its buyer, so it is one account all along. */
async function mergeAcquisition(api: AdminApi, company: CompanyStory): Promise<void> {
  const { acquisition, accounts } = company;
  if (!acquisition) return;
  await api('POST', '/admin/accounts/merge', {
    into: acquisition.into,
    accounts: [acquisition.account],
  });
  const name = (id: string) => accounts.find((a) => a.accountId === id)?.name ?? id;
  console.log(
    `\n${name(acquisition.into)} bought ${name(acquisition.account)} in ${acquisition.month}: merged ` +
      '(POST /admin/accounts/merge), so neither a churn nor a new KA — undo it with\n' +
      `  DELETE /admin/accounts/${acquisition.into}/aliases/${acquisition.account}  [${elapsed()}]`,
  );
}

async function mailReport(api: AdminApi, target: DemoTarget, month: Month): Promise<void> {
  console.log(`\nMailing the ${month} report…`);
  const curl = `curl -s -H 'authorization: Bearer ${target.secrets.adminToken}' ${target.apiUrl}/reports/${month} -o report-${month}.html`;
  try {
    const sent = await api(
      'POST',
      `/admin/reports/${month}/send`,
      { force: true },
      { allow: [501] },
    );
    if (sent.status === 501) {
      console.log(
        '  The report is not built on this server yet (501 Not Implemented): the data and metrics are\n' +
          '  loaded; run `npm run demo` again once the report routes exist to mail it. It will be in',
      );
      console.log(`  the mailbox ${target.sesEndpoint}/ and at: ${curl}`);
      return;
    }
    const { messageId } = sent.body as { messageId?: string };
    console.log(`  Sent to growth@example.com, ceo@example.com (message ${messageId ?? '?'}).`);
    console.log(`  Read it in the mailbox:  ${target.sesEndpoint}/`);
    console.log(`  Or as a web page:        ${curl}`);
  } catch (error) {
    // The data is loaded and browsable even when the report fails: say so rather than stop.
    process.exitCode = 1;
    console.log(`  Could not mail the report: ${(error as Error).message}`);
  }
}

async function main(): Promise<void> {
  const seed = seedFromArguments();
  const target = await connect();
  let [done, stopping] = [false, false];
  const stopOnSignal = async () => {
    if (stopping) process.exit(1); // a second Ctrl-C does not wait
    stopping = true;
    console.log('\nStopping Flywheel…');
    await target.stop?.();
    console.log('Stopped. The data is kept; `npm start` serves it again.');
    process.exit(done ? 0 : 130);
  };
  if (target.stop) {
    process.on('SIGINT', stopOnSignal);
    process.on('SIGTERM', stopOnSignal);
  }
  try {
    await run(target, seed);
  } catch (error) {
    // Interrupted: the signal handler is stopping everything; its requests failing is no news.
    if (stopping) return;
    await target.stop?.();
    throw error;
  }
  done = true;
  console.log(`\nDemo done in ${elapsed()}.`);
  if (!target.stop) process.exit();
  target.showRequestLog();
  console.log(
    `Flywheel keeps running so you can browse it: API ${target.apiUrl}, mailbox ${target.sesEndpoint}/\n` +
      `Admin token ${target.secrets.adminToken}\nPress Ctrl-C to stop it.`,
  );
}

main().catch((error: Error) => {
  const hint = error instanceof DemoError ? ` — ${error.hint}` : '';
  console.error(`\nThe demo failed: ${error.message}${hint}`);
  process.exit(1);
});
