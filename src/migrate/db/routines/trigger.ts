// One MySQL trigger (its parse tree) -> a PL/pgSQL trigger function body, statement by statement.
import { BodyTranslator, type RoutineSignature } from './body.js';
import type { RoutineTable } from './expression.js';
import type { ParseNode } from './parsers.js';
import { child, childrenOf, isTerminal, keywords, kindOf, unwrap } from './tree.js';

export interface TriggerHeader {
  timing: 'BEFORE' | 'AFTER';
  event: 'INSERT' | 'UPDATE' | 'DELETE';
  body: ParseNode;
}

/** The CREATE TRIGGER statement's parts; the body is a single statement or a BEGIN ... END block. */
export function triggerHeader(tree: ParseNode): TriggerHeader | { reason: string; bodyStart?: number } {
  const statements = childrenOf(tree).filter((c) => !isTerminal(c));
  let node = statements[0];
  while (node && kindOf(node) !== 'CreateTrigger') {
    const kids = childrenOf(node).filter((c) => !isTerminal(c));
    node = kids.length === 1 ? kids[0] : (undefined as unknown as ParseNode);
  }
  if (!node) return { reason: 'not a CREATE TRIGGER statement' };
  const words = keywords(node);
  const timing = words.find((w) => w === 'BEFORE' || w === 'AFTER') as TriggerHeader['timing'] | undefined;
  const event = words.find((w) => w === 'INSERT' || w === 'UPDATE' || w === 'DELETE') as TriggerHeader['event'] | undefined;
  const body = child(node, 'RoutineBody');
  if (!timing || !event || !body) return { reason: 'a trigger without BEFORE/AFTER INSERT/UPDATE/DELETE ... FOR EACH ROW' };
  // The grammar can end a lone body statement early (INSERT INTO t | SET a = 1 ...): read it again inside BEGIN ... END.
  if (statements.length > 1) return { reason: 'the MySQL parser reads its body as more than one statement', bodyStart: body.start?.start };
  return { timing, event, body };
}

export class TriggerTranslator extends BodyTranslator {
  constructor(source: string, schema: string, database: string, tables: Map<string, RoutineTable>, table: RoutineTable, private readonly header: TriggerHeader, routines?: Map<string, RoutineSignature>) {
    super(source, schema, database, tables, { table, event: header.event, timing: header.timing }, routines);
  }

  /** The body's statements as PL/pgSQL lines (declarations of the outer block go to `declarations`). */
  body(): string[] {
    const inner = unwrap(this.header.body);
    if (kindOf(inner) === 'BlockStatement') return this.block(inner, 1, true);
    return this.statement(inner, 1);
  }
}
