/**
 * A LIKE/ILIKE pattern matching values that contain `text` literally: `%`, `_` and `\` in the user's
 * search are escaped (backslash is PostgreSQL's default LIKE escape character).
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, "\\$&")}%`;
}
