/**
 * Date parsing for metadata: ISO 8601 and RFC 2822 with offsets, time-zone abbreviations,
 * English and common European month names ("Saturday, July 26, 2025 3:45 PM PKT",
 * "26 juillet 2025", "26. Juli 2025"), CJK dates ("2025年7月26日 15:30"), Unix timestamps and
 * relative dates ("3 hours ago", "yesterday") resolved against the fetch time.
 * Results are ISO 8601 UTC with milliseconds dropped. Other scripts and languages: see dates-i18n.ts.
 */
import { localiseDate } from './dates-i18n.ts';

const TZ: Record<string, number> = {
  utc: 0, gmt: 0, z: 0, ut: 0, wet: 0, mez: 60, mesz: 120, oez: 120, oesz: 180, bst: 60, ist: 330, cet: 60, cest: 120, met: 60, mest: 120, eet: 120,
  eest: 180, msk: 180, est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
  akst: -540, akdt: -480, hst: -600, ast: -240, adt: -180, nst: -210, ndt: -150, pkt: 300, npt: 345, bdt: 360,
  ict: 420, wib: 420, sgt: 480, hkt: 480, pht: 480, awst: 480, jst: 540, kst: 540, acst: 570, acdt: 630,
  aest: 600, aedt: 660, nzst: 720, nzdt: 780, sast: 120, wat: 60, cat: 120, eat: 180, gst: 240, brt: -180,
  art: -180, clt: -240, pet: -300, cot: -300,
}; // prettier-ignore

const MONTHS: Record<string, number> = {};
const monthNames: string[][] = [
  ['january', 'jan', 'janvier', 'janv', 'januar', 'jän', 'jänner', 'enero', 'ene', 'janeiro', 'gennaio', 'gen', 'januari', 'styczeń', 'января', 'январь', 'янв'],
  ['february', 'feb', 'févr', 'février', 'fevrier', 'februar', 'febrero', 'fevereiro', 'fev', 'febbraio', 'februari', 'luty', 'февраля', 'февраль', 'фев'],
  ['march', 'mar', 'mars', 'märz', 'marz', 'marzo', 'março', 'marco', 'maart', 'marca', 'марта', 'март'],
  ['april', 'apr', 'avril', 'avr', 'abril', 'abr', 'aprile', 'kwiecień', 'апреля', 'апрель', 'апр'],
  ['may', 'mai', 'mayo', 'maio', 'maggio', 'mag', 'mei', 'maj', 'мая', 'май'],
  ['june', 'jun', 'juin', 'juni', 'junio', 'junho', 'giugno', 'giu', 'czerwiec', 'июня', 'июнь'],
  ['july', 'jul', 'juillet', 'juil', 'juli', 'julio', 'julho', 'luglio', 'lug', 'lipiec', 'июля', 'июль'],
  ['august', 'aug', 'août', 'aout', 'agosto', 'ago', 'augustus', 'sierpień', 'августа', 'август', 'авг'],
  ['september', 'sep', 'sept', 'septembre', 'septiembre', 'setembro', 'set', 'settembre', 'wrzesień', 'сентября', 'сентябрь', 'сен'],
  ['october', 'oct', 'octobre', 'oktober', 'okt', 'octubre', 'outubro', 'out', 'ottobre', 'ott', 'październik', 'октября', 'октябрь', 'окт'],
  ['november', 'nov', 'novembre', 'noviembre', 'novembro', 'listopad', 'ноября', 'ноябрь', 'ноя'],
  ['december', 'dec', 'décembre', 'decembre', 'dezember', 'dez', 'diciembre', 'dic', 'dezembro', 'dicembre', 'grudzień', 'декабря', 'декабрь', 'дек'],
]; // prettier-ignore
monthNames.forEach((names, i) => names.forEach((n) => (MONTHS[n] = i + 1)));

const MONTH_RE = Object.keys(MONTHS)
  .sort((a, b) => b.length - a.length)
  .map((m) => m.replace('.', '\\.'))
  .join('|');
