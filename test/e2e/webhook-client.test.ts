import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { signedDelivery } from '../support/webhook-client.js';

/** The test sender signs with node:crypto; these check it against the spec and a library. */

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describe('signedDelivery', () => {
  it('reproduces the Standard Webhooks example signature', () => {
    const delivery = signedDelivery(SECRET, '{"test": 2432232314}', {
      id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      timestamp: 1614265330,
    });
    expect(delivery.headers).toMatchObject({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
  });

  it('signs a JSON body that the standardwebhooks package verifies, with a fresh id and now', () => {
    const body = { events: [{ clusterId: 'c1', nodes: 3 }] };
    const delivery = signedDelivery(SECRET, body);
    expect(delivery.body).toBe(JSON.stringify(body));
    expect(new Webhook(SECRET).verify(delivery.body, delivery.headers)).toEqual(body);
    expect(signedDelivery(SECRET, body).headers['webhook-id']).not.toBe(
      delivery.headers['webhook-id'],
    );
  });

  it('signs with every secret of a rotation list, and a tampered body fails', () => {
    const other = `whsec_${Buffer.from('another key of some length').toString('base64')}`;
    const delivery = signedDelivery(`${SECRET} ${other}`, { a: 1 });
    expect(delivery.headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(new Webhook(other).verify(delivery.body, delivery.headers)).toEqual({ a: 1 });
    expect(() => new Webhook(SECRET).verify('{"a":2}', delivery.headers)).toThrow();
  });
});
