/**
 * The GitHub mapping of SPEC §11 as pure functions, on GitHub's documented example payloads
 * (`@octokit/webhooks-examples`): which deliveries count, and the community activity each becomes.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lambdas/domain/errors.js';
import { githubDelivery, githubSource, isBot } from '../../lambdas/ingestion/github.js';
import { githubExample, mergedPullRequest, type Payload } from '../support/sender-deliveries.js';

const now = new Date('2026-06-01T00:00:00Z');
const itemsOf = (event: string, payload: unknown) => {
  const contents = githubDelivery(event, payload);
  return contents.kind === 'items' ? contents.items : contents.kind;
};
/** The activity a delivery becomes, through the source's own item schema. */
function activityOf(event: string, payload: Payload) {
  const [item] = itemsOf(event, payload) as unknown[];
  return githubSource.itemSchema(now).parse(item);
}
const errorOf = (event: string, payload: Payload) => {
  const [item] = itemsOf(event, payload) as unknown[];
  const parsed = githubSource.itemSchema(now).safeParse(item);
  return parsed.success ? undefined : parsed.error.issues.map((i) => i.path.join('.')).join(' ');
};

describe('githubDelivery: which deliveries count (SPEC §11)', () => {
  it('reads every documented ping, for a repository or an organisation hook, as a ping', () => {
    for (const which of [0, 1, 2, 3]) {
      expect(githubDelivery('ping', githubExample('ping', undefined, which))).toEqual({
        kind: 'ping',
      });
    }
  });

  it('counts a pull request closed with merged: true, and not the documented closed-unmerged one', () => {
    expect(itemsOf('pull_request', mergedPullRequest())).toHaveLength(1);
    expect(itemsOf('pull_request', githubExample('pull_request', 'closed'))).toEqual([]);
    expect(itemsOf('pull_request', githubExample('pull_request', 'opened'))).toEqual([]);
  });

  it('counts issues opened, and no other issues action (an edit never counts again)', () => {
    expect(itemsOf('issues', githubExample('issues', 'opened'))).toHaveLength(1);
    for (const action of ['edited', 'labeled', 'reopened', 'deleted']) {
      expect(itemsOf('issues', githubExample('issues', action)), action).toEqual([]);
    }
  });

  it('counts a discussion answered, and not a discussion created', () => {
    expect(itemsOf('discussion', githubExample('discussion', 'answered'))).toHaveLength(1);
    expect(itemsOf('discussion', githubExample('discussion', 'created'))).toEqual([]);
  });

  it('ignores other events, even those whose payload looks like a counted one', () => {
    expect(itemsOf('push', githubExample('push'))).toEqual([]);
    expect(itemsOf('issue_comment', githubExample('issue_comment', 'created'))).toEqual([]);
    expect(itemsOf('check_suite', githubExample('check_suite'))).toEqual([]);
    expect(itemsOf('pull_request_review', mergedPullRequest())).toEqual([]);
  });

  it('ignores what a bot authored: a login ending in [bot], or type "Bot"', () => {
    const byLogin = mergedPullRequest();
    byLogin.pull_request.user.login = 'dependabot[bot]';
    const byType = githubExample('issues', 'opened');
    byType.issue.user.type = 'Bot';
    const answeredByBot = githubExample('discussion', 'answered');
    answeredByBot.answer.user.login = 'github-actions[bot]';
    expect(itemsOf('pull_request', byLogin)).toEqual([]);
    expect(itemsOf('issues', byType)).toEqual([]);
    expect(itemsOf('discussion', answeredByBot)).toEqual([]);
  });

  it("judges the author, not the sender: a human's pull request merged by a bot counts", () => {
    const payload = mergedPullRequest();
    payload.sender = { login: 'mergify[bot]', type: 'Bot' };
    payload.pull_request.merged_by = payload.sender;
    expect(itemsOf('pull_request', payload)).toHaveLength(1);
  });

  it('refuses a body that is not a JSON object with a ValidationError (400)', () => {
    for (const body of [null, [], 'text', 42]) {
      expect(() => githubDelivery('pull_request', body)).toThrow(ValidationError);
    }
  });

  it.each([
    [{ login: 'renovate[bot]' }, true],
    [{ login: 'octocat', type: 'Bot' }, true],
    [{ login: 'octocat', type: 'User' }, false],
    [{ login: 'bot-fan' }, false],
    [undefined, false],
  ])('isBot(%j) is %s', (user, bot) => {
    expect(isBot(user)).toBe(bot);
  });
});

describe('the activity each counted delivery becomes (SPEC §11)', () => {
  it('a merged pull request: a code-contribution by its author at merged_at', () => {
    expect(activityOf('pull_request', mergedPullRequest('2026-03-15T10:00:00Z'))).toEqual({
      activityId: 'github:Codertocat/Hello-World#pr-2',
      type: 'code-contribution',
      occurredAt: '2026-03-15T10:00:00Z',
      status: 'delivered',
      identities: ['github:codertocat'],
      title: 'Update the README with new information.',
      url: 'https://github.com/Codertocat/Hello-World/pull/2',
    });
  });

  it('an opened issue: an issue by its author at created_at', () => {
    expect(activityOf('issues', githubExample('issues', 'opened'))).toEqual({
      activityId: 'github:Codertocat/Hello-World#issue-1',
      type: 'issue',
      occurredAt: '2019-05-15T15:20:18Z',
      status: 'delivered',
      identities: ['github:codertocat'],
      title: 'Spelling error in the README file',
      url: 'https://github.com/Codertocat/Hello-World/issues/1',
    });
  });

  it("an answered discussion: an answer by answer.user at the answer's created_at, not by who chose it", () => {
    const payload = githubExample('discussion', 'answered');
    expect(payload.sender.login).toBe('Codertocat');
    expect(activityOf('discussion', payload)).toEqual({
      activityId: 'github:Codertocat/Hello-World#answer-550561',
      type: 'answer',
      occurredAt: '2021-03-30T23:16:42Z',
      status: 'delivered',
      identities: ['github:dan2wik'],
      title: 'TEST edit',
      url: 'https://github.com/Codertocat/Hello-World/discussions/4#discussioncomment-550561',
    });
  });

  it('keeps the same activity id for every delivery of the same thing', () => {
    const first = activityOf('pull_request', mergedPullRequest('2026-03-15T10:00:00Z'));
    const edited = mergedPullRequest('2026-03-15T10:00:00Z');
    edited.pull_request.title = 'A new title';
    expect(activityOf('pull_request', edited).activityId).toBe(first.activityId);
  });

  it('shortens a title longer than a community item takes, rather than refusing the activity', () => {
    const payload = githubExample('issues', 'opened');
    payload.issue.title = 'x'.repeat(600);
    expect(activityOf('issues', payload).title).toHaveLength(500);
  });

  it('refuses a counted payload without what the activity needs, naming the field', () => {
    const noMergedAt = mergedPullRequest();
    noMergedAt.pull_request.merged_at = null;
    expect(errorOf('pull_request', noMergedAt)).toBe('payload.pull_request.merged_at');
    const noRepository = githubExample('issues', 'opened');
    delete noRepository.repository;
    expect(errorOf('issues', noRepository)).toBe('payload.repository');
    const noAuthor = githubExample('discussion', 'answered');
    delete noAuthor.answer.user;
    expect(errorOf('discussion', noAuthor)).toBe('payload.answer.user');
  });

  it("applies the community item's rules: an instant in the future is refused", () => {
    const payload = mergedPullRequest('2026-07-01T00:00:00Z');
    expect(errorOf('pull_request', payload)).toBe('occurredAt');
  });
});
