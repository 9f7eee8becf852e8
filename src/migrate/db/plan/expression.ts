// Translates the small MySQL expressions found in CHECK constraints, generated columns and defaults
// into Postgres SQL. Anything outside the known subset is refused, so the caller can fall back and note it.

type Token = { type: 'ident' | 'string' | 'number' | 'word' | 'op'; text: string };

export type Translation = { ok: true; sql: string } | { ok: false; reason: string };

const KEYWORDS = new Set(['and', 'or', 'not', 'is', 'null', 'between', 'in', 'like', 'true', 'false', 'case', 'when', 'then', 'else', 'end', 'distinct', 'escape']);
const FUNCTIONS: Record<string, string> = {
  lower: 'lower', upper: 'upper', abs: 'abs', round: 'round', coalesce: 'coalesce', ifnull: 'coalesce',
  char_length: 'char_length', character_length: 'char_length', length: 'octet_length', trim: 'trim', ltrim: 'ltrim',
  rtrim: 'rtrim', nullif: 'nullif', greatest: 'greatest', least: 'least', floor: 'floor', ceil: 'ceil', ceiling: 'ceil',
};
const OPERATORS = ['<=>', '<>', '!=', '<=', '>=', '&&', '||', '=', '<', '>', '+', '-', '*', '%', '(', ')', ',', '/'];

export function tokenizeMysql(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (/\s/.test(ch)) { i++; continue; }
    if (ch === '`') {
      let j = i + 1, name = '';
      for (; j < sql.length; j++) {
        if (sql[j] === '`') { if (sql[j + 1] === '`') { name += '`'; j++; continue; } break; }
        name += sql[j];
      }
      if (j >= sql.length) throw new Error('unterminated identifier');
      tokens.push({ type: 'ident', text: name });
      i = j + 1;
      continue;
    }
    if (ch === "'" || ch === '"') {
      let j = i + 1, value = '';
      for (; j < sql.length; j++) {
        const c = sql[j];
        if (c === '\\' && j + 1 < sql.length) { value += unescapeMysql(sql[++j]); continue; }
        if (c === ch) { if (sql[j + 1] === ch) { value += ch; j++; continue; } break; }
        value += c;
      }
      if (j >= sql.length) throw new Error('unterminated string');
      // A charset introducer (_utf8mb4'x') only labels the literal.
      if (tokens.length && tokens[tokens.length - 1].type === 'word' && /^_[a-z0-9]+$/i.test(tokens[tokens.length - 1].text)) tokens.pop();
      tokens.push({ type: 'string', text: value });
      i = j + 1;
      continue;
    }
    const number = /^(\d+(\.\d*)?([eE][-+]?\d+)?|\.\d+)/.exec(sql.slice(i));
    if (number) { tokens.push({ type: 'number', text: number[0] }); i += number[0].length; continue; }
    const word = /^[A-Za-z_$][\w$]*/.exec(sql.slice(i));
    if (word) { tokens.push({ type: 'word', text: word[0] }); i += word[0].length; continue; }
    const op = OPERATORS.find((o) => sql.startsWith(o, i));
    if (!op) throw new Error(`unexpected "${ch}"`);
    tokens.push({ type: 'op', text: op });
    i += op.length;
  }
  return tokens;
}

function unescapeMysql(c: string): string {
  return ({ n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', Z: '\x1a' } as Record<string, string>)[c] ?? c;
}

export function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

export function quoteLiteral(value: string): string {
  return "'" + value.replace(/'/g, "''") + "'";
}

/** Splits tokens[start..end) at top-level commas. */
function splitArguments(tokens: Token[], start: number, end: number): [number, number][] {
  const parts: [number, number][] = [];
  let depth = 0, from = start;
  for (let i = start; i < end; i++) {
    const t = tokens[i];
    if (t.type !== 'op') continue;
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (t.text === ',' && depth === 0) { parts.push([from, i]); from = i + 1; }
  }
  parts.push([from, end]);
  return parts;
}

function closingParen(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i].type !== 'op') continue;
    if (tokens[i].text === '(') depth++;
    if (tokens[i].text === ')' && --depth === 0) return i;
  }
  throw new Error('unbalanced parentheses');
}

function translateRange(tokens: Token[], start: number, end: number): string {
  const out: string[] = [];
  for (let i = start; i < end; i++) {
    const t = tokens[i];
    switch (t.type) {
      case 'ident': out.push(quoteIdent(t.text)); break;
      case 'string': out.push(quoteLiteral(t.text)); break;
      case 'number': out.push(t.text); break;
      case 'op':
        if (t.text === '/') throw new Error('division ("/" is exact in MySQL, integer in Postgres)');
        out.push(t.text === '&&' ? 'AND' : t.text === '||' ? 'OR' : t.text === '<=>' ? 'IS NOT DISTINCT FROM' : t.text === '!=' ? '<>' : t.text);
        break;
      case 'word': {
        const lower = t.text.toLowerCase();
        const next = tokens[i + 1];
        if (next?.type === 'op' && next.text === '(' && !KEYWORDS.has(lower)) {
          const close = closingParen(tokens, i + 1);
          if (lower === 'concat') {
            const args = splitArguments(tokens, i + 2, close).map(([a, b]) => translateRange(tokens, a, b));
            out.push('(' + args.join(' || ') + ')');
          } else if (FUNCTIONS[lower]) {
            out.push(FUNCTIONS[lower] + '(' + translateRange(tokens, i + 2, close) + ')');
          } else {
            throw new Error(`function ${t.text}() has no known Postgres equivalent`);
          }
          i = close;
        } else if (KEYWORDS.has(lower)) {
          out.push(lower.toUpperCase());
        } else if (lower === 'div' || lower === 'regexp' || lower === 'xor') {
          throw new Error(`operator ${t.text.toUpperCase()}`);
        } else {
          out.push(quoteIdent(t.text));
        }
        break;
      }
    }
  }
  return out.join(' ').replace(/\( /g, '(').replace(/ \)/g, ')').replace(/ ,/g, ',');
}

export function translateMysqlExpression(sql: string): Translation {
  try {
    const tokens = tokenizeMysql(sql);
    if (tokens.length === 0) return { ok: false, reason: 'empty expression' };
    return { ok: true, sql: translateRange(tokens, 0, tokens.length) };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}
