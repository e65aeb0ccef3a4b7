CREATE TABLE "inbox_replays" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"filter" json NOT NULL,
	"state" text NOT NULL,
	"upto_id" bigint NOT NULL,
	"cursor_id" bigint DEFAULT 0 NOT NULL,
	"total" integer NOT NULL,
	"replayed" integer DEFAULT 0 NOT NULL,
	"processed" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"dead" integer DEFAULT 0 NOT NULL,
	"unhandled" integer DEFAULT 0 NOT NULL,
	"conflict" integer DEFAULT 0 NOT NULL,
	"invalid" integer DEFAULT 0 NOT NULL,
	"cancel_requested" boolean DEFAULT false NOT NULL,
	"holder" text NOT NULL,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "inbox_replays_one_running_uq" ON "inbox_replays" USING btree ("state") WHERE "inbox_replays"."state" = 'running';