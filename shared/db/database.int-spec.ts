import fs from 'node:fs';
import pino from 'pino';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { runInRequestScope } from '../request-scope';
import { testConfig } from '../testkit';
import { Database, dropDatabase } from './database';

@Entity('counter')
class Counter {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  id!: string;

  @Column({ type: 'integer' })
  value!: number;
}

const config = testConfig();
const logger = pino({ level: 'silent' });

// SQLite here unless MYSQL_URL is set; the point is what each database needs.
describe('Database transactions', () => {
  let db: Database;

  beforeAll(async () => {
    db = await Database.open({ service: 'inventory', entities: [Counter], migrations: [], config, logger });
    if (db.kind === 'mysql') await db.dataSource.synchronize();
    await db.transaction((manager) => manager.getRepository(Counter).save({ id: 'c', value: 0 }));
  });
  afterAll(async () => {
    await db.close();
    await dropDatabase(config, 'inventory');
    fs.rmSync(config.dataDir, { recursive: true, force: true });
  });

  it('keeps concurrent transactions apart: a failing one rolls back only its own writes', async () => {
    const repo = () => db.manager.getRepository(Counter);
    // Each transaction increments, yields to the event loop, then half of them fail. On a shared
    // SQLite connection, interleaved transactions would commit or roll back each other's writes.
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        db.transaction(async (manager) => {
          await manager.query('UPDATE counter SET value = value + 1 WHERE id = ?', ['c']);
          await new Promise((r) => setTimeout(r, 2));
          if (i % 2) throw new Error('rolled back');
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    expect((await repo().findOneByOrFail({ id: 'c' })).value).toBe(10);
  });

  it('reads only committed data, even while a transaction is open', async () => {
    let finish!: () => void;
    const open = db.transaction(async (manager) => {
      await manager.query('UPDATE counter SET value = 1000 WHERE id = ?', ['c']);
      await new Promise<void>((resolve) => (finish = resolve));
      throw new Error('rolled back');
    });
    await new Promise((r) => setTimeout(r, 20));
    expect((await db.manager.getRepository(Counter).findOneByOrFail({ id: 'c' })).value).toBe(10);
    finish();
    await expect(open).rejects.toThrow('rolled back');
    expect((await db.manager.getRepository(Counter).findOneByOrFail({ id: 'c' })).value).toBe(10);
  });

  it('counts statements per request id', async () => {
    await runInRequestScope('req-1', async () => {
      await db.manager.query('SELECT 1');
      await db.manager.query('SELECT 2');
    });
    await db.manager.query('SELECT 3');
    expect(db.statements.forRequest('req-1')).toBe(2);
    expect(db.statements.forRequest('req-unknown')).toBe(0);
  });
});
