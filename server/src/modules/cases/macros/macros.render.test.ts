// The macro renderer on its own: known placeholders filled, unknown ones left visible.
import { describe, expect, it } from 'vitest';
import { type MacroFacts, renderMacro, unknownPlaceholders } from './macros.render.js';

const facts: MacroFacts = {
  customer: { firstName: 'Erika', name: 'Erika Mustermann' },
  case: { number: 'PW-2026-000123' },
  vehicle: { model: 'Aurora', vin: 'WP0ZZZ99ZTS392124' },
  agent: { name: 'Jonas Weber' },
};

describe('renderMacro', () => {
  it('fills every known placeholder, also with spaces inside the braces', () => {
    const template =
      'Hallo {{customer.firstName}} ({{ customer.name }}), zu Fall {{case.number}}: ' +
      'Ihr {{vehicle.model}} ({{vehicle.vin}}). Viele Grüße, {{agent.name}}';
    expect(renderMacro(template, facts)).toBe(
      'Hallo Erika (Erika Mustermann), zu Fall PW-2026-000123: Ihr Aurora (WP0ZZZ99ZTS392124). Viele Grüße, Jonas Weber',
    );
  });

  it('leaves unknown placeholders as written so the agent notices', () => {
    expect(renderMacro('Dear {{customer.lastName}}, {{case.number}} {{foo}}', facts)).toBe(
      'Dear {{customer.lastName}}, PW-2026-000123 {{foo}}',
    );
  });

  it('renders a missing vehicle as empty text', () => {
    expect(
      renderMacro('Model: [{{vehicle.model}}] VIN: [{{vehicle.vin}}]', { ...facts, vehicle: null }),
    ).toBe('Model: [] VIN: []');
  });

  it('does not expand placeholders that arrive inside a value', () => {
    const sneaky = { ...facts, customer: { firstName: '{{agent.name}}', name: 'x' } };
    expect(renderMacro('Hi {{customer.firstName}}', sneaky)).toBe('Hi {{agent.name}}');
  });

  it('lists unknown placeholders once each', () => {
    expect(
      unknownPlaceholders('{{customer.firstName}} {{customer.nmae}} {{customer.nmae}} {{x.y}} {{ foo }}'),
    ).toEqual(['customer.nmae', 'x.y', 'foo']);
  });
});
