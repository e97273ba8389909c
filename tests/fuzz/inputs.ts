import fc from "fast-check";
import {
  type StageKey,
  compoundKinds,
  feasibilityDecisions,
  fields,
  inspectionResults,
  productConditions,
  productionStatuses,
  shipmentMethods,
  stage as stageDef,
  stageKeys,
  todoKey,
} from "@/lib/workflow";

/**
 * Generators of what a form or a URL can send: values a person would type, mixed with hostile
 * ones (control characters, broken surrogates, numbers in other spellings, impossible dates,
 * huge and negative numbers, files where text belongs), left out, given twice or added.
 */

const DAY = 86_400_000;
export const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

/** Values that have broken something somewhere, or should have. */
export const specials = [
  "", " ", "\u0000", "a\u0000b", "\ud800", "x\udfffy", "\ud83d", "\u202e", "\u0007", "\u001b[31m", "\u0085", "\r\n", "\t", "\n\n",
  "null", "undefined", "true", "[object Object]", "NaN", "Infinity", "-Infinity",
  "1e3", "0x10", "0b11", "0o7", "5.0", "4.2", "-1", "0", "-0", "+5", "00", "0419", "419e0", "1_000", "  42  ", "４２", "٤٢",
  "2147483647", "2147483648", "-2147483649", "99999999999", "9007199254740993", "1e308", "-1e308",
  "2027-02-31", "2027-13-01", "2027-00-10", "0000-01-01", "9999-12-31", "1999-12-31", "2026-02-29", "2028-02-29", "27-01-01", "2027-1-1",
  "2027-01-01T25:00", "2027-01-01T10:60", "2027-02-31T10:00", "2027-01-01T10:00", "2027-01-01T10:00:00+25:00", "Tuesday", "1",
  "<script>alert(1)</script>", "'; drop table orders; --", "%00", "../../etc/passwd", "__proto__", "constructor", "$ACTION_ID_x",
  "x".repeat(6000), "é".repeat(2600), "🙂".repeat(1300), "a\u0301".repeat(100),
];

const controlish = fc.constantFrom("\u0000", "\u0001", "\u0008", "\u000b", "\u001f", "\u007f", "\u0085", "\u009f", "\ud800", "\udc00", "\n", "\r", "\t", "a", " ", "é");

export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...specials) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: controlish, maxLength: 24 }) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.bigInt().map(String) },
);

/** Plain words, as a person writes them (sometimes over two lines). */
export const words = (min: number, max: number) =>
  fc
    .array(fc.constantFrom("oak", "shelf", "walnut", "120 cm", "matte", "logo", "engraved", "x4", "blue", "é", "—", "\n"), { minLength: 1, maxLength: 12 })
    .map((w) => w.join(" ").trim())
    .filter((s) => s.length >= min && s.length <= max);

const futureDate = fc.integer({ min: 1, max: 400 }).map(inDays);

/** A value a person could really submit for each control of the stage forms (`field` or `field.part`). */
export const validControl: Record<string, fc.Arbitrary<string>> = {
  productSpecifications: words(10, 200),
  orderQuantity: fc.integer({ min: 1, max: 100_000 }).map(String),
  requiredDeliveryDate: futureDate,
  "orderFeasibility.decision": fc.constantFrom(...feasibilityDecisions.values),
  "orderFeasibility.reason": words(3, 100),
  "productionSchedule.start": futureDate,
  "productionSchedule.end": futureDate,
  "productionSchedule.confirmed": fc.constant("on"),
  specialRequirements: words(0, 100),
  productionStatus: fc.constantFrom(...productionStatuses.values),
  completionPercentage: fc.integer({ min: 0, max: 100 }).map(String),
  "qualityCheckResults.result": fc.constantFrom(...inspectionResults.values),
  "qualityCheckResults.notes": words(3, 100),
  shipmentMethod: fc.constantFrom(...shipmentMethods.values),
  trackingNumber: fc.stringMatching(/^[A-Z0-9][A-Z0-9-]{2,20}$/),
  estimatedDeliveryTime: futureDate.map((d) => `${d}T10:30`),
  "receiptConfirmation.confirmedBy": words(2, 60),
  productCondition: fc.constantFrom(...productConditions.values),
  conditionNote: words(3, 200),
  "customerFeedback.rating": fc.integer({ min: 1, max: 5 }).map(String),
  "customerFeedback.comment": words(0, 100),
};

