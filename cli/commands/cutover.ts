// markethub cutover status | shadow | set | rollback: the flag that moves traffic to the new backend.
import { Option, type Command } from 'commander';
import type { Dsn } from '../../src/config/dsn.js';
import { connectionError, EXIT } from '../../src/config/errors.js';
import { oneOf, percentage } from '../../src/config/flags.js';
import type { CutoverStore } from '../../src/cutover/index.js';
import { renderCutoverTerminal, renderSyncTerminal } from '../../src/report/render.js';
import { action, withCommonOptions, type Flags } from '../command.js';

const config = () => import('../../src/config/index.js');

/** Opens the flag store in the target, runs `work`, closes it. */
async function withCutoverStore<T>(target: Dsn, work: (store: CutoverStore) => Promise<T>): Promise<T> {
  const { CutoverStore } = await import('../../src/cutover/index.js');
  const store = await CutoverStore.open(target.url).catch((error: unknown) => {
    throw connectionError(error, target, 'target');
  });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

const changedBy = () => `cli:${process.env.USER ?? process.env.USERNAME ?? 'unknown'}`;
const targetOption = () => new Option('--target <url>', 'Postgres holding the cutover flag, the migrated target (env DATABASE_URL)');
const targetOf = async (flags: Flags) => (await config()).migrateStatusConfig(flags).target;
const describeShare = (percentage: number, writes: boolean) => `${percentage}% of users on the new backend (${writes ? 'reads and writes' : 'reads only'})`;

export function registerCutover(program: Command): void {
  const cutover = program.command('cutover').description('move traffic to the new backend in stages, and back');

  withCommonOptions(
    cutover.command('status').description('stage, percentage, error rates per side, shadow differences, recent changes').addOption(targetOption()),
    'print the status as JSON',
  ).action(
    action({
      parse: targetOf,
      secrets: (target) => [target.password],
      run: (target) => withCutoverStore(target, (store) => store.status()),
      render: (status) => ({ text: renderCutoverTerminal(status), data: status }),
    }),
  );

  withCommonOptions(
    cutover.command('shadow').description('mirror sampled GETs to the new backend and compare (on), or stop (off)').argument('<on|off>').addOption(targetOption()),
    'print the new state as JSON',
  ).action(
    action({
      parse: async (flags, [mode]) => ({ on: oneOf(mode, 'cutover shadow', ['on', 'off'] as const) === 'on', target: await targetOf(flags) }),
      secrets: ({ target }) => [target.password],
      run: ({ on, target }) => withCutoverStore(target, (store) => store.change({ shadow: on }, changedBy(), `shadow ${on ? 'on' : 'off'}`)),
      render: (state) => ({ text: `shadow ${state.shadow ? 'on' : 'off'}; ${state.percentage}% on the new backend\n`, data: { state } }),
    }),
  );

  withCommonOptions(
    cutover
      .command('set')
      .description('send this percentage of users (sticky) to the new backend')
      .argument('<percentage>')
      .option('--writes', 'route writes too (default: only GET and HEAD)')
      .addOption(targetOption()),
    'print the new state as JSON',
  ).action(
    action({
      parse: async (flags, [value]) => ({ percentage: percentage(value, 'cutover set'), writes: Boolean(flags.writes), target: await targetOf(flags) }),
      secrets: ({ target }) => [target.password],
      run: ({ percentage, writes, target }) =>
        withCutoverStore(target, (store) => store.change({ percentage, writes }, changedBy(), `set ${percentage}%${writes ? ' with writes' : ''}`)),
      render: (state) => ({ text: `${describeShare(state.percentage, state.writes)}\n`, data: { state } }),
    }),
  );

  withCommonOptions(
    cutover
      .command('rollback')
      .description('send everyone back to the legacy backend, at once (after `migrate sync --switch-writes`: with the writes made on Postgres)')
      .addOption(targetOption())
      .option('--source <url>', 'MySQL source, needed once writes moved to Postgres: their changes are brought back first (env MARKETHUB_SOURCE_URL)')
      .option('--flag-cache-ms <ms>', 'how long the apps trust their read of the cutover flag (default: 1000)'),
    'print the result as JSON',
  ).action(
    action({
      parse: async (flags) => {
        const target = await targetOf(flags);
        const source = flags.source ?? process.env.MARKETHUB_SOURCE_URL;
        // Whether the way back needs the source is known only once connected; a source given is checked now.
        const syncBack = source ? (await config()).migrateSyncConfig({ ...flags, source, switchWrites: true, reverse: true }) : undefined;
        return { target, syncBack };
      },
      secrets: ({ target, syncBack }) => [target.password, syncBack?.source.password],
      run: async ({ target, syncBack }, context) => {
        const { rollbackCutover } = await import('../../src/migrate/sync/index.js');
        return withCutoverStore(target, async (store) =>
          rollbackCutover(store, { changedBy: changedBy(), syncBack, ui: await context.ui(), signal: context.interruptible('writes stay where they are'), log: context.log }),
        );
      },
      render: ({ syncedBack }) => {
        if (!syncedBack) return { text: 'everyone is on the legacy backend (0%)\n', data: {} };
        const ok = syncedBack.outcome === 'success';
        const text = renderSyncTerminal(syncedBack) + (ok ? 'everyone is on the legacy backend (0%), with every write made on Postgres\n' : '');
        return { text, data: { syncedBack }, exitCode: ok ? EXIT.ok : EXIT.failed };
      },
    }),
  );
}
