CREATE TABLE "identities" (
	"workspace_id" text NOT NULL,
	"kind" text NOT NULL,
	"value" text NOT NULL,
	"profile_id" text NOT NULL,
	"shared" boolean DEFAULT false NOT NULL,
	"source" text NOT NULL,
	"meta" jsonb,
	"first_seen" timestamp with time zone NOT NULL,
	"last_seen" timestamp with time zone NOT NULL,
	CONSTRAINT "identities_workspace_id_kind_value_pk" PRIMARY KEY("workspace_id","kind","value")
);
--> statement-breakpoint
CREATE TABLE "identity_settings" (
	"workspace_id" text PRIMARY KEY NOT NULL,
	"settings" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "match_candidates" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"profile_a" text NOT NULL,
	"profile_b" text NOT NULL,
	"score" real NOT NULL,
	"features" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "profile_merges" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"survivor_id" text NOT NULL,
	"merged_id" text NOT NULL,
	"reason" text NOT NULL,
	"linked_by" jsonb NOT NULL,
	"merged_identifiers" jsonb NOT NULL,
	"merged_traits" jsonb NOT NULL,
	"message_id" text,
	"score" real,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"undone_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "profiles" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"traits" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"first_seen" timestamp with time zone NOT NULL,
	"last_seen" timestamp with time zone NOT NULL,
	"merged_into" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "identities" ADD CONSTRAINT "identities_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity_settings" ADD CONSTRAINT "identity_settings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_candidates" ADD CONSTRAINT "match_candidates_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "profile_merges" ADD CONSTRAINT "profile_merges_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "profiles" ADD CONSTRAINT "profiles_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "identities_profile_idx" ON "identities" USING btree ("workspace_id","profile_id");--> statement-breakpoint
CREATE INDEX "identities_value_idx" ON "identities" USING btree ("workspace_id","value");--> statement-breakpoint
CREATE UNIQUE INDEX "match_candidates_pair_idx" ON "match_candidates" USING btree ("workspace_id","profile_a","profile_b");--> statement-breakpoint
CREATE INDEX "match_candidates_status_idx" ON "match_candidates" USING btree ("workspace_id","status");--> statement-breakpoint
CREATE INDEX "profile_merges_survivor_idx" ON "profile_merges" USING btree ("workspace_id","survivor_id");--> statement-breakpoint
CREATE INDEX "profile_merges_merged_idx" ON "profile_merges" USING btree ("workspace_id","merged_id");--> statement-breakpoint
CREATE INDEX "profiles_ws_idx" ON "profiles" USING btree ("workspace_id","id");--> statement-breakpoint
CREATE INDEX "profiles_merged_idx" ON "profiles" USING btree ("workspace_id","merged_into");