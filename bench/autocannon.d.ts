declare module "autocannon" {
  type Options = { url: string; connections?: number; duration?: number; headers?: Record<string, string> };
  type Result = { latency: Record<string, number>; requests: { average: number; total: number }; non2xx: number };
  export default function autocannon(options: Options): Promise<Result>;
}
