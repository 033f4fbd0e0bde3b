import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';
import { BrowserMissingError } from './errors.ts';

export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags of every Chromium Gazette starts (shared with the console's browser test). */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Flags that keep the browser off the network by itself: every request a page
 * makes is answered by Gazette's fetcher through request interception, so
 * anything that escapes interception (WebSocket, WebRTC, prefetch) is sent to
 * a proxy that does not exist and fails.
 */
export const CHROMIUM_OFFLINE_ARGS: readonly string[] = [
  '--proxy-server=http://127.0.0.1:9',
  '--proxy-bypass-list=<-loopback>',
  '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
  '--disable-features=DnsOverHttps,NetworkPrediction,PreloadMediaEngagementData',
  '--dns-prefetch-disable',
];

export interface LaunchOptions {
  executablePath?: string;
  /** V8 heap ceiling of each page's renderer process, in MB: a page that allocates past it crashes alone. */
  maxHeapMb?: number;
}

/** Fails with {@link BrowserMissingError} when there is no executable at `path`. */
export async function requireBrowser(path: string = DEFAULT_CHROMIUM_PATH): Promise<string> {
  try {
    await access(path, constants.X_OK);
    return path;
  } catch {
    throw new BrowserMissingError(path);
  }
}

/** Starts Debian's Chromium through playwright-core (no browser download). */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const executablePath = await requireBrowser(options.executablePath ?? DEFAULT_CHROMIUM_PATH);
  return chromium.launch({
    executablePath,
    args: [
      ...CHROMIUM_ARGS,
      ...CHROMIUM_OFFLINE_ARGS,
      ...(options.maxHeapMb ? [`--js-flags=--max-old-space-size=${options.maxHeapMb}`] : []),
    ],
  });
}
