"use client";

import { formatBytes } from "@/lib/format";
import type { Sent } from "./direct-upload-send";

export type Progress = { name: string; sent: number; size: number };

/** The files on their way to storage with their progress, and those sent, to be attached (direct-upload.tsx). */
export function UploadLists({ progress, sent, remove }: { progress: Progress[]; sent: Sent[]; remove: (id: string) => void }) {
  return (
    <>
      {progress.length > 0 && (
        <ul className="space-y-1 text-sm" aria-label="Files being sent">
          {progress.map((p) => {
            const percent = p.size ? Math.floor((p.sent / p.size) * 100) : 100;
            return (
              <li key={p.name} className="flex flex-wrap items-center gap-2">
                <span className="min-w-0 break-all">{p.name}</span>
                <progress className="h-2 w-40 max-w-full" max={100} value={percent} aria-label={`Sending ${p.name}`} />
                <span className="tabular-nums text-slate-600">{percent} %</span>
              </li>
            );
          })}
        </ul>
      )}
      {sent.length > 0 && (
        <ul className="space-y-1 text-sm" aria-label="Files sent, to be attached">
          {sent.map((s) => (
            <li key={s.id} className="flex flex-wrap items-center gap-2">
              <span className="min-w-0 break-all">
                {s.name} · {formatBytes(s.size)} · sent
              </span>
              <button type="button" className="text-indigo-700 underline" onClick={() => remove(s.id)}>
                Remove {s.name}
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
