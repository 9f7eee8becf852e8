// Runs in a worker thread: hashes the files it is sent, one at a time, and answers with their digests.
import { parentPort } from 'node:worker_threads';
import { digestFile } from './hash.js';

export interface HashJob {
  file: string;
  partSize?: number;
}

parentPort!.on('message', (job: HashJob) => {
  digestFile(job.file, { partSize: job.partSize }).then(
    (digest) => parentPort!.postMessage({ digest }),
    (error: NodeJS.ErrnoException) => parentPort!.postMessage({ error: { message: error.message, code: error.code } }),
  );
});
