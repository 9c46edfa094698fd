import { Readable } from 'node:stream';
import { parseHeader, parseRow, parseTimestamp, readOrderRows, splitCsvLine } from './order-csv';

describe('order CSV', () => {
  const columns = parseHeader('customer_id,item_id,timestamp,quantity,location_id');

  it('finds the columns by name and refuses a header without the required ones', () => {
    expect(parseHeader('\uFEFFQuantity,timestamp,item_id,customer_id')).toMatchObject({ quantity: 0, customerId: 3, locationId: -1 });
    expect(() => parseHeader('customer_id,item_id,quantity')).toThrow(/timestamp/);
  });

  it("reads a retailer's own column names through a mapping", () => {
    const mapped = parseHeader('InvoiceNo,StockCode,Quantity,InvoiceDate,CustomerID,Country', {
      customer_id: 'CustomerID',
      item_id: 'StockCode',
      timestamp: 'InvoiceDate',
      location_id: 'Country',
    });
    expect(mapped).toMatchObject({ count: 6, customerId: 4, itemId: 1, timestamp: 3, quantity: 2, locationId: 5, category: -1 });
  });

  it('reads rows, with quoted fields and an optional location', () => {
    expect(parseRow('c1,"item, ""red""",2025-03-01T10:00:00Z,2,', columns)).toEqual({
      kind: 'row',
      row: { customerId: 'c1', itemId: 'item, "red"', at: Date.parse('2025-03-01T10:00:00Z'), quantity: 2, locationId: null, category: null },
    });
    expect(parseRow('c1,i1,2025-03-01,1,shibuya', columns)).toMatchObject({ row: { locationId: 'shibuya', at: Date.parse('2025-03-01T00:00:00Z') } });
    expect(splitCsvLine(' a , b ')).toEqual(['a', 'b']);
    expect(parseRow('c1,i1,2025-03-01,1,socks', parseHeader('customer_id,item_id,timestamp,quantity,category'))).toMatchObject({
      row: { locationId: null, category: 'socks' },
    });
  });

  it('ignores rows without a customer and returns (quantity ≤ 0)', () => {
    expect(parseRow(',i1,2025-03-01,1,', columns)).toEqual({ kind: 'ignored' });
    expect(parseRow('c1,i1,2025-03-01,0,', columns)).toEqual({ kind: 'ignored' });
    expect(parseRow('c1,i1,2025-03-01,-2,', columns)).toEqual({ kind: 'ignored' });
  });

  it('reports malformed rows', () => {
    for (const line of ['c1,i1,2025-03-01,one,', 'c1,i1,2025-03-01,,', 'c1,,2025-03-01,1,', 'c1,i1,01/03/2025,1,', 'c1,i1,2025-03-01,1', 'c1,i1,2025-02-30,1,', 'c1,i1,2025-02-30T10:00:00Z,1,', 'c1,i1,2025-04-31T10:00:00+09:00,1,']) {
      expect(parseRow(line, columns).kind).toBe('malformed');
    }
  });

  it('reads ISO 8601 times, as UTC when no offset is given', () => {
    expect(parseTimestamp('2025-03-01T09:00:00+09:00')).toBe(Date.parse('2025-03-01T00:00:00Z'));
    expect(parseTimestamp('2025-03-01T09:00:00+0900')).toBe(Date.parse('2025-03-01T00:00:00Z'));
    expect(parseTimestamp('2025-03-01 09:00')).toBe(Date.parse('2025-03-01T09:00:00Z'));
    expect(parseTimestamp('2025-03-01T09:00:00.250Z')).toBe(Date.parse('2025-03-01T09:00:00.250Z'));
    expect(parseTimestamp('yesterday')).toBeNull();
  });

  it('streams a file, counting what it read, ignored and skipped, with line numbers', async () => {
    const csv = ['customer_id,item_id,timestamp,quantity', 'c1,i1,2025-03-01,1', '', ',i2,2025-03-01,1', 'c2,i2,2025-13-01,1', 'c2,i2,2025-03-02,3'].join('\r\n');
    const rows: string[] = [];
    const summary = await readOrderRows(Readable.from([csv]), (row) => rows.push(`${row.customerId}/${row.itemId}/${row.quantity}`));
    expect(rows).toEqual(['c1/i1/1', 'c2/i2/3']);
    expect(summary).toEqual({ rows: 2, ignored: 1, malformed: 1, examples: [{ line: 5, error: expect.any(String) }] });
    await expect(readOrderRows(Readable.from(['']), () => undefined)).rejects.toThrow(/header/);
  });
});
