export {
  GazetteError,
  PermanentError,
  RetryableError,
  InvalidPayloadError,
  reasonOf,
  type ErrorOptions,
} from './errors.ts';
export { formatReason, parseReason, UNEXPECTED_REASON } from './reason.ts';
