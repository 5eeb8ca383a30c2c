CREATE TABLE "segments" (
	"id" text PRIMARY KEY NOT NULL,
	"workspace_id" text NOT NULL,
	"name" varchar(200) NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"rule" jsonb,
	"type" text NOT NULL,
	"schedule" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_by" text,
	"updated_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_size" bigint,
	"last_computed_at" timestamp with time zone,
	"last_duration_ms" integer,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"next_run_at" timestamp with time zone,
	"recompute_job_id" text
);
--> statement-breakpoint
ALTER TABLE "segments" ADD CONSTRAINT "segments_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "segments_ws_idx" ON "segments" USING btree ("workspace_id","id");--> statement-breakpoint
CREATE INDEX "segments_due_idx" ON "segments" USING btree ("next_run_at");--> statement-breakpoint
CREATE INDEX "segments_tags_idx" ON "segments" USING gin ("tags");