import { BlockedAddressError } from './guard.ts';
import type { ReasonCode } from './outcome.ts';

/** A fetch that ends with one of Gazette's reason codes (thrown inside a fetch, turned into its outcome). */
export class FetchFailure extends Error {
  constructor(
    readonly reason: ReasonCode,
    message: string,
  ) {
    super(message);
  }
}

export function reasonForStatus(status: number): ReasonCode {
  if (status === 404) return 'http-404';
  if (status === 410) return 'http-410';
  if (status === 429) return 'http-429';
  if (status >= 400 && status < 500) return 'http-4xx';
  if (status >= 500 && status < 600) return 'http-5xx';
  return 'http-other';
}

function codeOf(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string')
    return error.code;
  return undefined;
}

function errorChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let e: unknown = error;
  while (e !== undefined && e !== null && chain.length < 5) {
    chain.push(e);
    e = e instanceof Error ? e.cause : undefined;
    if (e === undefined && chain.at(-1) instanceof AggregateError) e = (chain.at(-1) as AggregateError).errors[0];
  }
  return chain;
}

export function classifyError(error: unknown): ReasonCode {
  for (const e of errorChain(error)) {
    if (e instanceof FetchFailure) return e.reason;
    if (e instanceof BlockedAddressError) return 'blocked-address';
    const code = codeOf(e);
    switch (code) {
      case 'GAZETTE_BLOCKED_ADDRESS':
        return 'blocked-address';
      case 'UND_ERR_CONNECT_TIMEOUT':
      case 'ETIMEDOUT':
        return 'timeout-connect';
      case 'UND_ERR_HEADERS_TIMEOUT':
        return 'timeout-headers';
      case 'UND_ERR_BODY_TIMEOUT':
        return 'timeout-total';
      case 'UND_ERR_HEADERS_OVERFLOW':
      case 'HPE_HEADER_OVERFLOW':
        return 'headers-too-large';
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
      case 'ENODATA':
      case 'EAI_NONAME':
        return 'dns';
      case 'Z_DATA_ERROR':
      case 'Z_BUF_ERROR':
      case 'ERR__ERROR_FORMAT_PADDING_1':
      case 'ERR_PADDING_1':
        return 'bad-encoding';
    }
    if (typeof code === 'string' && code.startsWith('ERR_BROTLI')) return 'bad-encoding';
  }
  return 'network';
}

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
