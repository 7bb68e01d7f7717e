// What care agents type into customer search, drawn from the demo's own name lists:
// last names, full names, fragments of a name and the start of an email address.
import { demoMarkets } from '../server/src/demo/brand.js';
import { asciiName, firstNamesOf, fullLastName, lastNamesOf } from '../server/src/demo/names.js';
import { DemoRandom } from '../server/src/demo/random.js';

type TermKind = 'last' | 'full' | 'fragment' | 'email';
const KINDS: readonly (readonly [TermKind, number])[] = [
  ['last', 40],
  ['full', 30],
  ['fragment', 20],
  ['email', 10],
];

export function searchTerms(seed: number, count: number): string[] {
  const random = DemoRandom.stream(seed, 'bench-search-terms');
  const markets = demoMarkets.map((market) => [market.code, market.weight] as const);
  const terms: string[] = [];
  for (let i = 0; i < count; i++) {
    const market = random.weighted(markets);
    const first = random.pick(firstNamesOf(market));
    const last = random.pick(lastNamesOf(market));
    const kind = random.weighted(KINDS);
    if (kind === 'last') terms.push(last.toLowerCase());
    else if (kind === 'full') terms.push(`${first} ${fullLastName(market, last)}`.toLowerCase());
    else if (kind === 'email') terms.push(`${asciiName(first, market)}.${asciiName(last, market)}`);
    else {
      const start = random.int(0, Math.max(0, last.length - 4));
      terms.push(last.slice(start, start + 4).toLowerCase());
    }
  }
  return terms;
}
