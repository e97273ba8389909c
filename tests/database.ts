import { randomBytes } from "node:crypto";
import { type Connection, openPglite, openPostgres, setConnection } from "@/db/client";

/**
 * A fresh, migrated database for one test file: in-memory PGlite, or, when DATABASE_URL is set,
 * a new database on that PostgreSQL server, dropped again by `close`. The app's own client is
 * pointed at it, so code under test uses it as it would in production. `migrate: false` leaves
 * it empty (for the migration tests).
 */
export async function testDatabase({ migrate = true }: { migrate?: boolean } = {}): Promise<Connection> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const conn = await openPglite(null, { migrate });
    setConnection(conn);
    return conn;
  }
  const name = `makeline_test_${randomBytes(6).toString("hex")}`;
  const admin = await openPostgres(url, { max: 1 });
  await admin.db.execute(`create database ${name}`);
  await admin.close();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const conn = await openPostgres(target.toString(), { max: 20, migrate });
  setConnection(conn);
  return {
    ...conn,
    close: async () => {
      await conn.close();
      const again = await openPostgres(url, { max: 1 });
      await again.db.execute(`drop database if exists ${name} with (force)`);
      await again.close();
    },
  };
}

export const onServer = () => Boolean(process.env.DATABASE_URL);
