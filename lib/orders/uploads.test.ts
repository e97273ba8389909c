import { expect, test } from "vitest";
import { describeUploadLimits, formatBytes, uploadProblem } from "./uploads";

const MB = 1024 * 1024;
const limits = { fileBytes: 4 * MB, requestBytes: 4 * MB, files: 10 };

test("the limits, said once, in the words the browser and the server both use", () => {
  expect(describeUploadLimits(limits)).toBe("Images (PNG, JPEG, GIF, WebP) or PDF, up to 4 MB in all, at most 10 files.");
  expect(describeUploadLimits({ fileBytes: 10 * MB, requestBytes: 25 * MB, files: 10 })).toBe("Images (PNG, JPEG, GIF, WebP) or PDF, up to 10 MB each and 25 MB in all, at most 10 files.");
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
