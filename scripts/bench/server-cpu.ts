// CPU seconds spent while a command runs, by the local database servers and by the command itself. On a
// machine with few cores their sum, divided by the cores, is the least wall time that work can take.
import { cpus } from 'node:os';
import { allProcesses, processStat, type ProcessStat } from './proc.js';

/** USER_HZ, the unit of the times in /proc/PID/stat: 100 on common Linux builds (`getconf CLK_TCK`). */
const TICKS_PER_SECOND = 100;

interface Snapshot {
  mariadb: number;
  /** The postmaster's reaped backends plus every live postgres process. */
  postgres: number;
  /** This process's reaped children: the measured command, once it has exited. */
  command: number;
}

function snapshot(): Snapshot {
  const all = allProcesses();
  const sum = (list: ProcessStat[], f: (p: ProcessStat) => number) => list.reduce((n, p) => n + f(p), 0);
  const postgres = all.filter((p) => p.name === 'postgres');
  const postmasters = postgres.filter((p) => !postgres.some((q) => q.pid === p.ppid));
  return {
    mariadb: sum(all.filter((p) => p.name === 'mariadbd' || p.name === 'mysqld'), (p) => p.own),
    postgres: sum(postgres, (p) => p.own) + sum(postmasters, (p) => p.reaped),
    command: processStat('self')!.reaped,
  };
}

export interface CpuSeconds {
  mariadb: number;
  postgres: number;
  command: number;
}

/** Runs `work` (which must wait for its command to exit) and reports the CPU seconds each side spent. */
export async function cpuDuring<T>(work: () => Promise<T>): Promise<{ result: T; cpu: CpuSeconds }> {
  const before = snapshot();
  const result = await work();
  // A backend ends a moment after its client disconnects: give the postmaster time to reap it.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const after = snapshot();
  const seconds = (key: keyof Snapshot) => (after[key] - before[key]) / TICKS_PER_SECOND;
  return { result, cpu: { mariadb: seconds('mariadb'), postgres: seconds('postgres'), command: seconds('command') } };
}

export function describeCpu(cpu: CpuSeconds): string {
  const total = cpu.mariadb + cpu.postgres + cpu.command;
  const cores = cpus().length;
  return `CPU: MariaDB ${cpu.mariadb.toFixed(2)} s, Postgres ${cpu.postgres.toFixed(2)} s, markethub ${cpu.command.toFixed(2)} s;` +
    ` ${total.toFixed(2)} s on ${cores} cores needs at least ${(total / cores).toFixed(2)} s`;
}
