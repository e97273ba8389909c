import { rmSync } from "node:fs";
import { sessionDir } from "./sessions";

/** Sessions are signed with this run's secret: start every run without the last run's. */
export default function globalSetup() {
  rmSync(sessionDir, { recursive: true, force: true });
}