/** The control names of a stage's fields, as the stage form names them. */
export function controlNames(stageKey?: StageKey): string[] {
  const defs = stageKey ? stageDef(stageKey).fields : fields;
  return defs.flatMap((f) => {
    const compound = compoundKinds[f.input.kind];
    return compound ? compound.parts.map((p) => `${f.key}.${p}`) : [f.key];
  });
}

// --- Files ---------------------------------------------------------------------------------

const PDF = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const MB = 1024 * 1024;
/** One large body to slice files from: a slice is cheap, and starts like a PDF. */
const large = new Blob([PDF, new Uint8Array(6 * MB)]);

export type FileSpec = { name: string; kind: "pdf" | "png" | "garbage" | "empty" | "large"; size: number };

export const fileSpec: fc.Arbitrary<FileSpec> = fc.record({
  name: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom("design.pdf", "sketch.png", "../../etc/passwd", "evil\u0000.pdf", "\ud800.pdf", "a\u202egpj.exe", `${"x".repeat(300)}.pdf`, "") },
    { weight: 1, arbitrary: hostileText },
  ),
  kind: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom("pdf" as const, "png" as const) },
    { weight: 2, arbitrary: fc.constantFrom("garbage" as const, "empty" as const) },
    { weight: 1, arbitrary: fc.constant("large" as const) },
  ),
  size: fc.constantFrom(4 * MB - 1000, 4 * MB + 1, 5 * MB),
});

export function makeFile({ name, kind, size }: FileSpec): File {
  switch (kind) {
    case "pdf":
      return new File([PDF], name, { type: "application/pdf" });
    case "png":
      return new File([PNG], name, { type: "image/png" });
    case "garbage":
      return new File(["MZ\u0090\u0000 not a design"], name, { type: "application/pdf" });
    case "empty":
      return new File([], name);
    case "large":
      return new File([large.slice(0, size)], name, { type: "application/pdf" });
  }
}

// --- Forms ---------------------------------------------------------------------------------

/** One entry of a form: a text value or a file, under a name. */
export type Entry = [name: string, value: string | FileSpec];
export type ValueArb = fc.Arbitrary<string | FileSpec>;

/** Mostly `valid`, sometimes hostile, now and then a file where text belongs. */
export const orHostile = (valid: fc.Arbitrary<string>): ValueArb =>
  fc.oneof({ weight: 6, arbitrary: valid }, { weight: 4, arbitrary: hostileText }, { weight: 1, arbitrary: fileSpec });

/** A checkbox group (or a lone checkbox): one entry per ticked box, none when nothing is ticked. */
export type Group = { group: fc.Arbitrary<string[]> };
export const group = (ticked: fc.Arbitrary<string[]>): Group => ({ group: ticked });
const isGroup = (valid: ValueArb | Group): valid is Group => "group" in valid;

/**
 * One input of a form: its name, what a person could send (a value, or the ticked boxes of a
 * group), and (by default text or a file) what else.
 */
export type Input = [name: string, valid: ValueArb | Group, hostile?: ValueArb];

const defaultHostile: ValueArb = fc.oneof({ weight: 5, arbitrary: hostileText }, { weight: 1, arbitrary: fileSpec });

const hostileName = fc.oneof(
  fc.constantFrom("__proto__.polluted", "constructor.prototype.x", "$ACTION_ID_0", "a..b", ".x", "x.", "orderId.part", "values.orderQuantity", "productionSchedule", "editable.x", "stage"),
  hostileText.filter((s) => s.length < 100),
);

const once = (name: string, value: ValueArb | Group): fc.Arbitrary<Entry[]> =>
  isGroup(value) ? value.group.map((ticked) => ticked.map((v): Entry => [name, v])) : value.map((v): Entry[] => [[name, v]]);
