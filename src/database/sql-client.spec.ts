import { combineStatements } from './sql-client.js';

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
