"use client";

import type { ButtonHTMLAttributes } from "react";
import { useFormStatus } from "react-dom";
import { buttonClass, type buttonVariants } from "./styles";

/** A submit button that shows progress while its form's action runs. `plain`: no variant's look, only the className given. */
export function SubmitButton({
  children,
  pendingText,
  variant = "primary",
  className,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { pendingText?: string; variant?: keyof typeof buttonVariants | "plain" }) {
  const { pending } = useFormStatus();
  // A className adds to the variant's classes rather than replacing them.
  return (
    <button type="submit" {...props} disabled={pending || props.disabled} aria-disabled={pending} className={variant === "plain" ? className : [buttonClass(variant), className].filter(Boolean).join(" ")}>
      {pending && <span className="size-3.5 animate-spin rounded-full border-2 border-current border-t-transparent" aria-hidden="true" />}
      {pending && pendingText ? pendingText : children}
    </button>
  );
}
