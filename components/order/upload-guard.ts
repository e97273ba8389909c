"use client";

import { type ChangeEvent, type FormEvent, useState } from "react";
import { type UploadLimits, uploadProblem } from "@/lib/orders/uploads";

/**
 * Checks chosen files against the upload limits in the browser, the same check the server makes:
 * a file too large is named beside the file field as soon as it is chosen, and the form is not
 * sent, so nothing large travels only to be refused (or cut off by the platform's body limit).
 */
export function useUploadGuard(limits: UploadLimits, name = "attachments") {
  const [problem, setProblem] = useState<string | null>(null);
  const check = (input: HTMLInputElement) => {
    const found = uploadProblem(Array.from(input.files ?? []), limits);
    setProblem(found);
    return found;
  };
  return {
    problem,
    onChange: (event: ChangeEvent<HTMLInputElement>) => void check(event.currentTarget),
    onSubmit: (event: FormEvent<HTMLFormElement>) => {
      const input = event.currentTarget.elements.namedItem(name);
      if (input instanceof HTMLInputElement && check(input)) {
        event.preventDefault();
        input.focus();
      }
    },
  };
}
