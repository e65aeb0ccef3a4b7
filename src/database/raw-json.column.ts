import { customType } from 'drizzle-orm/pg-core';

/**
 * A `json` column written verbatim from the text we received. `json` (not `jsonb`) keeps the
 * text as sent and accepts `\u0000` and lone surrogates, which jsonb refuses: a stored callback
 * must never fail to store because of its content. Read back as JSON text.
 */
export const rawJson = customType<{ data: string; driverData: unknown }>({
  dataType: () => 'json',
  toDriver: (value: string): string => value,
  fromDriver: (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value)),
});

/** A `json` column for values we build ourselves (message bodies): stringified by us, parsed on read. */
export const jsonValue = <T>(name: string) =>
  customType<{ data: T; driverData: unknown }>({
    dataType: () => 'json',
    toDriver: (value: T): string => JSON.stringify(value),
    fromDriver: (value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T)),
  })(name);
