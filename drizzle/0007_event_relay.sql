CREATE TABLE "event_relay_failures" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"stream" text NOT NULL,
	"inbox_id" bigint NOT NULL,
	"event_id" text NOT NULL,
	"event_name" text,
	"event_index" integer,
	"error" text NOT NULL,
	"failed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "event_relay_state" (
	"stream" text PRIMARY KEY NOT NULL,
	"cursor_txid" bigint DEFAULT 0 NOT NULL,
	"cursor_id" bigint DEFAULT 0 NOT NULL,
	"published" bigint DEFAULT 0 NOT NULL,
	"holder" text,
	"lease_until" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "webhook_inbox" ADD COLUMN "processed_txid" bigint;--> statement-breakpoint
CREATE INDEX "event_relay_failures_stream_id_idx" ON "event_relay_failures" USING btree ("stream","id");--> statement-breakpoint
CREATE INDEX "webhook_inbox_processed_txid_idx" ON "webhook_inbox" USING btree ("processed_txid","id") WHERE "webhook_inbox"."processed_txid" is not null;