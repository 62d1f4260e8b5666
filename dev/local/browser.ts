/**
 * A minimal browser for flows that hop between our server and the fakes: it keeps cookies per origin (as set by
 * `Set-Cookie`, deleted by `Max-Age=0`) and follows redirects itself, stopping before any origin it is told to stop at
 * (e.g. GitHub's authorize page, where a test plays the person approving).
 */
export interface BrowserPage {
  status: number;
  /** The last URL requested. */
  url: URL;
  /** Where a redirect pointed when the browser stopped before following it. */
  stoppedAt: URL | null;
  html: string;
}

export interface Browser {
  /** Adds a `name=value` cookie for an origin, e.g. the Slack session of a signed-in person. */
  addCookie(origin: string, cookie: string): void;
  cookie(origin: string, name: string): string | undefined;
  open(url: string | URL, options?: { stopAt?: string[]; maxRedirects?: number }): Promise<BrowserPage>;
}

export function createBrowser(): Browser {
  const jars = new Map<string, Map<string, string>>();
  const jar = (origin: string) => {
    let cookies = jars.get(origin);
    if (!cookies) jars.set(origin, (cookies = new Map()));
    return cookies;
  };
  const store = (origin: string, setCookie: string) => {
    const [pair = '', ...attributes] = setCookie.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    const expired =
      attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) ||
      attributes.some((a) => /^\s*expires=thu, 01 jan 1970/i.test(a));
    if (expired) jar(origin).delete(name);
    else jar(origin).set(name, pair.slice(eq + 1).trim());
  };
  return {
    addCookie(origin, cookie) {
      store(new URL(origin).origin, cookie);
    },
    cookie: (origin, name) => jars.get(new URL(origin).origin)?.get(name),
    async open(start, options = {}) {
      let url = new URL(start);
      for (let hop = 0; hop <= (options.maxRedirects ?? 10); hop += 1) {
        const cookies = [...(jars.get(url.origin) ?? new Map<string, string>())]
          .map(([k, v]) => `${k}=${v}`)
          .join('; ');
        const res = await fetch(url, { redirect: 'manual', headers: cookies ? { cookie: cookies } : {} });
        for (const setCookie of res.headers.getSetCookie()) store(url.origin, setCookie);
        const location = res.headers.get('location');
        if (res.status < 300 || res.status >= 400 || location === null) {
          return { status: res.status, url, stoppedAt: null, html: await res.text() };
        }
        await res.body?.cancel();
        const next = new URL(location, url);
        if ((options.stopAt ?? []).includes(next.origin)) return { status: res.status, url, stoppedAt: next, html: '' };
        url = next;
      }
      throw new Error(`too many redirects from ${String(start)}`);
    },
  };
}
