// Hashing a large file keeps a core busy for a while (MD5 runs at about 700 MB/s, SHA-256 faster where
// the CPU has SHA instructions). In worker threads it leaves the event loop free to keep the uploads in
// flight going, and several files hash on several cores at once.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { hashFileHere, type HashRequest, type PartialDigest } from './hash.js';
import type { HashJob } from './hash-worker.js';
import type { LocalFile } from './scan.js';
import { runnableScript } from '../../project-paths.js';

const WORKER_SCRIPT = runnableScript(import.meta.url, 'hash-worker.js');

type Answer = { digest: PartialDigest; error?: undefined } | { error: { message: string; code?: string } };

/** Worker threads started on demand, up to `max`, and kept idle between jobs. */
export class HashWorkers {
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();
  private readonly queue: ((worker: Worker) => void)[] = [];
  /** SHA-256s started before the file's turn, by path, with the size and mtime the file had then. */
  private readonly ahead = new Map<string, { size: number; mtimeNs: string; digest: Promise<PartialDigest> }>();
  private hashedOneHere = false;

  constructor(readonly max = os.availableParallelism()) {}

  /** The digests `request` asks for, and the size read. */
  async hash(file: string, request: HashRequest): Promise<PartialDigest> {
    const worker = await this.acquire();
    try {
      const answer = await new Promise<Answer>((resolve, reject) => {
        const failed = (error: Error) => {
          // A worker that failed is not given out again.
          this.all.delete(worker);
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
      this.release(worker);
    }
  }

  /**
   * Starts a file's SHA-256 now, before its turn to upload (e.g. while Postgres is set up): a large
   * file's upload cannot start before it, since the SHA-256 goes in the object's metadata.
   */
  hashAhead(file: LocalFile): void {
    // The first is hashed on this thread, which is idle then: a worker would take longer to start
    // than the hash takes. Workers start meanwhile for the others.
    const request = { sha256: true };
    const digest = this.hashedOneHere ? this.hash(file.absolute, request) : hashFileHere(file.absolute, request);
    this.hashedOneHere = true;
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
      const spawned = new Worker(WORKER_SCRIPT);
      this.all.add(spawned);
      return Promise.resolve(spawned);
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
