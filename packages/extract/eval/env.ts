// The eval's one reading of the environment: pnpm runs root scripts in the repository root and
// says in INIT_CWD where the command was typed, which is what a relative folder means.
export const invocationDirectory = process.env.INIT_CWD ?? process.cwd();
