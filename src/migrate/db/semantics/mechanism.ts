// Which Postgres mechanism keeps a MySQL collation's comparisons, from what the target offers.
import { quoteIdent as qi } from '../plan/expression.js';
import type { CollationRule } from './collation.js';
import type { TargetSupport } from './target.js';

/** `preserve` (default): keep MySQL's comparison rules; `exact`: Postgres's byte-wise defaults. */
export type CollationMode = 'preserve' | 'exact';

export type Mechanism =
  | { kind: 'exact' }
  /** `type` is how the column type is written (schema-qualified unless citext lives in public). */
  | { kind: 'citext'; type: string; schema: string }
  /** An ICU non-deterministic collation created in the target schema. */
  | { kind: 'icu'; collation: string; schema: string; name: string; locale: string; likeWorks: boolean };

/** Postgres 18 is the first to run LIKE on non-deterministic collations. */
const LIKE_ON_NONDETERMINISTIC = 180000;

/**
 * Case-insensitive collations become citext where the target has it (Postgres before 18), else an ICU
 * non-deterministic collation; from Postgres 18 ICU is preferred, as it also folds accents like MySQL.
 * Case-sensitive collations need nothing: Postgres's default comparison is exact.
 * `support` null: the target was not read (dry run without a reachable target): citext is assumed.
 */
export function chooseMechanism(rule: CollationRule, support: TargetSupport | null, schema: string): Mechanism {
  if (!rule.caseInsensitive) return { kind: 'exact' };
  const icu = (likeWorks: boolean): Mechanism => {
    // ICU strength: level1 ignores case and accents, level2 only case.
    const name = rule.accentInsensitive ? 'mysql_ci_ai' : 'mysql_ci_as';
    const locale = rule.accentInsensitive ? 'und-u-ks-level1' : 'und-u-ks-level2';
    return { kind: 'icu', collation: `${qi(schema)}.${qi(name)}`, schema, name, locale, likeWorks };
  };
  if (support && support.icu && support.version >= LIKE_ON_NONDETERMINISTIC) return icu(true);
  if (!support || support.citextCreatable) {
    const citextSchema = support?.citextSchema ?? 'public';
    return { kind: 'citext', type: citextSchema === 'public' ? 'citext' : `${qi(citextSchema)}.citext`, schema: citextSchema };
  }
  if (support.icu && support.version >= 120000) return icu(false);
  return { kind: 'exact' };
}

/** One line for the plan: what the target offers and what was chosen. */
export function describeSupport(support: TargetSupport | null): string {
  if (!support) return 'target not read: citext assumed';
  const major = Math.floor(support.version / 10000);
  const citext = support.citextSchema ? `citext installed in ${support.citextSchema}` : support.citextCreatable ? 'citext available' : 'citext not available';
  return `Postgres ${major}: ${citext}; ICU ${support.icu ? `collations present${support.version < LIKE_ON_NONDETERMINISTIC ? ' (LIKE on non-deterministic collations needs Postgres 18)' : ''}` : 'absent'}`;
}

/** Extensions the mechanisms install (each CREATE EXTENSION in mechanismSetupSql). */
export function mechanismExtensions(mechanisms: Mechanism[]): string[] {
  return mechanisms.some((m) => m.kind === 'citext') ? ['citext'] : [];
}

/** What mechanismSetupSql creates, for the ledger (each only if it was not there before). */
export function mechanismSetupObjects(mechanisms: Mechanism[]): { kind: 'extension' | 'collation'; schema: string; name: string }[] {
  const objects = new Map<string, { kind: 'extension' | 'collation'; schema: string; name: string }>();
  for (const m of mechanisms) {
    if (m.kind === 'citext') objects.set('citext', { kind: 'extension', schema: m.schema, name: 'citext' });
    if (m.kind === 'icu') objects.set(m.collation, { kind: 'collation', schema: m.schema, name: m.name });
  }
  return [...objects.values()];
}

/** DDL the mechanisms need before the tables are created. */
export function mechanismSetupSql(mechanisms: Mechanism[]): string[] {
  const sql = new Set<string>();
  for (const m of mechanisms) {
    // In public (or where it is): citext's operators must be on the search_path, or `=` silently falls back to text.
    // Always stated, IF NOT EXISTS: an extension --fresh dropped after the plan was read is created again.
    if (m.kind === 'citext') sql.add(`CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA ${qi(m.schema)}`);
    if (m.kind === 'icu') sql.add(`CREATE COLLATION IF NOT EXISTS ${m.collation} (provider = icu, locale = '${m.locale}', deterministic = false)`);
  }
  return [...sql];
}
