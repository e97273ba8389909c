import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sql } from "drizzle-orm";
import { type Connection, rowsOf } from "@/db/client";
import { zonedInstant, zonedParts } from "@/lib/time/zones";
import { testDatabase } from "./database";

/**
 * lib/time/zones.ts and PostgreSQL read wall times alike (STYLE.md rule 17: where SQL and
 * TypeScript both compute a thing, a test holds them equal): every half hour of the days around
 * each daylight-saving change of 2026, gaps and overlaps included, in zones either side of UTC.
 */

let conn: Connection;
beforeAll(async () => {
  conn = await testDatabase();
});
afterAll(() => conn?.close());

const zones = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe", "America/Havana", "America/Santiago", "Pacific/Chatham", "Asia/Kathmandu", "UTC"];

/** Wall times every 30 minutes over the two days around each offset change of 2026 in `zone`. */
function wallTimesAroundChanges(zone: string): string[] {
  const out: string[] = [];
  let last = zonedParts(Date.parse("2026-01-01T00:00:00Z"), zone).offsetMinutes;
  for (let t = Date.parse("2026-01-01T00:00:00Z"); t < Date.parse("2027-01-01T00:00:00Z"); t += 3600_000) {
    const offset = zonedParts(t, zone).offsetMinutes;
    if (offset === last) continue;
    last = offset;
    for (let w = t - 24 * 3600_000; w <= t + 24 * 3600_000; w += 30 * 60_000) {
      const p = zonedParts(w, zone);
      out.push(`${p.date}T${String(p.hour).padStart(2, "0")}:${String(p.minute).padStart(2, "0")}`);
    }
  }
  // A zone without changes: an ordinary day.
  if (!out.length) for (let h = 0; h < 24; h++) out.push(`2026-07-15T${String(h).padStart(2, "0")}:30`);
  // Every wall time in a gap too (the loop above reads only ones that exist).
  for (const s of [...out]) out.push(s.replace(/:(\d{2})$/, (_m, mm) => `:${mm === "00" ? "15" : "45"}`));
  return [...new Set(out)];
}

describe("wall time → instant, as PostgreSQL reads it", () => {
  test.each(zones)("%s", async (zone) => {
    const walls = wallTimesAroundChanges(zone);
    const rows = rowsOf<{ wall: string; at: string }>(
      await conn.db.execute(
        sql`select w as wall, to_char((w::timestamp at time zone ${zone}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at from unnest(${sql.raw(`array[${walls.map((w) => `'${w}'`).join(",")}]`)}::text[]) w`,
      ),
    );
    const mismatches = rows.filter((r) => zonedInstant(r.wall, zone).toISOString() !== r.at).map((r) => `${r.wall}: ${zonedInstant(r.wall, zone).toISOString()} here, ${r.at} in SQL`);
    expect(mismatches).toEqual([]);
    expect(rows.length).toBe(walls.length);
  });
});

describe("instant → wall time, as PostgreSQL reads it", () => {
  test.each(zones)("%s", async (zone) => {
    const instants: string[] = [];
    for (let t = Date.parse("2026-03-01T00:00:00Z"); t < Date.parse("2026-12-01T00:00:00Z"); t += 7 * 3600_000 + 15 * 60_000) instants.push(new Date(t).toISOString());
    const rows = rowsOf<{ at: string; wall: string }>(
      await conn.db.execute(sql`select t as at, to_char(t::timestamptz at time zone ${zone}, 'YYYY-MM-DD"T"HH24:MI') as wall from unnest(${sql.raw(`array[${instants.map((i) => `'${i}'`).join(",")}]`)}::text[]) t`),
    );
    const mismatches = rows.filter((r) => {
      const p = zonedParts(new Date(r.at), zone);
      return `${p.date}T${String(p.hour).padStart(2, "0")}:${String(p.minute).padStart(2, "0")}` !== r.wall;
    });
    expect(mismatches).toEqual([]);
  });
});
