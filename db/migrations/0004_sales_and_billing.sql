CREATE TABLE `billing_events` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`provider` text NOT NULL,
	`provider_event_id` text,
	`type` text NOT NULL,
	`plan` text,
	`amount_cents` integer,
	`currency` text,
	`description` text,
	`payload` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `billing_events_org_idx` ON `billing_events` (`org_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `billing_events_provider_event_unique` ON `billing_events` (`provider`,`provider_event_id`);--> statement-breakpoint
CREATE TABLE `leads` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`owner_id` text NOT NULL,
	`company` text NOT NULL,
	`contact_name` text,
	`email` text,
	`phone` text,
	`state` text,
	`zip` text,
	`stage` text DEFAULT 'NEW' NOT NULL,
	`value_cents` integer DEFAULT 0 NOT NULL,
	`next_step` text,
	`due_date` text,
	`notes` text,
	`lost_reason` text,
	`customer_id` text,
	`closed_at` integer,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "leads_value_not_negative" CHECK("leads"."value_cents" >= 0)
);
--> statement-breakpoint
CREATE INDEX `leads_org_owner_idx` ON `leads` (`org_id`,`owner_id`);--> statement-breakpoint
CREATE TABLE `territories` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`name` text NOT NULL,
	`states` text DEFAULT '[]' NOT NULL,
	`zip_prefixes` text DEFAULT '[]' NOT NULL,
	`archived_at` integer,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `territories_org_idx` ON `territories` (`org_id`);--> statement-breakpoint
CREATE TABLE `territory_assignments` (
	`territory_id` text NOT NULL,
	`user_id` text NOT NULL,
	`org_id` text NOT NULL,
	PRIMARY KEY(`territory_id`, `user_id`),
	FOREIGN KEY (`territory_id`) REFERENCES `territories`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`org_id`) REFERENCES `organizations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `territory_assignments_user_idx` ON `territory_assignments` (`user_id`);--> statement-breakpoint
ALTER TABLE `cylinders` ADD `price_cents` integer;--> statement-breakpoint
ALTER TABLE `cylinders` ADD `sold_to_customer_id` text REFERENCES customers(id);--> statement-breakpoint
ALTER TABLE `cylinders` ADD `sold_at` integer;--> statement-breakpoint
ALTER TABLE `organizations` ADD `address_state` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `address_zip` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `overridden_settings` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `organizations` ADD `billing_customer_id` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `billing_subscription_id` text;--> statement-breakpoint
ALTER TABLE `organizations` ADD `subscription_status` text;