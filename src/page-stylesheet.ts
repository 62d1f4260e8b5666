/**
 * The one stylesheet of every HTML page (landing, install and link results, GitHub App setup, 404), served by
 * server.ts at STYLESHEET_PATH. The Content-Security-Policy allows no inline style or script, so pages link this
 * instead. Every page must read at phone width without sideways scrolling (test/browser checks it).
 */
export const STYLESHEET_PATH = '/assets/pages.css';

export const PAGE_STYLESHEET = `body { font-family: system-ui, sans-serif; max-width: 42rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5; color: #1d1c1d; }
h1 { font-size: 2rem; margin-bottom: .25rem; }
code { background: #f4f4f4; padding: 0 .25rem; border-radius: 3px; overflow-wrap: anywhere; }
pre { background: #f4f4f4; padding: .5rem; border-radius: 3px; white-space: pre-wrap; overflow-wrap: anywhere; }
pre code { padding: 0; }
.button { display: inline-block; margin: 1rem 1rem 0 0; padding: .6rem 1rem; background: #4a154b; color: #fff; border-radius: 6px; text-decoration: none; font-weight: 600; }
button.button { font: inherit; font-weight: 600; border: 0; cursor: pointer; }
input[type="text"], input[type="password"] { font: inherit; width: 100%; max-width: 24rem; box-sizing: border-box; padding: .5rem; margin-top: .25rem; border: 1px solid #767676; border-radius: 4px; }
.button.add { margin: 1.5rem 0; padding: .75rem 1.25rem; }
.result { max-width: 36rem; margin-top: 4rem; }
.result h1 { font-size: 1.6rem; border-left: 6px solid #1d1c1d; padding-left: .75rem; }
.result.success h1 { border-left-color: #2eb67d; }
.result.failure h1 { border-left-color: #e01e5a; }
`;
