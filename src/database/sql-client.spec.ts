import { jest } from '@jest/globals';
import { combinedWrite, combineStatements, type SqlClient } from './sql-client.js';

describe('combineStatements', () => {
  it('runs each statement as a CTE, numbering their parameters one after another', () => {
    const combined = combineStatements([
      { name: 'a', text: 'UPDATE t SET x = u.x FROM unnest($1::int[], $2::text[]) AS u(id, x) WHERE t.id = u.id' },
      { name: 'b', text: 'INSERT INTO s SELECT * FROM unnest($1::text[], $2::int[], $3::int[]) ON CONFLICT DO NOTHING' },
    ]);
    expect(combined.text).toBe(
      'WITH p0 AS (UPDATE t SET x = u.x FROM unnest($1::int[], $2::text[]) AS u(id, x) WHERE t.id = u.id),\n' +
        'p1 AS (INSERT INTO s SELECT * FROM unnest($3::text[], $4::int[], $5::int[]) ON CONFLICT DO NOTHING)\nSELECT 1',
    );
    expect(combined.name).toMatch(/^combined_[0-9a-f]{16}$/);
    expect(combineStatements([{ name: 'b', text: 'SELECT $1::int' }]).name).not.toBe(combined.name);
  });

  it('numbers $10 and above as whole numbers', () => {
    const first = { name: 'a', text: `SELECT ${Array.from({ length: 10 }, (_, i) => `$${i + 1}::int`).join(', ')}` };
    const combined = combineStatements([first, { name: 'b', text: 'SELECT $1::int, $2::int' }]);
    expect(combined.text).toContain('$10::int)');
    expect(combined.text).toContain('SELECT $11::int, $12::int');
  });
});

describe('combinedWrite', () => {
  const fakeClient = () => {
    const query = jest.fn<SqlClient['query']>(async () => []);
    return { client: { batching: {}, query } as SqlClient, query };
  };
  const marks = { name: 'marks', text: 'UPDATE t SET s = u.s FROM unnest($1::bigint[], $2::text[]) AS u(id, s) WHERE t.id = u.id' };
  const rows = { name: 'rows', text: 'INSERT INTO r SELECT * FROM unnest($1::text[]) ON CONFLICT DO NOTHING' };

  it('sends the items of several kinds added together as one statement, in the order the kinds were declared', async () => {
    const { client, query } = fakeClient();
    const markPart = combinedWrite<{ id: number; status: string }>(client, marks, (items) => [items.map((m) => m.id), items.map((m) => m.status)]);
    const rowPart = combinedWrite<string>(client, rows, (items) => [items]);
    await Promise.all([rowPart.add('a'), markPart.add({ id: 7, status: 'processed' }), rowPart.add('b')]);
    expect(query).toHaveBeenCalledTimes(1);
    const [statement, values] = query.mock.calls[0]!;
    expect(statement).toEqual(combineStatements([marks, rows]));
    expect(values).toEqual([[7], ['processed'], ['a', 'b']]);
  });

  it('runs a kind alone with its own statement', async () => {
    const { client, query } = fakeClient();
    combinedWrite<number>(client, marks, (items) => [items, items.map(() => 'processed')]);
    const rowPart = combinedWrite<string>(client, rows, (items) => [items]);
    await rowPart.add('only');
    expect(query.mock.calls).toEqual([[rows, [['only']]]]);
  });

  it('fails the write, naming the statement, when a kind gives a parameter count its statement does not use', async () => {
    const { client, query } = fakeClient();
    const broken = combinedWrite<number>(client, marks, (items) => [items]);
    await expect(broken.add(1)).rejects.toThrow('marks: 1 parameters given for a statement that uses 2');
    expect(query).not.toHaveBeenCalled();
  });
});
