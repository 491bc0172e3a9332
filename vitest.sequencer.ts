import { BaseSequencer, type TestSpecification } from "vitest/node";

/*
 * The projects whose files are long (real API and worker processes waiting on leases and
 * back-offs; OCR of whole pages) run first, so that the many short files of the other projects
 * fill both workers at the end instead of one long file running alone. Projects stay together
 * (a worker that keeps its modules is reused only by files of its own project) and within each
 * project vitest's own order holds (longest first once it has timings, else largest file first).
 */
const longFirst = ["@remit/worker", "@remit/extract"];

const rank = (spec: TestSpecification) => {
  const at = longFirst.indexOf(spec.project.name);
  return at === -1 ? longFirst.length : at;
};

export class LongProjectsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    // Stable: files of equal rank keep the base order (group order, project, duration).
    return sorted
      .map((spec, index) => ({ spec, index }))
      .sort(
        (a, b) =>
          a.spec.project.config.sequence.groupOrder - b.spec.project.config.sequence.groupOrder ||
          rank(a.spec) - rank(b.spec) ||
          a.index - b.index,
      )
      .map(({ spec }) => spec);
  }
}
