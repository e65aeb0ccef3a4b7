CREATE TABLE "c2c_message_edits" (
	"user_a" text NOT NULL,
	"user_b" text NOT NULL,
	"msg_key" text NOT NULL,
	"operator_account" text,
	"body" json NOT NULL,
	"cloud_custom_data" text,
	"event_time" bigint NOT NULL,
	CONSTRAINT "c2c_message_edits_user_a_user_b_msg_key_pk" PRIMARY KEY("user_a","user_b","msg_key")
);
--> statement-breakpoint
CREATE TABLE "c2c_message_recalls" (
	"user_a" text NOT NULL,
	"user_b" text NOT NULL,
	"msg_key" text NOT NULL,
	"recalled_at" bigint NOT NULL,
	CONSTRAINT "c2c_message_recalls_user_a_user_b_msg_key_pk" PRIMARY KEY("user_a","user_b","msg_key")
);
--> statement-breakpoint
CREATE TABLE "c2c_read_watermarks" (
	"reader" text NOT NULL,
	"peer" text NOT NULL,
	"last_read_time" bigint NOT NULL,
	"unread_msg_num" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "c2c_read_watermarks_reader_peer_pk" PRIMARY KEY("reader","peer")
);
--> statement-breakpoint
CREATE TABLE "official_account_message_recalls" (
	"official_account" text NOT NULL,
	"msg_key" text NOT NULL,
	"recalled_at" bigint NOT NULL,
	CONSTRAINT "official_account_message_recalls_official_account_msg_key_pk" PRIMARY KEY("official_account","msg_key")
);
--> statement-breakpoint
CREATE TABLE "official_account_subscribers" (
	"official_account" text NOT NULL,
	"user_id" text NOT NULL,
	"subscribed" boolean NOT NULL,
	"event_time" bigint NOT NULL,
	CONSTRAINT "official_account_subscribers_official_account_user_id_pk" PRIMARY KEY("official_account","user_id")
);
--> statement-breakpoint
CREATE TABLE "official_accounts" (
	"official_account" text PRIMARY KEY NOT NULL,
	"name" text,
	"name_event_time" bigint,
	"owner_account" text,
	"owner_account_event_time" bigint,
	"face_url" text,
	"face_url_event_time" bigint,
	"introduction" text,
	"introduction_event_time" bigint,
	"organization" text,
	"organization_event_time" bigint,
	"created_event_time" bigint,
	"destroyed_event_time" bigint,
	"full_event_time" bigint,
	"subscriber_removed_event_time" bigint,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_presence" (
	"user_id" text PRIMARY KEY NOT NULL,
	"online" boolean NOT NULL,
	"action" text NOT NULL,
	"reason" text NOT NULL,
	"kicked_devices" json NOT NULL,
	"event_time" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "official_account_subscribers_list_idx" ON "official_account_subscribers" USING btree ("official_account","subscribed","event_time","user_id");--> statement-breakpoint
CREATE INDEX "c2c_messages_user_b_idx" ON "c2c_messages" USING btree ("user_b");--> statement-breakpoint
CREATE INDEX "c2c_messages_recipient_idx" ON "c2c_messages" USING btree ("to_account","from_account","msg_time");