// What /proc/PID/stat says of a process, for the benchmarks' measurements of memory and CPU.
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessStat {
  pid: number;
  ppid: number;
  name: string;
  /** utime + stime of the process itself, in ticks. */
  own: number;
  /** cutime + cstime: the children it has reaped, in ticks. */
  reaped: number;
}

/** The process's stat, or null if it ended while we looked. `pid` may be 'self'. */
export function processStat(pid: string): ProcessStat | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The name may hold spaces or parentheses: the fields after it follow the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    return { pid: Number(stat.slice(0, stat.indexOf(' '))), ppid: Number(fields[1]), name, own: Number(fields[11]) + Number(fields[12]), reaped: Number(fields[13]) + Number(fields[14]) };
  } catch {
    return null;
  }
}

/** Every process running now. */
export function allProcesses(): ProcessStat[] {
  return readdirSync('/proc').filter((e) => /^\d+$/.test(e)).map(processStat).filter((p): p is ProcessStat => p !== null);
}
