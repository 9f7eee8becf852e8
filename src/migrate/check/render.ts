// `migrate check` for a person: one table of every check, then the verdict per command.
import { table } from '../../report/render.js';
import type { CheckReport } from './model.js';

const MARK = { ok: 'ok', warn: 'WARN', blocked: 'BLOCKED', info: '' } as const;

export function renderCheckTerminal(report: CheckReport): string {
  const rows = report.checks.map((c) => [c.area, c.check, MARK[c.status], c.detail + (c.status === 'blocked' ? ` [stops ${c.commands.join(', ')}]` : '')]);
  const out = [`${report.source} -> ${report.target} (schema ${report.schema})`, '', table(['where', 'check', 'status', 'detail'], rows, [false, false, false, false])];
  out.push('');
  if (report.ok) out.push(`Ready: every command can run (checked in ${report.seconds.toFixed(1)} s; nothing was written).`);
  else {
    out.push('Blocked:');
    for (const b of report.blocked) out.push(`  ${b.command} cannot run: ${b.checks.join('; ')}`);
  }
  return out.join('\n') + '\n';
}
