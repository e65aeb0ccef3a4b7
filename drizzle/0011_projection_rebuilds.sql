CREATE TABLE "projection_rebuilds" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"family" text NOT NULL,
	"families" text[] NOT NULL,
	"with_listeners" boolean NOT NULL,
	"state" text NOT NULL,
	"total" bigint DEFAULT 0 NOT NULL,
	"processed" bigint DEFAULT 0 NOT NULL,
	"failed" bigint DEFAULT 0 NOT NULL,
	"rate_per_second" double precision DEFAULT 0 NOT NULL,
	"high_water_inbox_id" bigint,
	"cursor_inbox_id" bigint DEFAULT 0 NOT NULL,
	"last_error" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
