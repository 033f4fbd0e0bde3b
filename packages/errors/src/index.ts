export {
  GazetteError,
  PermanentError,
  RetryableError,
  InvalidPayloadError,
  reasonOf,
  type ErrorOptions,
} from './errors.ts';
