// What the chosen mechanism does not keep, as notes backed by the data's evidence (see evidence.ts).
import type { Note } from '../../../report/model.js';
import type { SourceColumn, SourceTable } from '../catalog.js';
import type { CollationRule } from './collation.js';
import { escapeControls } from './evidence.js';
import type { Mechanism } from './mechanism.js';

/** Values as a reader sees them: control characters (NUL among them, which no note may hold) escaped, long ones cut. */
function shown(value: string): string {
  const visible = escapeControls(value);
  return `'${visible.length > 60 ? `${visible.slice(0, 60)}…` : visible}'`;
}
const quoted = (values: string[]) => values.map(shown).join(' = ');
/** Sorting matters on short texts (names, codes), not on bodies and descriptions. */
const SORTED_TYPES = new Set(['char', 'varchar', 'enum']);

export function lossNotes(table: string, source: SourceTable, column: SourceColumn, rule: CollationRule, mechanism: Mechanism): Note[] {
  if (mechanism.kind === 'exact') return [];
  const notes: Note[] = [];
  const at = { kind: 'collation' as const, table, column: column.name };
  const evidence = column.profile.text;
  const foldsAccentsLost = rule.accentInsensitive && mechanism.kind === 'citext';
  // Only citext compares trailing spaces (ICU's strength levels do not ignore them either).
  const padLost = rule.padSpace;
  const lost = [foldsAccentsLost ? 'accents' : null, padLost ? 'trailing spaces' : null].filter(Boolean).join(' and ');

  for (const values of evidence?.collisions ?? []) {
    notes.push({ ...at, what: `values one to MySQL, distinct in Postgres: ${quoted(values)}`, why: `${rule.collation}'s = ignores ${lost}; ${mechanism.kind === 'citext' ? 'citext folds case only' : 'Postgres keeps trailing spaces'}: WHERE, GROUP BY and DISTINCT now tell them apart` });
  }
  if (lost) {
    for (const index of source.indexes.filter((i) => i.unique && i.columns.some((c) => c.name === column.name))) {
      const examples = [foldsAccentsLost ? `'résumé' beside 'resume'` : null, padLost ? `'a ' beside 'a'` : null].filter(Boolean).join(' and ');
      const seen = evidence ? ` (data: ${evidence.nonAscii} values with non-ASCII characters, ${evidence.trailingSpaces} ending in spaces)` : '';
      notes.push({ ...at, what: `${index.primary ? 'PRIMARY KEY' : `UNIQUE ${index.name}`} is weaker: Postgres will accept ${examples}, which MySQL refuses`, why: `${rule.collation} ignores ${lost}, ${mechanism.kind === 'citext' ? 'citext folds case only' : 'the ICU collation keeps trailing spaces'}${seen}` });
    }
  }
  if (evidence && padLost && evidence.trailingSpaces > 0) {
    notes.push({ ...at, what: `${evidence.trailingSpaces} values end in spaces: 'x ' = 'x' no longer holds`, why: `${rule.collation} is PAD SPACE; Postgres compares trailing spaces` });
  }
  if (evidence && evidence.nonAscii > 0 && SORTED_TYPES.has(column.dataType)) {
    notes.push({ ...at, what: `ORDER BY may differ for the ${evidence.nonAscii} values with non-ASCII characters`, why: `MySQL sorts by ${rule.collation}'s weights; Postgres by ${mechanism.kind === 'citext' ? 'lower() under the database collation' : `ICU ${mechanism.kind === 'icu' ? mechanism.locale : ''}`}` });
  }
  if (!evidence && lost) {
    notes.push({ ...at, what: `not checked in the data: values equal under ${rule.collation} but not in Postgres (${lost})`, why: 'the table is large and the column leads no unique key; the evidence scan is skipped to keep introspection cheap' });
  }
  return notes;
}
