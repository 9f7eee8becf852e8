// Progress for people at a terminal, behind one small interface; silent in CI, in pipes, with --json, and
// in terminals that report no size.
import type cliProgressModule from 'cli-progress';

export interface PhaseHandle {
  done(text?: string): void;
  fail(text?: string): void;
}

export interface TableProgress {
  add(rows: number): void;
  done(): void;
}

export interface TransferProgress {
  add(files: number, bytes: number): void;
  done(): void;
}

export interface Ui {
  phase(text: string): PhaseHandle;
  table(name: string, expectedRows: number): TableProgress;
  transfer(totalFiles: number): TransferProgress;
  /** Everything off the screen before the report prints. */
  close(): void;
}

const silent: Ui = {
  phase: () => ({ done() {}, fail() {} }),
  table: () => ({ add() {}, done() {} }),
  transfer: () => ({ add() {}, done() {} }),
  close() {},
};

export interface UiOptions {
  json: boolean;
  /** false: no colour anywhere, spinner frames and their closing symbols included (NO_COLOR, --no-color). */
  color?: boolean;
  stream?: NodeJS.WriteStream;
}

/**
 * A terminal that reports 0 columns or rows (script(1), some `docker exec -t`, CI runners) cannot hold
 * a redrawn line: ora and cli-progress would redraw it for ever. Such a terminal gets the plain output.
 */
export function hasSize(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && (stream.columns ?? 0) > 0 && (stream.rows ?? 0) > 0;
}

export function showsProgress(options: UiOptions): boolean {
  const stream = options.stream ?? process.stderr;
  // Progress goes to stderr, and only when a person watches both streams: never into a file or a pipe.
  return !options.json && hasSize(stream) && Boolean(process.stdout.isTTY) && !process.env.CI;
}

// What ora's log-symbols would print, without their colour.
const PLAIN_SYMBOLS = { success: '✔', error: '✖' };

export async function createUi(options: UiOptions): Promise<Ui> {
  const stream = options.stream ?? process.stderr;
  if (!showsProgress(options)) return silent;
  const color = options.color ?? true;
  // Loaded only for a person at a terminal.
  const [{ default: ora }, { default: cliProgress }] = await Promise.all([import('ora'), import('cli-progress') as Promise<{ default: typeof cliProgressModule }>]);
  let bars: cliProgressModule.MultiBar | null = null;
  return {
    phase(text) {
      const spinner = ora({ text, stream, color: color ? 'cyan' : false }).start();
      if (color) return { done: (t) => spinner.succeed(t ?? text), fail: (t) => spinner.fail(t ?? text) };
      return {
        done: (t) => spinner.stopAndPersist({ symbol: PLAIN_SYMBOLS.success, text: t ?? text }),
        fail: (t) => spinner.stopAndPersist({ symbol: PLAIN_SYMBOLS.error, text: t ?? text }),
      };
    },
    table(name, expectedRows) {
      bars ??= new cliProgress.MultiBar(
        { stream, format: ' {bar} {percentage}% | {name} | {value}/{total} rows | {rate} rows/s | ETA {eta_formatted}', hideCursor: true, clearOnComplete: false },
        cliProgress.Presets.shades_classic,
      );
      const started = Date.now();
      const bar = bars.create(Math.max(expectedRows, 1), 0, { name, rate: 0 });
      let value = 0;
      return {
        add(rows) {
          value += rows;
          // Row estimates from information_schema are approximate: grow the bar rather than overflow it.
          if (value > bar.getTotal()) bar.setTotal(value);
          bar.update(value, { rate: Math.round(value / Math.max((Date.now() - started) / 1000, 0.001)) });
        },
        done() {
          bar.setTotal(Math.max(value, 1));
          bar.update(value);
        },
      };
    },
    transfer(totalFiles) {
      const bar = new cliProgress.SingleBar(
        { stream, format: ' {bar} {percentage}% | {value}/{total} files | {files_s} files/s | {mb_s} MB/s | ETA {eta_formatted}', hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      const started = Date.now();
      let files = 0;
      let bytes = 0;
      bar.start(Math.max(totalFiles, 1), 0, { files_s: 0, mb_s: '0.0' });
      return {
        add(f, b) {
          files += f;
          bytes += b;
          const seconds = Math.max((Date.now() - started) / 1000, 0.001);
          bar.update(files, { files_s: Math.round(files / seconds), mb_s: (bytes / 1e6 / seconds).toFixed(1) });
        },
        done() {
          bar.stop();
        },
      };
    },
    close() {
      bars?.stop();
      bars = null;
    },
  };
}
