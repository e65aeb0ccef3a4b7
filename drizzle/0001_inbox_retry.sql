ALTER TABLE "webhook_inbox" ADD COLUMN "next_attempt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "webhook_inbox" ADD COLUMN "lease_until" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "webhook_inbox_pending_idx" ON "webhook_inbox" USING btree ("next_attempt_at") WHERE "webhook_inbox"."status" in ('received', 'failed');--> statement-breakpoint
CREATE INDEX "webhook_inbox_command_id_idx" ON "webhook_inbox" USING btree ("command","id");