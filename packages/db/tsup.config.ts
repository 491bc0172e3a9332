import { workspaceBuild } from "../../tsup.workspace";

export default workspaceBuild({
  index: "src/index.ts",
  schema: "src/schema/index.ts",
  "build-image": "src/cli/build-image.ts",
});
