export { emptyTimings, extract, PARSER_VERSION, MAX_INPUT_BYTES, MAX_HTML_CHARS, MIN_BODY_WORDS } from './extract.ts';
export type { ExtractInput, ExtractResult, ExtractTimings } from './extract.ts';
export { ExtractionError, type ExtractionErrorReason } from './errors.ts';
export { decodeHtml, detectCharset, type DecodedHtml, type CharsetSource } from './decode.ts';
export { parseDate } from './dates.ts';
export {
  detectLanguage,
  identifyLanguage,
  isKnownLanguage,
  normaliseLanguage,
  resolveLanguage,
  type LanguageGuess,
} from './language.ts';
export { LinearParser, MAX_OPEN_TAGS, parseDocumentLinear } from './linear-parser.ts';
