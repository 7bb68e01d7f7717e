// Filling a macro's placeholders. Pure: the caller gathers the facts. An unknown
// placeholder stays as written so the agent sees it before sending.

export interface MacroFacts {
  customer: { firstName: string; name: string };
  case: { number: string };
  /** null when the case has no vehicle: its placeholders become empty. */
  vehicle: { model: string; vin: string } | null;
  agent: { name: string };
}

export const macroPlaceholders = [
  'customer.firstName',
  'customer.name',
  'case.number',
  'vehicle.model',
  'vehicle.vin',
  'agent.name',
] as const;
export type MacroPlaceholder = (typeof macroPlaceholders)[number];

const PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}/g;

function placeholderValue(name: string, facts: MacroFacts): string | undefined {
  switch (name as MacroPlaceholder) {
    case 'customer.firstName':
      return facts.customer.firstName;
    case 'customer.name':
      return facts.customer.name;
    case 'case.number':
      return facts.case.number;
    case 'vehicle.model':
      return facts.vehicle?.model ?? '';
    case 'vehicle.vin':
      return facts.vehicle?.vin ?? '';
    case 'agent.name':
      return facts.agent.name;
    default:
      return undefined;
  }
}

export function renderMacro(template: string, facts: MacroFacts): string {
  // One pass: a value that itself looks like `{{…}}` (a customer named so) is not expanded again.
  return template.replace(PLACEHOLDER, (whole, name: string) => placeholderValue(name, facts) ?? whole);
}

/** Placeholders in a template that `renderMacro` does not know (a typo, usually). */
export function unknownPlaceholders(template: string): string[] {
  const known = new Set<string>(macroPlaceholders);
  const found = [...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
  return [...new Set(found.filter((name) => !known.has(name)))];
}
