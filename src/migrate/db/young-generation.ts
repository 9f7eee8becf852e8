// V8 doubles its young generation each time a set amount of data has survived young-generation GCs since
// the last doubling. That total only grows with the length of a run, so a long copy ended with twice the
// young generation of a short one (16 MB more resident memory) although the rows die young and a GC at the
// smaller size already takes about a millisecond. Holding the size makes peak memory independent of the
// number of rows; the buffers and connections of the copy are bounded by back-pressure, not by this.
import v8 from 'node:v8';

let held = false;

/** Keeps V8's young generation at its present size for the rest of the process. */
export function holdYoungGenerationSize(): void {
  if (held) return;
  held = true;
  // Read by V8 at each growth (a growth factor of 1 grows by nothing); the maximum size is fixed at start.
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}
