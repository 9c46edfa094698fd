import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event tables' recovery columns, the same in every service's database: the in-process bus's
 * hand-over mark (`outbox_event.dispatched_at`), an index to prune handled-event records by age, and
 * the consumer's dead letters. Each service's migration is made by this one factory.
 */
export function eventRecoveryMigration(name: string): new () => MigrationInterface {
  return class implements MigrationInterface {
    name = name;

    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query('DROP INDEX `idx_outbox_unpublished` ON `outbox_event`');
      await queryRunner.query(
        'CREATE TABLE `dead_letter_event` (`id` varchar(36) NOT NULL, `consumer_group` varchar(64) NOT NULL, `producer` varchar(64) NOT NULL, ' +
          '`entry_id` varchar(64) NOT NULL, `event_id` varchar(64) NULL, `event_type` varchar(64) NULL, `reason` varchar(16) NOT NULL, ' +
          '`error` text NOT NULL, `raw` text NOT NULL, `deliveries` int NOT NULL, `dead_at` datetime(3) NOT NULL, `retry_requested_at` datetime(3) NULL, ' +
          'INDEX `idx_dead_letter_retry` (`consumer_group`, `retry_requested_at`), PRIMARY KEY (`id`)) ENGINE=InnoDB',
      );
      await queryRunner.query('ALTER TABLE `outbox_event` ADD `dispatched_at` datetime(3) NULL');
      await queryRunner.query('CREATE INDEX `idx_outbox_pending` ON `outbox_event` (`published_at`, `dispatched_at`, `seq`)');
      await queryRunner.query('CREATE INDEX `idx_processed_event_at` ON `processed_event` (`processed_at`)');
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query('DROP INDEX `idx_processed_event_at` ON `processed_event`');
      await queryRunner.query('DROP INDEX `idx_outbox_pending` ON `outbox_event`');
      await queryRunner.query('ALTER TABLE `outbox_event` DROP COLUMN `dispatched_at`');
      await queryRunner.query('DROP INDEX `idx_dead_letter_retry` ON `dead_letter_event`');
      await queryRunner.query('DROP TABLE `dead_letter_event`');
      await queryRunner.query('CREATE INDEX `idx_outbox_unpublished` ON `outbox_event` (`published_at`, `seq`)');
    }
  };
}
