/// <reference lib="dom" />
// Functions passed to page.evaluate run in the browser: they see its DOM.
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { outcomeToError, type Fetcher, type FetchOutcome } from '@gazette/fetch';
import { siteOf } from '@gazette/frontier';
import { GazetteError, PermanentError } from '@gazette/jobs';
import type { Logger } from '@gazette/logger';
import { launchChromium } from './browser.ts';
import { renderError, type RenderFailure } from './errors.ts';

/** Playwright resource types blocked unless configured otherwise. */
export const DEFAULT_BLOCKED_TYPES: readonly string[] = ['image', 'media', 'font'];

export interface RendererOptions {
  /**
   * Answers every request the browser makes (the network guard, allow list,
   * timeouts and size caps of the crawler apply). Create it with
   * `contentTypes: null`: scripts, styles and JSON go through it too.
   */
  fetcher: Fetcher;
  executablePath?: string;
  /** Pages rendered at once, each in its own browser context. Default 2. */
  concurrency?: number;
  /** Whole render of one page (load, scrolling, settling, DOM snapshot). Default 30 s. */
  pageTimeoutMs?: number;
  /** The network counts as settled after this long without a request in flight. Default 500 ms. */
  settleMs?: number;
  /** Scrolls to the bottom (lazy-loaded content) at most this many times. Default 10. */
  maxScrolls?: number;
  /** V8 heap ceiling of each renderer process, MB. Default 256. */
  maxHeapMb?: number;
  /** Playwright resource types answered with an error. Default image, media, font. */
  blockedResourceTypes?: readonly string[];
  /** Let the page load from other sites (CDNs, ads, analytics). Default false: same site only. */
  allowThirdParty?: boolean;
  /** A context is replaced after this many pages (bounds what a long-lived context accumulates). Default 50. */
  pagesPerContext?: number;
  log?: Logger;
}

/** The page's own HTTP response, as fetched (or as handed in from the archive). */
export interface DocumentResponse {
  url: string;
  finalUrl: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  fetchMs: number;
  redirects: string[];
}

export interface RenderResult {
  url: string;
  /** URL of the rendered document (after redirects). */
  finalUrl: string;
  /** The DOM after scripts ran, serialised. */
  html: string;
  /** The HTTP response the page was built from. */
  document: DocumentResponse;
  /** False when the network was still busy at the time limit (the DOM is taken as it was). */
  settled: boolean;
  scrolls: number;
  /** Requests answered through the fetcher, refused (type, third party, guard, method), or failed. */
  requests: { fetched: number; blocked: number; failed: number };
  /** Refused requests with their reason (first 50). */
  blocked: Array<{ url: string; reason: string }>;
  renderMs: number;
}

export interface RenderRequest {
  url: string;
  /** The page's response when it was already fetched (and archived): the browser is served this copy. */
  document?: DocumentResponse;
  /** This page's time limit instead of the renderer's `pageTimeoutMs`. */
  timeoutMs?: number;
}

interface PageState {
  site: string;
  documentUrl: string;
  document: DocumentResponse | undefined;
  /** Fetched documents by requested URL (a redirect is answered with a 302 and then from here). */
  documents: Map<string, FetchOutcome>;
  documentFailure: FetchOutcome | undefined;
  inflight: number;
  lastActivity: number;
  requests: RenderResult['requests'];
  blocked: RenderResult['blocked'];
}

interface Slot {
  context: BrowserContext | undefined;
  pages: number;
  state: PageState | undefined;
}

const HOP_HEADERS = new Set(['content-encoding', 'content-length', 'transfer-encoding', 'connection', 'keep-alive']);
const HTML = /^(text\/html|application\/xhtml\+xml)\b/i;

class Deadline extends Error {}

/**
 * Renders pages in Debian's Chromium: a pool of browser contexts (one page
 * each at a time), every request answered by Gazette's fetcher through
 * request interception (so the network guard sees each of them), images,
 * media, fonts and other sites refused, a heap ceiling per renderer and a
 * time limit per page. A page that hangs or crashes fails alone; a lost
 * browser is started again for the next page.
 */
