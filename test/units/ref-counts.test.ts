import { describe, expect, it } from 'vitest';
import { RefCounts } from '../../src/lib/ref-counts.js';

describe('RefCounts', () => {
  it('counts holders per key, runs onLast once when the last releases, and ignores a release called twice', () => {
    const counts = new RefCounts<string>();
    const last: string[] = [];
    const a1 = counts.hold('a', () => last.push('a'));
    const a2 = counts.hold('a', () => last.push('a (second holder)'));
    counts.hold('b');
    expect([counts.count('a'), counts.count('b'), counts.count('c')]).toEqual([2, 1, 0]);
    a1();
    a1();
    expect(counts.count('a')).toBe(1);
    expect(last).toEqual([]);
    a2();
    // The last holder's own onLast runs; the key is no longer kept.
    expect(last).toEqual(['a (second holder)']);
    expect([...counts.keys()]).toEqual(['b']);
    a2();
    expect(last).toHaveLength(1);
  });
});
