// Check characters of the identifier schemes refx knows: a typo in a UAI, a
// SIRET or an ISNI is caught before it is looked up, and the message says
// which check failed. Pure functions; `checkIdentifier` is the one entry
// point the API and the CLI use. Rules (docs/rest-api.md#identifier-checks):
//
// - UAI: 7 digits + letter, letter = ALPHABET_23[number mod 23]
// - RNSR: 9 digits + letter, the same rule on the 9 digits (verified on every
//   number of the published RNSR extract; no official text states it)
// - SIREN, SIRET: Luhn; La Poste's SIRETs (SIREN 356000000) instead have a
//   digit sum that is a multiple of 5
// - ROR: 0 + 6 Crockford base32 characters + 2 digits, ISO 7064 Mod 97-10 of
//   the base32 number of the first 7 characters
// - ISNI: 15 digits + ISO 7064 Mod 11-2 check character (0-9 or X)
// - IdRef (PPN): 8 digits + mod 11 check character (weights 9..2; 10 is X)
// - Wikidata and GRID have no check character: their format only is checked.
import { normaliseId, SCHEMES, type Scheme } from "./identifiers.ts";

/** The 23 letters of the UAI and RNSR check letter: A-Z without I, O and Q. */
export const ALPHABET_23 = "ABCDEFGHJKLMNPRSTUVWXYZ";

/** The check letter of a UAI's 7 digits or an RNSR number's 9 digits. */
export function mod23Letter(digits: string): string {
  return ALPHABET_23[Number(BigInt(digits) % 23n)];
}

/** The Luhn check digit that completes `digits`. */
export function luhnDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** Whether a string of digits passes the Luhn check (its last digit being the check digit). */
export function luhnValid(digits: string): boolean {
  return luhnDigit(digits.slice(0, -1)) === (digits.length ? digits.charCodeAt(digits.length - 1) - 48 : 0);
}

/** La Poste's SIREN: its thousands of establishments outgrew the Luhn key of the NIC. */
export const LA_POSTE_SIREN = "356000000";

export function siretValid(siret: string): boolean {
  if (luhnValid(siret)) return true;
  return siret.startsWith(LA_POSTE_SIREN) && [...siret].reduce((s, c) => s + Number(c), 0) % 5 === 0;
}

const CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz";

/** The two check digits of a ROR id, from its first 7 characters ("0" + 6 base32 characters). */
export function rorCheckDigits(first7: string): string {
  let n = 0n;
  for (const c of first7.toLowerCase()) n = n * 32n + BigInt(CROCKFORD.indexOf(c));
  return String(98n - ((n * 100n) % 97n)).padStart(2, "0");
}

/** ISO 7064 Mod 11-2 check character of 15 digits (ISNI, ORCID). */
export function mod11_2(digits: string): string {
  let total = 0;
  for (const c of digits) total = ((total + Number(c)) * 2) % 11;
  const r = (12 - total) % 11;
  return r === 10 ? "X" : String(r);
}

/** The check character of an IdRef/Sudoc PPN's 8 digits: weights 9 to 2, mod 11, 10 written X. */
export function ppnCheck(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += Number(digits[i]) * (digits.length + 1 - i);
  const r = (11 - (sum % 11)) % 11;
  return r === 10 ? "X" : String(r);
}

/** The check that failed, as the API and CLI name it. */
export type IdentifierCheck = "format" | "mod23" | "luhn" | "mod97-10" | "mod11-2" | "ppn-mod11";

export type CheckResult =
  | { valid: true; scheme: Scheme; id: string; check?: IdentifierCheck }
  | { valid: false; scheme: Scheme; input: string; check: IdentifierCheck; expected?: string; message: string };

const FORMATS: Record<Scheme, string> = {
  uai: "7 digits and a check letter (0751717J)",
  rnsr: "9 digits and a check letter (199811842K)",
  siren: "9 digits (197517170)",
  siret: "14 digits (19751717000019)",
  wikidata: "Q and a number (Q999763)",
  ror: "0, 6 characters of Crockford base32 and 2 digits (002t25c44), or its https://ror.org/ URL",
  grid: "grid.<digits>.<hex> (grid.10988.38)",
  isni: "15 digits and a check character 0-9 or X, spaces allowed (0000 0001 2173 743X)",
  idref: "8 digits and a check character 0-9 or X (026403552)",
};

const CHECKS: Partial<Record<Scheme, IdentifierCheck>> = {
  uai: "mod23", rnsr: "mod23", siren: "luhn", siret: "luhn", ror: "mod97-10", isni: "mod11-2", idref: "ppn-mod11",
};

/**
 * Whether `raw` is a well-formed identifier of `scheme` with a right check
 * character. Accepts the forms sources write (URLs, spaces, lower case) and
 * answers the canonical id; a failure names the check and, for a wrong check
 * character, the one expected.
 */
export function checkIdentifier(scheme: Scheme, raw: string): CheckResult {
  const label = SCHEMES[scheme].label;
  const input = String(raw);
  const id = normaliseId(scheme, input);
  if (!id) {
    return { valid: false, scheme, input, check: "format", message: `${JSON.stringify(input)} is not a ${label}: the format is ${FORMATS[scheme]}` };
  }
  const check = CHECKS[scheme];
  const fail = (expected: string | undefined, why: string): CheckResult => ({
    valid: false, scheme, input, check: check!, ...(expected ? { expected } : {}), message: `${label} ${id}: ${why}`,
  });
  switch (scheme) {
    case "uai":
    case "rnsr": {
      const n = scheme === "uai" ? 7 : 9;
      const letter = mod23Letter(id.slice(0, n));
      if (id[n] !== letter) return fail(letter, `check letter (mod 23) failed: the ${n} digits ${id.slice(0, n)} give ${letter}, not ${id[n]}`);
      break;
    }
    case "siren":
      if (!luhnValid(id)) return fail(undefined, "Luhn check failed (a digit is wrong or two are swapped)");
      break;
    case "siret":
      if (!siretValid(id)) {
        const sirenOk = luhnValid(id.slice(0, 9));
        return fail(undefined, sirenOk
          ? "Luhn check failed on the whole SIRET (the SIREN part is right: the NIC, last 5 digits, is wrong)"
          : `Luhn check failed, and already on its SIREN part ${id.slice(0, 9)}`);
      }
      break;
    case "ror": {
      const digits = rorCheckDigits(id.slice(0, 7));
      if (id.slice(7) !== digits) return fail(digits, `checksum (ISO 7064 Mod 97-10) failed: ${id.slice(0, 7)} gives ${digits}, not ${id.slice(7)}`);
      break;
    }
    case "isni": {
      const c = mod11_2(id.slice(0, 15));
      if (id[15] !== c) return fail(c, `check character (ISO 7064 Mod 11-2) failed: expected ${c}, not ${id[15]}`);
      break;
    }
    case "idref": {
      const c = ppnCheck(id.slice(0, 8));
      if (id[8] !== c) return fail(c, `check character (PPN mod 11) failed: expected ${c}, not ${id[8]}`);
      break;
    }
  }
  return { valid: true, scheme, id, ...(check ? { check } : {}) };
}
