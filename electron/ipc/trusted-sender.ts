// An IPC call is honoured only from our own page: the top frame showing the bundled index.html.
// Anything else (a navigated-away frame, an iframe, a data: or http: URL) is refused.

/** `file:///…/dist/index.html` with any hash or query equals the app page; nothing else does. */
export function isTrustedSender(frameUrl: string | undefined | null, appIndexUrl: string): boolean {
  if (typeof frameUrl !== 'string' || frameUrl.length === 0) return false;
  let frame: URL;
  let app: URL;
  try {
    frame = new URL(frameUrl);
    app = new URL(appIndexUrl);
  } catch {
    return false;
  }
  return (
    frame.protocol === app.protocol &&
    frame.protocol === 'file:' &&
    frame.host === app.host &&
    frame.username === '' &&
    frame.password === '' &&
    decodeURIComponent(frame.pathname) === decodeURIComponent(app.pathname)
  );
}