export class Renderer {
  private browser: Promise<Browser> | undefined;
  private readonly slots: Slot[];
  private readonly free: Slot[];
  private readonly waiting: Array<(slot: Slot) => void> = [];
  private readonly opts: Required<Omit<RendererOptions, 'log' | 'executablePath'>> & {
    executablePath: string | undefined;
  };
  private readonly log: Logger | undefined;
  private closed = false;

  constructor(options: RendererOptions) {
    this.opts = {
      fetcher: options.fetcher,
      executablePath: options.executablePath,
      concurrency: options.concurrency ?? 2,
      pageTimeoutMs: options.pageTimeoutMs ?? 30_000,
      settleMs: options.settleMs ?? 500,
      maxScrolls: options.maxScrolls ?? 10,
      maxHeapMb: options.maxHeapMb ?? 256,
      blockedResourceTypes: options.blockedResourceTypes ?? DEFAULT_BLOCKED_TYPES,
      allowThirdParty: options.allowThirdParty ?? false,
      pagesPerContext: options.pagesPerContext ?? 50,
    };
    this.log = options.log;
    this.slots = Array.from({ length: this.opts.concurrency }, () => ({
      context: undefined,
      pages: 0,
      state: undefined,
    }));
    this.free = [...this.slots];
  }

  /** Starts the browser now (the first render would otherwise); fails when there is none. */
  async start(): Promise<void> {
    await this.getBrowser();
  }

  get concurrency(): number {
    return this.opts.concurrency;
  }

  private getBrowser(): Promise<Browser> {
    if (!this.browser) {
      const launching = launchChromium({
        ...(this.opts.executablePath ? { executablePath: this.opts.executablePath } : {}),
        maxHeapMb: this.opts.maxHeapMb,
      });
      this.browser = launching;
      launching.then(
        (browser) =>
          browser.on('disconnected', () => {
            if (this.browser === launching) this.browser = undefined;
            for (const slot of this.slots) slot.context = undefined;
            if (!this.closed) this.log?.warn('browser disconnected; a new one starts with the next page');
          }),
        () => {
          if (this.browser === launching) this.browser = undefined;
        },
      );
    }
    return this.browser;
  }

