import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TouchpointSubjects1796616954553 implements MigrationInterface {
  name = 'TouchpointSubjects1796616954553';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX `IDX_3c3133ead0b5342724c2591cf2` ON `touchpoint`");
    await queryRunner.query("ALTER TABLE `touchpoint` ADD `subject_key` varchar(64) NULL");
    // Whom each kept event was sent for, as TouchpointService's subjectKey() computes it: its identity
    // when it came with one, else its customer; an event kept without the identity it was sent for gets
    // a key of its own (its sender is not known any more).
    await queryRunner.query(
      "UPDATE `touchpoint` SET `subject_key` = SHA2(CASE " +
        "WHEN `identity_type` IS NOT NULL THEN CONCAT(`identity_type`, CHAR(9 USING utf8mb4), `identity_value`) " +
        "WHEN `origin_customer_id` IS NOT NULL THEN CONCAT('CUSTOMER', CHAR(9 USING utf8mb4), `origin_customer_id`) " +
        "ELSE CONCAT('TOUCHPOINT', CHAR(9 USING utf8mb4), `id`) END, 256)",
    );
    await queryRunner.query("CREATE UNIQUE INDEX `idx_touchpoint_subject_event` ON `touchpoint` (`event_id`, `subject_key`)");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX `idx_touchpoint_subject_event` ON `touchpoint`");
    // Going back needs event ids unique again: events of two subjects with one id must be resolved first.
    await queryRunner.query("ALTER TABLE `touchpoint` DROP COLUMN `subject_key`");
    await queryRunner.query("CREATE UNIQUE INDEX `IDX_3c3133ead0b5342724c2591cf2` ON `touchpoint` (`event_id`)");
  }
}
