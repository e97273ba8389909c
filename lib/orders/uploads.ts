/**
 * What an upload may hold, stated once: the file types, and the size of each file and of all the
 * files of one request. The numbers come from the environment (lib/env.ts `uploadLimits`); the
 * browser checks them before it sends anything and the server checks them again, with the same
 * words, so a person never meets the framework's own answer to a body that is too large.
 */

export const attachmentTypes = ["application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"] as const;
export type AttachmentType = (typeof attachmentTypes)[number];

/** Bytes per file and per request, and how many files one request may carry. */
export type UploadLimits = { fileBytes: number; requestBytes: number; files: number };

const MB = 1024 * 1024;

/** "4 MB", "2.5 MB", "300 KB". */
export function formatBytes(bytes: number): string {
  if (bytes >= MB) return `${Math.round((bytes / MB) * 10) / 10} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** The limits as the form's help text says them. */
export function describeUploadLimits(limits: UploadLimits): string {
  const all = formatBytes(limits.requestBytes);
  const size = limits.requestBytes > limits.fileBytes ? `up to ${formatBytes(limits.fileBytes)} each and ${all} in all` : `up to ${all} in all`;
  return `Images (PNG, JPEG, GIF, WebP) or PDF, ${size}, at most ${limits.files} files.`;
}

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
