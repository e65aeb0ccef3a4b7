/**
 * PostgreSQL's JSON operators (`->`, `->>`, `#>>`, jsonb casts) refuse a whole value when any string
 * in it holds `\u0000` or a lone surrogate escape: one such Text makes `payload->>'From_Account'`
 * fail for the row. JSON.parse accepts both, so such a callback is valid and stored; this gives the
 * text to store where it must stay queryable, with each of those escapes written as `\ufffd`.
 *
 * Escapes are read left to right, whole, so `\\u0000` (an escaped backslash, then "u0000") is left
 * alone. Migration 0005 rewrites older rows with the same rule in SQL (queryable-json.spec.ts
 * checks both agree).
 */
const ESCAPE = /\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}|\\./g;
const UNQUERYABLE = /^\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})$/;

export function queryableJsonText(jsonText: string): string {
  if (!jsonText.includes('\\u')) return jsonText;
  return jsonText.replace(ESCAPE, (escape) => (UNQUERYABLE.test(escape) ? '\\ufffd' : escape));
}
