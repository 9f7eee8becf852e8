// Work spread over a few workers, each with a resource of its own (a connection).

/**
 * Runs `work` on the items of `queue` with at most `jobs` in flight. Items added to `queue` while it
 * runs are picked up too. The first failure stops the other workers from taking more items; every
 * worker closes its resource before the failure is thrown.
 */
export async function runPool<T, R>(
  queue: T[],
  jobs: number,
  open: () => Promise<R>,
  close: (resource: R) => Promise<void>,
  work: (item: T, resource: R) => Promise<void>,
): Promise<void> {
  let failed = false;
  const worker = async () => {
    let resource: R | undefined;
    try {
      resource = await open();
      for (let item = queue.shift(); item !== undefined && !failed; item = queue.shift()) await work(item, resource);
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
