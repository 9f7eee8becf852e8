// What a MySQL collation means for comparisons, read from its name (pure: the names follow fixed rules).

export interface CollationRule {
  collation: string;
  /** 'A' = 'a' */
  caseInsensitive: boolean;
  /** 'é' = 'e' (general_ci, unicode_ci, 0900_ai_ci ...) */
  accentInsensitive: boolean;
  /** PAD SPACE: 'a' = 'a ' (MySQL's legacy collations); NO PAD: trailing spaces count (0900, nopad). */
  padSpace: boolean;
}

/**
 * Classifies a collation name: `_bin`, `_cs` and `_as_cs` compare exactly; `_as_ci` folds case only;
 * every other `_ci` (general, unicode, unicode_520, swedish, 0900_ai, uca1400_ai ...) folds case and accents.
 * MySQL's 0900 collations and MariaDB's `nopad` ones are NO PAD; the older ones are PAD SPACE.
 */
export function classifyCollation(collation: string): CollationRule {
  const name = collation.toLowerCase();
  const padSpace = name !== 'binary' && !name.includes('nopad') && !name.includes('_0900_');
  const caseInsensitive = name.endsWith('_ci');
  const accentInsensitive = caseInsensitive && !name.includes('_as_');
  return { collation, caseInsensitive, accentInsensitive, padSpace };
}
