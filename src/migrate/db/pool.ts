// Work spread over a few workers, each with a resource of its own (a connection).

/**
 * Runs `work` on the items of `queue` with at most `jobs` in flight. Items added to `queue` while it
 * runs are picked up too: a worker that finds the queue empty waits while others still work, since
 * their work may add items (a table's indexes once its last chunk is in). The first failure stops the
 * other workers from taking more items; every worker closes its resource before the failure is thrown.
 */
export async function runPool<T, R>(
  queue: T[],
  jobs: number,
  open: () => Promise<R>,
  close: (resource: R) => Promise<void>,
  work: (item: T, resource: R) => Promise<void>,
): Promise<void> {
  let failed = false;
  let busy = 0;
  let wake = () => {};
  let itemDone = new Promise<void>((resolve) => (wake = resolve));
  const worker = async () => {
    let resource: R | undefined;
    try {
      resource = await open();
      while (!failed) {
        const item = queue.shift();
        if (item === undefined) {
          if (busy === 0) break;
          await itemDone;
          continue;
        }
        busy++;
        try {
          await work(item, resource);
        } finally {
          busy--;
          const woken = wake;
          itemDone = new Promise<void>((resolve) => (wake = resolve));
          woken();
        }
      }
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      if (resource !== undefined) await close(resource).catch(() => {});
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(jobs, queue.length)) }, worker));
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
}
