import { BaseSequencer, type TestSpecification } from "vitest/node";

/*
 * The long files first, so that the many short ones fill every worker at the end instead of one
 * long file running alone: the worker's files (real API and worker processes waiting on leases
 * and back-offs), OCR of whole pages, and the API's real-server files (the upload fuzz sends
 * 2,000 bodies). Within a rank vitest's own order holds (longest first once it has timings,
 * else largest file first).
 *
 * On PostgreSQL, where each package is a project of its own, projects stay together (a worker
 * that keeps its modules is reused only by the next file of its own project), the worker's and
 * extract's first.
 */
const longProjects = ["@remit/worker", "@remit/extract"];
const longFiles = [
  "/apps/worker/test/",
  "/packages/extract/test/",
  "/apps/api/test/upload-fuzz",
  "/apps/api/test/",
];

const rankOf = (list: string[], at: number) => (at === -1 ? list.length : at);
const projectRank = (spec: TestSpecification) =>
  rankOf(longProjects, longProjects.indexOf(spec.project.name));
const fileRank = (spec: TestSpecification) =>
  rankOf(
    longFiles,
    longFiles.findIndex((part) => spec.moduleId.includes(part)),
  );

export class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    // Stable: files of equal rank keep the base order (group order, project, duration).
    return sorted
      .map((spec, index) => ({ spec, index }))
      .sort(
        (a, b) =>
          a.spec.project.config.sequence.groupOrder - b.spec.project.config.sequence.groupOrder ||
          projectRank(a.spec) - projectRank(b.spec) ||
          a.spec.project.name.localeCompare(b.spec.project.name) ||
          fileRank(a.spec) - fileRank(b.spec) ||
          a.index - b.index,
      )
      .map(({ spec }) => spec);
  }
}
