import { createInterface } from "node:readline/promises";
import { Writable } from "node:stream";
import { parseArgs } from "node:util";
import { openPglite, openPostgres } from "@/db/client";
import { env } from "@/lib/env";
import { type SetupInput, setupShop } from "./setup";

/**
 * `npm run setup`: the first administrator, the shop's time zone, its stores and the card's
 * rules, on an empty production database (never demo data; lib/setup/setup.ts). In a terminal it
 * asks for what the flags do not give; in a script the flags are all it takes:
 *
 *   npm run setup -- --admin-email owner@shop.example --time-zone Europe/Berlin \
 *     --store "North:Europe/Berlin" --store "South:Europe/Vienna"
 *
 * Without --admin-password-stdin the password is generated and printed once.
 */
const usage = `Usage: npm run setup -- --admin-email EMAIL [--admin-name NAME] [--time-zone ZONE] [--store CODE-OR-NAME:ZONE]... [--admin-password-stdin]`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      "admin-email": { type: "string" },
      "admin-name": { type: "string" },
      "admin-password-stdin": { type: "boolean", default: false },
      "time-zone": { type: "string" },
      store: { type: "string", multiple: true, default: [] },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const interactive = Boolean(process.stdin.isTTY) && !values["admin-password-stdin"];
  const input: SetupInput = {
    adminEmail: values["admin-email"] ?? "",
    adminName: values["admin-name"],
    timeZone: values["time-zone"] ?? "",
    stores: values.store,
  };
  if (values["admin-password-stdin"]) input.adminPassword = (await readStdin()).replace(/\r?\n$/, "");

  if (interactive) {
    // One reader for every question; its echo is turned off while the password is typed.
    let muted = false;
    const output = new Writable({
      write(chunk, _encoding, done) {
        if (!muted) process.stdout.write(chunk);
        done();
      },
    });
    const ask = createInterface({ input: process.stdin, output, terminal: true });
    try {
      const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (!input.adminEmail) input.adminEmail = (await ask.question("Administrator's email: ")).trim();
      if (!values["admin-name"]) input.adminName = (await ask.question("Administrator's name [Administrator]: ")).trim() || undefined;
      const hidden = ask.question("Password (12 characters or more; Enter to generate one and show it once): ");
      muted = true;
      const typed = await hidden;
      muted = false;
      process.stdout.write("\n");
      if (typed) input.adminPassword = typed;
      if (!input.timeZone) input.timeZone = (await ask.question(`The shop's time zone [${local}]: `)).trim() || local;
      if (!values.store?.length) {
        const stores: string[] = [];
        for (;;) {
          const name = (await ask.question(`Store ${stores.length + 1}: name or code (Enter when done): `)).trim();
          if (!name) break;
          const zone = (await ask.question(`  ${name}'s time zone [${input.timeZone}]: `)).trim() || input.timeZone;
          stores.push(`${name}:${zone}`);
        }
        input.stores = stores;
      }
    } finally {
      ask.close();
    }
  } else if (!input.adminEmail) {
    console.error(`--admin-email is required outside a terminal.\n${usage}`);
    return 2;
  }
  if (!input.timeZone) input.timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  const e = env();
  const conn = e.DATABASE_URL ? await openPostgres(e.DATABASE_URL, { max: 1, migrate: true }) : await openPglite(e.MAKELINE_DATA_DIR);
  try {
    const result = await setupShop(conn.db, input);
    if (!result.ok) {
      console.error(`Setup refused:\n${result.problems.map((p) => `  ${p}`).join("\n")}`);
      return 2;
    }
    const r = result.report;
    console.log(`Setup done (${conn.driver}).`);
    console.log(`  Administrator ${r.admin.email}: ${r.admin.created ? "created" : "exists, left as it is"}`);
    if (r.admin.generatedPassword) console.log(`  Password (shown once, change it at /account after signing in): ${r.admin.generatedPassword}`);
    console.log(`  Shop time zone: ${r.timeZone.value}${r.firstRun ? "" : r.timeZone.changed ? " (changed)" : " (unchanged)"}`);
    for (const s of r.stores) console.log(`  Store ${s.name} (${s.code}, ${s.timeZone}): ${s.status}`);
    if (r.calendarAdded) console.log(`  Shop working hours: ${r.calendarAdded} (change them and add holidays at /admin/calendars)`);
    console.log(`  Rules: ${r.rulesAdded ? `${r.rulesAdded} added (the card's two and the defaults)` : "left as they are"}`);
    return 0;
  } finally {
    await conn.close();
  }
}

async function readStdin(): Promise<string> {
  let data = "";
  for await (const chunk of process.stdin) data += chunk;
  return data;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
