import postgres from "postgres";

// `tsx packages/db/src/cli/database.ts create|drop <server-url> <name>`: a throwaway database
// for one CI run on a real server. The name is checked, then quoted, never trusted.
const [command, serverUrl, name] = process.argv.slice(2);
if (!command || !["create", "drop"].includes(command) || !serverUrl || !name) {
  console.error("usage: database.ts create|drop <postgres://server-url> <database-name>");
  process.exit(2);
}
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
  console.error(`invalid database name "${name}": use lower-case letters, digits and _`);
  process.exit(2);
}
const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
try {
  if (command === "create") await sql`create database ${sql(name)}`;
  else await sql`drop database if exists ${sql(name)} with (force)`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  console.log(command === "create" ? url.toString() : `dropped ${name}`);
} finally {
  await sql.end();
}
