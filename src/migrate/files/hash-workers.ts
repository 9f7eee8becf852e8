// Hashing a large file keeps a core busy for a while (MD5 runs at about 500 MB/s). In worker threads
// it leaves the event loop free to keep the uploads in flight going, and several files hash on
// several cores at once.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FileDigest } from './hash.js';
import type { HashJob } from './hash-worker.js';

const WORKER_SCRIPT = new URL('./hash-worker.js', import.meta.url);

type Answer = { digest: FileDigest; error?: undefined } | { error: { message: string; code?: string } };

export class HashWorkers {
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();
  private readonly queue: ((worker: Worker) => void)[] = [];

  constructor(private readonly max = os.availableParallelism()) {}

  /** SHA-256 and MD5 of the file, and its multipart ETag when `partSize` is given. */
  async digest(file: string, partSize?: number): Promise<Required<Pick<FileDigest, 'md5'>> & FileDigest> {
    const worker = await this.acquire();
    try {
      const answer = await new Promise<Answer>((resolve, reject) => {
        const failed = (error: Error) => {
          this.all.delete(worker);
          reject(error);
        };
        worker.once('error', failed);
        worker.once('message', (message: Answer) => {
          worker.off('error', failed);
          resolve(message);
        });
        worker.postMessage({ file, partSize } satisfies HashJob);
      });
      if (answer.error) throw Object.assign(new Error(answer.error.message), { code: answer.error.code });
      return answer.digest as Required<Pick<FileDigest, 'md5'>> & FileDigest;
    } finally {
      this.release(worker);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.all].map((worker) => worker.terminate()));
    this.all.clear();
    this.idle.length = 0;
  }

  private acquire(): Promise<Worker> {
    const worker = this.idle.pop();
    if (worker) {
      worker.ref();
      return Promise.resolve(worker);
    }
    if (this.all.size < this.max) {
      const fresh = new Worker(WORKER_SCRIPT);
      this.all.add(fresh);
      return Promise.resolve(fresh);
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  private release(worker: Worker): void {
    // A worker that failed is gone; its place goes to the next job.
    if (!this.all.has(worker)) {
      const next = this.queue.shift();
      if (next) void this.acquire().then(next);
      return;
    }
    const next = this.queue.shift();
    if (next) return next(worker);
    // An idle worker must not keep the process alive.
    worker.unref();
    this.idle.push(worker);
  }
}
