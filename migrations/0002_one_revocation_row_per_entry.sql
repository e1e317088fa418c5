-- One row per entry (kind, key): a sign-out everywhere replayed once a second no longer adds a row a
-- second. Existing duplicates keep the row with the latest not_before (which refuses the most), with
-- the group's latest expires_at. Entries now live as long as a refresh token can (refreshTokenLifetime,
-- 30 days by default) instead of a day: rows written before get the 29 days they lack.
DROP INDEX `cognito_revocations_entry`;--> statement-breakpoint
UPDATE `cognito_revocations` SET `expires_at` = (SELECT MAX(`same`.`expires_at`) FROM `cognito_revocations` AS `same` WHERE `same`.`kind` = `cognito_revocations`.`kind` AND `same`.`key` = `cognito_revocations`.`key`);--> statement-breakpoint
DELETE FROM `cognito_revocations` WHERE EXISTS (SELECT 1 FROM `cognito_revocations` AS `later` WHERE `later`.`kind` = `cognito_revocations`.`kind` AND `later`.`key` = `cognito_revocations`.`key` AND (`later`.`not_before` > `cognito_revocations`.`not_before` OR (`later`.`not_before` = `cognito_revocations`.`not_before` AND `later`.`id` > `cognito_revocations`.`id`)));--> statement-breakpoint
UPDATE `cognito_revocations` SET `expires_at` = `expires_at` + 2505600;--> statement-breakpoint
CREATE UNIQUE INDEX `cognito_revocations_entry` ON `cognito_revocations` (`kind`,`key`);
