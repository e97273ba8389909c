import { sql } from "drizzle-orm";
import { type Db, rowsOf } from "@/db/client";

/** Every table of the app (and the migrations' bookkeeping): rows and an md5 of them in a fixed order. */
export async function fingerprint(db: Db): Promise<Record<string, { rows: number; md5: string }>> {
  const tables = rowsOf<{ name: string }>(
    await db.execute(sql`select format('%I.%I', schemaname, tablename) as name from pg_tables where schemaname in ('public', 'drizzle') order by 1`),
  );
  const out: Record<string, { rows: number; md5: string }> = {};
  for (const { name } of tables) {
    const [row] = rowsOf<{ rows: number; md5: string | null }>(
      await db.execute(sql.raw(`select count(*)::int as rows, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as md5 from ${name} t`)),
    );
    out[name] = { rows: Number(row.rows), md5: row.md5 ?? "" };
  }
  return out;
}

