/** `--seconds N` (load duration, default 60) and `--write-docs` (update docs/benchmarks.md). */
export interface LoadArgs {
  seconds: number;
  connections: number;
  tenants: number;
  writeDocs: boolean;
  /** Which faults to inject (all four by default). */
  faults: Set<string>;
}

export const faultNames = ["terminate", "worker", "restart", "pool"] as const;

export function parseArgs(argv: string[], defaults: Partial<LoadArgs> = {}): LoadArgs {
  const args: LoadArgs = {
    seconds: 60,
    connections: 24,
    tenants: 6,
    writeDocs: false,
    faults: new Set(faultNames),
    ...defaults,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const [name, inline] = arg.split("=", 2) as [string, string | undefined];
    const value = () => Number(inline ?? argv[++i]);
    if (name === "--seconds") args.seconds = value();
    else if (name === "--connections") args.connections = value();
    else if (name === "--tenants") args.tenants = value();
    else if (name === "--write-docs") args.writeDocs = true;
    else if (name === "--faults") {
      args.faults = new Set((inline ?? argv[++i] ?? "").split(",").filter(Boolean));
      const unknown = [...args.faults].filter(
        (f) => !(faultNames as readonly string[]).includes(f),
      );
      if (unknown.length > 0)
        throw new Error(`unknown fault ${unknown.join(", ")} (known: ${faultNames.join(", ")})`);
    } else
      throw new Error(
        `unknown option ${arg} (known: --seconds N, --connections N, --tenants N, --faults a,b, --write-docs)`,
      );
  }
  for (const key of ["seconds", "connections", "tenants"] as const) {
    if (!Number.isFinite(args[key]) || args[key] < 1)
      throw new Error(`--${key} must be a positive number`);
  }
  if (args.seconds < 20) throw new Error("--seconds must be at least 20: four faults need room");
  return args;
}
