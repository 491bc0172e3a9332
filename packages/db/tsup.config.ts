import { workspaceBuild } from "../../tsup.workspace";

export default workspaceBuild({
  index: "src/index.ts",
  schema: "src/schema/index.ts",
  image: "src/image.ts",
  "build-image": "src/cli/build-image.ts",
});
