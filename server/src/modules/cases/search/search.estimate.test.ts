import { describe, expect, it } from 'vitest';
import { parseTsquery, withoutPhrases } from './search.estimate.js';

describe('reading tsquery text as PostgreSQL prints it', () => {
  it('keeps precedence: ! before <-> before & before |', () => {
    expect(parseTsquery("'a' | 'b' & 'c' <-> 'd'")).toEqual({
      kind: 'or',
      operator: '|',
      children: [
        { kind: 'lexeme', value: 'a', suffix: '' },
        {
          kind: 'and',
          operator: '&',
          children: [
            { kind: 'lexeme', value: 'b', suffix: '' },
            {
              kind: 'phrase',
              operator: '<->',
              children: [
                { kind: 'lexeme', value: 'c', suffix: '' },
                { kind: 'lexeme', value: 'd', suffix: '' },
              ],
            },
          ],
        },
      ],
    });
  });

  it('reads quotes, backslashes, prefixes, weights and distances', () => {
    expect(parseTsquery("'it''s' & 'a\\\\b':* <2> !'c':AB")).not.toBeNull();
    expect(
      withoutPhrases(
        parseTsquery("'it''s' & 'a\\\\b':* <2> !'c':AB") ?? {
          kind: 'not',
          child: { kind: 'lexeme', value: '', suffix: '' },
        },
      ),
    ).toBe("('it''s' & ('a\\\\b':* & !('c':AB)))");
  });

  it('turns phrases into plain AND for subjects, keeping OR and exclusions', () => {
    const tree = parseTsquery("( 'softwar' <-> 'updat' | 'software' <-> 'update' ) & !'winter'");
    expect(tree && withoutPhrases(tree)).toBe(
      "((('softwar' & 'updat') | ('software' & 'update')) & !('winter'))",
    );
  });

  it('gives up (null) on what it does not understand, so search treats it as nothing to look for', () => {
    for (const text of ['', 'T', "'a' &", "('a'", "'a' 'b'", "'unterminated"]) {
      expect(parseTsquery(text)).toBeNull();
    }
  });
});
