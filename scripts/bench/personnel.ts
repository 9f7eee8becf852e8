// A personnel-style database, keyed as most join and history tables are: composite keys led by an
// integer, by a char code and by a date, a UUID string key and a case-insensitive varchar key, about
// 2.7 million rows. Generated inside MariaDB from its sequence engine (seconds, no rows through here).
// One change is planted per table in the target, and the differences verify must report exactly.
import type pg from 'pg';
import { mysqlCli } from './common.js';

export const PERSONNEL_DATABASE = 'mh_bench_personnel';

const EMPLOYEES = 300_000;

const SCHEMA = `
CREATE TABLE employees (emp_no INT NOT NULL PRIMARY KEY, birth_date DATE NOT NULL, first_name VARCHAR(14) NOT NULL,
  last_name VARCHAR(16) NOT NULL, gender ENUM('M','F') NOT NULL, hire_date DATE NOT NULL);
CREATE TABLE departments (dept_no CHAR(4) NOT NULL PRIMARY KEY, dept_name VARCHAR(40) NOT NULL UNIQUE);
CREATE TABLE salaries (emp_no INT NOT NULL, salary INT NOT NULL, from_date DATE NOT NULL, to_date DATE NOT NULL, PRIMARY KEY (emp_no, from_date));
CREATE TABLE titles (emp_no INT NOT NULL, title VARCHAR(50) NOT NULL, from_date DATE NOT NULL, to_date DATE NULL, PRIMARY KEY (emp_no, title, from_date));
CREATE TABLE dept_emp (emp_no INT NOT NULL, dept_no CHAR(4) NOT NULL, from_date DATE NOT NULL, to_date DATE NOT NULL, PRIMARY KEY (emp_no, dept_no));
CREATE TABLE dept_manager (dept_no CHAR(4) NOT NULL, emp_no INT NOT NULL, from_date DATE NOT NULL, to_date DATE NOT NULL, PRIMARY KEY (dept_no, emp_no));
CREATE TABLE payroll_runs (run_date DATE NOT NULL, emp_no INT NOT NULL, amount INT NOT NULL, PRIMARY KEY (run_date, emp_no));
CREATE TABLE sessions (id CHAR(36) NOT NULL PRIMARY KEY, emp_no INT NOT NULL, started DATETIME NOT NULL);
CREATE TABLE logins (login VARCHAR(40) NOT NULL PRIMARY KEY, emp_no INT NOT NULL, last_seen DATETIME NULL) COLLATE utf8mb4_unicode_ci;
`;

const DATA = `
INSERT INTO departments VALUES ('d001','Marketing'),('d002','Finance'),('d003','Human Resources'),('d004','Production'),
  ('d005','Development'),('d006','Quality Management'),('d007','Sales'),('d008','Research'),('d009','Customer Service');
INSERT INTO employees SELECT 10000 + seq, '1952-02-01' + INTERVAL (seq * 37) % 4700 DAY,
  ELT(1 + seq % 12, 'Georgi','Bezalel','Parto','Chirstian','Kyoichi','Anneke','Tzvetan','Saniya','Sumant','Duangkaew','Mary','Patricio'),
  ELT(1 + (seq * 7) % 10, 'Facello','Simmel','Bamford','Koblick','Maliniak','Preusig','Zielinski','Kalloufi','Peac','Piveteau'),
  IF(seq % 2, 'M', 'F'), '1985-01-01' + INTERVAL (seq * 13) % 5000 DAY FROM seq_1_to_${EMPLOYEES};
INSERT INTO salaries SELECT 10000 + e.seq, 40000 + (e.seq * 31 + s.seq * 977) % 60000, '1986-01-01' + INTERVAL (e.seq % 500 + s.seq * 365) DAY,
  '1987-01-01' + INTERVAL (e.seq % 500 + s.seq * 365) DAY FROM seq_1_to_${EMPLOYEES} e JOIN seq_0_to_4 s WHERE s.seq < 4 OR e.seq % 3 = 0;
INSERT INTO titles SELECT 10000 + e.seq, ELT(1 + (e.seq + s.seq) % 7, 'Staff','Senior Staff','Engineer','Senior Engineer','Assistant Engineer','Technique Leader','Manager'),
  '1990-01-01' + INTERVAL (e.seq % 900 + s.seq * 1000) DAY, IF(s.seq = 0 AND e.seq % 3 = 0, '1992-01-01' + INTERVAL e.seq % 900 DAY, NULL)
  FROM seq_1_to_${EMPLOYEES} e JOIN seq_0_to_1 s WHERE s.seq = 0 OR e.seq % 3 = 0;
INSERT INTO dept_emp SELECT 10000 + seq, CONCAT('d00', 1 + seq % 9), '1990-01-01' + INTERVAL seq % 3000 DAY, '9999-01-01' FROM seq_1_to_${EMPLOYEES};
INSERT INTO dept_manager SELECT CONCAT('d00', 1 + seq % 9), 10000 + seq * 3, '1991-01-01' + INTERVAL seq % 2000 DAY, '9999-01-01' FROM seq_1_to_100000;
INSERT INTO payroll_runs SELECT '2000-01-01' + INTERVAL seq DIV 1000 DAY, 10000 + 1 + (seq % 1000) * 300, 3000 + seq % 4000 FROM seq_0_to_149999;
INSERT INTO sessions SELECT LOWER(CONCAT(LPAD(HEX(CRC32(seq)), 8, '0'), '-', LPAD(HEX(seq % 65536), 4, '0'), '-4000-8000-', LPAD(HEX(seq), 12, '0'))),
  10000 + 1 + seq % ${EMPLOYEES}, '2024-01-01' + INTERVAL seq * 17 SECOND FROM seq_1_to_80000;
INSERT INTO logins SELECT CONCAT(ELT(1 + seq % 4, 'Ann', 'bob', 'CHRIS', 'dAna'), '.', seq), 10000 + 1 + seq % ${EMPLOYEES},
  IF(seq % 5 = 0, NULL, '2024-06-01' + INTERVAL seq MINUTE) FROM seq_1_to_70000;
ANALYZE TABLE employees, departments, salaries, titles, dept_emp, dept_manager, payroll_runs, sessions, logins;
`;

