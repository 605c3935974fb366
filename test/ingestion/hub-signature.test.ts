/**
 * The `sha256=<hex>` signatures of GitHub and Discourse (SPEC §11), checked against the test
 * vectors each sender documents, and the inputs on which `@octokit/webhooks-methods` throws.
 */
import { describe, expect, it } from 'vitest';
import { AuthError, ValidationError } from '../../lambdas/domain/errors.js';
import { hubSignature, plainSecrets } from '../../lambdas/ingestion/hub-signature.js';

const github = hubSignature('x-hub-signature-256', 'x-github-delivery', 'GitHub');
const discourse = hubSignature('x-discourse-event-signature', 'x-discourse-event-id', 'Discourse');
const headers = (name: string, value?: string) =>
  new Headers(value === undefined ? {} : { [name]: value });

/** GitHub's "Validating webhook deliveries" example. */
const gitHubVector = {
  secret: "It's a Secret to Everybody",
  body: 'Hello, World!',
  signature: 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
};
/** Discourse's own spec (emit_web_hook_event_spec.rb, web_hook_fabricator.rb). */
const discourseVector = {
  secret: 'my_lovely_secret_for_web_hook',
  body: '{"ping":"OK"}',
  signature: 'sha256=162f107f6b5022353274eb1a7197885cfd35744d8d08e5bcea025d309386b7d6',
};

describe('hubSignature', () => {
  it("accepts GitHub's documented test vector", async () => {
    const { secret, body, signature } = gitHubVector;
    await expect(
      github.verify(body, headers('x-hub-signature-256', signature), [secret]),
    ).resolves.toBeUndefined();
  });

  it("accepts Discourse's documented test vector", async () => {
    const { secret, body, signature } = discourseVector;
    await expect(
      discourse.verify(body, headers('x-discourse-event-signature', signature), [secret]),
    ).resolves.toBeUndefined();
  });

  it('accepts a signature under any secret of a rotation list', async () => {
    const { secret, body, signature } = gitHubVector;
    const signed = headers('x-hub-signature-256', signature);
    await expect(github.verify(body, signed, ['old', secret])).resolves.toBeUndefined();
    await expect(github.verify(body, signed, [secret, 'new'])).resolves.toBeUndefined();
  });

  it.each([
    ['a changed body', 'Hello, World?', gitHubVector.signature],
    ['uppercase hex', gitHubVector.body, gitHubVector.signature.toUpperCase()],
    ['bare hex', gitHubVector.body, gitHubVector.signature.slice('sha256='.length)],
    ['a sha1= signature', gitHubVector.body, gitHubVector.signature.replace('sha256', 'sha1')],
    ['a signature of spaces', gitHubVector.body, '   '],
  ])('refuses %s with an AuthError (401)', async (_, body, signature) => {
    await expect(
      github.verify(body, headers('x-hub-signature-256', signature), [gitHubVector.secret]),
    ).rejects.toThrow(AuthError);
  });

  it('refuses a signed empty body as a body to fix (400), where the library would throw', async () => {
    await expect(
      github.verify('', headers('x-hub-signature-256', gitHubVector.signature), ['s']),
    ).rejects.toThrow(ValidationError);
  });

  it('refuses a missing or empty signature header, naming it', async () => {
    for (const value of [undefined, '']) {
      await expect(
        github.verify(gitHubVector.body, headers('x-hub-signature-256', value), ['s']),
      ).rejects.toThrow(/X-Hub-Signature-256/i);
    }
  });

  it('reads a secret variable as plain strings, several separated by spaces, none malformed', () => {
    expect(plainSecrets('  one two\tthree ')).toEqual({
      usable: ['one', 'two', 'three'],
      malformed: [],
    });
    expect(plainSecrets("It's a Secret to Everybody").usable).toHaveLength(5);
  });
});
