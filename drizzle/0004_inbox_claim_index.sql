CREATE INDEX IF NOT EXISTS "webhook_inbox_claim_idx" ON "webhook_inbox" USING btree (coalesce("next_attempt_at", '-infinity'::timestamptz),"id") WHERE "webhook_inbox"."status" in ('received', 'failed');--> statement-breakpoint
DROP INDEX IF EXISTS "webhook_inbox_pending_idx";
