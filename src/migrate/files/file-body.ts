// A file sent as a request body through a few buffers used over and over. A read stream allocates a
// new buffer per chunk, and the kernel zeroes the fresh pages behind each one: on a virtual machine
// that took about 3 ms of CPU per MB, ten times the reading itself, and on a machine that also runs
// the S3 server that CPU is the server's.
import { closeSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { openRegularFile, readNext } from './hash.js';

/** Writes a request's body, then ends the request; or destroys it with the error that stopped it. */
export type BodyWriter = (destination: Writable) => Promise<void>;

/** The file changed while it was read or sent: what arrived may be neither version. */
export class FileChangedMeanwhile extends Error {
  override readonly name = 'FileChangedMeanwhile';
}

const CHUNK = 256 * 1024;
/** Chunks in flight: one is read while the others wait for the socket. */
const BUFFERS = 4;

/** The first `size` bytes of the file; `onChunk` sees each chunk before it is sent. */
export function fileBody(file: string, size: number, onChunk: (chunk: Buffer) => void = () => {}): BodyWriter {
  return async (destination) => {
    // A request given up (an early answer, a dropped connection) stops the reading.
    const closed = new Promise<void>((resolve) => destination.once('close', resolve));
    const buffers = Array.from({ length: BUFFERS }, () => Buffer.allocUnsafe(CHUNK));
    const written = buffers.map(() => Promise.resolve());
    try {
      const { fd } = openRegularFile(file);
      try {
        for (let sent = 0, i = 0; sent < size; i = (i + 1) % BUFFERS) {
          // A buffer is read into again only once the socket has taken its last chunk.
          await Promise.race([written[i], closed]);
          if (destination.destroyed) return;
          const bytesRead = await readNext(fd, buffers[i]!, Math.min(CHUNK, size - sent));
          if (bytesRead === 0) throw new FileChangedMeanwhile('the file became shorter while it was uploaded');
          const chunk = buffers[i]!.subarray(0, bytesRead);
          onChunk(chunk);
          written[i] = new Promise((resolve) => destination.write(chunk, () => resolve()));
          sent += bytesRead;
        }
      } finally {
        closeSync(fd);
      }
      destination.end();
    } catch (error) {
      destination.destroy(error as Error);
    }
  };
}
