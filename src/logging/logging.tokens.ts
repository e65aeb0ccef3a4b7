/** Where JSON log lines go; tests replace it to read them. */
export const LOG_STREAM = Symbol('LOG_STREAM');
/** The pino logger every line goes through (Nest's own logs and the access log). */
export const PINO_LOGGER = Symbol('PINO_LOGGER');
