import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem } from './problem.ts';
import { safeNext, type SessionStore } from './session.ts';

/** Who may call a route: anyone, a reader (read token or operator token) or an operator. */
export type Access = 'public' | 'read' | 'operator';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}

export interface AuthOptions {
  operatorToken: string | undefined;
  readToken: string | undefined;
  /** Mark the login cookie Secure (production, behind TLS). */
  secureCookie: boolean;
  /** Where console sessions live; the cookie holds a session id, never the token. */
  sessions: SessionStore;
}

export const COOKIE = 'gazette_session';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The session cookie's raw value (session ids need no decoding; a malformed value is simply not a session). */
function sessionCookie(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

type Credentials = { via: 'bearer'; token: string } | { via: 'cookie'; session: string };

function credentials(request: FastifyRequest): Credentials | undefined {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return { via: 'bearer', token: match ? match[1]! : '' };
  }
  const session = sessionCookie(request);
  return session ? { via: 'cookie', session } : undefined;
}

/** The origin a browser sent, or null when it is absent; `undefined` when it is present but opaque or malformed. */
function requestOrigin(request: FastifyRequest): string | null | undefined {
  const origin = request.headers.origin;
  if (origin === undefined) return null;
  try {
    const host = new URL(origin).host;
    return host || undefined;
  } catch {
    return undefined; // `Origin: null` (sandboxed frames, file: pages, some redirects) or garbage
  }
}

/** Default access of routes that do not declare one: the queue dashboard is for operators, the docs public. */
function defaultAccess(url: string): Access {
  if (url.startsWith('/admin/queues')) return 'operator';
  if (url.startsWith('/docs')) return 'public';
  return 'read';
}

const wantsHtml = (request: FastifyRequest) =>
  request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');

/**
 * Bearer-token access control. Operator routes need the operator token (sent
 * as `Authorization: Bearer`, or the HttpOnly cookie set by the login page);
 * read routes need the read token or the operator token. A token that is not
 * configured leaves its routes open (development; production refuses to
 * start without an operator token). A browser asking for a page without a
 * valid cookie is sent to the login page. Cookie-authenticated writes must come
 * from the same origin.
 */
export function registerAuth(app: FastifyInstance, options: AuthOptions): void {
  app.addHook('onRoute', (route) => {
    route.config = { ...route.config, access: route.config?.access ?? defaultAccess(route.url) };
  });

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const access = request.routeOptions.config.access ?? 'public';
    if (access === 'public') return;
    const accepted = [options.operatorToken, access === 'read' ? options.readToken : undefined].filter(
      (t): t is string => Boolean(t),
    );
    const open = access === 'operator' ? !options.operatorToken : !options.readToken;
    if (open) return;
    let given = credentials(request);
    // An unknown, expired or malformed session is no credential at all: 401 (or the login page).
    if (given?.via === 'cookie' && !(options.operatorToken && (await options.sessions.valid(given.session))))
      given = undefined;
    const valid =
      given === undefined ? false : given.via === 'bearer' ? accepted.some((t) => same(t, given.token)) : true;
    if (!given || !valid) {
      if (wantsHtml(request)) {
        return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
      }
      if (!given) {
        void reply.header('www-authenticate', 'Bearer realm="gazette"');
        return sendProblem(reply, 401, `this route needs the ${access} token: send "Authorization: Bearer <token>"`);
      }
      return sendProblem(reply, 403, `the token given is not the ${access} token`);
    }
    if (given.via === 'cookie' && !['GET', 'HEAD', 'OPTIONS'].includes(request.method)) {
      const origin = requestOrigin(request);
      if (origin === undefined || (origin !== null && origin !== request.headers.host)) {
        return sendProblem(reply, 403, 'cross-origin writes with the login cookie are refused');
      }
    }
  });

  app.get('/login', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const next = safeNext((request.query as { next?: string }).next);
    return reply.type('text/html').send(loginPage(next, undefined, !options.operatorToken));
  });

  app.post('/login', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const body = (request.body ?? {}) as { token?: unknown; next?: unknown };
    const next = safeNext(typeof body.next === 'string' ? body.next : undefined);
    const token = typeof body.token === 'string' ? body.token.trim() : '';
    if (options.operatorToken && !same(token, options.operatorToken)) {
      return reply
        .status(401)
        .type('text/html')
        .send(loginPage(next, 'That is not the operator token.', false));
    }
    if (!options.operatorToken) return reply.redirect(next, 303); // open: nothing to remember
    const session = await options.sessions.create();
    const cookie = [
      `${COOKIE}=${session}`,
      'Path=/',
      'HttpOnly',
      'SameSite=Strict',
      `Max-Age=${Math.round(options.sessions.ttlMs / 1000)}`,
      ...(options.secureCookie ? ['Secure'] : []),
    ].join('; ');
    return reply.header('set-cookie', cookie).redirect(next, 303);
  });

  app.post('/logout', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const session = sessionCookie(request);
    if (session) await options.sessions.revoke(session);
    return reply
      .header('set-cookie', `${COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`)
      .redirect('/login', 303);
  });
}

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function loginPage(next: string, error: string | undefined, open: boolean): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Gazette · sign in</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px system-ui,sans-serif;max-width:24rem;margin:4rem auto;padding:0 1rem}
input,button{font:inherit;padding:.4rem;width:100%;box-sizing:border-box;margin:.3rem 0}.error{color:#b00}</style></head>
<body><h1>Gazette</h1>
${open ? '<p>No operator token is configured: any token (or none) signs you in.</p>' : '<p>Sign in with the operator token.</p>'}
${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/login">
<input type="hidden" name="next" value="${escape(next)}">
<label for="token">Operator token</label>
<input id="token" name="token" type="password" autocomplete="current-password" autofocus>
<button type="submit">Sign in</button>
</form></body></html>`;
}
