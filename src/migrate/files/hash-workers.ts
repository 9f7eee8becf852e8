// Hashing a large file keeps a core busy for a while (MD5 runs at about 700 MB/s, SHA-256 faster where
// the CPU has SHA instructions). In worker threads it leaves the event loop free to keep the uploads in
// flight going, and several files hash on several cores at once.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { HashRequest, PartialDigest } from './hash.js';
import type { HashJob } from './hash-worker.js';
import type { LocalFile } from './scan.js';

const WORKER_SCRIPT = new URL('./hash-worker.js', import.meta.url);

type Answer = { digest: PartialDigest; error?: undefined } | { error: { message: string; code?: string } };

/**
 * 'urgent': an upload waits for it. 'background': only a check after the upload needs it (the MD5 to
 * compare with the ETag); its workers run at the lowest CPU priority, so that while a file is sent they
 * take only CPU time nobody else wants, such as a local S3 server's.
 */
export type HashPriority = 'urgent' | 'background';

/** Worker threads started on demand, up to `max`, and kept idle between jobs. */
class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();
  private readonly queue: ((worker: Worker) => void)[] = [];

  constructor(
    private readonly max: number,
    private readonly priority: HashPriority,
  ) {}

  /** Starts a worker now, if there is room, so that it is ready when work comes. */
  prestart(): void {
    if (this.all.size >= this.max) return;
    const worker = this.spawn();
    worker.unref();
    this.idle.push(worker);
  }

  acquire(): Promise<Worker> {
    const worker = this.idle.pop();
    if (worker) {
      worker.ref();
      return Promise.resolve(worker);
    }
    if (this.all.size < this.max) return Promise.resolve(this.spawn());
    return new Promise((resolve) => this.queue.push(resolve));
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER_SCRIPT, { workerData: { priority: this.priority } });
    this.all.add(worker);
    return worker;
  }

  /** A worker that failed: it is not given out again. */
  discard(worker: Worker): void {
    this.all.delete(worker);
  }

  release(worker: Worker): void {
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

  async close(): Promise<void> {
    await Promise.all([...this.all].map((worker) => worker.terminate()));
    this.all.clear();
    this.idle.length = 0;
  }
}

export class HashWorkers {
  private readonly pools: Record<HashPriority, WorkerPool>;
  /** SHA-256s started before the file's turn, by path, with the size and mtime the file had then. */
  private readonly ahead = new Map<string, { size: number; mtimeNs: string; digest: Promise<PartialDigest> }>();
  /** The first SHA-256 started ahead, settled or not: the later ones wait for it. */
  private firstAhead: Promise<unknown> | undefined;

  /** `max`: workers of each priority. */
  constructor(readonly max = os.availableParallelism()) {
    this.pools = { urgent: new WorkerPool(max, 'urgent'), background: new WorkerPool(max, 'background') };
  }

  /** The digests `request` asks for, and the size read. */
  async hash(file: string, request: HashRequest, priority: HashPriority = 'urgent'): Promise<PartialDigest> {
    const pool = this.pools[priority];
    const worker = await pool.acquire();
    try {
      const answer = await new Promise<Answer>((resolve, reject) => {
        const failed = (error: Error) => {
          pool.discard(worker);
          reject(error);
        };
        worker.once('error', failed);
        worker.once('message', (message: Answer) => {
          worker.off('error', failed);
          resolve(message);
        });
        worker.postMessage({ file, ...request } satisfies HashJob);
      });
      if (answer.error) throw Object.assign(new Error(answer.error.message), { code: answer.error.code });
      return answer.digest;
    } finally {
      pool.release(worker);
    }
  }

  /**
   * Starts a file's SHA-256 now, before its turn to upload (e.g. while Postgres is set up): a large
   * file's upload cannot start before it, since the SHA-256 goes in the object's metadata.
   */
  hashAhead(file: LocalFile): void {
    // The first file has a CPU to itself, so that its upload starts as soon as it can; the others follow it.
    const hashed = () => this.hash(file.absolute, { sha256: true });
    const digest = this.firstAhead ? this.firstAhead.then(hashed) : hashed();
    this.firstAhead ??= digest.catch(() => {});
    // Its MD5 follows beside its upload: the worker for it starts now, not when the upload needs the CPU.
    this.pools.background.prestart();
    digest.catch(() => {}); // surfaces when taken
    this.ahead.set(file.absolute, { size: file.size, mtimeNs: file.mtimeNs, digest });
  }

  /** The file's SHA-256 (and the size read): the one started ahead if the file is unchanged since, else a new one. */
  sha256(file: LocalFile): Promise<PartialDigest> {
    const ahead = this.ahead.get(file.absolute);
    this.ahead.delete(file.absolute);
    if (ahead && ahead.size === file.size && ahead.mtimeNs === file.mtimeNs) return ahead.digest;
    return this.hash(file.absolute, { sha256: true });
  }

  async close(): Promise<void> {
    await Promise.all([this.pools.urgent.close(), this.pools.background.close()]);
  }
}
