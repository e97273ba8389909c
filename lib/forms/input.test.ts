import { describe, expect, test } from "vitest";
import { dateTimeSchema, idSchemaWith, isoDateSchema, normalizeText, pageParam, parseId, safeFilename, textMessages, textSchema, wholeNumberSchema } from "./input";

const messages = (r: { success: boolean; error?: { issues: { message: string }[] } }) => r.error?.issues.map((i) => i.message) ?? [];

describe("text", () => {
  const notes = textSchema({ max: 40, min: 2 });

  test("control characters are a field message; tab and newline are text", () => {
    for (const bad of ["a\u0000b", "nul \u0000", "bell\u0007", "esc\u001b[31m", "del\u007f", "next line\u0085", "v\u000bt"]) {
      expect(messages(notes.safeParse(bad)), JSON.stringify(bad)).toEqual([textMessages.control]);
    }
    expect(notes.parse("two\tcolumns\nand a line")).toBe("two\tcolumns\nand a line");
  });

  test("a broken surrogate (which PostgreSQL's jsonb refuses) is a field message", () => {
    expect(messages(notes.safeParse("x\ud800y"))).toEqual([textMessages.broken]);
    expect(messages(notes.safeParse("\udfff"))).toEqual([textMessages.broken]);
    expect(notes.parse("🙂 ok")).toBe("🙂 ok");
  });

  test("normalised before the rules: CRLF as a newline, composed, trimmed", () => {
    expect(normalizeText("  a\r\nb\rc  ")).toBe("a\nb\nc");
    expect(normalizeText("e\u0301")).toBe("é");
    expect(textSchema({ max: 10, singleLine: true }).parse(" Jo\n\tBloggs ")).toBe("Jo Bloggs");
    expect(textSchema({ max: 5 }).parse("a\r\nb\r\nc")).toBe("a\nb\nc");
  });

  test("bidi embeddings, overrides and isolates are not kept: text reads in the order it was written", () => {
    // "Trojan Source": U+202E shows "txt.exe" as "exe.txt"; isolates and embeddings reorder too.
    const controls = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"];
    for (const c of controls) expect(textSchema({ max: 50 }).parse(`invoice${c}fdp.exe`), JSON.stringify(c)).toBe("invoicefdp.exe");
    expect(textSchema({ max: 20, singleLine: true }).parse("\u202e Walnut \u2066desk\u2069 ")).toBe("Walnut desk");
    // Marks that only hint direction (LRM, RLM, ALM) are ordinary text in Hebrew or Arabic.
    expect(textSchema({ max: 20 }).parse("שלום\u200f!")).toBe("שלום\u200f!");
  });

  test("bounded, with the field's own messages, and a huge value refused before any work", () => {
    const s = textSchema({ max: 5, min: 2, tooLong: "Too long", tooShort: "Too short" });
    expect(messages(s.safeParse("abcdef"))).toEqual(["Too long"]);
    expect(messages(s.safeParse(" a "))).toEqual(["Too short"]);
    expect(messages(s.safeParse("x".repeat(1_000_000)))).toEqual(["Too long"]);
    expect(messages(s.safeParse(42))).toEqual(["Enter text"]);
  });
});

describe("whole numbers", () => {
  const quantity = wholeNumberSchema({ min: 1, max: 100_000, label: "Order Quantity" });

  test("only plain decimal digits", () => {
    for (const bad of ["1e3", "0x10", "5.0", "4.2", "+5", "1_000", "", " ", "４２", "٤٢", "Infinity", "NaN", "1 2", true, null, [], {}]) {
      expect(messages(quantity.safeParse(bad)), JSON.stringify(bad)).toEqual(["Order Quantity must be a whole number"]);
    }
    expect(quantity.parse(" 42 ")).toBe(42);
    expect(quantity.parse("007")).toBe(7);
    expect(quantity.parse(12)).toBe(12);
  });

  test("out of range is said as the bound, however many digits", () => {
    expect(messages(quantity.safeParse("0"))).toEqual(["Order Quantity must be at least 1"]);
    expect(messages(quantity.safeParse("-5"))).toEqual(["Order Quantity must be at least 1"]);
    expect(messages(quantity.safeParse("99999999999999999999999"))).toEqual(["Order Quantity must be at most 100000"]);
    expect(messages(quantity.safeParse("-99999999999999999999999"))).toEqual(["Order Quantity must be at least 1"]);
    expect(messages(quantity.safeParse(1.5))).toEqual(["Order Quantity must be a whole number"]);
    expect(Object.is(wholeNumberSchema({ min: -1, max: 1, label: "x" }).parse("-0"), 0)).toBe(true);
  });
});

