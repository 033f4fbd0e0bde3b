import { createHash, randomBytes } from 'node:crypto';
import type { RedisConnection } from '@gazette/jobs';

/**
 * Console sessions: signing in with the operator token creates a random
 * session id; the cookie carries only that id, and Redis maps its hash to the
 * session (so a cookie that leaks from a browser is not the token, a sign-out
 * revokes it for every api process, and it expires on its own).
 */
export class SessionStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
    readonly ttlMs = 12 * 3600_000,
  ) {}

  private key(id: string): string {
    return `${this.prefix}:session:${createHash('sha256').update(id).digest('hex')}`;
  }

  /** A new session; returns the id the cookie carries. */
  async create(): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    await this.redis.set(this.key(id), JSON.stringify({ role: 'operator', createdAt: Date.now() }), 'PX', this.ttlMs);
    return id;
  }

  /** Is `id` a live session? Anything that is not a well-formed id is not one. */
  async valid(id: string): Promise<boolean> {
    if (!/^[\w-]{43}$/.test(id)) return false;
    return (await this.redis.exists(this.key(id))) === 1;
  }

  async revoke(id: string): Promise<void> {
    if (/^[\w-]{43}$/.test(id)) await this.redis.del(this.key(id));
  }
}

const hasControl = (s: string): boolean => [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/**
 * Where to go after signing in: a path on this site only. Anything else (other
 * hosts as `//host` or `/\host`, schemes, control characters or whitespace a
 * browser would strip or rewrite) goes to the console.
 */
export function safeNext(next: string | undefined, fallback = '/console'): string {
  if (!next || next.length > 2000) return fallback;
  if (!/^\/(?![/\\])/.test(next) || /[\\\s]/.test(next) || hasControl(next)) return fallback;
  try {
    const base = new URL('http://gazette.invalid');
    const resolved = new URL(next, base);
    if (resolved.origin !== base.origin) return fallback;
    return `${resolved.pathname}${resolved.search}${resolved.hash}`;
  } catch {
    return fallback;
  }
}
