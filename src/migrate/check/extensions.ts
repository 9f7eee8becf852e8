// Extensions the planned target types would need (a --type-map can ask for citext, hstore, PostGIS ...),
// and whether this target offers them and lets this user create them.
import type pg from 'pg';
import type { TargetPlan } from '../db/index.js';
import type { CheckItem } from './model.js';
import type { TargetRole } from './target-privileges.js';

/** Types that come from an extension, by the type's name. */
const EXTENSION_TYPES: Record<string, string> = {
  citext: 'citext', hstore: 'hstore', ltree: 'ltree', cube: 'cube', isbn: 'isn', issn: 'isn', ean13: 'isn',
  geometry: 'postgis', geography: 'postgis', vector: 'vector',
};
/** Worth knowing about even when this plan needs none: the usual answers to MySQL habits. */
const COMMONLY_WANTED = ['citext', 'pgcrypto'];

export function extensionsOfPlan(plan: TargetPlan): Map<string, string[]> {
  const needed = new Map<string, string[]>();
  for (const table of plan.tables) {
    for (const column of table.columns) {
      const name = column.pgType.toLowerCase().replace(/\[\]$/, '').replace(/\(.*$/, '').trim().split('.').pop()!;
      const extension = EXTENSION_TYPES[name];
      if (extension) needed.set(extension, [...(needed.get(extension) ?? []), `${table.name}.${column.name}`]);
    }
  }
  return needed;
}

export async function checkExtensions(client: pg.Client, plan: TargetPlan, role: TargetRole): Promise<CheckItem[]> {
  const needed = extensionsOfPlan(plan);
  const names = [...new Set([...needed.keys(), ...COMMONLY_WANTED])];
  const { rows } = await client.query<{ name: string; installed: string | null; trusted: boolean }>(
    `SELECT e.name, e.installed_version AS installed, COALESCE(bool_or(v.trusted), false) AS trusted
       FROM pg_available_extensions e LEFT JOIN pg_available_extension_versions v ON v.name = e.name
      WHERE e.name = ANY($1) GROUP BY e.name, e.installed_version`,
    [names],
  );
  const offered = new Map(rows.map((r) => [r.name, r]));
  const canCreate = (name: string) => role.superuser || (role.createOnDatabase && Boolean(offered.get(name)?.trusted));
  const items: CheckItem[] = [];
  for (const [name, columns] of needed) {
    const e = offered.get(name);
    const uses = `used by ${columns.slice(0, 3).join(', ')}${columns.length > 3 ? ` and ${columns.length - 3} more` : ''}`;
    let status: CheckItem['status'] = 'ok';
    let detail: string;
    if (!e) [status, detail] = ['blocked', `not available on this server (${uses}): install the ${name} package, or map the columns to other types`];
    else if (e.installed) detail = `installed, version ${e.installed} (${uses})`;
    else if (plan.extensions.includes(name) && canCreate(name)) detail = `available, not installed: migrate db creates it (${uses})`;
    // An extension a --type-map asks for is not created: the tables that use it fail until it is there.
    else if (canCreate(name)) [status, detail] = ['blocked', `available, not installed (${uses}): run CREATE EXTENSION ${name} before migrate db`];
    else [status, detail] = ['blocked', `available, not installed, and ${role.user} may not create it (${uses}): a superuser runs CREATE EXTENSION ${name}${plan.extensions.includes(name) ? ', or use --collations exact' : ''}`];
    items.push({ area: 'target', check: `extension ${name}`, status, detail, commands: ['migrate db'] });
  }
  if (needed.size === 0) {
    const described = COMMONLY_WANTED.map((name) => {
      const e = offered.get(name);
      return `${name} ${!e ? 'not available' : e.installed ? 'installed' : canCreate(name) ? 'available' : 'available (needs a superuser)'}`;
    });
    items.push({ area: 'target', check: 'extensions', status: 'info', detail: `none needed by this plan; ${described.join(', ')}`, commands: ['migrate db'] });
  }
  return items;
}
