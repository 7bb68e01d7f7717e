// How many messages can a query match at most? The planner's own estimate assumes words
// occur independently, so "front axle" (always together) is expected 660 times and found
// 17,000 times. For choosing how to search, an upper bound is what counts: a word matches
// at most as often as ANALYZE saw it (most_common_elems of search_vector), `a & b` and
// `a <-> b` at most as often as the rarer word, `a | b` at most the sum.
import { sql } from 'kysely';
import type { Executor } from '../../../platform/database.js';

/** A tsquery as PostgreSQL prints it (querytree), parsed: what the bound and the subject query need. */
export type QueryNode =
  | { kind: 'lexeme'; value: string; suffix: string }
  | { kind: 'not'; child: QueryNode }
  | { kind: 'and' | 'or' | 'phrase'; children: QueryNode[]; operator?: string };

const TOKEN = /\s*(?:'((?:[^'\\]|''|\\.)*)'((?::[*A-D]+)?)|(<(?:\d+|-)>)|([&|!()]))/y;

export function parseTsquery(text: string): QueryNode | null {
  const tokens: { lexeme?: string; suffix?: string; op?: string }[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.trimEnd().length) {
    const match = TOKEN.exec(text);
    if (!match) return null;
    if (match[1] !== undefined) {
      tokens.push({ lexeme: match[1].replace(/''/g, "'").replace(/\\(.)/g, '$1'), suffix: match[2] ?? '' });
    } else tokens.push({ op: match[3] ?? match[4] });
  }
  let at = 0;
  const peek = () => tokens[at]?.op;
  const unary = (): QueryNode | null => {
    const token = tokens[at++];
    if (!token) return null;
    if (token.lexeme !== undefined)
      return { kind: 'lexeme', value: token.lexeme, suffix: token.suffix ?? '' };
    if (token.op === '!') {
      const child = unary();
      return child && { kind: 'not', child };
    }
    if (token.op !== '(') return null;
    const inner = or();
    return at < tokens.length && tokens[at++]?.op === ')' ? inner : null;
  };
  const chain = (
    kind: 'phrase' | 'and' | 'or',
    next: () => QueryNode | null,
    isOp: (op?: string) => boolean,
  ) => {
    let node = next();
    while (node && isOp(peek())) {
      const operator = tokens[at++]?.op;
      const right = next();
      node = right && { kind, children: [node, right], operator };
    }
    return node;
  };
  const phrase = () => chain('phrase', unary, (op) => op?.startsWith('<') ?? false);
  const and = () => chain('and', phrase, (op) => op === '&');
  const or = (): QueryNode | null => chain('or', and, (op) => op === '|');
  const tree = or();
  return tree && at === tokens.length ? tree : null;
}

/** The query without word order (`<->` becomes `&`): for subjects, whose index cannot check order cheaply. */
export function withoutPhrases(node: QueryNode): string {
  switch (node.kind) {
    case 'lexeme':
      return `'${node.value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'${node.suffix}`;
    case 'not':
      return `!(${withoutPhrases(node.child)})`;
    default:
      return `(${node.children.map(withoutPhrases).join(node.kind === 'or' ? ' | ' : ' & ')})`;
  }
}

interface LexemeStats {
  rows: number;
  frequency: Map<string, number>;
  /** The rarest frequency ANALYZE kept: words it did not keep are rarer than this. */
  floor: number;
  readAt: number;
}

const STATS_TTL_MS = 60_000;
let cached: LexemeStats | null = null;

/** Reads the statistics again on the next search (after ANALYZE in tests). */
export function forgetLexemeStats(): void {
  cached = null;
}

async function lexemeStats(db: Executor): Promise<LexemeStats> {
  if (cached && Date.now() - cached.readAt < STATS_TTL_MS) return cached;
  const result = await sql<{ rows: number; lexemes: string[] | null; frequencies: number[] | null }>`
    SELECT greatest(c.reltuples, 0)::float8 AS rows, s.most_common_elems::text::text[] AS lexemes,
      s.most_common_elem_freqs::float8[] AS frequencies
    FROM pg_class c
    LEFT JOIN pg_stats s ON s.schemaname = current_schema() AND s.tablename = 'case_messages'
      AND s.attname = 'search_vector'
    WHERE c.oid = 'case_messages'::regclass`.execute(db);
  const row = result.rows[0];
  const lexemes = row?.lexemes ?? [];
  const frequencies = row?.frequencies ?? [];
  cached = {
    rows: row?.rows ?? 0,
    frequency: new Map(lexemes.map((lexeme, i) => [lexeme, frequencies[i] ?? 0])),
    // After the per-word frequencies come their minimum, maximum and the null frequency.
    floor: frequencies[lexemes.length] ?? 0,
    readAt: Date.now(),
  };
  return cached;
}

function bound(node: QueryNode, stats: LexemeStats): number {
  switch (node.kind) {
    case 'lexeme':
      return node.suffix.includes('*') ? 1 : (stats.frequency.get(node.value) ?? stats.floor);
    case 'not':
      return 1;
    case 'or':
      return Math.min(
        1,
        node.children.reduce((sum, child) => sum + bound(child, stats), 0),
      );
    default:
      return Math.min(...node.children.map((child) => bound(child, stats)));
  }
}

/** At most how many messages match (0 when ANALYZE has not run yet: a young, small table). */
export async function maxMatchingMessages(db: Executor, tree: QueryNode): Promise<number> {
  const stats = await lexemeStats(db);
  return Math.ceil(bound(tree, stats) * stats.rows);
}
