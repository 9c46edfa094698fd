import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Who is in a store now (customersInStore): presences by store and expiry. */
export class PresenceByLocation1796669434572 implements MigrationInterface {
  name = 'PresenceByLocation1796669434572';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE INDEX `idx_presence_location_expires` ON `presence` (`location_id`, `expires_at`)");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP INDEX `idx_presence_location_expires` ON `presence`");
  }
}
