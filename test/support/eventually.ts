/**
 * Waiting on the local cloud from a test: what it does after answering (stream processing, scheduled tasks,
 * device reports) lands a moment later, so a test reads until what it expects is there.
 */

/** Asks `read` until `done` holds (the local cloud does its work a moment after answering), within `timeoutMs`. */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
