// Bounded waiting for things that settle shortly after a transfer ends (a temporary file removed,
// a session closed): polls, and fails with the last value seen.

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `read` until `done(value)` or the deadline; returns the last value either way. */
export async function settle<T>(read: () => T, done: (value: T) => boolean, timeoutMs = 3000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let value = read();
  while (!done(value) && Date.now() < end) {
    await sleep(20);
    value = read();
  }
  return value;
}

/** Polls `check` until it holds; throws once `timeoutMs` has passed without it. */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting`);
    await sleep(10);
  }
}
