import { workspaceBuild } from "../../tsup.workspace";

export default workspaceBuild({
  index: "src/index.ts",
  einvoice: "src/einvoice/index.ts",
  memory: "src/memory/index.ts",
});
