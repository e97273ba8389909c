// /api/v1 (decision 019): the route is in the registry, lib/api/routes.ts; serve() authenticates the key,
// limits, parses and answers with JSON or problem+json.
import { addCommentRoute } from "@/lib/api/routes";
import { serve } from "@/lib/api/route";

export const dynamic = "force-dynamic";
export const POST = serve(addCommentRoute);
