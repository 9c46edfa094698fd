import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ConsentErasureRebuild1796012996793 implements MigrationInterface {
  name = 'ConsentErasureRebuild1796012996793';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE `personalization_choice` (`customer_id` varchar(36) NOT NULL, `refused` tinyint NOT NULL, `changed_at` datetime(3) NOT NULL, PRIMARY KEY (`customer_id`)) ENGINE=InnoDB");
    // Refusals kept so far are the latest choices known; a customer without one had none or granted.
    await queryRunner.query("INSERT INTO `personalization_choice` (`customer_id`, `refused`, `changed_at`) SELECT `customer_id`, 1, `refused_at` FROM `personalization_refusal`");
    await queryRunner.query("DROP TABLE `personalization_refusal`");
    await queryRunner.query("CREATE TABLE `erased_identity` (`identity_hash` varchar(64) NOT NULL, `erased_at` datetime(3) NOT NULL, PRIMARY KEY (`identity_hash`)) ENGINE=InnoDB");
    await queryRunner.query("CREATE TABLE `ranking_rebuild` (`id` int NOT NULL, `started_at` datetime(3) NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB");
    // Its one row exists from the start: consumers lock it, and a first rebuild only has to mark it.
    await queryRunner.query("INSERT INTO `ranking_rebuild` (`id`, `started_at`) VALUES (1, NULL)");
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("DROP TABLE `ranking_rebuild`");
    await queryRunner.query("DROP TABLE `erased_identity`");
    await queryRunner.query("CREATE TABLE `personalization_refusal` (`customer_id` varchar(36) NOT NULL, `refused_at` datetime(3) NOT NULL, PRIMARY KEY (`customer_id`)) ENGINE=InnoDB");
    await queryRunner.query("INSERT INTO `personalization_refusal` (`customer_id`, `refused_at`) SELECT `customer_id`, `changed_at` FROM `personalization_choice` WHERE `refused` = 1");
    await queryRunner.query("DROP TABLE `personalization_choice`");
  }
}
