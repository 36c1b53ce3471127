/**
 * What makes a spreadsheet run a cell as a formula (OWASP "CSV injection"): a leading = + - @ (also
 * full-width ＝ ＋ － ＠), possibly after spaces, quotes, tab, CR or LF, or a leading tab/CR itself.
 */
const FORMULA_START = /^[\s'"]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r]/;

/** Prefixes ' to a value a spreadsheet would run as a formula, so it shows as text. */
export function neutralizeFormula(raw: string): string {
  return FORMULA_START.test(raw) ? `'${raw}` : raw;
}

/** A CSV cell: formula-neutralized, then quoted when it holds a quote, comma or line break. */
export function csvCell(raw: string): string {
  const value = neutralizeFormula(raw);
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
