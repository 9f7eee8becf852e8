// Reading dt-sql-parser's MySQL parse tree: node kinds, children, identifiers and literals as MySQL means them.
import type { ParseNode } from './parsers.js';

/** A construct the translation does not handle: the trigger stays a note that names it. */
export class Untranslatable extends Error {}

/** The grammar rule a node comes from (IfStatement, BinaryComparisonPredicate ...); 'Terminal' for tokens. */
export function kindOf(node: ParseNode): string {
  if (isTerminal(node)) return 'Terminal';
  return node.constructor.name.replace(/Context$/, '');
}

export function isTerminal(node: ParseNode): boolean {
  return node.symbol !== undefined && node.symbol !== null;
}

export function childrenOf(node: ParseNode): ParseNode[] {
  return node.children ?? [];
}

/** The only child when a rule just wraps another (PredicateExpression > ExpressionAtomPredicate > ...). */
export function unwrap(node: ParseNode): ParseNode {
  let n = node;
  for (;;) {
    const kids = childrenOf(n);
    if (kids.length !== 1 || isTerminal(kids[0])) return n;
    n = kids[0];
  }
}

export function child(node: ParseNode, kind: string): ParseNode | undefined {
  return childrenOf(node).find((c) => kindOf(c) === kind);
}

export function childrenOfKind(node: ParseNode, kind: string): ParseNode[] {
  return childrenOf(node).filter((c) => kindOf(c) === kind);
}

/** Upper-cased texts of the node's own tokens (keywords, operators), in order. */
export function keywords(node: ParseNode): string[] {
  return childrenOf(node).filter(isTerminal).map((t) => t.getText().toUpperCase());
}

/** The source text a node spans, for notes; with its line in the MySQL definition when that has several. */
export function sourceText(source: string, node: ParseNode): string {
  const start = node.start?.start;
  const stop = node.stop?.stop;
  const text = start === undefined || stop === undefined ? node.getText() : source.slice(start, stop + 1);
  const flat = text.replace(/\s+/g, ' ').trim();
  const shown = flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
  if (start === undefined || !source.includes('\n')) return shown;
  return `line ${source.slice(0, start).split('\n').length}: ${shown}`;
}

export function unquoteIdentifier(text: string): string {
  if (text.startsWith('`') && text.endsWith('`') && text.length >= 2) return text.slice(1, -1).replace(/``/g, '`');
  return text;
}

/** The parts of a dotted name (Uid, DottedId, FullId, ColumnName, ColumnNamePath ...), unquoted. */
export function nameParts(node: ParseNode): string[] {
  if (isTerminal(node)) {
    const text = node.getText();
    if (text === '.') return [];
    // DOT_ID tokens: ".name" as one token.
    return text.split(/(?<=^|[^`])\.(?=[^`]|$)/).filter((p) => p !== '').map(unquoteIdentifier);
  }
  const kind = kindOf(node);
  if (kind === 'Uid' || kind === 'SimpleId') return [unquoteIdentifier(node.getText())];
  return childrenOf(node).flatMap(nameParts);
}

const ESCAPES: Record<string, string> = { '0': '\0', "'": "'", '"': '"', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a', '\\': '\\' };

/** A MySQL string literal token's value: backslash escapes (\% and \_ keep their backslash, as in MySQL), doubled quotes. */
export function stringValue(token: string): string {
  const quote = token[0];
  if (quote !== "'" && quote !== '"') throw new Untranslatable(`string literal ${token.slice(0, 20)}`);
  let value = '';
  for (let i = 1; i < token.length - 1; i++) {
    const c = token[i];
    if (c === '\\' && i + 1 < token.length - 1) {
      const next = token[++i];
      value += ESCAPES[next] ?? (next === '%' || next === '_' ? `\\${next}` : next);
    } else if (c === quote && token[i + 1] === quote) {
      value += quote;
      i++;
    } else {
      value += c;
    }
  }
  return value;
}
