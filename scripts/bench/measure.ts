// Runs a command and measures what a person would: wall time and peak resident memory of its whole
// process tree (sampled from /proc), with its output captured.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { allProcesses } from './proc.js';

const PAGE_BYTES = 4096;

function childrenByParent(): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (const { pid, ppid } of allProcesses()) {
    const list = map.get(ppid) ?? [];
    list.push(pid);
    map.set(ppid, list);
  }
  return map;
}

function treeRssBytes(root: number): number {
  const children = childrenByParent();
  let total = 0;
  for (const stack = [root]; stack.length; ) {
    const pid = stack.pop()!;
    try {
      total += Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_BYTES;
    } catch {
      // gone
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

export interface Measurement {
  code: number | null;
  seconds: number;
  peakRssBytes: number;
  stdout: string;
  stderr: string;
}

/** `started` gets the child, for a command that runs until told to stop. */
export function measure(command: string, args: string[], options: { shell?: boolean; started?: (child: ChildProcess) => void } = {}): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], shell: options.shell });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const sampler = setInterval(() => (peak = Math.max(peak, treeRssBytes(child.pid!))), 50);
    child.on('error', reject);
    options.started?.(child);
    child.on('close', (code) => {
      clearInterval(sampler);
      resolve({ code, seconds: Number(process.hrtime.bigint() - started) / 1e9, peakRssBytes: peak, stdout, stderr });
    });
  });
}
