import { type Attack, fail, pass } from "../attack";
import { call } from "../http";
import type { World } from "../world";

/** Median of a list of numbers. */
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

export const timingFigures: Array<{ path: string; theirs: number; random: number; ratio: number }> =
  [];

/**
 * Does answering take longer for an id that exists in another tenant than for one that never
 * existed? N calls of each, interleaved, medians compared. The bound is generous (0.5–2.0) so a
 * busy machine does not make it flaky; the ratio itself is printed.
 */
export function timing(victimInput: (world: World) => unknown, n = 40): Attack {
  return {
    name: "timing",
    async run({ world, path, type }) {
      const who = { bearer: world.attacker.adminToken };
      const theirs: number[] = [];
      const random: number[] = [];
      const input = victimInput(world) as Record<string, unknown>;
      for (let i = 0; i < n; i++) {
        const swap = i % 2 === 0;
        const a = () => call(world.url, who, path, type, input);
        const b = () => call(world.url, who, path, type, { ...input, id: crypto.randomUUID() });
        const first = await (swap ? a() : b());
        const second = await (swap ? b() : a());
        (swap ? theirs : random).push(first.ms);
        (swap ? random : theirs).push(second.ms);
      }
      const ratio = median(theirs) / median(random);
      timingFigures.push({ path, theirs: median(theirs), random: median(random), ratio });
      const note = `median ${median(theirs).toFixed(1)} vs ${median(random).toFixed(1)} ms, ratio ${ratio.toFixed(2)}`;
      return ratio >= 0.5 && ratio <= 2 ? pass(note) : fail(note);
    },
  };
}
