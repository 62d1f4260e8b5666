import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const FLOW_LIFETIME_MS = 15 * 60 * 1000;
/** Only holders of the setup token start flows; the cap just bounds memory if one script loops. */
const MAX_PENDING = 20;

/**
 * Setup flows in progress, in this process's memory (like the setup token they come from): each has a `state`
 * for GitHub's redirect and a browser secret for a cookie, so the return page only answers the browser that
 * started the flow, once, within 15 minutes.
 */
export interface SetupFlows {
  start(): { state: string; browser: string };
  /** Single use: true once for a live state presented by the browser that started it. */
  finish(input: { state: string | undefined; browser: string | undefined }): boolean;
}

export function createSetupFlows(options: { now: () => Date }): SetupFlows {
  const pending = new Map<string, { browser: Buffer; expiresAt: number }>();
  const digest = (text: string) => createHash('sha256').update(text).digest();
  const dropExpired = (now: number) => {
    for (const [state, flow] of pending) if (flow.expiresAt <= now) pending.delete(state);
  };
  return {
    start() {
      const now = options.now().getTime();
      dropExpired(now);
      if (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value ?? '');
      const state = randomBytes(18).toString('base64url');
      const browser = randomBytes(18).toString('base64url');
      pending.set(state, { browser: digest(browser), expiresAt: now + FLOW_LIFETIME_MS });
      return { state, browser };
    },
    finish({ state, browser }) {
      if (state === undefined) return false;
      const flow = pending.get(state);
      if (!flow) return false;
      // Any presentation spends the state, even from the wrong browser: a leaked return URL is dead after one try.
      pending.delete(state);
      if (browser === undefined) return false;
      return flow.expiresAt > options.now().getTime() && timingSafeEqual(flow.browser, digest(browser));
    },
  };
}
