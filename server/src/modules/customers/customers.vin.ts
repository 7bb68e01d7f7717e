// A VIN (ISO 3779): 17 characters, digits and capital letters without I, O and Q.
declare const vinBrand: unique symbol;
export type Vin = string & { readonly [vinBrand]: true };

export const VIN_PATTERN = '^[A-HJ-NPR-Z0-9]{17}$';
const vinRegex = new RegExp(VIN_PATTERN);

export function parseVin(input: string): Vin | null {
  const normalised = input.trim().toUpperCase();
  return vinRegex.test(normalised) ? (normalised as Vin) : null;
}

export function isVin(input: string): input is Vin {
  return vinRegex.test(input);
}