/** "July 26, 2025" / "Jul. 26 2025" (compiled once: the month list is long). */
const MONTH_DAY_YEAR = new RegExp(`(?:^|[^\\p{L}])(${MONTH_RE})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})`, 'u');
/** "26 July 2025" / "26. Juli 2025" / "26 de julio de 2025". */
const DAY_MONTH_YEAR = new RegExp(
  `(\\d{1,2})(?:st|nd|rd|th|er)?\\.?\\s+(?:de\\s+)?(${MONTH_RE})\\.?,?\\s+(?:de\\s+)?(\\d{4})`,
  'u',
);

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

function iso(ms: number): string | null {
  if (!Number.isFinite(ms)) return null;
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  if (y < 1990 || y > 2100) return null;
  return `${y}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}Z`;
}

function offsetMinutes(tz: string | undefined): number | null {
  if (!tz) return null;
  const t = tz.trim().toLowerCase();
  if (t in TZ) return TZ[t]!;
  const m = /^(?:utc|gmt)?\s*([+-])(\d{1,2}):?(\d{2})?$/.exec(t);
  if (m) return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
  return null;
}

function build(
  y: number,
  mo: number,
  d: number,
  h = 0,
  mi = 0,
  s = 0,
  offset: number | null = null,
  defaultOffset = 0,
): string | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60) return null;
  // A day the month does not have (30 February, 31 April) is no date, not the next month's first days.
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return null;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - (offset ?? defaultOffset) * 60_000;
  return iso(ms);
}

function hour12(h: number, ampm: string | undefined): number {
  if (!ampm) return h;
  const pm = /^p/i.test(ampm);
  if (h === 12) return pm ? 12 : 0;
  return pm ? h + 12 : h;
}

const REL_UNITS: Record<string, number> = {
  s: 1, sec: 1, secs: 1, second: 1, seconds: 1, m: 60, min: 60, mins: 60, minute: 60, minutes: 60, h: 3600, hr: 3600,
  hrs: 3600, hour: 3600, hours: 3600, d: 86400, day: 86400, days: 86400, w: 604800, wk: 604800, week: 604800,
  weeks: 604800, mo: 2592000, month: 2592000, months: 2592000, y: 31536000, year: 31536000, years: 31536000,
}; // prettier-ignore

/** Resolves "3 hours ago", "yesterday", "just now" against `now`. */
function parseRelative(text: string, now: number): string | null {
  const t = text.trim().toLowerCase();
  if (/^(just now|now|moments? ago|a moment ago)$/.test(t)) return iso(now);
  if (/^today\b/.test(t)) return iso(now);
  if (/^yesterday\b/.test(t)) return iso(now - 86400_000);
  const m = /^(an?|one|\d+)\s*([a-z]+)\.?\s+ago$/.exec(t) ?? /^(\d+)\s*([a-z]+)$/.exec(t);
  if (m) {
    const n = /^\d+$/.test(m[1]!) ? Number(m[1]) : 1;
    const unit = REL_UNITS[m[2]!];
    if (unit) return iso(now - n * unit * 1000);
  }
  // French, German, Spanish, Japanese forms.
  const fr = /^il y a (\d+)\s*(minutes?|heures?|jours?)$/.exec(t);
  if (fr) return iso(now - Number(fr[1]) * ({ m: 60, h: 3600, j: 86400 }[fr[2]![0] as 'm' | 'h' | 'j'] ?? 0) * 1000);
  const de = /^vor (\d+)\s*(minuten?|stunden?|tagen?)$/.exec(t);
  if (de) return iso(now - Number(de[1]) * ({ m: 60, s: 3600, t: 86400 }[de[2]![0] as 'm' | 's' | 't'] ?? 0) * 1000);
  const es = /^hace (\d+)\s*(minutos?|horas?|d[ií]as?)$/.exec(t);
  if (es) return iso(now - Number(es[1]) * ({ m: 60, h: 3600, d: 86400 }[es[2]![0] as 'm' | 'h' | 'd'] ?? 0) * 1000);
  const ja = /^(\d+)\s*(分|時間|日)前$/.exec(t);
  if (ja) return iso(now - Number(ja[1]) * ({ 分: 60, 時間: 3600, 日: 86400 }[ja[2] as '分'] ?? 0) * 1000);
  return null;
}

