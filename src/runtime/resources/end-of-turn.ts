/**
 * A scheduler that runs `flush` once at the end of this turn of the event loop (`setImmediate`:
 * after the callbacks of the sockets that were ready at once), however often it is asked
 * before then. Point reads and write batches gather with it what arrives in one turn.
 */
export function atEndOfTurn(flush: () => void): () => void {
  let scheduled = false;
  const run = (): void => {
    scheduled = false;
    flush();
  };
  return () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(run);
  };
}
