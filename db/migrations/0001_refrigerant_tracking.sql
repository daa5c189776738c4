CREATE TABLE `customers` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`email` text,
	`phone` text,
	`notes` text,
	`archived_at` integer,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `customers_org_idx` ON `customers` (`org_id`,`name`);--> statement-breakpoint
CREATE TABLE `cylinder_moves` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`cylinder_id` text NOT NULL,
	`from_holder_type` text,
	`from_holder_user_id` text,
	`from_holder_location_id` text,
	`from_holder_label` text,
	`to_holder_type` text NOT NULL,
	`to_holder_user_id` text,
	`to_holder_location_id` text,
	`to_holder_label` text,
	`from_status` text,
	`to_status` text NOT NULL,
	`moved_by_id` text NOT NULL,
	`moved_by_name` text NOT NULL,
	`note` text,
	`moved_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`cylinder_id`) REFERENCES `cylinders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`moved_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `cylinder_moves_cylinder_idx` ON `cylinder_moves` (`cylinder_id`,`moved_at`);--> statement-breakpoint
CREATE TABLE `cylinders` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`tag` text NOT NULL,
	`refrigerant` text NOT NULL,
	`kind` text NOT NULL,
	`tare_weight_lb` real NOT NULL,
	`water_capacity_lb` real NOT NULL,
	`net_contents_lb` real NOT NULL,
	`holder_type` text DEFAULT 'WAREHOUSE' NOT NULL,
	`holder_user_id` text,
	`holder_location_id` text,
	`holder_label` text,
	`status` text DEFAULT 'IN_STOCK' NOT NULL,
	`hydro_test_date` text,
	`deleted_at` integer,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`refrigerant`) REFERENCES `refrigerants`(`designation`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`holder_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`holder_location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "cylinders_contents_not_negative" CHECK("cylinders"."net_contents_lb" >= 0),
	CONSTRAINT "cylinders_recovery_80_percent" CHECK("cylinders"."kind" <> 'RECOVERY' OR "cylinders"."net_contents_lb" <= "cylinders"."water_capacity_lb" * 0.8 + 0.0001),
	CONSTRAINT "cylinders_contents_within_capacity" CHECK("cylinders"."net_contents_lb" <= "cylinders"."water_capacity_lb" + 0.0001)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cylinders_org_tag_unique` ON `cylinders` (`org_id`,`tag`);--> statement-breakpoint
CREATE INDEX `cylinders_org_status_idx` ON `cylinders` (`org_id`,`status`);--> statement-breakpoint
CREATE TABLE `leak_rates` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`unit_id` text NOT NULL,
	`transfer_id` text NOT NULL,
	`method` text NOT NULL,
	`percent` real NOT NULL,
	`threshold` real NOT NULL,
	`alert_level` real NOT NULL,
	`exceeded` integer NOT NULL,
	`alert` integer NOT NULL,
	`inputs` text NOT NULL,
	`explanation` text NOT NULL,
	`rule_version` text NOT NULL,
	`computed_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`transfer_id`) REFERENCES `transfers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `leak_rates_unit_idx` ON `leak_rates` (`unit_id`,`computed_at`);--> statement-breakpoint
CREATE TABLE `leaks` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`unit_id` text NOT NULL,
	`status` text DEFAULT 'OPEN' NOT NULL,
	`found_by_id` text,
	`found_by_name` text,
	`found_at` integer NOT NULL,
	`location_on_unit` text,
	`detection_method` text,
	`notes` text,
	`leak_rate_id` text,
	`repair_due_at` integer,
	`repaired_at` integer,
	`repair_description` text,
	`initial_test_at` integer,
	`initial_test_passed` integer,
	`follow_up_due_at` integer,
	`follow_up_test_at` integer,
	`follow_up_test_passed` integer,
	`retrofit_plan_due_at` integer,
	`retrofit_plan` text,
	`retrofit_plan_at` integer,
	`retrofit_complete_by` integer,
	`closed_at` integer,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`found_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`leak_rate_id`) REFERENCES `leak_rates`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `leaks_org_status_idx` ON `leaks` (`org_id`,`status`);--> statement-breakpoint
CREATE INDEX `leaks_unit_idx` ON `leaks` (`unit_id`);--> statement-breakpoint
CREATE TABLE `locations` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`name` text NOT NULL,
	`street` text NOT NULL,
	`city` text NOT NULL,
	`state` text NOT NULL,
	`zip` text NOT NULL,
	`archived_at` integer,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `locations_org_idx` ON `locations` (`org_id`);--> statement-breakpoint
CREATE INDEX `locations_customer_idx` ON `locations` (`customer_id`);--> statement-breakpoint
CREATE TABLE `refrigerants` (
	`designation` text PRIMARY KEY NOT NULL,
	`ods` integer NOT NULL,
	`gwp` integer NOT NULL,
	`family` text NOT NULL,
	`safety_class` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `transfers` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`kind` text NOT NULL,
	`unit_id` text,
	`from_cylinder_id` text,
	`to_cylinder_id` text,
	`refrigerant` text NOT NULL,
	`amount_lb` real NOT NULL,
	`performed_at` integer NOT NULL,
	`technician_id` text NOT NULL,
	`technician_name` text NOT NULL,
	`certification_number` text,
	`certification_type` text,
	`job_id` text,
	`notes` text,
	`status` text DEFAULT 'PENDING' NOT NULL,
	`reviewed_by_id` text,
	`reviewed_by_name` text,
	`reviewed_at` integer,
	`review_note` text,
	`voided_at` integer,
	`voided_by_id` text,
	`void_reason` text,
	`created_by_id` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`from_cylinder_id`) REFERENCES `cylinders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`to_cylinder_id`) REFERENCES `cylinders`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`refrigerant`) REFERENCES `refrigerants`(`designation`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`technician_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reviewed_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`voided_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "transfers_amount_positive" CHECK("transfers"."amount_lb" > 0)
);
--> statement-breakpoint
CREATE INDEX `transfers_org_status_idx` ON `transfers` (`org_id`,`status`);--> statement-breakpoint
CREATE INDEX `transfers_unit_idx` ON `transfers` (`unit_id`,`performed_at`);--> statement-breakpoint
CREATE TABLE `units` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`location_id` text NOT NULL,
	`name` text NOT NULL,
	`manufacturer` text,
	`model` text,
	`serial` text,
	`category` text NOT NULL,
	`refrigerant` text NOT NULL,
	`full_charge_lb` real NOT NULL,
	`full_charge_method` text NOT NULL,
	`repair_needs_shutdown` integer DEFAULT false NOT NULL,
	`install_date` text,
	`status` text DEFAULT 'ACTIVE' NOT NULL,
	`decommission_reason` text,
	`decommissioned_at` text,
	`deleted_at` integer,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`location_id`) REFERENCES `locations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`refrigerant`) REFERENCES `refrigerants`(`designation`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "units_full_charge_positive" CHECK("units"."full_charge_lb" > 0)
);
--> statement-breakpoint
CREATE INDEX `units_org_idx` ON `units` (`org_id`);--> statement-breakpoint
CREATE INDEX `units_location_idx` ON `units` (`location_id`);