export interface DateContext {
  /** Fetch time in ms, for relative dates (NaN: relative dates are not read). */
  now: number;
  /** Offset in minutes assumed when a date carries no zone. */
  defaultOffset?: number;
}

/** Parses one date string to ISO 8601 UTC, or null. */
export function parseDate(input: string | number | null | undefined, ctx: DateContext): string | null {
  if (input === null || input === undefined) return null;
  const def = ctx.defaultOffset ?? 0;
  if (typeof input === 'number') return iso(input > 1e11 ? input : input * 1000);
  const text = localiseDate(input)
    .replace(/[\u00a0\u2009\u202f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!text || text.length > 200) return null;

  if (/^\d{10}(\d{3})?$/.test(text)) return iso(text.length === 13 ? Number(text) : Number(text) * 1000);

  // ISO 8601 and close variants: 2025-07-26, 2025-07-26T10:00, 2025-07-26 10:00:00+0500, 20250726T100000Z
  let m =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2}|[+-]\d{1,2}|[A-Za-z]{1,5})?$/.exec(
      text,
    );
  if (m) {
    const off = m[7] ? offsetMinutes(m[7] === 'Z' ? 'z' : m[7]) : null;
    return build(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), off, def);
  }
  m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?)?(Z)?$/.exec(text);
  if (m) return build(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), m[7] ? 0 : null, def);

  // CJK: 2025年7月26日 15時30分 / 2025年7月26日 15:30 / 2025.07.26 15:30 / 2025/07/26
  m =
    /(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?(?:\s*\([^)]*\))?(?:\s*(?:(午前|午後|오전|오후)\s*)?(\d{1,2})\s*[:時시]\s*(\d{1,2})?\s*分?)?/.exec(
      text,
    );
  if (m) {
    let h = +(m[5] ?? 0);
    if ((m[4] === '午後' || m[4] === '오후') && h < 12) h += 12;
    const tz = /\b(JST|KST|CST|UTC|GMT|[+-]\d{2}:?\d{2})\b/.exec(text)?.[1];
    return build(+m[1]!, +m[2]!, +m[3]!, h, +(m[6] ?? 0), 0, offsetMinutes(tz), def);
  }

  const rel = parseRelative(text, ctx.now);
  if (rel) return rel;

  const time = /(\d{1,2})[:.h](\d{2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?/i.exec(text);
  const tzMatch = /(?:\b|\s)((?:UTC|GMT)\s*[+-]\s*\d{1,2}(?::?\d{2})?|[+-]\d{2}:?\d{2}|[A-Z]{2,5})\s*\)?$/.exec(text);
  const off = offsetMinutes(tzMatch?.[1]?.replace(/\s+/g, ''));
  const hm = time ? [hour12(+time[1]!, time[4]?.replace(/\./g, '')), +time[2]!, +(time[3] ?? 0)] : [0, 0, 0];
  const lower = text.toLowerCase();
  // "July 26, 2025" / "Jul. 26 2025"
  m = MONTH_DAY_YEAR.exec(lower);
  if (m) return build(+m[3]!, MONTHS[m[1]!]!, +m[2]!, hm[0], hm[1], hm[2], off, def);
  // "26 July 2025" / "26. Juli 2025" / "26 de julio de 2025"
  m = DAY_MONTH_YEAR.exec(lower);
  if (m) return build(+m[3]!, MONTHS[m[2]!]!, +m[1]!, hm[0], hm[1], hm[2], off, def);
  // "26.07.2025" / "26/07/2025" (day first) — ambiguous US forms "07/26/2025" when the first part > 12 is impossible
  m = /\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b/.exec(text);
  if (m) {
    let d = +m[1]!;
    let mo = +m[2]!;
    if (mo > 12 && d <= 12) [d, mo] = [mo, d];
    return build(+m[3]!, mo, d, hm[0], hm[1], hm[2], off, def);
  }
  // RFC 2822 and anything else Date understands, only with a year and an explicit zone (never the host's).
  if (/\d{4}/.test(text) && /(\b(GMT|UTC)\b|[+-]\d{4}\b|\dZ$)/.test(text)) {
    const ms = Date.parse(text);
    if (Number.isFinite(ms)) return iso(ms);
  }
  return null;
}
