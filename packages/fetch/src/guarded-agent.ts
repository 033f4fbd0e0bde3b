import { isIP } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { BlockedAddressError, guardedLookup, type NetworkGuard } from './guard.ts';

export interface GuardedAgentOptions {
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  totalTimeoutMs: number;
  /** Keep-alive sockets per origin (undici pool size); default unlimited. */
  connectionsPerOrigin?: number | undefined;
}

/** An undici agent whose every connection goes through the network guard. */
export function createGuardedAgent(guard: NetworkGuard, opts: GuardedAgentOptions): Agent {
  const baseConnect = buildConnector({ timeout: opts.connectTimeoutMs, lookup: guardedLookup(guard) });
  // Hostnames are checked inside `lookup` (after resolution, on the addresses the socket
  // will use); IP literals skip lookup in net.connect, so they are checked here.
  const connect: buildConnector.connector = (connectOptions, callback) => {
    const host = connectOptions.hostname;
    if (isIP(host) !== 0 && !guard.allows(host, host)) {
      callback(new BlockedAddressError(host, host), null);
      return;
    }
    baseConnect(connectOptions, callback);
  };
  const agent = new Agent({
    connect,
    headersTimeout: opts.headersTimeoutMs,
    bodyTimeout: opts.totalTimeoutMs,
    ...(opts.connectionsPerOrigin !== undefined ? { connections: opts.connectionsPerOrigin } : {}),
  });
  return agent;
}
