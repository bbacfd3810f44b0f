import { describe, expect, it } from 'vitest';
import { isoTime } from '../../src/lib/iso-time.js';

describe('isoTime', () => {
  it('writes what Date.toISOString writes, at the calendar edges and for random times', () => {
    const edges = [
      0,
      1,
      999,
      86_399_999,
      86_400_000, // the epoch and its first day
      Date.UTC(1900, 1, 28, 23, 59, 59, 999),
      Date.UTC(2000, 1, 29),
      Date.UTC(2000, 2, 1),
      Date.UTC(2024, 1, 29, 12),
      Date.UTC(2100, 1, 28),
      Date.UTC(2100, 2, 1),
      Date.UTC(1999, 11, 31, 23, 59, 59, 999),
      Date.UTC(2026, 11, 2, 20, 27, 24, 5),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      -1,
      Date.UTC(-1, 0, 1),
      253_402_300_800_000,
      8.64e15, // before the epoch and after year 9999: delegated
    ];
    for (const ms of edges) expect(isoTime(new Date(ms)), String(ms)).toBe(new Date(ms).toISOString());
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 20_000; i++) {
      const ms = Math.floor(random() * 253_402_300_800_000);
      expect(isoTime(new Date(ms))).toBe(new Date(ms).toISOString());
    }
  });

  it('formats each time with its own day when times of several days alternate (the day is cached)', () => {
    const days = [Date.UTC(2026, 11, 2), Date.UTC(2026, 11, 3), Date.UTC(1970, 0, 1), Date.UTC(2026, 11, 3)];
    for (let i = 0; i < 2_000; i++) {
      const ms = days[i % days.length]! + ((i * 7_919_993) % 86_400_000);
      expect(isoTime(new Date(ms))).toBe(new Date(ms).toISOString());
    }
  });

  it('refuses an invalid date as toISOString does', () => {
    expect(() => isoTime(new Date(NaN))).toThrow(RangeError);
  });
});