/** The input left out, hostile, or given twice (a group: a box ticked twice, or one more entry). */
const broken = (name: string, valid: ValueArb | Group, hostile: ValueArb) =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constant<Entry[]>([]) },
    { weight: 4, arbitrary: once(name, hostile) },
    {
      weight: 1,
      arbitrary: isGroup(valid)
        ? fc.tuple(valid.group, hostile, fc.boolean()).map(([ticked, h, again]): Entry[] => [...ticked, again && ticked.length ? ticked[0] : h].map((v): Entry => [name, v]))
        : fc.tuple(valid, fc.oneof(valid, hostile)).map(([a, b]): Entry[] => [[name, a], [name, b]]),
    },
  );

/**
 * A form's entries, in three kinds of case: every input as a person could send it (so the
 * command runs and writes); one input broken (left out, hostile or given twice), the kind a
 * field message answers; and any number broken, with extra entries under names the form does
 * not have.
 */
export function formEntries(inputs: Input[]): fc.Arbitrary<Entry[]> {
  const all = inputs.map(([name, valid, hostile]) => [name, valid, hostile ?? defaultHostile] as const);
  const valid = fc.tuple(...all.map(([name, v]) => once(name, v)));
  const oneBroken = all.length ? fc.nat({ max: all.length - 1 }).chain((i) => fc.tuple(...all.map(([name, v, h], j) => (j === i ? broken(name, v, h) : once(name, v))))) : valid;
  const chaos = fc.tuple(...all.map(([name, v, h]) => fc.oneof({ weight: 5, arbitrary: once(name, v) }, { weight: 4, arbitrary: broken(name, v, h) })));
  const extra = fc.array(fc.tuple(hostileName, defaultHostile), { maxLength: 3 });
  return fc.oneof(
    { weight: 3, arbitrary: valid.map((e) => e.flat()) },
    { weight: 3, arbitrary: oneBroken.map((e) => e.flat()) },
    { weight: 4, arbitrary: fc.tuple(chaos, extra).map(([e, more]) => [...e.flat(), ...more]) },
  );
}

export function toFormData(entries: Entry[]): FormData {
  const fd = new FormData();
  for (const [name, value] of entries) {
    if (typeof value === "string") fd.append(name, value);
    else fd.append(name, makeFile(value));
  }
  return fd;
}

/** How a failing case reads in the report: files by their spec, long strings cut. */
export const describeEntries = (entries: Entry[]) =>
  entries.map(([n, v]) => [n, typeof v === "string" ? (v.length > 80 ? `${v.slice(0, 80)}…(${v.length})` : v) : v]);

// --- Ids, versions, to-dos -----------------------------------------------------------------

export const hostileId = fc.oneof(
  fc.constantFrom("0", "-1", "0x1a3", "419e0", "0419", "1.0", "2147483648", "99999999999", "", " 1", "1 ", "١"),
  fc.integer({ min: -1_000, max: 3_000_000_000 }).map(String),
  hostileText,
);

export const idOrHostile = (ids: number[]) => fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...ids).map(String) }, { weight: 3, arbitrary: hostileId });

export const anyTodo = fc.constantFrom(...stageKeys.flatMap((s) => stageDef(s).todos.map((t) => todoKey(s, t.key))));

/** A URL query: known keys and others, a value or a list of them. */
export function queryParams(keys: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<Record<string, string | string[]>> {
  const value = (arb: fc.Arbitrary<string>) =>
    fc.oneof({ weight: 6, arbitrary: arb }, { weight: 3, arbitrary: hostileText }, { weight: 1, arbitrary: fc.array(fc.oneof(arb, hostileText), { minLength: 2, maxLength: 3 }) });
  return fc.record(
    { ...Object.fromEntries(Object.entries(keys).map(([k, arb]) => [k, value(arb)])), junk: value(hostileText) },
    { requiredKeys: [] },
  );
}

/** A query as a URL's search string (what a route handler reads). */
export function searchOf(params: Record<string, string | string[]>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const one of [v].flat()) search.append(k, one);
  return search.toString();
}

