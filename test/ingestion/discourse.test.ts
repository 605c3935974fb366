/**
 * The Discourse mapping of SPEC §11 as pure functions, on posts shaped like Discourse's
 * `WebHookPostSerializer`: which deliveries count, and the community activity each becomes.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lambdas/domain/errors.js';
import {
  discourseDelivery,
  discourseSource,
  isIgnoredPost,
} from '../../lambdas/ingestion/discourse.js';
import { discoursePost, forumInstance, type Payload } from '../support/sender-deliveries.js';

const now = new Date('2026-06-01T00:00:00Z');
const itemsOf = (event: string, body: unknown, instance: string | null = forumInstance) => {
  const contents = discourseDelivery(event, instance, body);
  return contents.kind === 'items' ? contents.items : contents.kind;
};
function activityOf(event: string, body: Payload, instance = forumInstance) {
  const [item] = itemsOf(event, body, instance) as unknown[];
  return discourseSource.itemSchema(now).parse(item);
}

describe('discourseDelivery: which deliveries count (SPEC §11)', () => {
  it('reads a ping as a ping', () => {
    expect(discourseDelivery('ping', forumInstance, { ping: 'OK' })).toEqual({ kind: 'ping' });
  });

  it('counts post_created and the solved plugin’s accepted_solution', () => {
    expect(itemsOf('post_created', { post: discoursePost() })).toHaveLength(1);
    expect(itemsOf('accepted_solution', { solved: discoursePost() })).toHaveLength(1);
  });

  it('ignores other events: edits, topics, users, an unaccepted solution', () => {
    expect(itemsOf('post_edited', { post: discoursePost() })).toEqual([]);
    expect(itemsOf('topic_created', { topic: { id: 42 } })).toEqual([]);
    expect(itemsOf('user_created', { user: { id: 17, username: 'ada' } })).toEqual([]);
    expect(itemsOf('unaccepted_solution', { solved: discoursePost() })).toEqual([]);
  });

  it.each([
    ['a private message', { topic_archetype: 'private_message' }],
    ['a whisper (post_type 4)', { post_type: 4 }],
    ['the system user', { username: 'system', user_id: -1 }],
    ['discobot', { username: 'discobot', user_id: -2 }],
    ['System, capitalised', { username: 'System' }],
    ['a user id of 0', { user_id: 0 }],
  ])('ignores %s', (_, overrides) => {
    expect(itemsOf('post_created', { post: discoursePost(overrides) })).toEqual([]);
    expect(itemsOf('accepted_solution', { solved: discoursePost(overrides) })).toEqual([]);
  });

  it('judges a post by its type only when it is a whisper', () => {
    expect(isIgnoredPost({ username: 'ada', user_id: 17, post_type: 1 })).toBe(false);
    expect(isIgnoredPost({ username: 'ada', user_id: 17, post_type: 4 })).toBe(true);
  });

  it('refuses a body that is not a JSON object, or a counted event without a forum URL (400)', () => {
    for (const body of [null, [], 'text', 42]) {
      expect(() => discourseDelivery('post_created', forumInstance, body)).toThrow(ValidationError);
    }
    for (const instance of [null, '', 'forum.example.com', 'ftp://forum.example.com']) {
      expect(() => discourseDelivery('post_created', instance, { post: discoursePost() })).toThrow(
        /X-Discourse-Instance/,
      );
    }
  });
});

describe('the activity each counted delivery becomes (SPEC §11)', () => {
  it("a new post: a forum-post by forum: <username> at the post's created_at", () => {
    const post = discoursePost();
    expect(activityOf('post_created', { post })).toEqual({
      activityId: `discourse:forum.example.com/post-${post.id}`,
      type: 'forum-post',
      occurredAt: '2026-03-15T10:00:00.000Z',
      status: 'delivered',
      identities: ['forum:ada'],
      name: 'Ada Lovelace',
      title: 'Sharding in practice',
      url: 'https://forum.example.com/t/sharding-in-practice/42/2',
    });
  });

  it("an accepted solution: an answer by the solution's author, with its own id", () => {
    const post = discoursePost({ username: 'Grace', name: 'Grace Hopper', user_id: 18 });
    const answer = activityOf('accepted_solution', { solved: post });
    expect(answer).toMatchObject({
      activityId: `discourse:forum.example.com/solution-${post.id}`,
      type: 'answer',
      occurredAt: post.created_at,
      identities: ['forum:grace'],
    });
    expect(activityOf('post_created', { post }).activityId).not.toBe(answer.activityId);
  });

  it('adds the email when the payload carries a valid one, and drops one that is not', () => {
    const withEmail = activityOf('post_created', {
      post: discoursePost({ email: 'Ada@Example.com' }),
    });
    expect(withEmail.identities).toEqual(['email:ada@example.com', 'forum:ada']);
    const badEmail = activityOf('post_created', { post: discoursePost({ email: 'not-an-email' }) });
    expect(badEmail.identities).toEqual(['forum:ada']);
  });

  it("names the forum by its host, whatever the instance URL's case, path or port", () => {
    const post = discoursePost();
    expect(activityOf('post_created', { post }, 'https://Forum.Example.com/').activityId).toBe(
      `discourse:forum.example.com/post-${post.id}`,
    );
    expect(activityOf('post_created', { post }, 'http://localhost:4200/community').activityId).toBe(
      `discourse:localhost:4200/post-${post.id}`,
    );
  });

  it('refuses a counted post without an id, a username or a created_at, naming the field', () => {
    for (const field of ['id', 'username', 'created_at']) {
      const post = discoursePost();
      delete post[field];
      const [item] = itemsOf('post_created', { post }) as unknown[];
      const parsed = discourseSource.itemSchema(now).safeParse(item);
      expect(parsed.success ? '' : parsed.error.issues[0]?.path.join('.')).toBe(`post.${field}`);
    }
  });
});
