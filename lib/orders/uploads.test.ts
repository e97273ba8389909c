import { expect, test } from "vitest";
import { formatBytes } from "@/lib/format";
import { describeDirectUploadLimits, describeUploadLimits, directUploadProblem, sniffType, uploadProblem } from "./uploads";

const MB = 1024 * 1024;
const limits = { fileBytes: 4 * MB, requestBytes: 4 * MB, files: 10, directFileBytes: 100 * MB };

test("the limits, said once, in the words the browser and the server both use", () => {
  expect(describeUploadLimits(limits)).toBe("Images (PNG, JPEG, GIF, WebP) or PDF, up to 4 MB in all, at most 10 files.");
  expect(describeUploadLimits({ fileBytes: 10 * MB, requestBytes: 25 * MB, files: 10, directFileBytes: 100 * MB })).toBe("Images (PNG, JPEG, GIF, WebP) or PDF, up to 10 MB each and 25 MB in all, at most 10 files.");
  expect(formatBytes(4.5 * MB)).toBe("4.5 MB");
  expect(formatBytes(300 * 1024)).toBe("300 KB");
});

test("each file, all of them together and their number are checked, with a message naming the problem", () => {
  expect(uploadProblem([{ name: "a.pdf", size: 4 * MB }], limits)).toBeNull();
  expect(uploadProblem([{ name: "big.pdf", size: 4 * MB + 1 }], limits)).toBe("big.pdf is 4 MB: each file may be at most 4 MB");
  expect(uploadProblem([{ name: "huge.png", size: 10 * MB }], limits)).toBe("huge.png is 10 MB: each file may be at most 4 MB");
  expect(uploadProblem([{ name: "a.pdf", size: 3 * MB }, { name: "b.pdf", size: 3 * MB }], limits)).toBe("These files are 6 MB together: attach at most 4 MB at once");
  expect(uploadProblem(Array.from({ length: 11 }, (_, i) => ({ name: `${i}.pdf`, size: 10 })), limits)).toBe("Attach at most 10 files at once");
  expect(uploadProblem([], limits)).toBeNull();
});

test("straight to storage: each file up to the direct limit, none empty, and the same count", () => {
  expect(describeDirectUploadLimits(limits)).toBe("Images (PNG, JPEG, GIF, WebP) or PDF, up to 100 MB each, at most 10 files (4 MB in all if the page cannot run its script).");
  expect(directUploadProblem([{ name: "drawing.pdf", size: 100 * MB }, { name: "b.pdf", size: 60 * MB }], limits)).toBeNull();
  expect(directUploadProblem([{ name: "scan.pdf", size: 100 * MB + 1 }], limits)).toBe("scan.pdf is 100 MB: each file may be at most 100 MB");
  expect(directUploadProblem([{ name: "empty.pdf", size: 0 }], limits)).toBe("empty.pdf is empty");
  expect(directUploadProblem(Array.from({ length: 11 }, (_, i) => ({ name: `${i}.pdf`, size: 10 })), limits)).toBe("Attach at most 10 files at once");
});

test("a file's type comes from its first bytes", () => {
  const bytes = (...b: number[]) => new Uint8Array(b);
  expect(sniffType(new TextEncoder().encode("%PDF-1.7\n"))).toBe("application/pdf");
  expect(sniffType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBe("image/png");
  expect(sniffType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe("image/jpeg");
  expect(sniffType(new TextEncoder().encode("<html><script>"))).toBeNull();
  expect(sniffType(new Uint8Array())).toBeNull();
});
