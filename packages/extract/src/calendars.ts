/**
 * Dates in the calendars news pages print besides the Gregorian one, turned into Gregorian dates:
 * the Solar Hijri calendar (Iran, Afghanistan: "۸ آذر ۱۴۰۵") and the Hijri calendar (Umm al-Qura,
 * as Saudi and other Arabic pages print it: "19 جمادى الآخرة 1448 هـ"). The conversion is ICU's
 * (through `Intl.DateTimeFormat`), so it follows the calendars' own rules, leap years included.
 */

export type Calendar = 'persian' | 'islamic-umalqura';

const DAY_MS = 86_400_000;
const formatters = new Map<Calendar, Intl.DateTimeFormat>();

function partsIn(calendar: Calendar, time: number): [number, number, number] {
  let format = formatters.get(calendar);
  if (!format) {
    format = new Intl.DateTimeFormat(`en-u-ca-${calendar}-nu-latn`, {
      timeZone: 'UTC',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
    });
    formatters.set(calendar, format);
  }
  const get = (type: string): number =>
    Number(format.formatToParts(time).find((p) => p.type === type)?.value ?? Number.NaN);
  return [get('year'), get('month'), get('day')];
}

/** Years from the start of each calendar's era to the Common Era (close enough to start a search). */
const ERA_OFFSET: Record<Calendar, (year: number) => number> = {
  persian: (year) => Date.UTC(year + 621, 2, 21),
  'islamic-umalqura': (year) => Date.UTC(622, 6, 16) + (year - 1) * 354.367 * DAY_MS,
};

/**
 * The Gregorian date (`YYYY-MM-DD`) of a day in another calendar, or undefined when there is no such
 * day (a 31st of a 30-day month, a month 13).
 */
export function toGregorian(calendar: Calendar, year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  let time = ERA_OFFSET[calendar](year) + ((month - 1) * 29.6 + day - 1) * DAY_MS;
  time = Math.floor(time / DAY_MS) * DAY_MS;
  // Close in with the calendar's own reading of the estimate, then find the exact day nearby.
  for (let i = 0; i < 4; i++) {
    const [y, m, d] = partsIn(calendar, time);
    const shift = Math.round((year - y) * 354 + (month - m) * 29.5 + (day - d));
    if (shift === 0) break;
    time += shift * DAY_MS;
  }
  for (const offset of [0, -1, 1, -2, 2, -3, 3]) {
    const candidate = time + offset * DAY_MS;
    const [y, m, d] = partsIn(calendar, candidate);
    if (y === year && m === month && d === day) return new Date(candidate).toISOString().slice(0, 10);
  }
  return undefined;
}

const SOLAR_HIJRI_MONTHS = ['فروردین', 'اردیبهشت', 'خرداد', 'تیر', 'مرداد', 'شهریور', 'مهر', 'آبان', 'آذر', 'دی', 'بهمن', 'اسفند']; // prettier-ignore

/** Hijri month names, with the spellings Arabic and Urdu pages use. */
const HIJRI_MONTHS: string[][] = [
  ['محرم', 'محرّم'],
  ['صفر'],
  ['ربيع الأول', 'ربيع الاول', 'ربیع الاول', 'ربيع أول'],
  ['ربيع الآخر', 'ربيع الثاني', 'ربیع الثانی', 'ربيع ثاني', 'ربیع الآخر'],
  ['جمادى الأولى', 'جمادى الاولى', 'جمادی الاول', 'جمادی الاولیٰ', 'جمادى الأول'],
  ['جمادى الآخرة', 'جمادى الثانية', 'جمادى الاخرة', 'جمادی الثانی', 'جمادی الآخر', 'جمادى الآخر'],
  ['رجب'],
  ['شعبان'],
  ['رمضان'],
  ['شوال'],
  ['ذو القعدة', 'ذي القعدة', 'ذوالقعدہ', 'ذیقعد'],
  ['ذو الحجة', 'ذي الحجة', 'ذوالحجہ', 'ذیحجه'],
];

const ENGLISH_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']; // prettier-ignore

const alternation = (names: string[]): string => [...names].sort((a, b) => b.length - a.length).join('|');

/** "8 آذر 1405" (ASCII digits by now), with an optional "هجری شمسی" / "ه‍.ش" after the year. */
const SOLAR_HIJRI_DATE = new RegExp(
  `(?<!\\d)(\\d{1,2})\\s+(${alternation(SOLAR_HIJRI_MONTHS)})\\s+(1[34]\\d\\d)(?!\\d)(?:\\s*(?:هجری\\s+شمسی|ه\\.?\\s?ش\\.?))?`,
  'u',
);
/** "19 جمادى الآخرة 1448 هـ", with an optional era mark after the year. */
const HIJRI_DATE = new RegExp(
  `(?<!\\d)(\\d{1,2})\\s+(${alternation(HIJRI_MONTHS.flat())})\\s+(1[34]\\d\\d)(?!\\d)(?:\\s*(?:هـ|ه|ھ|هجري|هجری))?`,
  'u',
);

const HIJRI_MONTH_OF = new Map<string, number>();
HIJRI_MONTHS.forEach((names, i) => names.forEach((n) => HIJRI_MONTH_OF.set(n, i + 1)));

function english(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return `${d} ${ENGLISH_MONTHS[m - 1]} ${y}`;
}

/**
 * Rewrites a Solar Hijri or Hijri date in `text` (digits already ASCII) as the Gregorian date it
 * names ("29 November 2026"); text without one comes back as it was.
 */
export function gregorianDates(text: string): string {
  let out = text.replace(SOLAR_HIJRI_DATE, (all, d: string, month: string, y: string) => {
    const iso = toGregorian('persian', Number(y), SOLAR_HIJRI_MONTHS.indexOf(month) + 1, Number(d));
    return iso ? english(iso) : all;
  });
  out = out.replace(HIJRI_DATE, (all, d: string, month: string, y: string) => {
    const iso = toGregorian('islamic-umalqura', Number(y), HIJRI_MONTH_OF.get(month) ?? 0, Number(d));
    return iso ? english(iso) : all;
  });
  return out;
}