describe("ids", () => {
  test("one spelling per id, within int4", () => {
    expect(parseId("419")).toBe(419);
    expect(parseId("2147483647")).toBe(2147483647);
    expect(parseId(7)).toBe(7);
    for (const bad of ["0x1a3", "419e0", "0419", "+419", "419.0", " 419", "0", "-1", "2147483648", "99999999999", "", "١", 0, -3, 1.5, 2 ** 31, null]) {
      expect(parseId(bad), JSON.stringify(bad)).toBeNull();
    }
    expect(messages(idSchemaWith("Unknown order").safeParse("0419"))).toEqual(["Unknown order"]);
  });

  test("a page number from the URL falls back to 1", () => {
    const page = pageParam();
    expect(page.parse("3")).toBe(3);
    expect(page.parse(["4", "5"])).toBe(4);
    for (const bad of ["0", "-1", "1e3", "100001", "99999999999", "x", undefined]) expect(page.parse(bad), String(bad)).toBe(1);
  });
});

describe("dates", () => {
  test("a date is a day of the calendar: no rolling over", () => {
    for (const bad of ["2027-02-31", "2027-02-29", "2026-04-31", "2027-13-01", "2027-00-10", "2027-01-00"]) {
      expect(messages(isoDateSchema.safeParse(bad)), bad).toEqual(["Enter a real date"]);
    }
    expect(isoDateSchema.parse("2028-02-29")).toBe("2028-02-29");
    expect(isoDateSchema.parse(" 2027-03-01 ")).toBe("2027-03-01");
  });

  test("in years both JavaScript and PostgreSQL hold, in one format", () => {
    expect(messages(isoDateSchema.safeParse("0000-01-01"))).toEqual(["Enter a date between 2000 and 2999"]);
    expect(messages(isoDateSchema.safeParse("9999-12-31"))).toEqual(["Enter a date between 2000 and 2999"]);
    for (const bad of ["27-01-01", "2027-1-1", "2027/01/01", "Tuesday", "", "2027-01-01T00:00"]) {
      expect(messages(isoDateSchema.safeParse(bad)), bad).toEqual(["Enter a date as YYYY-MM-DD"]);
    }
  });

  test("a date and time: what datetime-local sends, or an ISO instant; nothing Date.parse merely tolerates", () => {
    expect(dateTimeSchema.parse("2027-01-01T10:30:00.000Z")).toBe("2027-01-01T10:30:00.000Z");
    expect(dateTimeSchema.parse("2027-01-01T12:30+02:00")).toBe("2027-01-01T10:30:00.000Z");
    expect(dateTimeSchema.parse(dateTimeSchema.parse("2027-06-01T09:15"))).toBe(dateTimeSchema.parse("2027-06-01T09:15"));
    for (const bad of ["2027-02-31T10:00", "2027-01-01T24:00", "2027-01-01T10:60", "2027-01-01T10:00+25:00", "1", "Tuesday", "2027-01-01", "tomorrow-ish"]) {
      expect(messages(dateTimeSchema.safeParse(bad)), bad).toEqual(["Enter a real date and time"]);
    }
    expect(messages(dateTimeSchema.safeParse("1999-12-31T23:00"))).toEqual(["Enter a date between 2000 and 2999"]);
  });
});

test("a file name loses bidi controls: it reads as what it is", () => {
  expect(safeFilename("invoice\u202efdp.exe")).toBe("invoicefdp.exe");
  expect(safeFilename("a\u2066gpj\u2069.exe")).toBe("agpj.exe");
});

test("a file name keeps its characters, loses its path and controls, and fits", () => {
  expect(safeFilename("../../etc/passwd")).toBe(".._.._etc_passwd");
  expect(safeFilename("evil\u0000.pdf")).toBe("evil_.pdf");
  expect(safeFilename("x\ud800.pdf")).toBe("x\ufffd.pdf");
  expect(safeFilename("  ")).toBe("attachment");
  const long = safeFilename(`${"🙂".repeat(250)}.pdf`);
  expect(Array.from(long)).toHaveLength(200);
  expect(long.isWellFormed()).toBe(true);
});
