CREATE TABLE `cognito_revocations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`not_before` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cognito_revocations_entry` ON `cognito_revocations` (`kind`,`key`,`not_before`);--> statement-breakpoint
CREATE INDEX `cognito_revocations_expires_at` ON `cognito_revocations` (`expires_at`);