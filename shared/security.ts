// The app page's Content-Security-Policy, one definition for every host: the <meta> tag in
// renderer/index.html (a test checks it matches), the web host's header and Electron's app protocol.

/** What the page may load: nothing from outside, no inline scripts, no plugins. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
].join('; ');

/** The same policy as an HTTP header, with the directives a <meta> tag cannot carry. */
export const CONTENT_SECURITY_POLICY_HEADER = `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'; form-action 'none'`;
