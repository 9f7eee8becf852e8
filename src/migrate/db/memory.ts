// What keeps the data phase's resident memory independent of the number of rows copied.
import v8 from 'node:v8';
import vm from 'node:vm';

let held = false;

/**
 * Keeps V8's young generation at its present size for the rest of the process.
 *
 * V8 doubles its young generation each time a set amount of data has survived young-generation GCs since
 * the last doubling. That total only grows with the length of a run, so a long copy ended with twice the
 * young generation of a short one (16 MB more resident memory) although the rows die young and a GC at the
 * smaller size already takes about a millisecond. The buffers and connections of the copy are bounded by
 * back-pressure, not by this.
 */
export function holdYoungGenerationSize(): void {
  if (held) return;
  held = true;
  // Read by V8 at each growth (a growth factor of 1 grows by nothing); the maximum size is fixed at start.
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}

/** Buffers the copies hold when all is well: COPY buffers in flight and spare, socket chunks. */
const BUFFER_BOUND = 6 * 1024 * 1024;
const CHECK_EVERY_MS = 500;

/**
 * Frees dead buffers that V8 would keep for a long time, until `stop()` is called.
 *
 * While a MySQL read waits for Postgres, mysql2 keeps the socket chunk it was parsing (its queued
 * packets and any partial packet share that memory). A wait that spans two young-generation GCs moves the
 * chunk to the old generation, where only a full GC frees it, and V8 starts one only when the heap grows
 * or 64 MB of such memory has piled up: resident memory crept up by about 1 MB a second. A full GC of this
 * small heap takes a few milliseconds, so one whenever buffers pass their bound keeps memory flat.
 */
export function collectDeadBuffers(): () => void {
  v8.setFlagsFromString('--expose-gc');
  // A context made after the flag is set has `gc`; the main one does not.
  const gc = vm.runInNewContext('typeof gc === "function" ? gc : null') as (() => void) | null;
  // A Node that no longer hands it out copies the same, only with more memory.
  if (!gc) return () => {};
  const timer = setInterval(() => {
    if (process.memoryUsage().arrayBuffers > BUFFER_BOUND) gc();
  }, CHECK_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
