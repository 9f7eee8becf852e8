// Runs in a worker thread: hashes the files it is sent, one at a time, and answers with their digests.
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { hashFile, type HashRequest } from './hash.js';
import type { HashPriority } from './hash-workers.js';

export interface HashJob extends HashRequest {
  file: string;
}

// Linux gives each thread its own priority; elsewhere this call would lower the whole process's.
if ((workerData as { priority: HashPriority }).priority === 'background' && process.platform === 'linux') {
  try {
    os.setPriority(0, os.constants.priority.PRIORITY_LOW);
  } catch {
    // Not allowed here: the work is the same, only less polite.
  }
}

parentPort!.on('message', ({ file, ...request }: HashJob) => {
  try {
    parentPort!.postMessage({ digest: hashFile(file, request) });
  } catch (error) {
    const { message, code } = error as NodeJS.ErrnoException;
    parentPort!.postMessage({ error: { message, code } });
  }
});
