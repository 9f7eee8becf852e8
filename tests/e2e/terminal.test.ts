// The command in the terminals people and CI actually give it: one that reports no size must get the
// plain output and finish; NO_COLOR and --no-color take every colour away, spinners included.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, test } from 'vitest';
import { CLI_PATH } from '../helpers/cli.js';
import { freshMysql, freshPostgres, type MysqlDatabase, type PostgresDatabase } from '../helpers/databases.js';

const hasScript = spawnSync('script', ['--version']).status === 0;
// SGR colour codes (foreground, background, bright, 256/true colour); cursor movement is not colour.
const COLOUR = /\x1b\[(?:\d+;)*(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;\d+)*m/;
const CURSOR = /\x1b\[\?25[lh]/;

let source: MysqlDatabase;
let target: PostgresDatabase;

beforeAll(async () => {
  source = await freshMysql('terminal');
  target = await freshPostgres('terminal');
  await source.conn.query('CREATE TABLE events (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL)');
  await source.conn.query("INSERT INTO events SELECT seq, 'e' FROM seq_1_to_5000");
});

afterAll(async () => {
  await source?.drop();
  await target?.drop();
});

/** The environment of a person's colour terminal, plus `extra`. */
function terminalEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', ...extra };
  // A CI variable, even empty, tells the colour and spinner libraries they are in CI.
  for (const name of ['CI', 'NO_COLOR', 'FORCE_COLOR', 'NODE_DISABLE_COLORS']) if (!(name in extra)) delete env[name];
  return env;
}

/** Runs `markethub ...args` under script(1), in a pseudo-terminal of `size` ("cols 0 rows 0"). */
function inTerminal(size: string, args: string[], env: Record<string, string> = {}) {
  const quoted = [process.execPath, CLI_PATH, ...args].map((a) => `'${a}'`).join(' ');
  return spawnSync('script', ['-qec', `stty ${size}; ${quoted}`, '/dev/null'], {
    encoding: 'utf8',
    timeout: 120_000,
    killSignal: 'SIGKILL',
    // A run that loops redrawing its spinner writes megabytes: more than this ends it, and the test fails.
    maxBuffer: 4 * 1024 * 1024,
    env: terminalEnv(env),
  });
}

const migrate = (schema: string) => ['migrate', 'db', '--source', source.url, '--target', target.url, '--schema', schema];

test.skipIf(!hasScript)('a terminal that reports 0 columns and 0 rows gets the plain output, and the run completes', () => {
  const result = inTerminal('cols 0 rows 0', migrate('nosize'));
  assert.equal(result.error, undefined, `script(1) ended by ${result.error?.message}`);
  assert.equal(result.status, 0, result.stdout.slice(-2000));
  assert.match(result.stdout, /Total\s+5000\s+5000/);
  assert.doesNotMatch(result.stdout, CURSOR, 'no spinner or bar hides the cursor');
  assert.doesNotMatch(result.stdout, /rows\/s \| ETA/, 'no progress bar');
  assert.ok(result.stdout.length < 20_000, `plain output only, got ${result.stdout.length} characters`);
});

test.skipIf(!hasScript)('a sized terminal shows spinners in colour; NO_COLOR and --no-color turn every colour off', () => {
  const coloured = inTerminal('cols 120 rows 40', migrate('coloured'));
  assert.equal(coloured.status, 0, coloured.stdout.slice(-2000));
  assert.match(coloured.stdout, CURSOR, 'spinners and bars at a sized terminal');
  assert.match(coloured.stdout, COLOUR, 'colour by default');

  for (const [label, args, env] of [
    ['NO_COLOR', migrate('nocolor_env'), { NO_COLOR: '1' }],
    ['--no-color', [...migrate('nocolor_flag'), '--no-color'], {}],
    ['--no-color before the command', ['--no-color', ...migrate('nocolor_first')], {}],
  ] as const) {
    const plain = inTerminal('cols 120 rows 40', [...args], env);
    assert.equal(plain.status, 0, `${label}: ${plain.stdout.slice(-2000)}`);
    assert.match(plain.stdout, /introspect: 1 tables, 0 views/, `${label}: the spinners still run`);
    assert.match(plain.stdout, /events \| 5000\/5000 rows/, `${label}: the bars still run`);
    assert.doesNotMatch(plain.stdout, COLOUR, `${label}: no colour code anywhere`);
  }
});
