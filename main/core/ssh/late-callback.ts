/**
 * Calls back into ssh2 from a continuation (a person's answer, a keychain read), unless the
 * connection it answers is already gone.
 *
 * ssh2 does not guard late callbacks: answering a host-key check or an auth step after its connection
 * closed reaches a destroyed protocol (`protocol._destruct is not a function`, or "Instance unusable")
 * and throws inside a promise continuation — an unhandled rejection, which ends the whole process and
 * every other session with it. `gone` aborts when the connection ends; a throw is handed to `onError`.
 */
export function answerConnection(gone: AbortSignal, callback: () => void, onError: (error: unknown) => void): void {
  if (gone.aborted) return;
  try {
    callback();
  } catch (error) {
    onError(error);
  }
}
