import { uploadLimits } from "@/lib/env";
import { safeFilename } from "@/lib/forms/input";
import { type AttachmentType, type UploadLimits, uploadProblem } from "./uploads";

/** Recognises a file by its first bytes, not its name: only these types are accepted. */
export function sniffType(bytes: Uint8Array): AttachmentType | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return "application/pdf";
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x47, 0x49, 0x46, 0x38)) return "image/gif";
  if (starts(0x52, 0x49, 0x46, 0x46) && String.fromCharCode(...bytes.slice(8, 12)) === "WEBP") return "image/webp";
  return null;
}

export type CheckedFile = { filename: string; contentType: AttachmentType; data: Buffer; size: number };

/**
 * Reads and checks uploaded files against the upload limits (the same check the browser made
 * before sending them) and by their first bytes; returns the first problem as a message.
 */
export async function checkFiles(files: File[], limits: UploadLimits = uploadLimits()): Promise<{ ok: true; files: CheckedFile[] } | { ok: false; error: string }> {
  const named = files.map((file) => ({ file, name: safeFilename(file.name), size: file.size }));
  const problem = uploadProblem(named, limits);
  if (problem) return { ok: false, error: problem };
  const checked: CheckedFile[] = [];
  for (const { file, name } of named) {
    const data = Buffer.from(await file.arrayBuffer());
    const contentType = sniffType(data);
    if (!contentType) return { ok: false, error: `${name} is not a PDF or an image (PNG, JPEG, GIF, WebP)` };
    checked.push({ filename: name, contentType, data, size: data.length });
  }
  return { ok: true, files: checked };
}