  private acquire(): Promise<Slot> {
    const slot = this.free.pop();
    if (slot) return Promise.resolve(slot);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(slot: Slot): void {
    slot.state = undefined;
    const next = this.waiting.shift();
    if (next) next(slot);
    else this.free.push(slot);
  }

  private async contextFor(slot: Slot): Promise<BrowserContext> {
    if (slot.context && slot.pages >= this.opts.pagesPerContext) await this.dropContext(slot);
    if (slot.context) return slot.context;
    const browser = await this.getBrowser();
    const context = await browser.newContext({
      userAgent: this.opts.fetcher.userAgent,
      serviceWorkers: 'block',
      acceptDownloads: false,
      viewport: { width: 1280, height: 900 },
    });
    await context.route('**/*', (route) => this.answer(slot, route));
    slot.context = context;
    slot.pages = 0;
    return context;
  }

  /** Closes a slot's context; when the browser does not answer in time, the whole browser is replaced. */
  private async dropContext(slot: Slot): Promise<void> {
    const context = slot.context;
    slot.context = undefined;
    if (!context) return;
    const closedInTime = await Promise.race([
      context.close().then(
        () => true,
        () => true,
      ),
      new Promise<boolean>((resolve) => setTimeout(resolve, 5_000, false).unref()),
    ]);
    if (!closedInTime) await this.restartBrowser('a browser context did not close in time');
  }

  private async restartBrowser(why: string): Promise<void> {
    const browser = this.browser;
    this.browser = undefined;
    for (const slot of this.slots) slot.context = undefined;
    this.log?.warn({ why }, 'restarting the browser');
    await browser?.then((b) => b.close()).catch(() => undefined);
  }

  /** Every request of every page: refuse, or answer it with the fetcher's response. */
  private async answer(slot: Slot, route: Route): Promise<void> {
    const state = slot.state;
    const request = route.request();
    if (!state) return route.abort('blockedbyclient').catch(() => undefined);
    const url = request.url();
    const refuse = (reason: string) => {
      state.requests.blocked++;
      if (state.blocked.length < 50) state.blocked.push({ url, reason });
      return route.abort('blockedbyclient').catch(() => undefined);
    };
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return refuse('bad-url');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return refuse('scheme');
    const isDocument = request.isNavigationRequest() && request.frame().parentFrame() === null;
    if (!isDocument) {
      if (this.opts.blockedResourceTypes.includes(request.resourceType())) return refuse(request.resourceType());
      if (!this.opts.allowThirdParty && siteOf(parsed.hostname) !== state.site) return refuse('third-party');
      if (request.method() !== 'GET' && request.method() !== 'HEAD') return refuse('method');
    }
    if (isDocument && state.document && url === state.document.finalUrl) {
      return route
        .fulfill({ status: state.document.status, headers: forward(state.document.headers), body: state.document.body })
        .catch(() => undefined);
    }
    state.inflight++;
    state.lastActivity = Date.now();
    try {
      let outcome = isDocument ? state.documents.get(url) : undefined;
      if (!outcome) {
        const accept = request.headers()['accept'];
        outcome = await this.opts.fetcher.fetch(url, accept ? { headers: { accept } } : {});
      }
      if (isDocument) {
        if (outcome.ok && outcome.finalUrl !== url) {
          // Let the browser follow the redirect itself, so relative URLs resolve against the final URL.
          state.documents.set(outcome.finalUrl, outcome);
          await route.fulfill({ status: 302, headers: { location: outcome.finalUrl } });
          return;
        }
        if (!outcome.ok || !outcome.body) {
          state.documentFailure = outcome;
          await route.abort('failed');
          return;
        }
        state.documents.set(url, outcome);
      }
      if (outcome.status === null) {
        state.requests.failed++;
        if (outcome.reason === 'blocked-address' && state.blocked.length < 50)
          state.blocked.push({ url, reason: 'blocked-address' });
        await route.abort(outcome.reason === 'blocked-address' ? 'addressunreachable' : 'failed');
        return;
      }
      state.requests.fetched++;
      await route.fulfill({
        status: outcome.status,
        headers: forward(outcome.headers),
        body: outcome.body ?? Buffer.alloc(0),
      });
    } catch {
      // The page went away while its request was answered.
    } finally {
      state.inflight--;
      state.lastActivity = Date.now();
    }
  }

  /** Renders one page. Throws a Gazette error with a reason: the page's own fetch reason, or a render failure. */
  async render(request: RenderRequest): Promise<RenderResult> {
    if (this.closed) throw renderError('render-browser-lost', 'the renderer is closed');
    const slot = await this.acquire();
    const started = Date.now();
    const limitMs = request.timeoutMs ?? this.opts.pageTimeoutMs;
    const deadline = started + limitMs;
    let page: Page | undefined;
    let failed = false;
    try {
      const context = await this.contextFor(slot);
      const target = request.document?.finalUrl ?? request.url;
      const state: PageState = {
        site: siteOf(new URL(target).hostname),
        documentUrl: target,
        document: request.document,
        documents: new Map(),
        documentFailure: undefined,
        inflight: 0,
        lastActivity: Date.now(),
        requests: { fetched: 0, blocked: 0, failed: 0 },
        blocked: [],
      };
      slot.state = state;
      slot.pages++;
      page = await context.newPage();
      return await this.drive(page, state, request, deadline, started, limitMs);
    } catch (error) {
      // A page that could not be fetched leaves its context sound; a hang or a crash does not.
      failed = !(error instanceof GazetteError) || error.reason.startsWith('render-');
      throw error;
    } finally {
      const p = page;
      if (failed) await this.dropContext(slot);
      else
        await Promise.race([
          p?.close().catch(() => undefined),
          new Promise((resolve) => setTimeout(resolve, 5_000).unref()),
        ]);
      this.release(slot);
    }
  }

  private async drive(
    page: Page,
    state: PageState,
    request: RenderRequest,
    deadline: number,
    started: number,
    limitMs: number,
  ): Promise<RenderResult> {
    let failure: { reason: RenderFailure; message: string } | undefined;
    let wake: () => void = () => undefined;
    const interrupted = new Promise<never>((_, reject) => {
      wake = () => reject(new Deadline());
      page.once('crash', () => {
        failure = { reason: 'render-crash', message: `the page's renderer crashed (out of memory or a browser fault)` };
        reject(new Deadline());
      });
      page.once('close', () => {
        failure ??= { reason: 'render-browser-lost', message: 'the page was closed while it rendered' };
        reject(new Deadline());
      });
    });
    interrupted.catch(() => undefined);
    const timer = setTimeout(
      () => {
        failure ??= {
          reason: 'render-timeout',
          message: `the page did not finish within ${limitMs} ms`,
        };
        wake();
      },
      Math.max(0, deadline - Date.now()),
    );
    const step = <T>(work: Promise<T>): Promise<T> => {
      work.catch(() => undefined);
      return Promise.race([work, interrupted]);
    };
    try {
      const target = state.documentUrl;
      let loaded;
      try {
        loaded = await step(page.goto(target, { waitUntil: 'load', timeout: 0 }));
      } catch (error) {
        if (state.documentFailure) throw documentError(state.documentFailure);
        throw error;
      }
      if (!loaded) throw new PermanentError('render-no-document', `no document was loaded from ${target}`);
      const type = loaded.headers()['content-type'] ?? 'text/html';
      if (!HTML.test(type)) throw new PermanentError('content-type', `${target} is ${type}, not a page to render`);

      let settled = await step(this.quiet(state, deadline));
      let scrolls = 0;
      while (settled && scrolls < this.opts.maxScrolls) {
        const before = state.requests.fetched + state.requests.failed;
        const grew = await step(
          page.evaluate(async () => {
            const height = document.documentElement.scrollHeight;
            window.scrollTo(0, height);
            // Two frames: scroll and intersection observers run before the next look at the page.
            await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
            return document.documentElement.scrollHeight > height;
          }),
        );
        scrolls++;
        // Whatever the scroll sets off (observers, timers) gets a full settle period to start its requests.
        state.lastActivity = Date.now();
        settled = await step(this.quiet(state, deadline));
        if (!grew && state.requests.fetched + state.requests.failed === before) break;
      }
      const html = await step(page.content());
      const finalUrl = page.url();
      const response = request.document ?? documentFrom(request.url, finalUrl, state);
      return {
        url: request.url,
        finalUrl,
        html,
        document: response,
        settled,
        scrolls,
        requests: state.requests,
        blocked: state.blocked,
        renderMs: Date.now() - started,
      };
    } catch (error) {
      if (failure) throw renderError(failure.reason, `${state.documentUrl}: ${failure.message}`, { cause: error });
      if (state.documentFailure) throw documentError(state.documentFailure);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves true once no request has been in flight for `settleMs`, false at the deadline. */
  private quiet(state: PageState, deadline: number): Promise<boolean> {
    return new Promise((resolve) => {
      const check = () => {
        const now = Date.now();
        if (state.inflight === 0 && now - state.lastActivity >= this.opts.settleMs) return resolve(true);
        if (now >= deadline) return resolve(false);
        setTimeout(check, Math.min(50, this.opts.settleMs)).unref();
      };
      check();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const browser = this.browser;
    this.browser = undefined;
    await browser?.then((b) => b.close()).catch(() => undefined);
  }
}

function forward(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (!HOP_HEADERS.has(name.toLowerCase())) out[name] = value;
  return out;
}

function documentError(outcome: FetchOutcome) {
  return outcome.ok
    ? new PermanentError('render-no-document', `no document body from ${outcome.url}`)
    : outcomeToError(outcome);
}

function documentFrom(url: string, finalUrl: string, state: PageState): DocumentResponse {
  const outcome = state.documents.get(finalUrl);
  if (!outcome || !outcome.body) throw new PermanentError('render-no-document', `no document was fetched for ${url}`);
  const chain = [...state.documents.values()];
  return {
    url,
    finalUrl,
    status: outcome.status ?? 200,
    headers: outcome.headers,
    body: outcome.body,
    fetchMs: chain.reduce((sum, o) => sum + o.timings.totalMs, 0),
    redirects: outcome.redirects.slice(0, -1),
  };
}
