/**
 * Dates as news pages print them in other languages and scripts, rewritten into a form the date
 * parser reads: any script's decimal digits (Eastern Arabic ٠–٩, Persian ۰–۹, Devanagari ०–९,
 * Bengali ০–৯, Thai ๐–๙, ...) become ASCII digits; month names (Arabic, Levantine Arabic, Urdu,
 * Persian, Hindi, Marathi, Bengali, Turkish, Indonesian/Malay, Swahili, Greek, Ukrainian, Polish,
 * Czech, Thai, Vietnamese) become English ones; Korean 년/월/일 become 年/月/日; Thai Buddhist-era
 * years (2568) become Common Era years (2025); Solar Hijri and Hijri dates become the Gregorian dates
 * they name (calendars.ts).
 */
import { gregorianDates } from './calendars.ts';

const FOREIGN_MONTHS: string[][] = [
  ['يناير', 'كانون الثاني', 'جنوری', 'ژانویه', 'जनवरी', 'जानेवारी', 'জানুয়ারি', 'জানুয়ারী', 'ocak', 'januari', 'ιανουαρίου', 'ιανουάριος', 'січня', 'stycznia', 'ledna', 'มกราคม', 'ม.ค.'],
  ['فبراير', 'شباط', 'فروری', 'فوریه', 'फ़रवरी', 'फरवरी', 'फेब्रुवारी', 'ফেব্রুয়ারি', 'ফেব্রুয়ারী', 'şubat', 'februari', 'φεβρουαρίου', 'φεβρουάριος', 'лютого', 'lutego', 'února', 'กุมภาพันธ์', 'ก.พ.'],
  ['مارس', 'آذار', 'مارچ', 'मार्च', 'মার্চ', 'mart', 'maret', 'machi', 'μαρτίου', 'μάρτιος', 'березня', 'marca', 'března', 'มีนาคม', 'มี.ค.'],
  ['أبريل', 'ابريل', 'إبريل', 'نيسان', 'اپریل', 'آوریل', 'अप्रैल', 'एप्रिल', 'এপ্রিল', 'nisan', 'aprili', 'απριλίου', 'απρίλιος', 'квітня', 'kwietnia', 'dubna', 'เมษายน', 'เม.ย.'],
  ['مايو', 'أيار', 'ايار', 'مئی', 'مه', 'मई', 'मे', 'মে', 'mayıs', 'mei', 'μαΐου', 'μάιος', 'травня', 'maja', 'května', 'พฤษภาคม', 'พ.ค.'],
  ['يونيو', 'حزيران', 'جون', 'ژوئن', 'जून', 'জুন', 'haziran', 'juni', 'ιουνίου', 'ιούνιος', 'червня', 'czerwca', 'června', 'มิถุนายน', 'มิ.ย.'],
  ['يوليو', 'تموز', 'جولائی', 'ژوئیه', 'जुलाई', 'जुलै', 'জুলাই', 'temmuz', 'juli', 'julai', 'ιουλίου', 'ιούλιος', 'липня', 'lipca', 'července', 'กรกฎาคม', 'ก.ค.'],
  ['أغسطس', 'اغسطس', 'آب', 'اگست', 'اوت', 'अगस्त', 'ऑगस्ट', 'আগস্ট', 'ağustos', 'agustus', 'agosti', 'αυγούστου', 'αύγουστος', 'серпня', 'sierpnia', 'srpna', 'สิงหาคม', 'ส.ค.'],
  ['سبتمبر', 'أيلول', 'ستمبر', 'سپتامبر', 'सितंबर', 'सितम्बर', 'सप्टेंबर', 'সেপ্টেম্বর', 'eylül', 'septemba', 'σεπτεμβρίου', 'σεπτέμβριος', 'вересня', 'września', 'září', 'กันยายน', 'ก.ย.'],
  ['أكتوبر', 'اكتوبر', 'تشرين الأول', 'اکتوبر', 'اکتبر', 'अक्टूबर', 'अक्तूबर', 'ऑक्टोबर', 'অক্টোবর', 'ekim', 'oktoba', 'οκτωβρίου', 'οκτώβριος', 'жовтня', 'października', 'října', 'ตุลาคม', 'ต.ค.'],
  ['نوفمبر', 'تشرين الثاني', 'نومبر', 'نوامبر', 'नवंबर', 'नवम्बर', 'नोव्हेंबर', 'নভেম্বর', 'kasım', 'novemba', 'νοεμβρίου', 'νοέμβριος', 'листопада', 'listopada', 'listopadu', 'พฤศจิกายน', 'พ.ย.'],
  ['ديسمبر', 'كانون الأول', 'دسمبر', 'دسامبر', 'दिसंबर', 'दिसम्बर', 'डिसेंबर', 'ডিসেম্বর', 'aralık', 'desember', 'desemba', 'δεκεμβρίου', 'δεκέμβριος', 'грудня', 'grudnia', 'prosince', 'ธันวาคม', 'ธ.ค.'],
]; // prettier-ignore

const ENGLISH = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']; // prettier-ignore

const MONTH_OF = new Map<string, string>();
FOREIGN_MONTHS.forEach((names, i) => names.forEach((n) => MONTH_OF.set(n.toLowerCase(), ENGLISH[i]!)));

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const MONTH_RE = new RegExp(
  `(?<![\\p{L}\\p{M}])(${[...MONTH_OF.keys()]
    .sort((a, b) => b.length - a.length)
    .map(escapeRe)
    .join('|')})(?![\\p{L}\\p{M}])`,
  'giu',
);

/** Vietnamese "26 tháng 7 năm 2025" / "ngày 26/7/2025". */
const VIETNAMESE = /(\d{1,2})\s+tháng\s+(\d{1,2}),?\s+(?:năm\s+)?(\d{4})/iu;

const THAI = /[\u0e00-\u0e7f]/u;

/** Any Unicode decimal digit as its ASCII digit. */
function asciiDigits(text: string): string {
  return text.replace(/\p{Nd}/gu, (d) => {
    const cp = d.codePointAt(0)!;
    if (cp < 0x80) return d;
    // Unicode puts every decimal digit set in a run of ten starting at a code point ending in 0 or 6.
    for (let zero = cp; zero > cp - 10; zero--) {
      if (!/\p{Nd}/u.test(String.fromCodePoint(zero - 1))) return String(cp - zero);
    }
    return d;
  });
}

/** Rewrites a date string in another script or language for the date parser (see the module comment). */
export function localiseDate(text: string): string {
  let out = gregorianDates(
    asciiDigits(text)
      .replace(/،/g, ',')
      .replace(/[\u200e\u200f\u061c]/g, ''),
  );
  out = out
    .replace(/(\d{4})\s*년/g, '$1年')
    .replace(/(\d{1,2})\s*월/g, '$1月')
    .replace(/(\d{1,2})\s*일/g, '$1日');
  const vi = VIETNAMESE.exec(out);
  if (vi) out = out.replace(vi[0], `${vi[1]} ${ENGLISH[Number(vi[2]) - 1] ?? vi[2]} ${vi[3]}`);
  const thai = THAI.test(out);
  out = out.replace(MONTH_RE, (m) => ` ${MONTH_OF.get(m.toLowerCase()) ?? m} `);
  // Thai pages count years in the Buddhist era (543 years ahead).
  if (thai) out = out.replace(/\b(2[45]\d\d)\b/g, (y) => String(Number(y) - 543));
  return out.replace(/\s+/g, ' ').trim();
}
