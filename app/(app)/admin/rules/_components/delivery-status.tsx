import { Badge } from "@/components/ui/badge";
import type { EmailStatus } from "@/db/schema";
import { formatDateTime } from "@/lib/format";

/** One recipient's email state in the firing log, with the error when there is one. */
export function DeliveryStatus({
  status,
  attempts,
  lastError,
  sentAt,
  zone,
}: {
  status: EmailStatus;
  attempts: number;
  lastError: string | null;
  sentAt: Date | null;
  zone?: string;
}) {
  if (status === "sent") {
    return (
      <span title={sentAt ? `Sent ${formatDateTime(sentAt, zone)}` : undefined}>
        <Badge tone="emerald">Email sent</Badge>
      </span>
    );
  }
  if (status === "failed") {
    return (
      <span className="inline-flex flex-col gap-0.5">
        <Badge tone="rose">Email failed</Badge>
        {lastError && <span className="max-w-xs break-words text-xs text-rose-800">{lastError}</span>}
      </span>
    );
  }
  if (status === "skipped") return <Badge>In-app only</Badge>;
  return (
    <span className="inline-flex flex-col gap-0.5">
      <Badge tone="amber">{attempts ? `Email retrying (${attempts} tried)` : "Email pending"}</Badge>
      {lastError && <span className="max-w-xs break-words text-xs text-amber-900">{lastError}</span>}
    </span>
  );
}
