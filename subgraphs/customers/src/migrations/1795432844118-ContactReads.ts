import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ContactReads1795432844118 implements MigrationInterface {
  name = 'ContactReads1795432844118';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE `contact_read` (`id` int NOT NULL AUTO_INCREMENT, `actor_kind` varchar(16) NOT NULL, `actor_id` varchar(64) NOT NULL, `actor_role` varchar(16) NULL, `customer_id` varchar(36) NOT NULL, `fields` text NOT NULL, `read_at` datetime(3) NOT NULL, `request_id` varchar(128) NOT NULL, INDEX `idx_contact_read_actor` (`actor_id`, `read_at`), INDEX `idx_contact_read_customer` (`customer_id`, `read_at`), PRIMARY KEY (`id`)) ENGINE=InnoDB");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX `idx_contact_read_customer` ON `contact_read`");
    await queryRunner.query("DROP INDEX `idx_contact_read_actor` ON `contact_read`");
    await queryRunner.query("DROP TABLE `contact_read`");
  }
}
