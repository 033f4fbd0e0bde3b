/**
 * Byline words news pages print around an author's name in other languages ("تحریر:", "بقلم",
 * "लेखक:", "记者", "기자", "โดย", "Автор:"), removed before the name is kept.
 */

const PREFIXES = [
  'تحریر', 'رپورٹ', 'بقلم', 'كتب', 'كتبت', 'إعداد', 'نویسنده', 'گزارش', 'מאת', 'כתב', 'लेखक', 'रिपोर्ट', 'संवाददाता',
  'প্রতিবেদক', 'লেখক', 'নিজস্ব প্রতিবেদক', 'โดย', 'ผู้เขียน', 'автор', 'текст', 'корреспондент', 'yazan', 'muhabir',
  'oleh', 'penulis', 'phóng viên', 'tác giả', 'autor', 'autorka', 'συντάκτης', 'του', 'της', '记者', '作者', '文',
]; // prettier-ignore

const SUFFIXES = ['기자', '记者', '記者', 'رپورٹر', 'مراسل', 'संवाददाता']; // prettier-ignore

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const byLength = (a: string, b: string): number => b.length - a.length;

const PREFIX_RE = new RegExp(
  `^(?:${[...PREFIXES].sort(byLength).map(escapeRe).join('|')})(?:\\s*[:：\\-–]\\s*|\\s+)`,
  'iu',
);
const SUFFIX_RE = new RegExp(`\\s+(?:${[...SUFFIXES].sort(byLength).map(escapeRe).join('|')})$`, 'u');

/** The byline without the words around the name. */
export function stripBylineWords(byline: string): string {
  return byline.trim().replace(PREFIX_RE, '').replace(SUFFIX_RE, '').trim();
}
