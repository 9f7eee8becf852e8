// What `migrate check` found: one row per fact, each naming the commands it holds up when it blocks.
import type { Note } from '../../report/model.js';

/** ok: in place; warn: the commands run, but look; blocked: the named commands cannot run; info: a fact. */
export type CheckStatus = 'ok' | 'warn' | 'blocked' | 'info';

export type CheckArea = 'source' | 'target' | 'bucket' | 'uploads';

/** The commands a check speaks for, as the user types them. */
export type CheckedCommand = 'migrate db' | 'migrate verify' | 'migrate files' | 'migrate sync' | 'migrate sync --reverse' | 'migrate rollback';

export interface CheckItem {
  area: CheckArea;
  /** What was checked, e.g. `TRIGGER on shop`, `server version`, `extension citext`. */
  check: string;
  status: CheckStatus;
  detail: string;
  /** The commands that need this; when blocked, the ones that cannot run. */
  commands: CheckedCommand[];
}

export interface CheckReport {
  schemaVersion: 1;
  command: 'migrate check';
  /** True when every command checked can run. */
  ok: boolean;
  source: string; // masked DSN
  target: string; // masked DSN
  schema: string;
  bucket: string | null;
  uploads: string | null;
  startedAt: string;
  seconds: number;
  checks: CheckItem[];
  /** Each command that cannot run, with the checks that stop it. */
  blocked: { command: CheckedCommand; checks: string[] }[];
  /** Every source table in scope with its row estimate and bytes (data and indexes), largest first. */
  sourceTables: { table: string; rowEstimate: number; bytes: number }[];
  /** What `migrate db` would report: type, default, constraint changes and objects not migrated. */
  notes: Note[];
}

export function blockedCommands(checks: CheckItem[]): CheckReport['blocked'] {
  const byCommand = new Map<CheckedCommand, string[]>();
  for (const item of checks) {
    if (item.status !== 'blocked') continue;
    // The way back runs on everything the way there needs.
    const commands = item.commands.includes('migrate sync') ? [...item.commands, 'migrate sync --reverse' as const] : item.commands;
    for (const command of new Set(commands)) byCommand.set(command, [...(byCommand.get(command) ?? []), `${item.area}: ${item.check}`]);
  }
  return [...byCommand.entries()].map(([command, list]) => ({ command, checks: list }));
}
