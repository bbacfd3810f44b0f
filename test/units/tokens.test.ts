import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTokens } from '../../src/auth/tokens.js';

const ada = { userId: 'u-ada', sessionId: 's-1', username: 'ada' };

describe('tokens', () => {
  afterEach(() => vi.useRealTimers());

  it('accepts a token again and again until it expires, then refuses it, though it was accepted before', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-02T12:00:00Z'));
    const tokens = createTokens('a-secret-of-enough-length-for-hs256!', 60);
    const token = await tokens.sign(ada);
    const expiresAt = Date.parse('2026-12-02T12:01:00Z');
    expect(await tokens.verify(token)).toEqual({ ...ada, expiresAt });
    vi.setSystemTime(new Date('2026-12-02T12:00:59Z'));
    expect(await tokens.verify(token)).toEqual({ ...ada, expiresAt });
    vi.setSystemTime(new Date('2026-12-02T12:01:01Z'));
    expect(await tokens.verify(token)).toBeNull();
    expect(await tokens.verify(token)).toBeNull();
  });

  it('refuses a token signed with another secret or altered, whether or not the genuine one was seen', async () => {
    const tokens = createTokens('a-secret-of-enough-length-for-hs256!', 60);
    const other = createTokens('another-secret-of-enough-length-hs256', 60);
    const token = await tokens.sign(ada);
    expect(await tokens.verify(await other.sign(ada))).toBeNull();
    expect(await tokens.verify(token)).toMatchObject(ada);
    const [head, body, sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), sub: 'u-eve' })).toString(
      'base64url',
    );
    expect(await tokens.verify(`${head}.${forged}.${sig}`)).toBeNull();
    expect(await tokens.verify(`${token}x`)).toBeNull();
  });
});
