import { describe, expect, it } from 'vitest';
import { parseDate } from './dates.ts';
import { localiseDate } from './dates-i18n.ts';

const ctx = { now: Date.parse('2025-07-27T00:00:00Z') };

describe('dates in other scripts and languages', () => {
  it.each([
    ['٢٦ يوليو ٢٠٢٥', '2025-07-26T00:00:00Z'], // Arabic, Eastern Arabic digits
    ['السبت، 26 تموز 2025', '2025-07-26T00:00:00Z'], // Levantine month name
    ['۲۶ جولائی ۲۰۲۵', '2025-07-26T00:00:00Z'], // Urdu, Persian digits
    ['۴ ژوئیه ۲۰۲۵', '2025-07-04T00:00:00Z'], // Persian
    ['२६ जुलाई २०२५', '2025-07-26T00:00:00Z'], // Hindi, Devanagari digits
    ['২৬ জুলাই ২০২৫', '2025-07-26T00:00:00Z'], // Bengali
    ['26 Temmuz 2025 14:30', '2025-07-26T14:30:00Z'], // Turkish
    ['26 Juli 2025', '2025-07-26T00:00:00Z'], // Indonesian
    ['26 Ιουλίου 2025', '2025-07-26T00:00:00Z'], // Greek genitive
    ['26 липня 2025', '2025-07-26T00:00:00Z'], // Ukrainian
    ['26 lipca 2025', '2025-07-26T00:00:00Z'], // Polish
    ['26 กรกฎาคม 2568', '2025-07-26T00:00:00Z'], // Thai, Buddhist era
    ['2025년 7월 26일 15:30', '2025-07-26T15:30:00Z'], // Korean
    ['26 tháng 7 năm 2025', '2025-07-26T00:00:00Z'], // Vietnamese
    ['۴ مرداد ۱۴۰۴ - ۱۴:۳۰', '2025-07-26T14:30:00Z'], // Solar Hijri (Iran)
    ['السبت 1 صفر 1447 هـ', '2025-07-26T00:00:00Z'], // Hijri (Umm al-Qura)
  ])('%s', (text, iso) => {
    expect(parseDate(text, ctx)).toBe(iso);
  });

  it('leaves ASCII dates as they are', () => {
    expect(localiseDate('July 26, 2025 3:45 PM')).toBe('July 26, 2025 3:45 PM');
  });

  it('does not read a month inside a longer word', () => {
    expect(localiseDate('Marten 2025')).toBe('Marten 2025');
  });
});
