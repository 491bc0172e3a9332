import { createDb } from "../src/client";
import { migrate } from "../src/migrate";

// On the real-server pass, migrate once before the files run in parallel, so that no two files
// race to apply the same migration.
export default async function setup() {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return;
  const handle = createDb({ url, maxConnections: 1 });
  try {
    await migrate(handle);
  } finally {
    await handle.close();
  }
}
