// Groups a stream of events into batches of whatever has already arrived, up to a maximum:
// catching up hands out large batches (one transaction each for a projection or the archive),
// while a live reader gets an event as soon as it comes instead of waiting for a batch to fill.
// Used by projections and by the embedded bus's batch consumers.

export async function* batchesOf<T>(source: AsyncIterable<T>, maxSize: number): AsyncGenerator<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<T>> | undefined;
  try {
    for (;;) {
      const first = await (pending ?? iterator.next());
      pending = undefined;
      if (first.done) return;
      const batch = [first.value];
      // "Arrived" means: resolved before the event loop's next turn. A page already read
      // resolves in microtasks; a wait for the next append or a page still on the network does not.
      const turnEnded = new Promise<'turn-ended'>((resolve) => setImmediate(() => resolve('turn-ended')));
      let ended = false;
      while (batch.length < maxSize) {
        const next = iterator.next();
        const result = await Promise.race([next, turnEnded]);
        if (result === 'turn-ended') {
          // Awaited at the top of the next round; until then its failure must not count as unhandled.
          next.catch(() => undefined);
          pending = next;
          break;
        }
        if (result.done) {
          ended = true;
          break;
        }
        batch.push(result.value);
      }
      yield batch;
      if (ended) return;
    }
  } finally {
    await iterator.return?.();
  }
}