/** The source database (generated once and kept; `regenerate` makes it anew). */
export function preparePersonnel(regenerate: boolean): { source: string; rows: number } {
  const exists = mysqlCli('mysql', `SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${PERSONNEL_DATABASE}'`).trim() === '9';
  if (!exists || regenerate) {
    console.log(`generating ${PERSONNEL_DATABASE} ...`);
    mysqlCli('mysql', `DROP DATABASE IF EXISTS \`${PERSONNEL_DATABASE}\`; CREATE DATABASE \`${PERSONNEL_DATABASE}\` CHARACTER SET utf8mb4`);
    mysqlCli(PERSONNEL_DATABASE, SCHEMA + DATA);
  }
  const counts = mysqlCli(
    PERSONNEL_DATABASE,
    ['employees', 'departments', 'salaries', 'titles', 'dept_emp', 'dept_manager', 'payroll_runs', 'sessions', 'logins'].map((t) => `SELECT COUNT(*) FROM ${t};`).join('\n'),
  );
  const rows = counts.trim().split('\n').reduce((n, line) => n + Number(line), 0);
  return { source: `mysql://root@127.0.0.1:3306/${PERSONNEL_DATABASE}`, rows };
}

/** One change per table in the target; returns each difference as `table kind {key} columns`, as verify reports it. */
export async function plantPersonnelChanges(client: pg.Client): Promise<string[]> {
  const one = async (sql: string) => {
    const { rows } = await client.query<Record<string, string>>(sql);
    if (rows.length !== 1) throw new Error(`planting a change touched ${rows.length} rows: ${sql}`);
    return rows[0];
  };
  const expected: string[] = [];
  const key = (row: Record<string, string>) => JSON.stringify(row);
  expected.push(`employees changed ${key(await one(`UPDATE employees SET last_name = 'Planted' WHERE emp_no = 123456 RETURNING emp_no::text`))} last_name`);
  expected.push(`departments changed ${key(await one(`UPDATE departments SET dept_name = 'Planted' WHERE dept_no = 'd005' RETURNING dept_no`))} dept_name`);
  expected.push(
    `salaries changed ${key(await one(`UPDATE salaries SET salary = salary + 1 WHERE (emp_no, from_date) = (SELECT emp_no, max(from_date) FROM salaries WHERE emp_no = 250003 GROUP BY emp_no) RETURNING emp_no::text, from_date::text`))} salary`,
  );
  expected.push(`titles missing ${key(await one(`DELETE FROM titles WHERE emp_no = 200001 AND title = 'Staff' RETURNING emp_no::text, title, from_date::text`))} `);
  expected.push(`dept_emp changed ${key(await one(`UPDATE dept_emp SET to_date = '2001-01-01' WHERE emp_no = 154321 RETURNING emp_no::text, dept_no`))} to_date`);
  expected.push(`dept_manager changed ${key(await one(`UPDATE dept_manager SET from_date = from_date + 1 WHERE emp_no = 10000 + 3 * 77777 RETURNING dept_no, emp_no::text`))} from_date`);
  expected.push(`payroll_runs changed ${key(await one(`UPDATE payroll_runs SET amount = amount + 1 WHERE run_date = '2000-03-01' AND emp_no = 10000 + 1 + 500 * 300 RETURNING run_date::text, emp_no::text`))} amount`);
  expected.push(`sessions changed ${key(await one(`UPDATE sessions SET emp_no = emp_no + 1 WHERE id = (SELECT min(id COLLATE "C") FROM sessions WHERE id LIKE '7%') RETURNING id`))} emp_no`);
  // The source's 'Ann.4' with an accent: logins.login is citext (its collation ignores case), which
  // refuses 'ANN.4' as MySQL does but keeps accents apart, so this is another key in bytes and in Postgres.
  expected.push(`logins extra ${key(await one(`INSERT INTO logins VALUES ('Ánn.4', 10005, NULL) RETURNING login`))} `);
  return expected;
}
