import { describe, expect, it } from 'vitest';
import { gregorianDates, toGregorian } from './calendars.ts';

describe('other calendars', () => {
  it('converts Solar Hijri days, its leap years included', () => {
    expect(toGregorian('persian', 1404, 1, 1)).toBe('2025-03-21'); // Nowruz
    expect(toGregorian('persian', 1403, 12, 30)).toBe('2025-03-20'); // 1403 is a leap year
    expect(toGregorian('persian', 1404, 12, 30)).toBeUndefined(); // 1404 is not
    expect(toGregorian('persian', 1405, 9, 8)).toBe('2026-11-29');
  });

  it('converts Hijri (Umm al-Qura) days', () => {
    expect(toGregorian('islamic-umalqura', 1447, 9, 1)).toBe('2026-02-18'); // 1 Ramadan 1447
    expect(toGregorian('islamic-umalqura', 1446, 10, 1)).toBe('2025-03-30'); // Eid al-Fitr 1446
    expect(toGregorian('islamic-umalqura', 1447, 13, 1)).toBeUndefined();
  });

  it('rewrites a page date in either calendar and keeps the rest of the text', () => {
    expect(gregorianDates('8 آذر 1405 - 14:30')).toBe('29 November 2026 - 14:30');
    expect(gregorianDates('الأحد 19 جمادى الآخرة 1448 هـ')).toBe('الأحد 29 November 2026');
    expect(gregorianDates('19 جمادی الثانی 1448ھ')).toBe('29 November 2026'); // Urdu spelling
  });

  it('leaves what is not such a date alone', () => {
    expect(gregorianDates('8 آذر')).toBe('8 آذر'); // no year
    expect(gregorianDates('31 مهر 2025')).toBe('31 مهر 2025'); // a Gregorian year
    expect(gregorianDates('دی 1405 ماه')).toBe('دی 1405 ماه'); // no day
  });
});
