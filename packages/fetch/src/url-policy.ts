import { isIP } from 'node:net';
import type { NetworkGuard } from './guard.ts';

/** Why a URL may not be crawled, as a reason code and a sentence. */
export interface UrlRefusal {
  reason: 'bad-url' | 'blocked-address';
  message: string;
}

/**
 * The crawler's rules for a URL, checked before anything is queued or fetched:
 * absolute http(s), a host, no credentials, and an IP-literal host the network
 * guard accepts. (Names are checked after DNS, on every connection, by the guard.)
 */
export function crawlUrlProblem(url: string, guard: NetworkGuard): UrlRefusal | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { reason: 'bad-url', message: `${JSON.stringify(url.slice(0, 200))} is not an absolute URL` };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return { reason: 'bad-url', message: `scheme ${u.protocol} is not crawled (http and https only)` };
  if (!u.hostname) return { reason: 'bad-url', message: 'the URL has no host' };
  if (u.username || u.password) return { reason: 'bad-url', message: 'URLs with credentials are not crawled' };
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0 && !guard.allows(host, host))
    return { reason: 'blocked-address', message: `${host} is not a public address (network guard)` };
  return null;
}
