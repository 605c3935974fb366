import type { Command } from 'commander';
import { identityArgument, integerArgument } from '../arguments.js';
import { cliContext } from '../cli-context.js';
import { UsageError } from '../errors.js';
import { withExamples } from '../help-examples.js';
import type { Identity } from '../identities.js';
import { collectList } from '../list-pages.js';
import { formatFields, formatTable } from '../table.js';
import { printList } from './list-output.js';

interface MemberDetail {
  readonly memberId: string;
  readonly name: string | null;
  readonly identities: string[];
  readonly accountId: string | null;
  readonly staff: boolean;
  readonly affiliations: Record<string, unknown>[];
  readonly activities: Record<string, unknown>[];
  readonly links: Record<string, unknown>[];
  readonly tiers: Record<string, string[]>;
}

interface ActivityRow {
  readonly activityId: string;
  readonly type: string;
  readonly status: string;
  readonly occurredAt: string;
  readonly title: string | null;
  readonly member: { memberId: string; name: string | null };
}

/** Identities as the API's bodies take them; the CLI writes them `kind:value`. */
const identitiesBody = (identities: readonly Identity[]) => ({ identities });
const written = (identities: readonly Identity[]) =>
  identities
    .flatMap((identity) => Object.entries(identity).map(([k, v]) => `${k}:${v}`))
    .join(', ');

/**
 * `flywheel members show|merge|split` (SPEC §7 `GET /members/{member}`, §3 `POST
 * /admin/members/merge`, §9 `POST /admin/members/split`).
 */
export function registerMembers(program: Command): void {
  const members = program.command('members').description('Show, merge or split community members');
  withExamples(
    members
      .command('show')
      .description(
        'Show a member: identities and why each belongs, affiliations, activities, tiers',
      )
      .argument('<member>', 'a member id or one of its identities written kind:value')
      .action(async (member: string, _options, self: Command) => {
        const context = cliContext(self);
        const found = await context.client.json<MemberDetail>(
          'GET',
          `/members/${encodeURIComponent(member)}`,
        );
        if (context.json) return context.printJson(found);
        context.print(
          formatFields([
            ['Member', found.memberId],
            ['Name', found.name],
            ['Identities', found.identities],
            ['Account', found.accountId],
            ['Staff', found.staff],
            [
              'Tiers',
              Object.entries(found.tiers).map(([year, tiers]) => `${year}: ${tiers.join(', ')}`),
            ],
          ]),
        );
        context.print('\nWhy these identities are one member\n');
        context.print(
          formatTable(found.links, [
            { header: 'IDENTITIES', value: (l) => l.identities },
            { header: 'CAUSE', value: (l) => l.cause },
            { header: 'ACTIVITY', value: (l) => l.activityId },
            { header: 'AT', value: (l) => l.at },
          ]),
        );
        context.print('\nActivities\n');
        context.print(
          formatTable(found.activities, [
            { header: 'ACTIVITY', value: (a) => a.activityId },
            { header: 'TYPE', value: (a) => a.type },
            { header: 'STATUS', value: (a) => a.status },
            { header: 'OCCURRED AT', value: (a) => a.occurredAt },
            { header: 'TITLE', value: (a) => a.title },
          ]),
        );
      }),
    ['flywheel members show github:ada', "flywheel members show 'email:ada@example.com' --json"],
  );
  withExamples(
    members
      .command('merge')
      .description('Merge the members these identities belong to into one')
      .argument(
        '<identity...>',
        'two or more identities written kind:value (email, github, forum)',
        identityArgument,
      )
      .action(async (identities: Identity[], _options, self: Command) => {
        const context = cliContext(self);
        if (identities.length < 2) {
          throw new UsageError(
            'Name at least two identities to merge, e.g. github:ada email:ada@x.com',
          );
        }
        const answer = await context.client.json('POST', '/admin/members/merge', {
          body: identitiesBody(identities),
        });
        if (context.json) return context.printJson(answer);
        context.print(`Merged the members of ${written(identities)}\n`);
      }),
    ['flywheel members merge github:ada email:ada@example.com'],
  );
  withExamples(
    members
      .command('split')
      .description(
        'Split identities off their member into a member of their own (undoes a wrong merge)',
      )
      .argument('<identity...>', 'identities of one member, written kind:value', identityArgument)
      .action(async (identities: Identity[], _options, self: Command) => {
        const context = cliContext(self);
        const answer = await context.client.json('POST', '/admin/members/split', {
          body: identitiesBody(identities),
        });
        if (context.json) return context.printJson(answer ?? { identities });
        context.print(`Split ${written(identities)} off into a member of their own\n`);
      }),
    ['flywheel members split github:ada', 'flywheel members split github:ada forum:ada'],
  );
}

/** `flywheel review list|recognize|reject` (SPEC §7 `GET /activities?status=submitted`, §3 PATCH). */
export function registerReview(program: Command): void {
  const review = program.command('review').description("The content committee's review queue");
  withExamples(
    review
      .command('list')
      .description('List submitted content waiting for review, oldest first')
      .option('--limit <n>', 'print at most n (default: all, page by page)', integerArgument(1))
      .action(async (options: { limit?: number }, self: Command) => {
        const context = cliContext(self);
        const query = { status: 'submitted' };
        const list = await collectList<ActivityRow>(
          context.client,
          '/activities',
          'activities',
          query,
          options.limit,
        );
        printList(context, 'activities', list, [
          { header: 'ACTIVITY', value: (a) => a.activityId },
          { header: 'TYPE', value: (a) => a.type },
          { header: 'OCCURRED AT', value: (a) => a.occurredAt },
          { header: 'MEMBER', value: (a) => a.member.name ?? a.member.memberId },
          { header: 'TITLE', value: (a) => a.title },
        ]);
      }),
    ['flywheel review list', 'flywheel review list --limit 10 --json'],
  );
  for (const [name, status, verb] of [
    ['recognize', 'recognized', 'Recognise'],
    ['reject', 'rejected', 'Reject'],
  ] as const) {
    withExamples(
      review
        .command(name)
        .description(`${verb} a piece of content (sets its status to ${status})`)
        .argument('<activityId>', 'the activity id, as review list shows it')
        .action(async (activityId: string, _options, self: Command) => {
          const context = cliContext(self);
          const updated = await context.client.json(
            'PATCH',
            `/admin/activities/${encodeURIComponent(activityId)}`,
            {
              body: { status },
            },
          );
          if (context.json) return context.printJson(updated);
          context.print(`${activityId}: ${status}\n`);
        }),
      [`flywheel review ${name} blog-2026-10-tidb-at-scale`],
    );
  }
}
