/**
 * Facts a handler adds to its request (the webhook: command outcome and dedupe key), read by the
 * observers once the request is answered. Keyed by the request object, so it works the same on
 * both platforms and needs no property on their request types.
 */
const notes = new WeakMap<object, Readonly<Record<string, string>>>();

export function addRequestNotes(request: object, fields: Readonly<Record<string, string>>): void {
  const known = notes.get(request);
  notes.set(request, known ? { ...known, ...fields } : fields);
}

export function requestNotesOf(request: object): Readonly<Record<string, string>> | undefined {
  return notes.get(request);
}
