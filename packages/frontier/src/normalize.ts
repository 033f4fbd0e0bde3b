/**
 * URL identity: two URLs that name the same page normalise to the same string.
 */

export type TrailingSlash = 'keep' | 'strip' | 'add';

export interface NormalizeOptions {
  /** What to do with a trailing `/` on a non-root path. Default `keep`. */
  trailingSlash?: TrailingSlash;
  /** Extra query parameter names to drop (exact, case-insensitive). */
  dropParams?: readonly string[];
}

/** Query parameters that only track a click, never select content. */
const TRACKING_PARAMS = new Set([
  'fbclid',
  'gclid',
  'gclsrc',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'twclid',
  'ttclid',
  'li_fat_id',
  'igshid',
  'igsh',
  'mc_cid',
  'mc_eid',
  'mkt_tok',
  'ref_src',
  'ref_url',
  '_ga',
  '_gl',
  '_hsenc',
  '_hsmi',
  '__hssc',
  '__hstc',
  '__hsfp',
  'hsctatracking',
  'oly_anon_id',
  'oly_enc_id',
  'rb_clickid',
  's_cid',
  'vero_id',
  'vero_conv',
  'wickedid',
  'spm',
  'cmpid',
  'ocid',
  'smid',
  'sr_share',
  'at_medium',
  'at_campaign',
  'at_custom1',
  'at_custom2',
  'at_custom3',
  'at_custom4',
  'ns_mchannel',
  'ns_source',
  'ns_campaign',
  'ns_linkname',
  'ns_fee',
  'ito',
  'xtor',
]);

const TRACKING_PREFIXES = ['utm_', 'pk_', 'mtm_', 'hmb_'];

function isTrackingParam(name: string, extra: ReadonlySet<string>): boolean {
  const n = name.toLowerCase();
  return TRACKING_PARAMS.has(n) || extra.has(n) || TRACKING_PREFIXES.some((p) => n.startsWith(p));
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** Decode %XX escapes of unreserved characters, upper-case the others (RFC 3986 §6.2.2). */
function normalizeEscapes(value: string): string {
  return value.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) => {
    const ch = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(ch) ? ch : `%${hex.toUpperCase()}`;
  });
}

function decodeParamName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/**
 * Normalise an absolute http(s) URL: lower-case scheme and host (IDN to
 * punycode), default port, userinfo and fragment removed, dot segments
 * resolved, percent-encoding normalised, tracking parameters dropped,
 * remaining parameters sorted by name (stable), trailing slash per option.
 * Throws a TypeError for anything that is not an absolute http(s) URL.
 */
export function normalizeUrl(input: string, options: NormalizeOptions = {}): string {
  const url = new URL(input.trim());
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`not an http(s) URL: ${input}`);
  url.hash = '';
  url.username = '';
  url.password = '';
  if (url.hostname.endsWith('.')) url.hostname = url.hostname.replace(/\.+$/, '');

  let path = normalizeEscapes(url.pathname);
  const slash = options.trailingSlash ?? 'keep';
  if (path !== '/') {
    if (slash === 'strip') path = path.replace(/\/+$/, '') || '/';
    else if (slash === 'add' && !path.endsWith('/')) {
      const last = path.slice(path.lastIndexOf('/') + 1);
      if (!last.includes('.')) path += '/';
    }
  }

  const extra = new Set((options.dropParams ?? []).map((p) => p.toLowerCase()));
  const params = url.search
    .slice(1)
    .split('&')
    .filter((p) => p !== '')
    .map((raw) => {
      const eq = raw.indexOf('=');
      const name = eq === -1 ? raw : raw.slice(0, eq);
      return { raw: normalizeEscapes(raw), name: decodeParamName(name) };
    })
    .filter((p) => !isTrackingParam(p.name, extra));
  params.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const query = params.map((p) => p.raw).join('&');

  return `${url.protocol}//${url.host}${path}${query ? `?${query}` : ''}`;
}

/** {@link normalizeUrl}, resolving `input` against `base`, or null when it is not a fetchable URL. */
export function tryNormalizeUrl(input: string, base?: string, options: NormalizeOptions = {}): string | null {
  try {
    const absolute = base === undefined ? input : new URL(input, base).href;
    return normalizeUrl(absolute, options);
  } catch {
    return null;
  }
}

/** The host of a URL, lower-case, without port. */
export function hostOf(url: string): string {
  return new URL(url).hostname;
}
