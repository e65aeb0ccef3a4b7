ALTER TABLE "webhook_inbox" ADD COLUMN "payload_as_received" text;--> statement-breakpoint
-- Rows stored before this migration: payload and query rewritten by the rule of
-- src/database/queryable-json.ts (queryable-json.spec.ts runs this function against it), the body
-- kept exactly in payload_as_received. Read in tokens: a surrogate pair, a \uXXXX escape, any
-- other escape, a run without backslashes; \u0000 and lone surrogates become \ufffd.
CREATE FUNCTION pg_temp.queryable_json_text(json_text text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(string_agg(CASE WHEN m.token[1] ~ '^\\u(0000|[dD][89a-fA-F][0-9a-fA-F]{2})$' THEN '\ufffd' ELSE m.token[1] END, '' ORDER BY m.ord), '')
  FROM regexp_matches(json_text, '\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}|\\.|[^\\]+', 'g') WITH ORDINALITY AS m(token, ord)
$$;
--> statement-breakpoint
UPDATE "webhook_inbox"
SET "payload_as_received" = "payload"::text, "payload" = pg_temp.queryable_json_text("payload"::text)::json
WHERE "payload"::text ~ '\\u' AND pg_temp.queryable_json_text("payload"::text) <> "payload"::text;
--> statement-breakpoint
UPDATE "webhook_inbox"
SET "query" = pg_temp.queryable_json_text("query"::text)::json
WHERE "query"::text ~ '\\u' AND pg_temp.queryable_json_text("query"::text) <> "query"::text;
