import { LocalFolderStore, fileStore } from "@/lib/storage";

export const dynamic = "force-dynamic";

/**
 * PUT /api/files/<token>: a browser's upload to the local folder, authorised by the signed token
 * alone, as a presigned URL is (lib/storage/local.ts). The proxy leaves this path alone (its
 * matcher): it would buffer, and cut, a body this large. With object storage there is nothing here.
 */
export async function PUT(request: Request, { params }: { params: Promise<{ token: string }> }) {
  const store = fileStore();
  if (!(store instanceof LocalFolderStore)) return new Response("Not found", { status: 404 });
  return store.receive((await params).token, request);
}
