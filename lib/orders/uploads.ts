/**
 * What an upload may hold, stated once: the file types, and the size of each file and of all the
 * files of one request. The numbers come from the environment (lib/env.ts `uploadLimits`); the
 * browser checks them before it sends anything and the server checks them again, with the same
 * words, so a person never meets the framework's own answer to a body that is too large.
 */

import { formatBytes } from "@/lib/format";

export const attachmentTypes = ["application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"] as const;
export type AttachmentType = (typeof attachmentTypes)[number];

/**
 * Bytes per file and per request of a form posted with its files (without JavaScript), how many
 * files one request may carry, and bytes per file sent straight to storage (with JavaScript).
 */
export type UploadLimits = { fileBytes: number; requestBytes: number; files: number; directFileBytes: number };


/** The limits as the form's help text says them. */
export function describeUploadLimits(limits: UploadLimits): string {
  const all = formatBytes(limits.requestBytes);
  const size = limits.requestBytes > limits.fileBytes ? `up to ${formatBytes(limits.fileBytes)} each and ${all} in all` : `up to ${all} in all`;
  return `Images (PNG, JPEG, GIF, WebP) or PDF, ${size}, at most ${limits.files} files.`;
}

/**
 * The limits a person meets: files go straight to storage when the page runs its script (each up
 * to `directFileBytes`); a form posted without it carries them in the request.
 */
export function describeDirectUploadLimits(limits: UploadLimits): string {
  const fallback = formatBytes(limits.requestBytes);
  return `Images (PNG, JPEG, GIF, WebP) or PDF, up to ${formatBytes(limits.directFileBytes)} each, at most ${limits.files} files (${fallback} in all if the page cannot run its script).`;
}

/**
 * What a form's file field for direct uploads needs, worked out on the server: the limits its
 * script checks, the help text and the `accept` list. The form takes these as data, so this
 * module (the type sniffing, the messages) stays out of the page's script until files are chosen.
 */
export type DirectUploadField = { limits: UploadLimits; help: string; accept: string };
export const directUploadField = (limits: UploadLimits): DirectUploadField => ({ limits, help: describeDirectUploadLimits(limits), accept: attachmentTypes.join(",") });

/** The first way these files break the limits of an upload straight to storage; null when they fit. */
export function directUploadProblem(files: readonly { name: string; size: number }[], limits: UploadLimits): string | null {
  if (files.length > limits.files) return `Attach at most ${limits.files} files at once`;
  const big = files.find((f) => f.size > limits.directFileBytes);
  if (big) return `${big.name} is ${formatBytes(big.size)}: each file may be at most ${formatBytes(limits.directFileBytes)}`;
  const empty = files.find((f) => f.size === 0);
  if (empty) return `${empty.name} is empty`;
  return null;
}

/** A file's type, told by its first bytes (SNIFF_BYTES of them), not its name: only these are accepted. */
export function sniffType(bytes: Uint8Array): AttachmentType | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return "application/pdf";
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x47, 0x49, 0x46, 0x38)) return "image/gif";
  if (starts(0x52, 0x49, 0x46, 0x46) && String.fromCharCode(...bytes.slice(8, 12)) === "WEBP") return "image/webp";
  return null;
}
export const SNIFF_BYTES = 16;

/** The message for a file whose content is not one of the accepted types. */
export const wrongTypeMessage = (name: string) => `${name} is not a PDF or an image (PNG, JPEG, GIF, WebP)`;

/** The first way these files break the limits, as the message shown beside the file field; null when they fit. */
export function uploadProblem(files: readonly { name: string; size: number }[], limits: UploadLimits): string | null {
  if (files.length > limits.files) return `Attach at most ${limits.files} files at once`;
  const big = files.find((f) => f.size > limits.fileBytes);
  if (big) return `${big.name} is ${formatBytes(big.size)}: each file may be at most ${formatBytes(limits.fileBytes)}`;
  const total = files.reduce((sum, f) => sum + f.size, 0);
  if (total > limits.requestBytes) {
    return `These files are ${formatBytes(total)} together: attach at most ${formatBytes(limits.requestBytes)} at once`;
  }
  return null;
}
