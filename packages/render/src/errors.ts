import { PermanentError, RetryableError } from '@gazette/jobs';

type ErrorOptions = { cause?: unknown };

/** Reason codes of a render that did not produce a page. */
export type RenderFailure =
  /** The page did not load (or stayed busy) within the per-page time limit. */
  | 'render-timeout'
  /** The page's renderer process died: out of memory (per-page heap limit) or a browser fault. */
  | 'render-crash'
  /** The browser went away while the page was rendering. */
  | 'render-browser-lost';

const RETRYABLE = new Set<RenderFailure>(['render-browser-lost']);

/** A render that failed: a timeout or a crash. Crashes and hangs are properties of the page, so permanent. */
export function renderError(reason: RenderFailure, message: string, options?: ErrorOptions) {
  return RETRYABLE.has(reason)
    ? new RetryableError(reason, message, options)
    : new PermanentError(reason, message, options);
}

/** No Chromium at the configured path: the render worker cannot work at all. */
export class BrowserMissingError extends Error {
  override name = 'BrowserMissingError';
  readonly reason = 'browser-missing';
  constructor(readonly path: string) {
    super(
      `no Chromium at ${path}: install it with \`bash infra/chromium.sh\` (Debian's chromium package) or set CHROMIUM_PATH`,
    );
  }
}
