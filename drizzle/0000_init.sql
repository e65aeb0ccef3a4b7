CREATE TABLE "webhook_inbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"command" text NOT NULL,
	"dedupe_key" text,
	"status" text NOT NULL,
	"payload" json NOT NULL,
	"query" json NOT NULL,
	"sdk_app_id" text NOT NULL,
	"client_ip" text,
	"opt_platform" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "c2c_message_extension_keys" (
	"user_a" text NOT NULL,
	"user_b" text NOT NULL,
	"msg_key" text NOT NULL,
	"key" text NOT NULL,
	"value" text,
	"deleted" boolean NOT NULL,
	"seq" bigint NOT NULL,
	"changed_at_seq" bigint NOT NULL,
	CONSTRAINT "c2c_message_extension_keys_user_a_user_b_msg_key_key_pk" PRIMARY KEY("user_a","user_b","msg_key","key")
);
--> statement-breakpoint
CREATE TABLE "c2c_message_extension_versions" (
	"user_a" text NOT NULL,
	"user_b" text NOT NULL,
	"msg_key" text NOT NULL,
	"seq" bigint NOT NULL,
	"cleared_at_seq" bigint NOT NULL,
	CONSTRAINT "c2c_message_extension_versions_user_a_user_b_msg_key_pk" PRIMARY KEY("user_a","user_b","msg_key")
);
--> statement-breakpoint
CREATE TABLE "c2c_messages" (
	"user_a" text NOT NULL,
	"user_b" text NOT NULL,
	"msg_key" text NOT NULL,
	"from_account" text NOT NULL,
	"to_account" text NOT NULL,
	"msg_seq" bigint NOT NULL,
	"msg_random" bigint NOT NULL,
	"msg_time" bigint NOT NULL,
	"msg_id" text,
	"online_only" boolean NOT NULL,
	"send_msg_result" integer NOT NULL,
	"error_info" text,
	"unread_msg_num" integer NOT NULL,
	"body" json NOT NULL,
	"cloud_custom_data" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "c2c_messages_user_a_user_b_msg_key_pk" PRIMARY KEY("user_a","user_b","msg_key")
);
--> statement-breakpoint
CREATE TABLE "c2c_unread_counts" (
	"user_id" text PRIMARY KEY NOT NULL,
	"unread_msg_num" integer NOT NULL,
	"msg_time" bigint NOT NULL,
	"msg_seq" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "official_account_messages" (
	"official_account" text NOT NULL,
	"msg_key" text NOT NULL,
	"msg_time" bigint NOT NULL,
	"online_only" boolean NOT NULL,
	"body" json NOT NULL,
	"cloud_custom_data" text,
	"event_time" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "official_account_messages_official_account_msg_key_pk" PRIMARY KEY("official_account","msg_key")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_inbox_dedupe_key_uq" ON "webhook_inbox" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "webhook_inbox_status_id_idx" ON "webhook_inbox" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "c2c_messages_conversation_order_idx" ON "c2c_messages" USING btree ("user_a","user_b","msg_time","msg_seq");--> statement-breakpoint
CREATE INDEX "official_account_messages_order_idx" ON "official_account_messages" USING btree ("official_account","msg_time","msg_key");