/** The platforms' query parser (fast-querystring, src/http) gives strings, or arrays for repeated names. */
type ParsedQs = Record<string, unknown>;

/** The query parameters Tencent sends, each exactly once; a repeated one counts as invalid. */
export function singleParam(query: ParsedQs, name: string): string | undefined {
  const value = query[name];
  return typeof value === 'string' ? value : undefined;
}

export function isRepeated(query: ParsedQs, name: string): boolean {
  return Array.isArray(query[name]);
}

/** What is kept of the query string: everything but the signature. */
export function storableQuery(query: ParsedQs): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(query)) {
    if (name === 'Sign') continue;
    if (typeof value === 'string') kept[name] = value;
    else if (Array.isArray(value)) kept[name] = value.filter((v): v is string => typeof v === 'string');
  }
  return kept;
}
