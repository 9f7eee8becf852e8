// Runs in a worker thread: hashes the files it is sent, one at a time, and answers with their digests.
import { parentPort } from 'node:worker_threads';
import { hashFile, type HashRequest } from './hash.js';

export interface HashJob extends HashRequest {
  file: string;
}

parentPort!.on('message', ({ file, ...request }: HashJob) => {
  try {
    parentPort!.postMessage({ digest: hashFile(file, request) });
  } catch (error) {
    const { message, code } = error as NodeJS.ErrnoException;
    parentPort!.postMessage({ error: { message, code } });
  }
});