// --- Accounts and stores -------------------------------------------------------------------

/** Names as people have them (single line), sometimes with space around. */
export const personName = fc.oneof(
  fc.constantFrom("Ada Admin", "Zoë O'Neill", "José Álvarez-Núñez", "李小龙", "Nguyễn Văn An", "Åsa  Berg", " Padded Name ", "X"),
  fc.tuple(fc.constantFrom("Alex", "Sam", "Kim", "Noor", "Émile"), fc.constantFrom("Lee", "Okafor", "Schmidt", "Ødegaard", "O'Brien")).map(([a, b]) => `${a} ${b}`),
);

/** A value a person could send with a control character, a broken surrogate or a line break typed into it. */
const tainted = (valid: fc.Arbitrary<string>): ValueArb =>
  fc
    .tuple(valid, fc.constantFrom("\u0000", "\u0007", "\u001b", "\u007f", "\u0085", "\ud800", "\udfff", "\n", "\r\n", "\t", "\u202e"), fc.nat())
    .map(([value, c, i]) => {
      const at = i % (value.length + 1);
      return value.slice(0, at) + c + value.slice(at);
    });

/** A name's hostile values: tainted names mostly, other text and files too. */
export const badName = (valid: fc.Arbitrary<string>): ValueArb =>
  fc.oneof({ weight: 3, arbitrary: tainted(valid) }, { weight: 3, arbitrary: hostileText }, { weight: 1, arbitrary: fileSpec });

export const storeName = fc.oneof(
  fc.constantFrom("East Side", "Zürich Mitte", "Harbour & Co", "São Paulo", " West "),
  fc.tuple(fc.constantFrom("North", "South", "East", "Old", "New"), fc.constantFrom("Yard", "Depot", "Mall", "Street 12")).map(([a, b]) => `${a} ${b}`),
);

/** A new email in any case, or (now and then) one already taken, typed in another case. */
export const emailOf = (taken: string[]) =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.stringMatching(/^[a-z][a-z0-9]{1,10}(?:[._+-][a-z0-9]{1,6})?$/), fc.constantFrom("example.com", "Example.COM", "shop.test", "mail.example.org"), fc.boolean(), fc.boolean())
        .map(([local, domain, upper, padded]) => `${padded ? " " : ""}${upper ? local.toUpperCase() : local}@${domain}${padded ? " " : ""}`),
    },
    { weight: 1, arbitrary: fc.constantFrom(...taken).map((e) => e.toUpperCase()) },
  );

/** Passwords one could choose: 12 to 60 characters, any script, spaces inside. */
export const password = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9!#%&*+,.:;=?@^_~-]{12,40}$/),
  fc.string({ minLength: 12, maxLength: 60 }).filter((s) => s.trim().length > 0),
  fc.string({ unit: "grapheme", minLength: 12, maxLength: 30 }),
);

/** A password that is no password: short, huge, blank. */
export const badPassword = fc.oneof(
  { weight: 3, arbitrary: hostileText },
  { weight: 1, arbitrary: fc.constantFrom("short", "x".repeat(201), "makeline-demo", "ADMIN@EXAMPLE.COM ", " Store.North@Example.com") },
);

/** Spellings of a time zone the runtime knows but the picker does not list, and no zones at all. */
export const otherZone = fc.constantFrom("europe/berlin", "US/Pacific", "EST", "GMT", "utc", "Etc/UTC", " Europe/Berlin ", "Europe/Berlin\n", "Europe/Atlantis", "+05:00", "Z", "Local", "Europe/Berlin/");

/** Store codes: the pattern, in any case, padded; now and then one taken. */
export const storeCodeOf = (taken: string[]) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,31}$/), fc.boolean()).map(([c, upper]) => (upper ? ` ${c.toUpperCase()}` : c)) },
    { weight: 1, arbitrary: fc.constantFrom(...taken).map((c) => c.toUpperCase()) },
  );
