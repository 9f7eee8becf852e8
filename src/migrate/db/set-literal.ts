// A MySQL SET value ('a,b') as the Postgres text[] literal it becomes: shared by the column default's
// translation and the row converter, so both spell it alike.

export function setLiteral(value: string): string {
  if (value === '') return '{}';
  return '{' + value.split(',').map((m) => '"' + m.replace(/(["\\])/g, '\\$1') + '"').join(',') + '}';
}
