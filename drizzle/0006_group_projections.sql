CREATE TABLE "group_attributes" (
	"group_id" text NOT NULL,
	"key" text NOT NULL,
	"value" text,
	"deleted" boolean NOT NULL,
	"event_time" bigint NOT NULL,
	CONSTRAINT "group_attributes_group_id_key_pk" PRIMARY KEY("group_id","key")
);
--> statement-breakpoint
CREATE TABLE "group_members" (
	"group_id" text NOT NULL,
	"user_id" text NOT NULL,
	"member" boolean NOT NULL,
	"membership_event_time" bigint NOT NULL,
	"join_type" text,
	"exit_type" text,
	"operator_account" text,
	"role" text,
	"role_event_time" bigint,
	"name_card" text,
	"name_card_event_time" bigint,
	CONSTRAINT "group_members_group_id_user_id_pk" PRIMARY KEY("group_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "group_message_extension_keys" (
	"group_id" text NOT NULL,
	"topic_id" text NOT NULL,
	"msg_seq" bigint NOT NULL,
	"key" text NOT NULL,
	"value" text,
	"deleted" boolean NOT NULL,
	"seq" bigint NOT NULL,
	"changed_at_seq" bigint NOT NULL,
	CONSTRAINT "group_message_extension_keys_group_id_topic_id_msg_seq_key_pk" PRIMARY KEY("group_id","topic_id","msg_seq","key")
);
--> statement-breakpoint
CREATE TABLE "group_message_extension_versions" (
	"group_id" text NOT NULL,
	"topic_id" text NOT NULL,
	"msg_seq" bigint NOT NULL,
	"seq" bigint NOT NULL,
	"cleared_at_seq" bigint NOT NULL,
	CONSTRAINT "group_message_extension_versions_group_id_topic_id_msg_seq_pk" PRIMARY KEY("group_id","topic_id","msg_seq")
);
--> statement-breakpoint
CREATE TABLE "group_message_failures" (
	"group_id" text NOT NULL,
	"topic_id" text NOT NULL,
	"from_account" text NOT NULL,
	"msg_random" bigint NOT NULL,
	"error_code" integer NOT NULL,
	"error_info" text,
	"online_only" boolean NOT NULL,
	"body" json,
	"cloud_custom_data" text,
	"event_time" bigint NOT NULL,
	CONSTRAINT "group_message_failures_group_id_topic_id_from_account_msg_random_error_code_pk" PRIMARY KEY("group_id","topic_id","from_account","msg_random","error_code")
);
--> statement-breakpoint
CREATE TABLE "group_message_recalls" (
	"group_id" text NOT NULL,
	"topic_id" text NOT NULL,
	"msg_seq" bigint NOT NULL,
	"recalled_at" bigint NOT NULL,
	CONSTRAINT "group_message_recalls_group_id_topic_id_msg_seq_pk" PRIMARY KEY("group_id","topic_id","msg_seq")
);
--> statement-breakpoint
CREATE TABLE "group_message_receipts" (
	"group_id" text NOT NULL,
	"topic_id" text NOT NULL,
	"msg_seq" bigint NOT NULL,
	"read_num" integer NOT NULL,
	"unread_num" integer,
	CONSTRAINT "group_message_receipts_group_id_topic_id_msg_seq_pk" PRIMARY KEY("group_id","topic_id","msg_seq")
);
--> statement-breakpoint
CREATE TABLE "group_messages" (
	"group_id" text NOT NULL,
	"topic_id" text NOT NULL,
	"msg_seq" bigint NOT NULL,
	"from_account" text NOT NULL,
	"operator_account" text,
	"msg_random" bigint,
	"msg_time" bigint NOT NULL,
	"msg_id" text,
	"online_only" boolean NOT NULL,
	"body" json NOT NULL,
	"cloud_custom_data" text,
	"event_time" bigint NOT NULL,
	CONSTRAINT "group_messages_group_id_topic_id_msg_seq_pk" PRIMARY KEY("group_id","topic_id","msg_seq")
);
--> statement-breakpoint
CREATE TABLE "group_topics" (
	"group_id" text NOT NULL,
	"topic_id" text NOT NULL,
	"name" text,
	"name_event_time" bigint,
	"created_event_time" bigint,
	"destroyed_event_time" bigint,
	CONSTRAINT "group_topics_group_id_topic_id_pk" PRIMARY KEY("group_id","topic_id")
);
--> statement-breakpoint
CREATE TABLE "groups" (
	"group_id" text PRIMARY KEY NOT NULL,
	"type" text,
	"name" text,
	"name_event_time" bigint,
	"owner_account" text,
	"owner_account_event_time" bigint,
	"introduction" text,
	"introduction_event_time" bigint,
	"notification" text,
	"notification_event_time" bigint,
	"face_url" text,
	"face_url_event_time" bigint,
	"created_event_time" bigint,
	"destroyed_event_time" bigint,
	"full_event_time" bigint,
	"member_left_event_time" bigint,
	"attributes_cleared_event_time" bigint,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "group_members_current_idx" ON "group_members" USING btree ("group_id","member","user_id");