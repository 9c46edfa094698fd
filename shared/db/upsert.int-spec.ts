import fs from 'node:fs';
import pino from 'pino';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { testConfig } from '../testkit';
import { Database, dropDatabase } from './database';
import { upsertRows } from './upsert';

@Entity('snapshot')
class Snapshot {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  id!: string;

  @Column({ type: 'integer' })
  available!: number;

  @Column({ type: 'integer' })
  seen!: number;

  @Column({ type: 'integer', name: 'taken_at' })
  takenAt!: number;
}

const config = testConfig();

// SQLite here unless MYSQL_URL is set: the two databases get different SQL for the same merges.
describe('upsertRows', () => {
  let db: Database;

  beforeAll(async () => {
    db = await Database.open({ service: 'inventory', entities: [Snapshot], migrations: [], config, logger: pino({ level: 'silent' }) });
    if (db.kind === 'mysql') await db.dataSource.synchronize();
  });
  afterAll(async () => {
    await db.close();
    await dropDatabase(config, 'inventory');
    fs.rmSync(config.dataDir, { recursive: true, force: true });
  });

  const put = (rows: Array<{ id: string; available: number; seen: number; taken_at: number }>) =>
    db.transaction((manager) => upsertRows(db, manager, 'snapshot', { id: 'key', available: 'replace', seen: 'add', taken_at: 'version' }, rows));
  const read = async (id: string) => {
    const { available, seen, takenAt } = await db.manager.getRepository(Snapshot).findOneByOrFail({ id });
    return [available, seen, takenAt].map(Number);
  };

  it('lets a newer or equal version replace the row, never an older one that arrives late', async () => {
    await put([{ id: 'a', available: 5, seen: 1, taken_at: 20 }]);
    await put([{ id: 'a', available: 3, seen: 1, taken_at: 10 }]);
    expect(await read('a')).toEqual([5, 1, 20]);
    await put([{ id: 'a', available: 7, seen: 1, taken_at: 30 }]);
    expect(await read('a')).toEqual([7, 2, 30]);
    // Several rows in one statement, each judged on its own version.
    await put([
      { id: 'a', available: 1, seen: 0, taken_at: 25 },
      { id: 'b', available: 9, seen: 0, taken_at: 1 },
    ]);
    expect((await read('a'))[0]).toBe(7);
    expect((await read('b'))[0]).toBe(9);
  });
});
